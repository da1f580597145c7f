"""End-to-end tests of the served calendars (issue 3).

Every calendar crier serves is read by two independent parsers: Debian's
python3-icalendar (with recurring_ical_events for recurrences) and
Mozilla's ical.js (Thunderbird's parser, through ical_times.mjs).  Each
event's start and end are compared as UTC instants, so a wrong or missing
VTIMEZONE, a floating time or a wrong offset shows up as a wrong instant.
The raw bytes are checked for RFC 5545's CRLF and 75-octet lines, and for
what calendar clients need (VTIMEZONE per TZID, plain IANA names, METHOD
with ORGANIZER, REFRESH-INTERVAL).
"""
import datetime
import json
import os
import re
import subprocess
import urllib.parse

import icalendar
import recurring_ical_events

from announcement import WEEKDAYS_EN, WEEKDAYS_ZH, Announcement, fixture_text, seed_text
from harness import Daemon, SLOW

HERE = os.path.dirname(os.path.abspath(__file__))
UTC = datetime.timezone.utc

# --- fixtures ----------------------------------------------------------------

# A Chinese meetup post in the shape of the real example: a duplicated key,
# a schedule table (no times: not events) and one section per talk, with
# the written forms 2026/5/6（周三）, 2026年5月13日 and 5月14日 (year of the
# post), and the separators -, ~ and 至.  Its own zone: Asia/Shanghai.
SHANGHAI_POST = """\
---
title: "云原生夜话 第五期"
description: "线上分享会。"
date: 2026-04-28T09:15:00+08:00
draft: false
author: "[周明](https://example.org/zm)"
description: "本期邀请三位讲师，线上直播，欢迎提前预约。"
tags: ["cloud", "直播"]
categories: ["meetup"]
timezone: "Asia/Shanghai"
---

本期为线上直播，三位讲师分享他们在平台建设中的经验。每周三晚上 19:00-20:00 不见不散。

| 时间       | 分享主题           | 分享嘉宾 |
| ---------- | ------------------ | -------- |
| 5 月 6 日  | 调度器的三次重写   | 李雷     |
| 5 月 13 日 | 边缘节点的落地     | 韩梅     |
| 5 月 14 日 | 存储系统排障手记   | 孙悦     |

### 调度器的三次重写

- **时间：**2026/5/6（周三） 19:00-20:00
- **嘉宾：**李雷 平台架构师
- **简介：**从单集群到多集群，调度器在三年里的三次重写与取舍。

### 边缘节点的落地

- **时间：**2026年5月13日（周三） 19:00~20:30
- **地点：**北京市海淀区中关村大街 1 号 5 层
- **嘉宾：**韩梅
- **简介：**几千个边缘节点如何升级、观测和回滚。

### 存储系统排障手记

- 时间: 5月14日 19:30至21:00
- **嘉宾：**孙悦
- **简介：**三次线上故障的复盘：从现象到根因。
"""

# An English post whose date carries +02:00, the offset Europe/Berlin (the
# config zone) has on that date: its written schedule is Berlin time.
ENGLISH_POST = """\
---
title: "Systems evening #3"
date: 2026-04-20T10:00:00+02:00
author: "Ada Example"
tags: ["systems"]
categories: ["meetup"]
location: "Old Library, Harbour Street 4"
---

Two talks, one evening each.

## Tracing in anger

- **When:** May 6, 2026 (Wed) 19:00 to 20:00
- **Speaker:** Ada Example

## Event loops from scratch

**Date:** 2026-05-07 (Thu) 18:00-19:30

Where: Room 4, Harbour Street

We write an event loop on epoll in an hour.
"""

# No timezone key and a date offset (+08:00) the config zone (Berlin) does
# not have on that date: the schedule is in that fixed offset, written as UTC.
OFFSET_POST = """\
---
title: "深圳站 线下沙龙"
date: 2026-06-01T10:00:00+08:00
tags: ["cloud"]
categories: ["meetup"]
---

### 服务网格的灰度发布

- **日期：**2026-06-10（周三） 19:00–20:00
- 地点：深圳市南山区科技园
"""

# Front-matter events in America/New_York: one in summer time (-4), one in
# winter time (-5).
NYC_PAGE = """\
---
title: "Build nights in New York"
date: 2026-03-01T12:00:00-05:00
timezone: "America/New_York"
tags: ["workshop"]
categories: ["workshop"]
events:
  - title: "Summer build night"
    start: 2026-07-15T18:30
    duration: 2h
    location: "Community Hall, 12 Main St"
  - title: "Winter build night"
    start: 2026-12-09T18:30
    end: 2026-12-09T20:00
---

Build nights in New York.
"""

