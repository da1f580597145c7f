"""End-to-end: online meetups in calendars (RFC 7986, issue 15).

Three fixtures of our own: a Chinese meetup post in the section
"meetups" whose 直播地址 line stands above the talks (every talk's) and
whose first talk has a Live line of its own; an English post in
"talks" with `online:` and `image:` in its front matter and a second
event with a `stream:` and an `image:` of its own; a dropped .ics file
that already carries CONFERENCE, IMAGE and COLOR.  The site has
color = SteelBlue, the section meetups color.meetups = teal.

Checked on the wire: the exact CONFERENCE, IMAGE and COLOR lines (and
NAME, DESCRIPTION, SOURCE, REFRESH-INTERVAL of every calendar), every
physical line at most 75 octets with nothing split, and what both
python3-icalendar and ical.js read of them.  Also: a colour that is not a
CSS3 name stops start-up with the file's line.
"""
import json
import os
import signal
import subprocess
import urllib.parse

import feedparser
import icalendar

from harness import Daemon, SLOW

HERE = os.path.dirname(os.path.abspath(__file__))

# Long enough that its CONFERENCE line is folded.
ZOOM = ("https://us02web.zoom.us/j/81234567890?pwd=QWxhZGRpbjpvcGVuIHNlc2FtZS"
        "BhbmQgbW9yZSBieXRlcyB0byBmb2xk")
BILI = "https://live.bilibili.com/2233"
MEET = "https://meet.google.com/abc-defg-hij"
YOUTUBE = "https://www.youtube.com/watch?v=crier7986xy"

MEETUP = """---
title: "上海 Go 聚会 · 五月"
date: 2026-05-01T10:00:00+08:00
timezone: Asia/Shanghai
---

本次活动线上线下同步进行，欢迎报名。

直播地址：%s

## 第一场：并发模式

**时间：**2026/5/9（周六）14:00-15:00

地点：上海市徐汇区示例路 1 号

Live: %s

## 第二场：泛型实践

**时间：**2026/5/9（周六）15:30-16:30

讲者在路上，内容待补充。
""" % (BILI, ZOOM)

ENGLISH = """---
title: "Rust Night"
date: 2026-05-02T09:00:00+02:00
image: /img/rust-night.png
online: %s
events:
  - title: "Rust Night, part one"
    id: one
    start: 2026-05-20T19:00:00
    end: 2026-05-20T20:00:00
  - title: "Rust Night, part two"
    id: two
    start: 2026-05-27T19:00:00
    end: 2026-05-27T20:00:00
    stream: %s
    image: poster-two.png
    location: Room 4
---

Two evenings of Rust.
""" % (MEET, YOUTUBE)

IMPORTED = "\r\n".join([
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//e2e//rfc7986//EN",
    "BEGIN:VEVENT",
    "UID:imported-7986@e2e.example.org",
    "DTSTAMP:20260401T080000Z",
    "DTSTART:20260601T170000Z",
    "DTEND:20260601T180000Z",
    "SUMMARY:Imported online meeting",
    "URL:https://example.org/imported",
    "CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Join the video call:https://meet.jit.si/crier-e2e",
    "CONFERENCE;VALUE=URI;FEATURE=PHONE,AUDIO;LABEL=Dial in:tel:+1-555-0100",
    "IMAGE;VALUE=URI;DISPLAY=BADGE:https://example.org/badge.png",
    "COLOR:Crimson",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:imported-nourl@e2e.example.org",
    "DTSTAMP:20260401T080000Z",
    "DTSTART:20260602T170000Z",
    "DTEND:20260602T180000Z",
    "SUMMARY:Imported, no URL of its own",
    "CONFERENCE;VALUE=URI;FEATURE=PHONE:tel:+1-555-0101",
    "CONFERENCE;VALUE=URI;FEATURE=VIDEO:https://zoom.us/j/555",
    "END:VEVENT",
    "END:VCALENDAR",
    ""])

