// ical_times.mjs -- reads an iCalendar document on stdin with Mozilla's
// ical.js (Thunderbird's parser), registers every VTIMEZONE it carries with
// ICAL.TimezoneService, and prints a JSON list with one object per VEVENT:
//
//   {uid, summary, start_utc, end_utc, sequence, status, rrule,
//    all_day, start_tzid, end_tzid, occurrences}
//
// Timed values are converted to UTC ISO strings ("2026-12-03T18:00:00Z");
// all-day values (VALUE=DATE) are printed as "YYYY-MM-DD".  start_tzid is
// the zone ical.js resolved the start in ("UTC", "floating", or the TZID of
// a registered VTIMEZONE): a TZID without a VTIMEZONE shows up as
// "floating", which a test can catch.  occurrences lists the UTC starts of
// the first 20 instances of a recurring event.
//
// Usage: node tests/e2e/ical_times.mjs < calendar.ics
import ICAL from 'ical.js';

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function pad(n, w = 2) {
  return String(n).padStart(w, '0');
}

function utc(time) {
  if (time == null) return null;
  if (time.isDate) return `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}`;
  const u = time.convertToZone(ICAL.Timezone.utcTimezone);
  return `${pad(u.year, 4)}-${pad(u.month)}-${pad(u.day)}T${pad(u.hour)}:${pad(u.minute)}:${pad(u.second)}Z`;
}

function zoneName(time) {
  if (time == null) return null;
  if (time.isDate) return 'date';
  if (!time.zone) return 'floating';
  return time.zone.tzid;
}

const text = await readStdin();
const root = new ICAL.Component(ICAL.parse(text));
const calendars = root.name === 'vcalendar' ? [root] : root.getAllSubcomponents('vcalendar');

for (const cal of calendars) {
  for (const vtz of cal.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
  }
}

const out = [];
for (const cal of calendars) {
  for (const vevent of cal.getAllSubcomponents('vevent')) {
    const ev = new ICAL.Event(vevent);
    const start = ev.startDate;
    const end = ev.endDate;
    const rrule = vevent.getFirstPropertyValue('rrule');
    const occurrences = [];
    if (rrule) {
      const it = ev.iterator();
      let next;
      while (occurrences.length < 20 && (next = it.next())) occurrences.push(utc(next));
    }
    const seq = vevent.getFirstPropertyValue('sequence');
    out.push({
      uid: ev.uid,
      summary: ev.summary,
      start_utc: utc(start),
      end_utc: utc(end),
      sequence: seq == null ? null : Number(seq),
      status: vevent.getFirstPropertyValue('status'),
      rrule: rrule ? rrule.toString() : null,
      all_day: start ? start.isDate : null,
      start_tzid: zoneName(start),
      end_tzid: zoneName(end),
      occurrences,
    });
  }
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