# Front-matter events in the config zone (Europe/Berlin): December (+1), an
# all-day event, a weekly event crossing the change to summer time on
# 29 March 2026, a cancelled event, an event with its own uid and one whose
# title needs escaping.
BERLIN_PAGE = """\
---
title: "Workshops in Berlin"
date: 2026-02-01T12:00:00Z
tags: ["workshop", "berlin"]
categories: ["workshop"]
events:
  - title: "Soldering for beginners"
    start: 2026-12-08T19:00
    end: 2026-12-08T21:00
    location: "Makerspace, Hof 2"
    description: "Irons are provided."
  - title: "Repair cafe"
    start: 2026-12-03
    location: "Makerspace"
  - title: "Spring study circle"
    start: 2026-03-12T19:00
    duration: 90m
    rrule: "FREQ=WEEKLY;COUNT=5"
  - title: "Kernel evening"
    start: 2026-12-15T19:00
    end: 2026-12-15T20:00
    cancelled: true
  - title: "Winter party"
    uid: "winter-party-2026@e2e.example.org"
    start: 2026-12-18T20:00
    end: 2026-12-18T23:30
  - title: "Q&A; wrap-up, drinks\\nEND:VEVENT"
    start: 2026-12-19T18:00
    end: 2026-12-19T19:00
---

Hands-on workshops.
"""

# The one-event shorthand.
SHORTHAND_PAGE = """\
---
title: "Open day at the hall"
date: 2026-08-01T09:00:00+02:00
timezone: "Europe/Berlin"
start: 2026-09-05T10:00
end: 2026-09-05T16:00
location: "Town hall"
tags: ["news"]
---

Doors open all day.
"""

# A calendar exported by Outlook: Windows zone name, its own VTIMEZONE.
WINDOWS_ICS = """\
BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r
METHOD:PUBLISH\r
BEGIN:VTIMEZONE\r
TZID:W. Europe Standard Time\r
BEGIN:STANDARD\r
DTSTART:16011028T030000\r
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:16010325T020000\r
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:partner-jam-winter@partners.example.net\r
DTSTAMP:20260101T120000Z\r
DTSTART;TZID=W. Europe Standard Time:20261210T190000\r
DTEND;TZID=W. Europe Standard Time:20261210T210000\r
SUMMARY:Partner soldering jam\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:partner-jam-summer@partners.example.net\r
DTSTAMP:20260101T120000Z\r
DTSTART;TZID=W. Europe Standard Time:20260710T190000\r
DTEND;TZID=W. Europe Standard Time:20260710T210000\r
SUMMARY:Partner summer jam\r
END:VEVENT\r
END:VCALENDAR\r
"""

BROKEN_ICS = """\
BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
SUMMARY:half a calendar
DTSTART;TZID=Nowhere/Atlantis:2026XX10T1900
"""

ALL_FILES = {
    "meetups/_index.md": '---\ntitle: "Meetups"\n---\n',
    "meetups/cloud-night-5.md": SHANGHAI_POST,
    "meetups/systems-evening.md": ENGLISH_POST,
    "meetups/shenzhen.md": OFFSET_POST,
    "workshops/nyc.md": NYC_PAGE,
    "workshops/berlin.md": BERLIN_PAGE,
    "workshops/partner.ics": WINDOWS_ICS,
    "news/open-day.md": SHORTHAND_PAGE,
}

# summary -> (start UTC, end UTC); all-day values as dates.
EXPECTED = {
    "调度器的三次重写": ("2026-05-06T11:00:00Z", "2026-05-06T12:00:00Z"),
    "边缘节点的落地": ("2026-05-13T11:00:00Z", "2026-05-13T12:30:00Z"),
    "存储系统排障手记": ("2026-05-14T11:30:00Z", "2026-05-14T13:00:00Z"),
    "Tracing in anger": ("2026-05-06T17:00:00Z", "2026-05-06T18:00:00Z"),
    "Event loops from scratch": ("2026-05-07T16:00:00Z", "2026-05-07T17:30:00Z"),
    "服务网格的灰度发布": ("2026-06-10T11:00:00Z", "2026-06-10T12:00:00Z"),
    "Summer build night": ("2026-07-15T22:30:00Z", "2026-07-16T00:30:00Z"),
    "Winter build night": ("2026-12-09T23:30:00Z", "2026-12-10T01:00:00Z"),
    "Soldering for beginners": ("2026-12-08T18:00:00Z", "2026-12-08T20:00:00Z"),
    "Repair cafe": ("2026-12-03", "2026-12-04"),
    "Spring study circle": ("2026-03-12T18:00:00Z", "2026-03-12T19:30:00Z"),
    "Kernel evening": ("2026-12-15T18:00:00Z", "2026-12-15T19:00:00Z"),
    "Winter party": ("2026-12-18T19:00:00Z", "2026-12-18T22:30:00Z"),
    "Q&A; wrap-up, drinks\nEND:VEVENT": ("2026-12-19T17:00:00Z", "2026-12-19T18:00:00Z"),
    "Open day at the hall": ("2026-09-05T08:00:00Z", "2026-09-05T14:00:00Z"),
    "Partner soldering jam": ("2026-12-10T18:00:00Z", "2026-12-10T20:00:00Z"),
    "Partner summer jam": ("2026-07-10T17:00:00Z", "2026-07-10T19:00:00Z"),
}

