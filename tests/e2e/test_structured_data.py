"""Structured data on the pages people read, as search engines and IndieWeb
readers take it: schema.org JSON-LD extracted by extruct (BlogPosting, and
an Event per event: times with the zone's offset, all-day dates, status,
attendance mode, place or stream, organizer) and microformats2 parsed by
mf2py (h-entry, h-event), on a post's page and on the front page.  Nothing
claimed that was not written: an event with no end has no endDate and no
dt-end.  Every page also stays valid HTML5 (html5lib, strict)."""
import html5lib
import extruct
import mf2py

from harness import Daemon

# America/New_York: -05:00 in winter, -04:00 from 2036-03-09.
POST = """---
title: Rust nights 2036
date: 2026-11-02T10:00:00Z
lastmod: 2026-11-03T11:00:00Z
description: A season of Rust evenings
author: "[Ada Lovelace](https://ada.example.org/)"
tags: [Rust, systems, rust]
categories: [meetup]
image: https://img.example.org/banner.png
timezone: America/New_York
location: Old Library, 5 Main St
events:
  - title: Rust for C programmers
    start: 2036-01-15T18:30
    end: 2036-01-15T21:00
    location: Room 2, Old Library
    description: Ownership for people who free() by hand
  - title: Summer hack night
    start: 2036-07-10T19:00
    end: 2036-07-10T22:30
    location: Courtyard
    online: https://stream.example.org/hack
  - title: Cancelled talk
    start: 2036-02-01T18:00
    duration: 90m
    cancelled: true
  - title: Hack day
    start: 2036-03-07
    end: 2036-03-08
  - title: Open mic
    start: 2036-04-01T20:00
  - title: Live Q&A
    start: 2036-05-05T17:00
    end: 2036-05-05T18:15
    location: https://video.example.org/qa
---
Come along.
"""

# A written schedule: a stream and a start with no end; no author, so the
# site's (the harness sets `author`) is the organizer.
SCHEDULE = """---
title: Stream night
date: 2026-11-05T10:00:00Z
timezone: Europe/Berlin
---
## Watch along
- **When:** 2036-06-02 starting at 7pm
- **Live:** https://live.example.org/watch

Bring snacks.
"""

HOSTILE = """---
title: "Break out </script><!--<script> & co"
date: 2026-11-06T10:00:00Z
description: "</SCRIPT> <!-- nothing -->"
events:
  - title: "</script> night"
    start: 2036-08-01T10:00
    end: 2036-08-01T11:00
    location: "<b>here</b>"
---
Text.
"""

