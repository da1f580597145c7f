"""End-to-end: the lines of every calendar crier serves (issue 13).

libical 3.0.16 folds a line whose length comes out just so between its CR
and its LF ("...\\r" "\\r\\n " "\\n"), or leaves an empty continuation line;
iCloud and ical4j-based servers reject both.  Here SUMMARY, DESCRIPTION,
LOCATION and URL lines (front-matter events, and written-schedule events
whose heading anchors set the URL's length) and X-WR-CALNAME lines (the
per-event calendars', the tag calendars', the site title setting's) come
out at every length from 60 to 160 octets, in ASCII and in 2-, 3- and
4-octet UTF-8 characters.  Every calendar served is checked byte by byte
(CRLF only, no bare CR or LF, at most 75 octets a physical line, no empty
continuation line, no UTF-8 character split across lines), its unfolded
values compared with what was written, and it is parsed by
python3-icalendar and by ical.js.

Also: a calendar without events (a section, a tag, a category, a filter
matching nothing, a whole site) is valid RFC 5545: it holds a component,
the site zone's VTIMEZONE (a UTC one for timezone = UTC), which both
parsers read, and its bytes do not change across a restart.
"""
import json
import os
import signal
import subprocess
import urllib.parse

import icalendar

from harness import Daemon, SLOW

HERE = os.path.dirname(os.path.abspath(__file__))

# One character of each width in UTF-8: a, e-acute, zhong, party popper.
WIDE = ["a", "\u00e9", "\u4e2d", "\U0001f389"]
LENGTHS = range(60, 161)
EVENT_LENGTHS = range(55, 161)   # SUMMARY L, per-event X-WR-CALNAME L + 5
SITE = "E2E Site"


def text_of(octets, width, lead):
    """Exactly `octets` UTF-8 octets: `lead` 'x's, then characters of
    `width` octets, then 'y's (the lead moves where characters straddle a
    fold)."""
    assert octets > lead
    s = "x" * lead
    while len((s + WIDE[width - 1]).encode()) <= octets:
        s += WIDE[width - 1]
    while len(s.encode()) < octets:
        s += "y"
    assert len(s.encode()) == octets
    return s


def yq(s):
    """A YAML double-quoted scalar (the values hold no quote or backslash)."""
    return '"%s"' % s


# --- the site ------------------------------------------------------------------

def event_values(width, n):
    """What front-matter event n of width `width` holds: each property's
    line (NAME:value) is n octets long."""
    lead = n % width
    return {
        "uid": "w%d-%d@lines.test" % (width, n),
        "summary": text_of(n - len("SUMMARY:"), width, lead),
        "description": text_of(n - len("DESCRIPTION:"), width, lead),
        "location": text_of(n - len("LOCATION:"), width, lead),
        "url": "https://e.org/" + text_of(n - len("URL:https://e.org/"), width, lead),
    }


def events_page(width):
    out = ["---", "title: %s" % yq("Lines of width %d" % width),
           "date: 2026-04-01T10:00:00+02:00", "events:"]
    for n in EVENT_LENGTHS:
        v = event_values(width, n)
        out += ["  - uid: %s" % yq(v["uid"]),
                "    title: %s" % yq(v["summary"]),
                "    description: %s" % yq(v["description"]),
                "    location: %s" % yq(v["location"]),
                "    url: %s" % yq(v["url"]),
                "    start: 2026-12-03T19:00",
                "    duration: 1h"]
    out += ["---", "", "Events whose lines come out at every length.", ""]
    return "\n".join(out)


def anchor_of(base, n):
    """The heading anchor that makes the URL line of the written-schedule
    event n octets long: URL:<permalink>#<anchor>."""
    permalink = base + "/talks/anchors/"
    k = n - len("URL:") - len(permalink) - 1
    assert k >= 1
    return "q" * k      # Hugo's explicit id: {#qqq...}


def anchors_page(base):
    out = ["---", "title: Talks", "date: 2026-04-02T10:00:00+02:00", "---", ""]
    for n in LENGTHS:
        out += ["## Talk %d {#%s}" % (n, anchor_of(base, n)), "",
                "When: 2026-12-04 19:00-20:00", ""]
    return "\n".join(out)