# --- parsing helpers -----------------------------------------------------------


def iso(v):
    if isinstance(v, datetime.datetime):
        assert v.tzinfo is not None, "floating time %r" % v
        return v.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return v.isoformat()


def py_events(raw):
    """python3-icalendar: [{uid, summary, start_utc, end_utc, ...}]."""
    cal = icalendar.Calendar.from_ical(raw.decode("utf-8"))
    out = []
    for ev in cal.walk("VEVENT"):
        start = ev["DTSTART"].dt
        if "DTEND" in ev:
            end = ev["DTEND"].dt
        elif "DURATION" in ev:
            end = start + ev["DURATION"].dt
        else:
            end = start + datetime.timedelta(days=1) if not isinstance(
                start, datetime.datetime) else start
        out.append({
            "uid": str(ev["UID"]),
            "summary": str(ev.get("SUMMARY")),
            "start_utc": iso(start),
            "end_utc": iso(end),
            "sequence": int(ev["SEQUENCE"]) if "SEQUENCE" in ev else None,
            "status": str(ev["STATUS"]) if "STATUS" in ev else None,
            "rrule": ev["RRULE"].to_ical().decode() if "RRULE" in ev else None,
        })
    return out


def js_events(raw):
    """Mozilla's ical.js through ical_times.mjs."""
    r = subprocess.run(["node", os.path.join(HERE, "ical_times.mjs")],
                       input=raw, capture_output=True, timeout=30 * SLOW)
    assert r.returncode == 0, "ical.js failed: %s" % r.stderr.decode()
    return json.loads(r.stdout)


def both(raw):
    """Parses with both parsers, asserts they agree; {uid: event}."""
    py = {e["uid"]: e for e in py_events(raw)}
    js = {e["uid"]: e for e in js_events(raw)}
    assert sorted(py) == sorted(js), (sorted(py), sorted(js))
    assert len(py) == len(py_events(raw)), "duplicated UID"
    for uid, p in py.items():
        j = js[uid]
        assert j["start_tzid"] != "floating", "ical.js: floating start in %s" % uid
        for k in ("summary", "start_utc", "end_utc", "sequence", "status"):
            assert p[k] == j[k], "%s %s: python %r, ical.js %r" % (uid, k, p[k], j[k])
        assert (p["rrule"] is None) == (j["rrule"] is None)
    return js


def by_summary(events):
    out = {}
    for e in events.values():
        assert e["summary"] not in out, "summary twice: %r" % e["summary"]
        out[e["summary"]] = e
    return out


def unfold(raw):
    return raw.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def blocks(lines, name):
    """Lists of unfolded lines of each BEGIN:name ... END:name."""
    out, cur = [], None
    for l in lines:
        if l == "BEGIN:" + name:
            cur = []
        elif l == "END:" + name and cur is not None:
            out.append(cur)
            cur = None
        elif cur is not None:
            cur.append(l)
    return out


def prop(block, name):
    """(params, value) of the first property `name` of an unfolded block."""
    for l in block:
        m = re.match(r"^([A-Z0-9-]+)((?:;[^:]*)?):(.*)$", l)
        if m and m.group(1) == name:
            return m.group(2), m.group(3)
    return None