FILES = {
    "meetups/shanghai-go.md": MEETUP,
    "talks/rust-night.md": ENGLISH,
    "meetups/imported.ics": IMPORTED,
}
SETTINGS = {"color": "SteelBlue", "color.meetups": "teal",
            "refresh_interval": "1800"}


# --- checks ------------------------------------------------------------------

def check_bytes(path, raw):
    """RFC 5545 3.1 byte by byte; returns the unfolded content lines."""
    assert raw.endswith(b"\r\n"), "%s: does not end in CRLF" % path
    logical = []
    for i, line in enumerate(raw.split(b"\r\n")[:-1]):
        where = "%s line %d: %r" % (path, i + 1, line)
        assert b"\r" not in line and b"\n" not in line, "bare CR/LF in " + where
        assert 0 < len(line) <= 75, "%d octets in %s" % (len(line), where)
        line.decode("utf-8")    # a character split across lines raises
        if line[:1] == b" ":
            assert len(line) > 1 and logical, "bad continuation in " + where
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [l.decode("utf-8") for l in logical]


def vevents(lines):
    """{UID: [content lines]} of every VEVENT."""
    out, cur = {}, None
    for l in lines:
        if l == "BEGIN:VEVENT":
            cur = []
        elif l == "END:VEVENT":
            uid = [x for x in cur if x.startswith("UID:")][0][4:]
            out[uid] = cur
            cur = None
        elif cur is not None:
            cur.append(l)
    return out


def head(lines):
    """The VCALENDAR's own lines, before its first component."""
    out = []
    for l in lines[1:]:
        if l.startswith("BEGIN:"):
            break
        out.append(l)
    return out


def named(lines, name):
    return [l for l in lines if l.split(":")[0].split(";")[0] == name]


def js_read(docs):
    r = subprocess.run(["node", os.path.join(HERE, "ical_rfc7986.mjs")],
                       input=json.dumps(docs).encode(), cwd=HERE,
                       capture_output=True, timeout=60 * SLOW)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    return json.loads(r.stdout)


def fetch(d, path):
    code, headers, body = d.get(path)
    assert code == 200, "%s: %d" % (path, code)
    assert headers.get("content-type", "").startswith("text/calendar")
    return body


def uid_of(events, line):
    """The UID of the one VEVENT holding this line."""
    hits = [u for u, ls in events.items() if line in ls]
    assert len(hits) == 1, "%r in %d events" % (line, len(hits))
    return hits[0]


# --- tests -------------------------------------------------------------------