def tag_name(width, n):
    """The tag whose calendar's X-WR-CALNAME line is n octets long."""
    prefix = "X-WR-CALNAME:%s: tag " % SITE
    return text_of(n - len(prefix), width, n % width)


TAG_WIDTHS = (1, 3)


def tags_page(width):
    """A post without events in a tag per length (a page keeps 200)."""
    tags = [tag_name(width, n) for n in LENGTHS]
    return "\n".join(["---", "title: Tagged %d" % width,
                      "date: 2026-04-03T10:00:00+02:00",
                      "tags: [%s]" % ", ".join(yq(t) for t in tags),
                      "categories: [Notes]", "---", "", "No events here.", ""])


def site_files(base):
    files = {"ev/w%d.md" % w: events_page(w) for w in range(1, 5)}
    files["talks/anchors.md"] = anchors_page(base)
    for w in TAG_WIDTHS:
        files["tagged/w%d.md" % w] = tags_page(w)
    return files


# --- checks ----------------------------------------------------------------------

def check_bytes(path, raw):
    """RFC 5545 3.1 byte by byte; returns the unfolded content lines."""
    assert raw.endswith(b"\r\n"), "%s: does not end in CRLF" % path
    physical = raw.split(b"\r\n")[:-1]
    logical = []
    for i, line in enumerate(physical):
        where = "%s line %d: %r" % (path, i + 1, line)
        assert b"\r" not in line, "bare CR in " + where
        assert b"\n" not in line, "bare LF in " + where
        assert len(line) <= 75, "%d octets in %s" % (len(line), where)
        assert line, "empty line in " + where
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            raise AssertionError("UTF-8 character split in " + where)
        if line[:1] in (b" ", b"\t"):
            assert len(line) > 1, "empty continuation line in " + where
            assert logical, "continuation of nothing in " + where
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [l.decode("utf-8") for l in logical]


def components(lines):
    """[(name, {property: [values]})] of the VCALENDAR and each component
    (the VTIMEZONEs' parts folded into their VTIMEZONE)."""
    out, stack = [], []
    for l in lines:
        name, _, value = l.partition(":")
        name = name.split(";")[0]
        if name == "BEGIN":
            if not stack or stack[-1][0] == "VCALENDAR":
                out.append((value, {}))
            stack.append(out[-1] if not stack or stack[-1][0] == "VCALENDAR"
                         else stack[-1])
        elif name == "END":
            stack.pop()
        else:
            stack[-1][1].setdefault(name, []).append(value)
    assert out and out[0][0] == "VCALENDAR", out[:1]
    assert not stack
    return out


def fetch(d, path):
    status, headers, raw = d.get(path)
    assert status == 200, "GET %s: %d" % (path, status)
    assert headers["content-type"].startswith("text/calendar"), path
    return raw


def python_read(path, raw):
    """python3-icalendar: (calendar, {uid: VEVENT}); no parse errors."""
    cal = icalendar.Calendar.from_ical(raw.decode("utf-8"))
    for c in cal.walk():
        assert not getattr(c, "errors", None), "%s: icalendar: %r" % (path, c.errors)
    return cal, {str(e["UID"]): e for e in cal.walk("VEVENT")}


def js_read(docs):
    """ical.js on many documents at once: one result each."""
    r = subprocess.run(["node", os.path.join(HERE, "ical_props.mjs")],
                       input=json.dumps([raw.decode("utf-8") for raw in docs]).encode(),
                       capture_output=True, timeout=60 * SLOW)
    assert r.returncode == 0, "ical.js failed: %s" % r.stderr.decode()
    out = json.loads(r.stdout)
    assert len(out) == len(docs)
    return out


PROPS = ("summary", "description", "location", "url")