# Imported: STATUS:CANCELLED, and a DTSTART with neither DTEND nor DURATION.
ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//e2e//structured data//EN\r
BEGIN:VEVENT\r
UID:imported-cancelled@e2e.example.org\r
DTSTAMP:20260101T000000Z\r
DTSTART;TZID=Asia/Tokyo:20360901T190000\r
DTEND;TZID=Asia/Tokyo:20360901T210000\r
SUMMARY:Imported talk\r
LOCATION:Tokyo Hall\r
URL:https://events.example.org/talk\r
STATUS:CANCELLED\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:imported-open@e2e.example.org\r
DTSTAMP:20260101T000000Z\r
DTSTART:20360902T080000Z\r
SUMMARY:Imported open\r
END:VEVENT\r
END:VCALENDAR\r
"""

FILES = {"meetups/rust.md": POST, "meetups/stream.md": SCHEDULE,
         "news/hostile.md": HOSTILE, "events/imported.ics": ICS}

SCHEDULED = "https://schema.org/EventScheduled"
OFFLINE = "https://schema.org/OfflineEventAttendanceMode"
ADA = [{"@type": "Person", "name": "Ada Lovelace", "url": "https://ada.example.org/"}]


def valid(page):
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)


def jsonld(page, url):
    return extruct.extract(page.decode(), base_url=url, syntaxes=["json-ld"])["json-ld"]


def mf2(page, url):
    return mf2py.parse(doc=page.decode(), url=url)


def by_name(items, key="name"):
    return {i[key]: i for i in items}


def test_post_page_jsonld_posting_and_events():
    with Daemon(files=FILES) as d:
        url = d.base + "/meetups/rust/"
        page = d.body("/meetups/rust/")
        valid(page)
        items = jsonld(page, url)
        assert [i["@type"] for i in items] == ["BlogPosting"] + ["Event"] * 6, items
        assert all(i["@context"] == "https://schema.org" for i in items)
        assert items[0] == {
            "@context": "https://schema.org", "@type": "BlogPosting",
            "headline": "Rust nights 2036",
            "datePublished": "2026-11-02T10:00:00Z",
            "dateModified": "2026-11-03T11:00:00Z",
            "author": ADA, "url": url,
            "image": "https://img.example.org/banner.png",
            "description": "A season of Rust evenings",
            "inLanguage": "en", "keywords": ["Rust", "systems", "meetup"],
        }
        ev = by_name(items[1:])
        common = {"@context": "https://schema.org", "@type": "Event",
                  "organizer": ADA, "url": url,
                  "image": "https://img.example.org/banner.png"}
        assert ev["Rust for C programmers"] == dict(
            common, name="Rust for C programmers",
            startDate="2036-01-15T18:30:00-05:00",
            endDate="2036-01-15T21:00:00-05:00",
            eventStatus=SCHEDULED, eventAttendanceMode=OFFLINE,
            location={"@type": "Place", "name": "Room 2, Old Library",
                      "address": "Room 2, Old Library"},
            description="Ownership for people who free() by hand")
        # A place and a stream: both, in summer time.
        assert ev["Summer hack night"] == dict(
            common, name="Summer hack night",
            startDate="2036-07-10T19:00:00-04:00",
            endDate="2036-07-10T22:30:00-04:00",
            eventStatus=SCHEDULED,
            eventAttendanceMode="https://schema.org/MixedEventAttendanceMode",
            location=[{"@type": "Place", "name": "Courtyard", "address": "Courtyard"},
                      {"@type": "VirtualLocation",
                       "url": "https://stream.example.org/hack"}])
        assert ev["Cancelled talk"] == dict(
            common, name="Cancelled talk",
            startDate="2036-02-01T18:00:00-05:00",
            endDate="2036-02-01T19:30:00-05:00",
            eventStatus="https://schema.org/EventCancelled",
            eventAttendanceMode=OFFLINE,
            location={"@type": "Place", "name": "Old Library, 5 Main St",
                      "address": "Old Library, 5 Main St"})
        # All day: dates, the last day inclusive.
        assert ev["Hack day"]["startDate"] == "2036-03-07"
        assert ev["Hack day"]["endDate"] == "2036-03-08"
        # No end written: none claimed.
        assert ev["Open mic"]["startDate"] == "2036-04-01T20:00:00-04:00"
        assert "endDate" not in ev["Open mic"], ev["Open mic"]
        assert ev["Live Q&A"]["eventAttendanceMode"] == \
            "https://schema.org/OnlineEventAttendanceMode"
        assert ev["Live Q&A"]["location"] == {
            "@type": "VirtualLocation", "url": "https://video.example.org/qa"}


def test_post_page_microformats_entry_and_events():
    with Daemon(files=FILES) as d:
        url = d.base + "/meetups/rust/"
        doc = mf2(d.body("/meetups/rust/"), url)
        [entry] = doc["items"]
        assert entry["type"] == ["h-entry"]
        props = entry["properties"]
        assert props["name"] == ["Rust nights 2036"]
        assert props["published"] == ["2026-11-02T10:00:00Z"]
        assert props["updated"] == ["2026-11-03T11:00:00Z"]
        assert props["url"] == [url]
        assert props["category"] == ["Rust", "systems", "meetup"]
        assert props["content"] == [{"html": "<p>Come along.</p>", "value": "Come along."}]
        assert props["author"] == [{"type": ["h-card"], "value": "Ada Lovelace", "properties": {
            "name": ["Ada Lovelace"], "url": ["https://ada.example.org/"]}}]
        events = {c["properties"]["name"][0]: c for c in entry["children"]}
        assert all(c["type"] == ["h-event"] for c in entry["children"])
        assert events["Rust for C programmers"]["properties"] == {
            "name": ["Rust for C programmers"], "url": [url],
            "start": ["2036-01-15T18:30:00-05:00"], "end": ["2036-01-15T21:00:00-05:00"],
            "location": ["Room 2, Old Library"]}
        assert events["Summer hack night"]["properties"]["start"] == ["2036-07-10T19:00:00-04:00"]
        assert events["Summer hack night"]["properties"]["end"] == ["2036-07-10T22:30:00-04:00"]
        assert events["Cancelled talk"]["properties"]["end"] == ["2036-02-01T19:30:00-05:00"]
        assert events["Hack day"]["properties"]["start"] == ["2036-03-07"]
        assert events["Hack day"]["properties"]["end"] == ["2036-03-08"]
        assert events["Open mic"]["properties"] == {
            "name": ["Open mic"], "url": [url], "start": ["2036-04-01T20:00:00-04:00"],
            "location": ["Old Library, 5 Main St"]}
        assert events["Live Q&A"]["properties"]["location"] == ["https://video.example.org/qa"]


def test_written_schedule_stream_without_end():
    """A schedule's start with no end lasts an hour in calendars, but is
    published with no end; its stream is a VirtualLocation; with no page
    author the site's is the organizer."""
    with Daemon(files=FILES) as d:
        url = d.base + "/meetups/stream/"
        page = d.body("/meetups/stream/")
        valid(page)
        posting, event = jsonld(page, url)
        assert posting["author"] == [{"@type": "Person", "name": "E2E Author"}]
        assert event == {
            "@context": "https://schema.org", "@type": "Event", "name": "Watch along",
            "startDate": "2036-06-02T19:00:00+02:00", "eventStatus": SCHEDULED,
            "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
            "location": {"@type": "VirtualLocation", "url": "https://live.example.org/watch"},
            "organizer": [{"@type": "Person", "name": "E2E Author"}],
            "url": url + "#watch-along",
            "description": "When: 2036-06-02 starting at 7pm\nLive: "
                           "https://live.example.org/watch\n\nBring snacks."}
        [entry] = mf2(page, url)["items"]
        [child] = entry["children"]
        assert child["properties"] == {
            "name": ["Watch along"], "url": [url + "#watch-along"],
            "start": ["2036-06-02T19:00:00+02:00"],
            "location": ["https://live.example.org/watch"]}
        assert "author" not in entry["properties"]
        # The calendar still has its hour.
        assert b"DTEND;TZID=Europe/Berlin:20360602T200000" in d.body("/calendar.ics")


