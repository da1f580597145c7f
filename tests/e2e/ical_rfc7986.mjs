// ical_rfc7986.mjs -- reads a JSON list of iCalendar documents on stdin
// and parses each with Mozilla's ical.js, printing what RFC 7986 adds:
//
//   {error, calendar: {name, description, source, refresh, refresh_value,
//    color}, events: [{uid, url, location, color,
//    conferences: [{value, value_param, feature, label}],
//    images: [{value, value_param, display}]}]}
//
// value_param and refresh_value are the property's type: ical.js keeps a
// VALUE parameter as that.  Values are as ical.js unfolds and unescapes them; parameters as it
// decodes them (RFC 6868).
//
// Usage: node tests/e2e/ical_rfc7986.mjs < calendars.json
import ICAL from 'ical.js';

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function text(comp, name) {
  const v = comp.getFirstPropertyValue(name);
  return v == null ? null : String(v);
}

function param(p, name) {
  const v = p.getParameter(name);
  return v == null ? null : (Array.isArray(v) ? v.join(',') : String(v));
}

function read(doc) {
  let cal;
  try {
    cal = new ICAL.Component(ICAL.parse(doc));
  } catch (e) {
    return { error: String(e && e.message ? e.message : e) };
  }
  const refresh = cal.getFirstProperty('refresh-interval');
  return {
    error: null,
    calendar: {
      name: text(cal, 'name'),
      description: text(cal, 'description'),
      source: text(cal, 'source'),
      refresh: refresh ? String(refresh.getFirstValue()) : null,
      refresh_value: refresh ? refresh.type : null,
      color: text(cal, 'color'),
    },
    events: cal.getAllSubcomponents('vevent').map((ve) => ({
      uid: text(ve, 'uid'),
      url: text(ve, 'url'),
      location: text(ve, 'location'),
      color: text(ve, 'color'),
      conferences: ve.getAllProperties('conference').map((p) => ({
        value: String(p.getFirstValue()),
        value_param: p.type,
        feature: param(p, 'feature'),
        label: param(p, 'label'),
      })),
      images: ve.getAllProperties('image').map((p) => ({
        value: String(p.getFirstValue()),
        value_param: p.type,
        display: param(p, 'display'),
      })),
    })),
  };
}

const docs = JSON.parse(await readStdin());
process.stdout.write(JSON.stringify(docs.map(read)) + '\n');