def check_calendar(path, raw, want_events, calname):
    """Bytes, unfolded values and python-icalendar's reading of one
    calendar: want_events {uid: {property: value}}, calname its
    X-WR-CALNAME (None: not checked)."""
    comps = components(check_bytes(path, raw))
    cal_props = comps[0][1]
    if calname is not None:
        assert cal_props.get("X-WR-CALNAME") == [calname], \
            (path, cal_props.get("X-WR-CALNAME"), calname)
    got = {p["UID"][0]: p for name, p in comps[1:] if name == "VEVENT"}
    assert sorted(got) == sorted(want_events), path
    for uid, want in want_events.items():
        for k, v in want.items():
            assert got[uid].get(k.upper()) == [v], (path, uid, k, got[uid].get(k.upper()), v)
    cal, evs = python_read(path, raw)
    if calname is not None:
        assert str(cal["X-WR-CALNAME"]) == calname, path
    for uid, want in want_events.items():
        for k, v in want.items():
            assert str(evs[uid][k.upper()]) == v, (path, uid, k)


def check_js(paths, raws, wants, calnames):
    for path, res, want, calname in zip(paths, js_read(raws), wants, calnames):
        assert res["error"] is None, "%s: ical.js: %s" % (path, res["error"])
        if calname is not None:
            assert res["calname"] == calname, (path, res["calname"], calname)
        got = {e["uid"]: e for e in res["events"]}
        assert sorted(got) == sorted(want), path
        for uid, w in want.items():
            for k, v in w.items():
                assert got[uid][k] == v, (path, uid, k, got[uid][k], v)


def events_path(uid):
    return "/events/%s.ics" % urllib.parse.quote(uid, safe="")


# --- tests ---------------------------------------------------------------------------

def test_every_line_length_in_every_calendar():
    d = Daemon()
    try:
        for rel, text in site_files(d.base).items():
            d.write(rel, text)
        d.start()
        fm = {}          # uid -> what a front-matter event holds
        for w in range(1, 5):
            for n in EVENT_LENGTHS:
                v = event_values(w, n)
                fm[v.pop("uid")] = v
        # The written-schedule events: their UIDs from the site calendar.
        site = fetch(d, "/calendar.ics")
        talks = {}
        for name, p in components(check_bytes("/calendar.ics", site))[1:]:
            if name == "VEVENT" and p["SUMMARY"][0].startswith("Talk "):
                n = int(p["SUMMARY"][0][5:])
                talks[p["UID"][0]] = {
                    "summary": "Talk %d" % n,
                    "url": d.base + "/talks/anchors/#" + anchor_of(d.base, n)}
                assert len("URL:" + talks[p["UID"][0]]["url"]) == n
        assert len(talks) == len(LENGTHS), len(talks)
        everything = dict(fm, **talks)

        paths, wants, calnames = [], [], []

        def add(path, want, calname):
            paths.append(path)
            wants.append(want)
            calnames.append(calname)

        add("/calendar.ics", everything, SITE)
        add("/ev/calendar.ics", fm, None)
        add("/talks/calendar.ics", talks, None)
        add("/tagged/calendar.ics", {}, None)
        add("/categories/notes/calendar.ics", {}, "%s: category Notes" % SITE)
        add("/calendar.ics?tags=%s" % urllib.parse.quote(tag_name(1, 100).lower()),
            {}, SITE)
        for uid, v in everything.items():
            add(events_path(uid), {uid: v}, v["summary"])
        for w in TAG_WIDTHS:
            for n in LENGTHS:
                t = tag_name(w, n)
                add("/tags/%s/calendar.ics" % urllib.parse.quote(t.lower()), {},
                    "%s: tag %s" % (SITE, t))
                assert len(("X-WR-CALNAME:%s: tag %s" % (SITE, t)).encode()) == n
        raws = []
        for path, want, calname in zip(paths, wants, calnames):
            raw = site if path == "/calendar.ics" else fetch(d, path)
            check_calendar(path, raw, want, calname)
            raws.append(raw)
        check_js(paths, raws, wants, calnames)
    finally:
        rc = d.cleanup()
    assert rc == 0, rc