def test_online_meetups_on_the_wire():
    with Daemon(files=FILES, settings=SETTINGS) as d:
        base = d.base
        site_raw = fetch(d, "/calendar.ics")
        meet_raw = fetch(d, "/meetups/calendar.ics")
        talks_raw = fetch(d, "/talks/calendar.ics")
        site = check_bytes("/calendar.ics", site_raw)
        ev = vevents(site)
        assert len(ev) == 6, sorted(ev)

        # The meetup: the first talk's own Live line, the second the
        # page's 直播地址 line (as its LOCATION too: it has no place).
        page = base + "/meetups/shanghai-go/"
        first = uid_of(ev, "CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Zoom:" + ZOOM)
        assert "LOCATION:上海市徐汇区示例路 1 号" in ev[first]
        assert "COLOR:teal" in ev[first]
        assert named(ev[first], "URL")[0].startswith("URL:" + page + "#")
        assert named(ev[first], "IMAGE") == []
        second = uid_of(ev, "CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Bilibili:" + BILI)
        assert "LOCATION:" + BILI in ev[second]
        assert "COLOR:teal" in ev[second]
        assert len(named(ev[second], "CONFERENCE")) == 1
        assert len(named(ev[first], "CONFERENCE")) == 1

        # The English post: the page's online address and image, and the
        # second event's own; no `url:` written, so URL is where to watch.
        one = uid_of(ev, "CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Google Meet:" + MEET)
        assert "IMAGE;VALUE=URI;DISPLAY=BADGE:%s/img/rust-night.png" % base in ev[one]
        assert "URL:" + MEET in ev[one]
        assert "LOCATION:" + MEET in ev[one]
        assert "COLOR:steelblue" in ev[one]
        two = uid_of(ev, "CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=YouTube:" + YOUTUBE)
        assert ("IMAGE;VALUE=URI;DISPLAY=BADGE:%s/talks/rust-night/poster-two.png"
                % base) in ev[two]
        assert "URL:" + YOUTUBE in ev[two]
        assert "LOCATION:Room 4" in ev[two]

        # The dropped file keeps what it wrote (COLOR in lower case).
        imp = ev["imported-7986@e2e.example.org"]
        assert named(imp, "CONFERENCE") == [
            "CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Join the video call:"
            "https://meet.jit.si/crier-e2e",
            "CONFERENCE;VALUE=URI;FEATURE=PHONE;LABEL=Dial in:tel:+1-555-0100"]
        assert named(imp, "IMAGE") == [
            "IMAGE;VALUE=URI;DISPLAY=BADGE:https://example.org/badge.png"]
        assert named(imp, "COLOR") == ["COLOR:crimson"]
        assert "URL:https://example.org/imported" in imp
        # Without a URL: its first web CONFERENCE, not its file's page;
        # without a COLOR: its section's.
        nourl = ev["imported-nourl@e2e.example.org"]
        assert "URL:https://zoom.us/j/555" in nourl, nourl
        assert "COLOR:teal" in nourl

        # Every calendar's own properties, RFC 7986 section 5.
        for path, raw, color, name in [
                ("/calendar.ics", site_raw, "steelblue", "E2E Site"),
                ("/meetups/calendar.ics", meet_raw, "teal", None),
                ("/talks/calendar.ics", talks_raw, "steelblue", None)]:
            h = head(check_bytes(path, raw))
            assert named(h, "COLOR") == ["COLOR:" + color], (path, h)
            assert named(h, "SOURCE") == ["SOURCE;VALUE=URI:" + base + path], h
            assert named(h, "REFRESH-INTERVAL") == [
                "REFRESH-INTERVAL;VALUE=DURATION:PT30M"], h
            assert named(h, "X-PUBLISHED-TTL") == ["X-PUBLISHED-TTL:PT30M"], h
            assert len(named(h, "NAME")) == 1 and len(named(h, "DESCRIPTION")) == 1
            if name is not None:
                assert named(h, "NAME") == ["NAME:" + name], h
            assert named(h, "NAME")[0][5:] == named(h, "X-WR-CALNAME")[0][13:]

        # An event's own calendar has its section's colour.
        own = "/events/%s.ics" % urllib.parse.quote(second, safe="")
        own_lines = check_bytes(own, fetch(d, own))
        assert named(head(own_lines), "COLOR") == ["COLOR:teal"]
        assert named(vevents(own_lines)[second], "CONFERENCE") == named(
            ev[second], "CONFERENCE")

        # The long CONFERENCE line was folded, and unfolds to the URL.
        zoom_line = "CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Zoom:" + ZOOM
        assert len(zoom_line) > 75
        physical = site_raw.split(b"\r\n")
        at = [i for i, l in enumerate(physical)
              if l.startswith(b"CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Zoom:")]
        assert len(at) == 1 and physical[at[0] + 1].startswith(b" ")

        # The feed's summary says where each talk is, but not the page's
        # stream on every line.
        feed = feedparser.parse(d.body("/meetups/feed.atom"))
        (entry,) = [e for e in feed.entries if e.link == page]
        lines = entry.summary.split("\n")[1:]     # after the text's
        assert len(lines) == 2, lines
        assert any(l.endswith(", 上海市徐汇区示例路 1 号") for l in lines), lines
        assert not any(BILI in l for l in lines), lines

        # python3-icalendar.
        cal = icalendar.Calendar.from_ical(site_raw)
        assert str(cal["COLOR"]) == "steelblue"
        assert str(cal["SOURCE"]) == base + "/calendar.ics"
        py = {str(c["UID"]): c for c in cal.walk("VEVENT")}
        c = py[first]["CONFERENCE"]
        assert str(c) == ZOOM and c.params["FEATURE"] == "VIDEO" \
            and c.params["LABEL"] == "Zoom" and c.params["VALUE"] == "URI"
        img = py[two]["IMAGE"]
        assert str(img) == base + "/talks/rust-night/poster-two.png"
        assert img.params["DISPLAY"] == "BADGE" and img.params["VALUE"] == "URI"
        assert str(py[second]["COLOR"]) == "teal"
        confs = py["imported-7986@e2e.example.org"]["CONFERENCE"]
        assert [str(x) for x in confs] == ["https://meet.jit.si/crier-e2e",
                                           "tel:+1-555-0100"]
        assert confs[1].params["LABEL"] == "Dial in"

        # ical.js.
        js = js_read([site_raw.decode(), meet_raw.decode()])
        assert js[0]["error"] is None and js[1]["error"] is None, js
        jc = js[0]["calendar"]
        assert jc["name"] == "E2E Site" and jc["color"] == "steelblue"
        assert jc["source"] == base + "/calendar.ics"
        assert jc["refresh"] == "PT30M" and jc["refresh_value"] == "duration"
        assert js[1]["calendar"]["color"] == "teal"
        je = {e["uid"]: e for e in js[0]["events"]}
        assert je[first]["conferences"] == [
            {"value": ZOOM, "value_param": "uri", "feature": "VIDEO",
             "label": "Zoom"}]
        assert je[second]["conferences"][0]["value"] == BILI
        assert je[second]["location"] == BILI and je[second]["color"] == "teal"
        assert je[one]["images"] == [
            {"value": base + "/img/rust-night.png", "value_param": "uri",
             "display": "BADGE"}]
        assert je[one]["url"] == MEET and je[one]["color"] == "steelblue"
        assert je["imported-7986@e2e.example.org"]["color"] == "crimson"
        assert [x["label"] for x in
                je["imported-7986@e2e.example.org"]["conferences"]] == [
            "Join the video call", "Dial in"]


