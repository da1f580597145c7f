// ical_props.mjs -- reads a JSON list of iCalendar documents on stdin and
// parses each with Mozilla's ical.js (Thunderbird's parser), printing a
// JSON list with one object per document:
//
//   {error, components, calname, timezones, events: [{uid, summary,
//    description, location, url}]}
//
// error is ical.js's message when it refused the document (else null);
// components lists the VCALENDAR's subcomponents by name, in order;
// timezones the TZIDs of the VTIMEZONEs ical.js could build a zone from.
// Values are as ical.js unfolds and unescapes them.  One process for many
// documents: starting node per calendar would cost more than the test.
//
// Usage: node tests/e2e/ical_props.mjs < calendars.json
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

function read(doc) {
  let cal;
  try {
    cal = new ICAL.Component(ICAL.parse(doc));
  } catch (e) {
    return { error: String(e && e.message ? e.message : e) };
  }
  const timezones = [];
  for (const vtz of cal.getAllSubcomponents('vtimezone')) {
    const tz = new ICAL.Timezone(vtz);
    // A zone ical.js can convert a time with, or it is of no use.
    const t = ICAL.Time.fromData({ year: 2026, month: 7, day: 1, hour: 12 }, tz);
    if (tz.tzid && Number.isFinite(t.toUnixTime())) timezones.push(tz.tzid);
  }
  return {
    error: null,
    name: cal.name,
    components: cal.getAllSubcomponents().map((c) => c.name),
    calname: text(cal, 'x-wr-calname'),
    timezones,
    events: cal.getAllSubcomponents('vevent').map((ve) => ({
      uid: text(ve, 'uid'),
      summary: text(ve, 'summary'),
      description: text(ve, 'description'),
      location: text(ve, 'location'),
      url: text(ve, 'url'),
    })),
  };
}

const docs = JSON.parse(await readStdin());
process.stdout.write(JSON.stringify(docs.map(read)) + '\n');