def test_site_title_setting_at_every_length():
    """X-WR-CALNAME from the title setting, reloaded with SIGHUP."""
    with Daemon(files={"p.md": "---\ntitle: P\ndate: 2026-04-01\n"
                       "start: 2026-12-03T19:00\n---\n\nText.\n"}) as d:
        for w in (1, 3):
            titles = [text_of(n - len("X-WR-CALNAME:"), w, n % w) for n in LENGTHS]
            raws = []
            for title in titles:
                d.settings["title"] = title
                d.write_config()
                d.signal(signal.SIGHUP)
                want = ("X-WR-CALNAME:" + title).encode()
                got = {}

                def reloaded():
                    got["raw"] = fetch(d, "/calendar.ics")
                    return want in got["raw"].replace(b"\r\n ", b"")
                d.wait_for(reloaded, 5, "title %r not served" % title)
                comps = components(check_bytes("/calendar.ics", got["raw"]))
                assert comps[0][1]["X-WR-CALNAME"] == [title]
                cal, _ = python_read("/calendar.ics", got["raw"])
                assert str(cal["X-WR-CALNAME"]) == title
                raws.append(got["raw"])
            for title, res in zip(titles, js_read(raws)):
                assert res["error"] is None, res["error"]
                assert res["calname"] == title, (res["calname"], title)


def check_empty(path, raw, tzid):
    """A calendar without events: one component, the VTIMEZONE of tzid,
    read by both parsers."""
    comps = components(check_bytes(path, raw))
    assert [c[0] for c in comps[1:]] == ["VTIMEZONE"], (path, comps[1:])
    assert comps[1][1]["TZID"] == [tzid], (path, comps[1][1]["TZID"])
    cal, evs = python_read(path, raw)
    assert not evs
    vtz = cal.walk("VTIMEZONE")
    assert len(vtz) == 1 and str(vtz[0]["TZID"]) == tzid, path
    vtz[0].to_tz()      # python-icalendar builds a zone from it
    res = js_read([raw])[0]
    assert res["error"] is None, "%s: ical.js: %s" % (path, res["error"])
    assert res["components"] == ["vtimezone"], (path, res["components"])
    assert res["timezones"] == [tzid], (path, res["timezones"])


EMPTY_FILES = {
    "notes/_index.md": "---\ntitle: Notes\n---\n",
    "notes/a.md": "---\ntitle: A note\ndate: 2026-04-01T10:00:00Z\n"
                  "tags: [quiet]\ncategories: [Musings]\n---\n\nNo event.\n",
    "meet/b.md": "---\ntitle: B\ndate: 2026-04-01T10:00:00Z\n"
                   "start: 2026-12-03T19:00\n---\n\nOne event.\n",
}


def test_calendars_without_events_hold_a_component():
    for zone, tzid in (("Europe/Berlin", "Europe/Berlin"), ("UTC", "UTC"),
                       ("America/Sao_Paulo", "America/Sao_Paulo")):
        d = Daemon(files=EMPTY_FILES, settings={"timezone": zone})
        try:
            d.start()
            empty = ["/notes/calendar.ics", "/tags/quiet/calendar.ics",
                     "/categories/musings/calendar.ics",
                     "/calendar.ics?tags=quiet"]
            first = {}
            for path in empty:
                status, headers, raw = d.get(path)
                assert status == 200, (path, status)
                check_empty(path, raw, tzid)
                first[path] = (raw, headers["etag"])
            # With events: no VTIMEZONE for the site zone beyond those used.
            raw = fetch(d, "/meet/calendar.ics")
            names = [c[0] for c in components(check_bytes("/meet/calendar.ics", raw))[1:]]
            assert names.count("VEVENT") == 1, names
            if zone == "UTC":
                assert "VTIMEZONE" not in names, names
            # Same content, same bytes and ETags after a restart.
            assert d.stop() == 0
            d.start()
            for path in empty:
                status, headers, raw = d.get(path)
                assert (raw, headers["etag"]) == first[path], path
        finally:
            rc = d.cleanup()
        assert rc == 0, rc


def test_site_without_any_event():
    with Daemon(files={"a.md": "---\ntitle: A\ndate: 2026-04-01\n---\n\nText.\n"},
                settings={"timezone": "UTC"}) as d:
        check_empty("/calendar.ics", fetch(d, "/calendar.ics"), "UTC")