def raw_vevents(raw):
    """{uid: raw bytes of the VEVENT}, folded as served."""
    out = {}
    for m in re.finditer(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", raw, re.S):
        block = m.group(0)
        uid = re.search(rb"\r\nUID:((?:[^\r]|\r\n )*)\r\n", block).group(1)
        out[uid.replace(b"\r\n ", b"").decode()] = block
    return out


def check_calendar(d, path, calname=None):
    """Fetches a calendar and checks what every client needs; returns bytes."""
    status, headers, raw = d.get(path)
    assert status == 200, "GET %s: %s" % (path, status)
    assert headers["content-type"].lower().replace(" ", "") == \
        "text/calendar;charset=utf-8", headers["content-type"]
    assert headers.get("etag"), "no ETag on %s" % path
    # RFC 5545 3.1: CRLF, lines of at most 75 octets, never a split character.
    assert raw.endswith(b"\r\n"), path
    assert b"\n" not in raw.replace(b"\r\n", b""), "bare LF in %s" % path
    assert b"\r" not in raw.replace(b"\r\n", b""), "bare CR in %s" % path
    for line in raw.split(b"\r\n")[:-1]:
        assert len(line) <= 75, "%s: %d octets: %r" % (path, len(line), line)
        line.decode("utf-8")  # a fold inside a UTF-8 character fails here
    assert b"freeassociation" not in raw.lower(), path
    lines = unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR", path
    first = min(i for i, l in enumerate(lines) if l in ("BEGIN:VTIMEZONE", "BEGIN:VEVENT", "END:VCALENDAR"))
    top = lines[:first]
    assert "VERSION:2.0" in top and "METHOD:PUBLISH" in top, path
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in top, path
    assert "X-PUBLISHED-TTL:PT1H" in top, path
    assert any(l.startswith("PRODID:") for l in top), path
    names = [l[len("X-WR-CALNAME:"):] for l in top if l.startswith("X-WR-CALNAME:")]
    assert len(names) == 1, path
    if calname is not None:
        assert names[0] == calname, (path, names[0])
    # One VTIMEZONE per TZID used, compact (RRULE form, not RDATE lists);
    # without events, the site zone's alone (RFC 5545 wants a component).
    vtz = blocks(lines, "VTIMEZONE")
    defined = [prop(b, "TZID")[1] for b in vtz]
    assert len(defined) == len(set(defined)), "VTIMEZONE twice: %r" % defined
    empty = not blocks(lines, "VEVENT")
    assert not empty or len(defined) == 1, "%s: no component" % path
    for b in vtz:
        tzid = prop(b, "TZID")[1]
        assert (tzid not in ("GMT", "UTC") or empty) and not tzid.startswith("/"), tzid
        rdates = [l for l in b if l.startswith("RDATE")]
        assert len(rdates) <= 2, "%s: VTIMEZONE %s has %d RDATEs" % (path, tzid, len(rdates))
        assert sum(l in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT") for l in b) <= 4, \
            "%s: VTIMEZONE %s is not compact" % (path, tzid)
    used = set()
    for l in lines:
        for m in re.finditer(r';TZID=("[^"]*"|[^;:]*)', l):
            used.add(m.group(1).strip('"'))
    assert used <= set(defined), "%s: TZIDs without VTIMEZONE: %r" % (path, used - set(defined))
    assert empty or set(defined) <= used, "%s: unused VTIMEZONEs: %r" % (path, set(defined) - used)
    # Each VEVENT: UID, ORGANIZER (METHOD:PUBLISH), DTSTAMP == LAST-MODIFIED.
    uids = []
    for ev in blocks(lines, "VEVENT"):
        uid = prop(ev, "UID")
        assert uid, "%s: VEVENT without UID" % path
        uids.append(uid[1])
        assert prop(ev, "ORGANIZER"), "%s: %s has no ORGANIZER" % (path, uid[1])
        assert prop(ev, "SEQUENCE"), "%s: %s has no SEQUENCE" % (path, uid[1])
        stamp, lm = prop(ev, "DTSTAMP"), prop(ev, "LAST-MODIFIED")
        assert stamp and lm and stamp[1] == lm[1], (path, uid[1], stamp, lm)
        assert re.match(r"^\d{8}T\d{6}Z$", stamp[1]), stamp
    assert len(uids) == len(set(uids)), "%s: duplicated UIDs" % path
    return raw


def calendar(d, path, calname=None):
    raw = check_calendar(d, path, calname)
    return raw, both(raw)


def events_path(uid):
    return "/events/%s.ics" % urllib.parse.quote(uid, safe="")


def file_status(d, rel):
    for f in d.status()["files"]:
        if f["path"] == rel:
            return f
    raise AssertionError("%s not in /status" % rel)


# --- tests ---------------------------------------------------------------------


def test_site_calendar_times_in_both_parsers():
    with Daemon(files=ALL_FILES) as d:
        raw, evs = calendar(d, "/calendar.ics", "E2E Site")
        got = {s: (e["start_utc"], e["end_utc"]) for s, e in by_summary(evs).items()}
        assert got == EXPECTED, "\n".join(
            "%s: got %r, want %r" % (k, got.get(k), EXPECTED.get(k))
            for k in sorted(set(got) | set(EXPECTED)) if got.get(k) != EXPECTED.get(k))
        lines = unfold(raw)
        ev = {prop(b, "SUMMARY")[1]: b for b in blocks(lines, "VEVENT")}
        # Zones: the page's own, the config's, or UTC for a fixed offset.
        assert prop(ev["调度器的三次重写"], "DTSTART") == (";TZID=Asia/Shanghai", "20260506T190000")
        assert prop(ev["Tracing in anger"], "DTSTART") == (";TZID=Europe/Berlin", "20260506T190000")
        assert prop(ev["服务网格的灰度发布"], "DTSTART") == ("", "20260610T110000Z")
        assert prop(ev["Winter build night"], "DTSTART") == (";TZID=America/New_York", "20261209T183000")
        assert prop(ev["Soldering for beginners"], "DTSTART") == (";TZID=Europe/Berlin", "20261208T190000")
        # Title, URL (permalink#anchor), location from the section or the post.
        sec = ev["边缘节点的落地"]
        assert prop(sec, "LOCATION")[1] == "北京市海淀区中关村大街 1 号 5 层"
        url = prop(sec, "URL")[1]
        assert url.startswith(d.base + "/meetups/cloud-night-5/#"), url
        assert prop(ev["Tracing in anger"], "LOCATION")[1] == "Old Library\\, Harbour Street 4"
        assert prop(ev["Event loops from scratch"], "LOCATION")[1] == "Room 4\\, Harbour Street"
        assert prop(ev["Tracing in anger"], "URL")[1].startswith(
            d.base + "/meetups/systems-evening/#"), prop(ev["Tracing in anger"], "URL")
        assert prop(ev["Open day at the hall"], "LOCATION")[1] == "Town hall"
        # Escaping: the title's newline and ';' cannot start a property.
        assert sum(1 for l in lines if l == "END:VEVENT") == len(EXPECTED)
        assert "Q&A\\; wrap-up\\, drinks\\nEND:VEVENT" in ev, sorted(ev)
        # The own uid is kept; the others end in the id authority.
        assert by_summary(evs)["Winter party"]["uid"] == "winter-party-2026@e2e.example.org"
        assert by_summary(evs)["Soldering for beginners"]["uid"].endswith("@e2e.example.org")
        # /status counts them.
        assert d.status()["counts"]["events"] == len(EXPECTED)


def test_weekly_rrule_across_dst_keeps_local_time():
    with Daemon(files={"workshops/berlin.md": BERLIN_PAGE}) as d:
        raw, evs = calendar(d, "/calendar.ics")
        circle = by_summary(evs)["Spring study circle"]
        assert circle["rrule"] == "FREQ=WEEKLY;COUNT=5"
        # Summer time starts on 29 March 2026: 19:00 local is 18:00Z, then 17:00Z.
        want = ["2026-03-12T18:00:00Z", "2026-03-19T18:00:00Z", "2026-03-26T18:00:00Z",
                "2026-04-02T17:00:00Z", "2026-04-09T17:00:00Z"]
        assert circle["occurrences"] == want, circle["occurrences"]
        cal = icalendar.Calendar.from_ical(raw.decode())
        got = []
        for ev in recurring_ical_events.of(cal).between(
                datetime.datetime(2026, 3, 1, tzinfo=UTC), datetime.datetime(2026, 5, 1, tzinfo=UTC)):
            if str(ev["SUMMARY"]) == "Spring study circle":
                start = ev["DTSTART"].dt
                end = ev["DTEND"].dt if "DTEND" in ev else start + ev["DURATION"].dt
                got.append((iso(start), iso(end), start.strftime("%H:%M")))
        got.sort()
        assert [g[0] for g in got] == want, got
        assert all(g[2] == "19:00" for g in got), got
        assert all(g[1] == iso(datetime.datetime.strptime(g[0], "%Y-%m-%dT%H:%M:%SZ")
                                .replace(tzinfo=UTC) + datetime.timedelta(minutes=90))
                   for g in got), got


def test_all_day_and_cancelled():
    with Daemon(files={"workshops/berlin.md": BERLIN_PAGE}) as d:
        raw, evs = calendar(d, "/calendar.ics")
        ev = {prop(b, "SUMMARY")[1]: b for b in blocks(unfold(raw), "VEVENT")}
        assert prop(ev["Repair cafe"], "DTSTART") == (";VALUE=DATE", "20261203")
        assert prop(ev["Repair cafe"], "DTEND") == (";VALUE=DATE", "20261204")
        s = by_summary(evs)
        assert s["Repair cafe"]["all_day"] is True
        assert s["Kernel evening"]["status"] == "CANCELLED"
        assert s["Soldering for beginners"]["status"] in (None, "CONFIRMED")
        assert s["Winter party"]["status"] in (None, "CONFIRMED")


def test_section_tag_category_and_single_event_calendars():
    with Daemon(files=ALL_FILES) as d:
        def summaries(path):
            return sorted(by_summary(calendar(d, path)[1]))
        meetups = ["Event loops from scratch", "Tracing in anger", "存储系统排障手记",
                   "服务网格的灰度发布", "调度器的三次重写", "边缘节点的落地"]
        workshops = ["Kernel evening", "Partner soldering jam", "Partner summer jam",
                     "Q&A; wrap-up, drinks\nEND:VEVENT", "Repair cafe",
                     "Soldering for beginners", "Spring study circle", "Summer build night",
                     "Winter build night", "Winter party"]
        assert summaries("/meetups/calendar.ics") == sorted(meetups)
        assert summaries("/workshops/calendar.ics") == sorted(workshops)
        assert summaries("/news/calendar.ics") == ["Open day at the hall"]
        assert summaries("/tags/cloud/calendar.ics") == sorted(
            ["存储系统排障手记", "服务网格的灰度发布", "调度器的三次重写", "边缘节点的落地"])
        assert summaries("/tags/systems/calendar.ics") == ["Event loops from scratch",
                                                          "Tracing in anger"]
        assert summaries("/tags/berlin/calendar.ics") == sorted(
            ["Kernel evening", "Q&A; wrap-up, drinks\nEND:VEVENT", "Repair cafe",
             "Soldering for beginners", "Spring study circle", "Winter party"])
        assert summaries("/tags/workshop/calendar.ics") == sorted(
            ["Kernel evening", "Q&A; wrap-up, drinks\nEND:VEVENT", "Repair cafe",
             "Soldering for beginners", "Spring study circle", "Winter party",
             "Summer build night", "Winter build night"])
        assert summaries("/categories/meetup/calendar.ics") == sorted(meetups)
        assert summaries("/categories/workshop/calendar.ics") == sorted(
            ["Kernel evening", "Q&A; wrap-up, drinks\nEND:VEVENT", "Repair cafe",
             "Soldering for beginners", "Spring study circle", "Winter party",
             "Summer build night", "Winter build night"])
        # /events/UID.ics: exactly that event, same instants, and only its zone.
        site = calendar(d, "/calendar.ics")[1]
        for uid, e in site.items():
            raw, one = calendar(d, events_path(uid))
            assert list(one) == [uid], (uid, list(one))
            for k in ("summary", "start_utc", "end_utc", "sequence", "status"):
                assert one[uid][k] == e[k], (uid, k)
        raw = d.body(events_path("winter-party-2026@e2e.example.org"))
        tzids = [prop(b, "TZID")[1] for b in blocks(unfold(raw), "VTIMEZONE")]
        assert tzids == ["Europe/Berlin"], tzids
        assert d.get("/events/no-such-event.ics")[0] == 404


def test_dropped_ics_with_windows_zone_and_broken_ics():
    files = dict(ALL_FILES)
    files["workshops/broken.ics"] = BROKEN_ICS
    with Daemon(files=files) as d:
        raw, evs = calendar(d, "/calendar.ics")
        s = by_summary(evs)
        for name in ("Partner soldering jam", "Partner summer jam"):
            assert (s[name]["start_utc"], s[name]["end_utc"]) == EXPECTED[name], s[name]
        assert s["Partner soldering jam"]["uid"] == "partner-jam-winter@partners.example.net"
        # The rest is served: every other event is there too.
        assert sorted(s) == sorted(EXPECTED)
        st = file_status(d, "workshops/broken.ics")
        assert st["state"] == "error", st
        assert any(m["level"] == "error" and "workshops/broken.ics" in m["message"]
                   for m in st["messages"]), st
        assert file_status(d, "workshops/partner.ics")["state"] in ("ok", "warning")
        assert d.status()["counts"]["errors"] == 1


def check_announcement(d, rel, a):
    """One event per talk of the announcement a (announcement.py), read by
    both parsers at the instant written in the fixed offset of the post's
    date, titled by its heading; a warning on each wrong weekday's line."""
    raw, evs = calendar(d, "/calendar.ics")
    got = sorted((e["start_utc"], e["end_utc"], e["summary"]) for e in evs.values())
    assert got == sorted((iso(a.utc(t.start)), iso(a.utc(t.end)), t.title)
                         for t in a.talks), got
    st = file_status(d, rel)
    wrong = [t for t in a.talks if t.weekday_wrong]
    assert wrong, "the announcement has no wrong weekday to warn about"
    for t in wrong:
        warn = [m for m in st["messages"] if m["line"] == t.line]
        assert len(warn) == 1 and warn[0]["level"] == "warning", st["messages"]
        written = "%d/%d/%d" % (t.start.year, t.start.month, t.start.day)
        assert written in warn[0]["message"], warn
        assert "周" + WEEKDAYS_ZH[t.written_weekday] in warn[0]["message"], warn
        assert WEEKDAYS_EN[t.start.weekday()] in warn[0]["message"], warn
    assert st["state"] == "warning" and st["events"] == len(a.talks), st
    return raw


def in_berlin_config(text):
    """+08:00 is not Berlin's offset: UTC times, no VTIMEZONE."""
    with Daemon(files={"meetups/seed.md": text},
                settings={"timezone": "Europe/Berlin"}) as d:
        raw = check_announcement(d, "meetups/seed.md", Announcement(text))
        for ev in blocks(unfold(raw), "VEVENT"):
            params, value = prop(ev, "DTSTART")
            assert params == "" and value.endswith("Z"), (params, value)
        assert b"TZID=" not in raw and b"BEGIN:VTIMEZONE" not in raw


def in_shanghai_config(text):
    """+08:00 is Shanghai's offset: local times with its TZID."""
    a = Announcement(text)
    with Daemon(files={"meetups/seed.md": text},
                settings={"timezone": "Asia/Shanghai"}) as d:
        raw = check_announcement(d, "meetups/seed.md", a)
        lines = unfold(raw)
        starts = sorted(prop(ev, "DTSTART") for ev in blocks(lines, "VEVENT"))
        assert starts == sorted((";TZID=Asia/Shanghai", t.start.strftime("%Y%m%dT%H%M%S"))
                                for t in a.talks), starts
        assert [prop(b, "TZID")[1] for b in blocks(lines, "VTIMEZONE")] == ["Asia/Shanghai"]


def test_seed_post_fixed_offset_in_berlin_config():
    in_berlin_config(fixture_text())


def test_seed_post_in_shanghai_config():
    in_shanghai_config(fixture_text())


def test_seed_post_real_example_in_berlin_config():
    in_berlin_config(seed_text())


def test_seed_post_real_example_in_shanghai_config():
    in_shanghai_config(seed_text())


def test_editing_one_talk_changes_only_that_event():
    with Daemon(files=ALL_FILES) as d:
        before = check_calendar(d, "/calendar.ics")
        evs = by_summary(both(before))
        uid = evs["边缘节点的落地"]["uid"]
        other = evs["调度器的三次重写"]["uid"]
        _, h_other, one_before = d.get(events_path(other))
        d.write("meetups/cloud-night-5.md", SHANGHAI_POST.replace(
            "2026年5月13日（周三） 19:00~20:30", "2026年5月13日（周三） 19:30~21:00"))
        d.wait_for(lambda: d.body("/calendar.ics") != before, 5, "calendar did not change")
        after = check_calendar(d, "/calendar.ics")
        new = by_summary(both(after))["边缘节点的落地"]
        assert new["uid"] == uid
        assert (new["start_utc"], new["end_utc"]) == ("2026-05-13T11:30:00Z", "2026-05-13T13:00:00Z")
        assert new["sequence"] == evs["边缘节点的落地"]["sequence"] + 1, new
        # Everything outside the VEVENTs, and every other VEVENT, byte for byte.
        strip = lambda raw: re.sub(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", b"", raw, flags=re.S)
        assert strip(before) == strip(after)
        rb, ra = raw_vevents(before), raw_vevents(after)
        assert sorted(rb) == sorted(ra)
        changed = [u for u in rb if rb[u] != ra[u]]
        assert changed == [uid], changed
        # Inside the edited event: only these properties (its DESCRIPTION is
        # the section's text, which holds the edited line).
        allowed = {"SEQUENCE", "DTSTART", "DTEND", "LAST-MODIFIED", "DTSTAMP", "DESCRIPTION"}
        pb = {l.split(":")[0].split(";")[0]: l for l in unfold(rb[uid])}
        pa = {l.split(":")[0].split(";")[0]: l for l in unfold(ra[uid])}
        assert set(pb) == set(pa)
        diff = {k for k in pb if pb[k] != pa[k]}
        assert diff - allowed == set(), diff
        assert {"SEQUENCE", "DTSTART", "DTEND", "LAST-MODIFIED", "DTSTAMP"} <= diff, diff
        lm = datetime.datetime.strptime(pa["LAST-MODIFIED"].split(":")[1], "%Y%m%dT%H%M%SZ")
        assert abs(lm.replace(tzinfo=UTC).timestamp() - datetime.datetime.now(UTC).timestamp()) < 60, lm
        # The other event's own calendar is untouched: same bytes, same ETag.
        _, h2, one_after = d.get(events_path(other))
        assert one_after == one_before and h2["etag"] == h_other["etag"]
        # A restart remembers the new SEQUENCE: the same bytes again.
        _, h_after, _ = d.get("/calendar.ics")
        assert d.stop() == 0
        d.start()
        status, h3, again = d.get("/calendar.ics")
        assert again == after and h3["etag"] == h_after["etag"]
        # Putting the old time back is one more revision, never a step back.
        d.write("meetups/cloud-night-5.md", SHANGHAI_POST)
        d.wait_for(lambda: d.body("/calendar.ics") != after, 5, "calendar did not change")
        back = by_summary(both(check_calendar(d, "/calendar.ics")))["边缘节点的落地"]
        assert back["uid"] == uid and back["sequence"] == new["sequence"] + 1, back
        assert (back["start_utc"], back["end_utc"]) == EXPECTED["边缘节点的落地"]


def test_moving_a_section_up_keeps_uids():
    with Daemon(files={"meetups/cloud-night-5.md": SHANGHAI_POST}) as d:
        before = by_summary(calendar(d, "/calendar.ics")[1])
        head, rest = SHANGHAI_POST.split("### 调度器的三次重写", 1)
        first, rest = rest.split("### 边缘节点的落地", 1)
        second, third = rest.split("### 存储系统排障手记", 1)
        moved = (head + "### 存储系统排障手记" + third.rstrip("\n") + "\n\n" +
                 "### 调度器的三次重写" + first + "### 边缘节点的落地" + second)
        d.write("meetups/cloud-night-5.md", moved)

        def reordered():
            page = d.body("/meetups/cloud-night-5/")
            a, b = page.find("存储系统排障手记".encode()), page.find("调度器的三次重写".encode())
            return 0 <= a < b
        d.wait_for(reordered, 5, "the page did not change")
        after = by_summary(calendar(d, "/calendar.ics")[1])
        assert sorted(after) == sorted(before)
        for name in before:
            assert after[name]["uid"] == before[name]["uid"], name
            assert after[name]["start_utc"] == before[name]["start_utc"], name


def test_restart_with_unchanged_content_gives_identical_bytes():
    with Daemon(files=ALL_FILES) as d:
        paths = ["/calendar.ics", "/meetups/calendar.ics", "/tags/workshop/calendar.ics",
                 events_path("winter-party-2026@e2e.example.org")]
        first = {p: d.get(p) for p in paths}
        assert d.stop() == 0
        # A `touch` (new mtimes, same bytes) must not matter either.
        for root, _, names in os.walk(d.content):
            for n in names:
                os.utime(os.path.join(root, n))
        d.start()
        for p in paths:
            status, h, body = d.get(p)
            assert status == 200 and first[p][0] == 200
            assert body == first[p][2], "%s changed across a restart" % p
            assert h["etag"] == first[p][1]["etag"], p
            assert h.get("last-modified") == first[p][1].get("last-modified"), p


def test_dropped_ics_last_modified_from_the_file():
    with Daemon(files={"workshops/partner.ics": WINDOWS_ICS}) as d:
        raw, evs = calendar(d, "/calendar.ics")
        assert sorted(evs) == ["partner-jam-summer@partners.example.net",
                               "partner-jam-winter@partners.example.net"]
        # The file gives no LAST-MODIFIED: its DTSTAMP is the only content-derived
        # time of the event (never 1970, never "now", which would break 304s).
        ev = {prop(b, "UID")[1]: b for b in blocks(unfold(raw), "VEVENT")}
        for uid in sorted(ev):
            assert prop(ev[uid], "LAST-MODIFIED")[1] == "20260101T120000Z", \
                (uid, prop(ev[uid], "LAST-MODIFIED"))