def test_no_organizer_when_nobody_is_named():
    """No page author and the built-in site author: no organizer, no
    author (crier invents neither)."""
    d = Daemon(files={"meetups/stream.md": SCHEDULE})
    del d.settings["author"]
    with d:
        url = d.base + "/meetups/stream/"
        posting, event = jsonld(d.body("/meetups/stream/"), url)
        assert "author" not in posting, posting
        assert "organizer" not in event, event


def test_script_cannot_be_closed_by_text():
    with Daemon(files=FILES) as d:
        url = d.base + "/news/hostile/"
        page = d.body("/news/hostile/")
        valid(page)
        head = page.split(b"</head>", 1)[0]
        script = head.split(b'<script type="application/ld+json">', 1)[1]
        assert b"<" not in script.split(b"</script>", 1)[0]
        posting, event = jsonld(page, url)
        assert posting["headline"] == "Break out </script><!--<script> & co"
        assert posting["description"] == "</SCRIPT> <!-- nothing -->"
        assert event["name"] == "</script> night"
        assert event["location"] == {"@type": "Place", "name": "<b>here</b>",
                                     "address": "<b>here</b>"}
        [entry] = mf2(page, url)["items"]
        assert entry["properties"]["name"] == ["Break out </script><!--<script> & co"]


def test_front_page_lists_upcoming_events_as_events():
    with Daemon(files=FILES) as d:
        page = d.body("/")
        valid(page)
        items = jsonld(page, d.base + "/")
        assert [i["@type"] for i in items] == ["Event"] * 10, items
        ev = by_name(items)
        rust = d.base + "/meetups/rust/"
        # Earliest first; each with its post's URL, as on the post's page.
        assert [i["name"] for i in items] == [
            "Rust for C programmers", "Cancelled talk", "Hack day", "Open mic",
            "Live Q&A", "Watch along", "Summer hack night", "</script> night",
            "Imported talk", "Imported open"]
        assert ev["Rust for C programmers"]["url"] == rust
        assert ev["Rust for C programmers"]["startDate"] == "2036-01-15T18:30:00-05:00"
        assert ev["Rust for C programmers"]["endDate"] == "2036-01-15T21:00:00-05:00"
        assert ev["Cancelled talk"]["eventStatus"] == "https://schema.org/EventCancelled"
        assert (ev["Hack day"]["startDate"], ev["Hack day"]["endDate"]) == ("2036-03-07", "2036-03-08")
        assert "endDate" not in ev["Open mic"] and "endDate" not in ev["Watch along"]
        assert ev["Watch along"]["url"] == d.base + "/meetups/stream/#watch-along"
        assert ev["Live Q&A"]["location"] == {"@type": "VirtualLocation",
                                              "url": "https://video.example.org/qa"}
        # An imported STATUS:CANCELLED; an imported event with no end
        # (one hour in calendars), no organizer named but the site's.
        assert ev["Imported talk"] == {
            "@context": "https://schema.org", "@type": "Event", "name": "Imported talk",
            "startDate": "2036-09-01T19:00:00+09:00", "endDate": "2036-09-01T21:00:00+09:00",
            "eventStatus": "https://schema.org/EventCancelled",
            "eventAttendanceMode": OFFLINE,
            "location": {"@type": "Place", "name": "Tokyo Hall", "address": "Tokyo Hall"},
            "organizer": [{"@type": "Person", "name": "E2E Author"}],
            "url": "https://events.example.org/talk"}
        assert ev["Imported open"] == {
            "@context": "https://schema.org", "@type": "Event", "name": "Imported open",
            "startDate": "2036-09-02T08:00:00+00:00", "eventStatus": SCHEDULED,
            "organizer": [{"@type": "Person", "name": "E2E Author"}]}
        hevents = [i for i in mf2(page, d.base + "/")["items"] if i["type"] == ["h-event"]]
        props = {h["properties"]["name"][0]: h["properties"] for h in hevents}
        assert len(hevents) == 10
        assert "end" not in props["Imported open"]
        assert props["Imported talk"]["end"] == ["2036-09-01T21:00:00+09:00"]
        assert props["Open mic"] == {"name": ["Open mic"], "url": [rust],
                                     "start": ["2036-04-01T20:00:00-04:00"],
                                     "location": ["Old Library, 5 Main St"]}
        assert props["Summer hack night"]["end"] == ["2036-07-10T22:30:00-04:00"]
        assert "end" not in props["Watch along"]