def test_color_change_reaches_kept_vevents():
    """A VEVENT is kept by its stamp: a section colour changed by SIGHUP
    must reach every calendar the kept VEVENTs are in, and the heads."""
    with Daemon(files=FILES, settings=SETTINGS) as d:
        assert fetch(d, "/calendar.ics").count(b"COLOR:teal") == 3
        d.settings["color.meetups"] = "darkorange"
        d.write_config()
        d.signal(signal.SIGHUP)
        got = {}

        def reloaded():
            got["raw"] = fetch(d, "/meetups/calendar.ics")
            return b"COLOR:darkorange" in got["raw"]
        d.wait_for(reloaded, 5, "the new colour is not served")
        meet = got["raw"]
        assert b"COLOR:teal" not in meet
        # The head, the two talks and the imported event without a
        # colour; the imported event with one keeps its own.
        assert meet.count(b"COLOR:darkorange") == 4
        assert meet.count(b"COLOR:crimson") == 1
        site = fetch(d, "/calendar.ics")
        assert b"COLOR:teal" not in site
        assert site.count(b"COLOR:darkorange") == 3
        ev = vevents(check_bytes("/calendar.ics", site))
        for uid, lines in ev.items():
            if "COLOR:darkorange" in lines:
                own = "/events/%s.ics" % urllib.parse.quote(uid, safe="")
                assert fetch(d, own).count(b"COLOR:darkorange") == 2


def test_bad_color_is_a_config_error():
    for key, value in [("color", "reddish"), ("color.meetups", "blurple")]:
        d = Daemon(files=FILES, settings={key: value})
        try:
            d.start(expect_ready=False)
            rc = d.proc.wait(timeout=30 * SLOW)
            log = d.read_log()
            assert rc != 0, log
            conf = os.path.join(d.dir, "crier.conf")
            lineno = [i + 1 for i, l in enumerate(open(conf))
                      if l.startswith(key + " ")][0]
            want = "%s:%d: %s: '%s' is not a CSS3 colour name" % (
                conf, lineno, key, value)
            assert want in log, log
        finally:
            d.cleanup()
