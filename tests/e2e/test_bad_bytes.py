"""Bad bytes in content files (issue 13, part 3), end to end.

- A post with Latin-1 bytes in its title, its front-matter event and its
  body, a CRLF file with a BOM and one bad byte, and a dropped .ics file
  with a Latin-1 SUMMARY are all published: U+FFFD in /feed.atom,
  /feed.rss (feedparser: bozo false), /calendar.ics (python-icalendar
  and ical.js) and the post's HTML page (html5lib, strict); /status, the
  log and `crier --check` give a warning naming the file and the real
  line of the first bad byte.
- A NUL byte and binary junk stay errors, on the real line, and the last
  good version keeps being served.
- Titles with markup stay text in Atom, RSS, ICS and the HTML pages.
- Converting a file to CRLF with a BOM changes no document (same ETags:
  the state sees the same content).

The fixture text is written for these tests.
"""
import difflib
import json
import os
import random
import re
import subprocess
import xml.etree.ElementTree as ET

import feedparser
import html5lib
import icalendar

from harness import CRIER, WRAP, SLOW, Daemon

HERE = os.path.dirname(os.path.abspath(__file__))
R = "\ufffd"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"

CAFE = (b'---\n'
        b'title: "Caf\xe9 night"\n'                      # 2
        b'date: 2026-01-05T10:00:00Z\n'
        b'tags: [food]\n'
        b'events:\n'
        b'  - title: "Caf\xe9 meetup"\n'                 # 6
        b'    start: 2026-12-03T18:30\n'
        b'    duration: 2h\n'
        b'    location: "Salle \x01des f\xeates"\n'      # 9
        b'---\n'
        b'\n'
        b'Cr\xe8me br\xfbl\xe9e for everyone.\n')        # 12

WINDOWS = (b'\xef\xbb\xbf---\r\n'
           b'title: "Windows notes"\r\n'
           b'date: 2026-01-04T10:00:00Z\r\n'
           b'---\r\n'
           b'\r\n'
           b'Line one\r\n'
           b'A na\xefve line\r\n')                        # 7

LATIN_ICS = (b'BEGIN:VCALENDAR\r\n'
             b'VERSION:2.0\r\n'
             b'PRODID:-//e2e//bad bytes//EN\r\n'
             b'BEGIN:VEVENT\r\n'
             b'UID:latin1@e2e.example.org\r\n'
             b'DTSTAMP:20260101T000000Z\r\n'
             b'DTSTART:20261210T180000Z\r\n'
             b'DTEND:20261210T200000Z\r\n'
             b'SUMMARY:Soir\xe9e d\x07hiver\r\n'          # 9
             b'END:VEVENT\r\n'
             b'END:VCALENDAR\r\n')

LINE = re.compile(r"^(.+):(\d+): (error|warning): (.+)$")


def post(title, date="2026-01-02T10:00:00Z", body="Some text.\n", extra=""):
    return '---\ntitle: "%s"\ndate: %s\n%s---\n\n%s' % (title, date, extra, body)


def file_status(d, rel):
    for f in d.status()["files"]:
        if f["path"] == rel:
            return f
    raise AssertionError("%s not in /status" % rel)


def wait_state(d, rel, state):
    d.wait_for(lambda: file_status(d, rel)["state"] == state, 5,
               "%s never %s: %r" % (rel, state, d.status()["files"]))
    return file_status(d, rel)


def parsed_feed(d, path):
    data = d.body(path)
    f = feedparser.parse(data)
    assert not f.bozo, "%s: %r" % (path, f.get("bozo_exception"))
    return data, f


def atom_entry(d, path, link):
    data, f = parsed_feed(d, path)
    for e in ET.fromstring(data).iter(ATOM + "entry"):
        if e.find(ATOM + "link").get("href") == link:
            return e, f
    raise AssertionError("no entry %s in %s" % (link, path))


def rss_item(d, path, link):
    data, f = parsed_feed(d, path)
    for item in ET.fromstring(data).iter("item"):
        if item.findtext("link") == link:
            return item, f
    raise AssertionError("no item %s in %s" % (link, path))


def calendar_events(d, path):
    """{summary: VEVENT} by python-icalendar, after checking every folded
    line is valid UTF-8 and ical.js reads the same summaries."""
    raw = d.body(path)
    for line in raw.split(b"\r\n"):
        line.decode("utf-8")    # a fold inside a character fails here
    cal = icalendar.Calendar.from_ical(raw.decode("utf-8"))
    events = {str(ev["SUMMARY"]): ev for ev in cal.walk("VEVENT")}
    r = subprocess.run(["node", os.path.join(HERE, "ical_times.mjs")],
                       input=raw, capture_output=True, timeout=30 * SLOW)
    assert r.returncode == 0, "ical.js: %s" % r.stderr.decode()
    assert sorted(e["summary"] for e in json.loads(r.stdout)) == sorted(events)
    return raw, events


def html_dom(d, path):
    """The page parsed by html5lib in strict mode (a parse error raises)."""
    raw = d.body(path)
    dom = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(raw)
    return raw, dom


def text_of(el):
    return "".join(el.itertext())


def run_check(dir_):
    return subprocess.run(WRAP + [CRIER, "--check", dir_], capture_output=True,
                          text=True, timeout=30 * SLOW)


CAFE_WARNING = ("invalid UTF-8 (byte 0xE9) replaced by U+FFFD; 6 in all, on "
                "lines 2, 6, 9 and 12; save the file as UTF-8")


def test_bad_bytes_published_with_warning_on_real_line():
    files = {"news/cafe.md": CAFE, "news/windows.md": WINDOWS,
             "events/latin.ics": LATIN_ICS}
    with Daemon(files=files) as d:
        link = d.base + "/news/cafe/"
        entry, f = atom_entry(d, "/feed.atom", link)
        assert entry.findtext(ATOM + "title") == "Caf%s night" % R
        assert "Cr%sme br%sl%se for everyone." % (R, R, R) in entry.findtext(ATOM + "content")
        assert "Caf%s night" % R in [e.title for e in f.entries]
        item, f = rss_item(d, "/feed.rss", link)
        assert item.findtext("title") == "Caf%s night" % R
        assert "Cr%sme br%sl%se" % (R, R, R) in item.findtext(CONTENT)
        assert "Caf%s night" % R in [e.title for e in f.entries]
        entry, _ = atom_entry(d, "/feed.atom", d.base + "/news/windows/")
        assert "A na%sve line" % R in entry.findtext(ATOM + "content")

        raw, events = calendar_events(d, "/calendar.ics")
        meetup = events["Caf%s meetup" % R]
        assert str(meetup["LOCATION"]) == "Salle des f%stes" % R
        assert "Soir%se dhiver" % R in events
        assert b"\x01" not in raw and b"\x07" not in raw

        raw, dom = html_dom(d, "/news/cafe/")
        assert text_of(dom.find(".//title")) == "Caf%s night" % R
        assert text_of(dom.find(".//h1")) == "Caf%s night" % R
        assert "Cr%sme br%sl%se" % (R, R, R) in text_of(dom.find(".//article"))

        f = wait_state(d, "news/cafe.md", "warning")
        assert f["serving"] == "current", f
        assert f["messages"] == [
            {"line": 2, "level": "warning", "message": CAFE_WARNING},
            {"line": 9, "level": "warning",
             "message": "control character U+0001 removed"}], f
        f = wait_state(d, "news/windows.md", "warning")
        assert [(m["line"], m["message"]) for m in f["messages"]] == [
            (7, "invalid UTF-8 (byte 0xEF) replaced by U+FFFD; save the file as UTF-8")], f
        f = wait_state(d, "events/latin.ics", "warning")
        assert [(m["line"], m["message"]) for m in f["messages"]] == [
            (9, "invalid UTF-8 (byte 0xE9) replaced by U+FFFD; save the file as UTF-8"),
            (9, "control character U+0007 removed")], f
        assert f["events"] == 1
        assert "news/cafe.md:2: " + CAFE_WARNING in d.read_log(), d.read_log()

        r = run_check(d.content)
        assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
        diags = {(m.group(1), m.group(2), m.group(3), m.group(4))
                 for m in map(LINE.match, r.stdout.splitlines()) if m}
        assert diags == {
            (d.path("news/cafe.md"), "2", "warning", CAFE_WARNING),
            (d.path("news/cafe.md"), "9", "warning", "control character U+0001 removed"),
            (d.path("news/windows.md"), "7", "warning",
             "invalid UTF-8 (byte 0xEF) replaced by U+FFFD; save the file as UTF-8"),
            (d.path("events/latin.ics"), "9", "warning",
             "invalid UTF-8 (byte 0xE9) replaced by U+FFFD; save the file as UTF-8"),
            (d.path("events/latin.ics"), "9", "warning", "control character U+0007 removed"),
        }, r.stdout


def test_edit_adding_bad_byte_keeps_post_published():
    with Daemon(files={"news/a.md": post("Alpha")}) as d:
        d.write("news/a.md", post("Alpha").encode() + b"More text, na\xefvely.\n")
        d.wait_for(lambda: "na%svely" % R in
                   atom_entry(d, "/feed.atom", d.base + "/news/a/")[0].findtext(ATOM + "content"),
                   5, "edit with a bad byte not published")
        f = wait_state(d, "news/a.md", "warning")
        assert f["messages"][0]["line"] == 7, f


def test_nul_and_junk_stay_errors_last_good_kept():
    files = {"news/a.md": post("Alpha"), "news/b.md": post("Beta"),
             "events/c.ics": LATIN_ICS.replace(b"\xe9", b"e").replace(b"\x07", b"")}
    rnd = random.Random(13)
    junk = b"\x89PNG\r\n\x1a\n" + bytes(rnd.randrange(1, 256) for _ in range(3000))
    with Daemon(files=files) as d:
        raw, events = calendar_events(d, "/calendar.ics")
        assert "Soiree dhiver" in events
        d.write("news/a.md", post("Alpha v2").encode() + b"ok\n\x00\n")
        d.write("news/b.md", junk)
        d.write("events/c.ics", LATIN_ICS.replace(b"SUMMARY", b"SUM\x00MARY"))
        a = wait_state(d, "news/a.md", "error")
        b = wait_state(d, "news/b.md", "error")
        c = wait_state(d, "events/c.ics", "error")
        assert [(m["line"], m["message"]) for m in a["messages"]] == [
            (8, "the file holds a NUL byte: it is not text (binary file?)")], a
        assert [m["line"] for m in b["messages"]] == [1], b
        assert re.match(r"^the file is not text: \d+ of its 3008 bytes are invalid "
                        r"UTF-8 or control characters; if it is text, save it as "
                        r"UTF-8$", b["messages"][0]["message"]), b
        assert [(m["line"], m["message"]) for m in c["messages"]] == [
            (9, "the file holds a NUL byte: it is not text (binary file?)")], c
        for f in (a, b, c):
            assert f["serving"] == "last good version", f
        titles = [e.title for e in parsed_feed(d, "/feed.atom")[1].entries]
        assert sorted(titles) == ["Alpha", "Beta"], titles
        raw, events = calendar_events(d, "/calendar.ics")
        assert "Soiree dhiver" in events
        assert b"Alpha v2" not in d.body("/news/a/")
        r = run_check(d.content)
        assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
        assert "%s:8: error: the file holds a NUL byte" % d.path("news/a.md") in r.stdout
        assert "%s:1: error: the file is not text" % d.path("news/b.md") in r.stdout


MARKUP = '<script>alert(1)</script> & "q" ]]>'


def test_markup_in_titles_stays_text():
    yaml_markup = "'%s'" % MARKUP      # single-quoted YAML: taken as written
    files = {
        "news/_index.md": "---\ntitle: %s\n---\n" % yaml_markup,
        "news/markup.md": ("---\ntitle: %s\ndate: 2026-01-03T10:00:00Z\n"
                           "description: %s\ntags: [%s]\n"
                           "location: %s\nstart: 2026-12-05T19:00\nduration: 1h\n---\n\n"
                           "Body <script>alert(2)</script> text.\n"
                           % (yaml_markup, yaml_markup, "x", yaml_markup)),
        "events/markup.ics": ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//e2e//m//EN\r\n"
                              "BEGIN:VEVENT\r\nUID:markup@e2e.example.org\r\n"
                              "DTSTAMP:20260101T000000Z\r\nDTSTART:20261206T180000Z\r\n"
                              "DTEND:20261206T190000Z\r\nSUMMARY:%s imported\r\n"
                              "END:VEVENT\r\nEND:VCALENDAR\r\n" % MARKUP),
    }
    with Daemon(files=files) as d:
        link = d.base + "/news/markup/"
        for path in ("/feed.atom", "/news/feed.atom"):
            entry, f = atom_entry(d, path, link)
            assert entry.findtext(ATOM + "title") == MARKUP
            assert entry.find(ATOM + "title").get("type") in (None, "text")
            assert MARKUP in entry.findtext(ATOM + "summary")
        item, f = rss_item(d, "/feed.rss", link)
        assert item.findtext("title") == MARKUP
        assert MARKUP in item.findtext("description")

        for path in ("/calendar.ics", "/news/calendar.ics"):
            raw, events = calendar_events(d, path)
            assert str(events[MARKUP]["LOCATION"]) == MARKUP
        raw, events = calendar_events(d, "/calendar.ics")
        assert MARKUP + " imported" in events

        raw, dom = html_dom(d, "/news/markup/")
        assert text_of(dom.find(".//title")) == MARKUP
        assert text_of(dom.find(".//h1")) == MARKUP
        # raw HTML in the body is left out, as Hugo 0.111 leaves it out:
        # <p>Body <!-- raw HTML omitted -->alert(2)<!-- raw HTML omitted -->
        # text.</p> (the tags go; the text between them is text)
        assert "<p>Body <!-- raw HTML omitted -->alert(2)<!-- raw HTML " \
            "omitted --> text.</p>" in raw.decode("utf-8"), raw
        assert only_jsonld_scripts(dom)
        raw, dom = html_dom(d, "/")
        assert MARKUP in [text_of(a) for a in dom.iter("a")]
        assert MARKUP + " imported" in text_of(dom.find(".//body"))
        assert only_jsonld_scripts(dom)

        # No served markup document holds a raw <script>.  (In a calendar
        # the text is the value itself: text/calendar has no markup, and
        # the parsers above read it back as written.)
        for path in ("/", "/feed.atom", "/feed.rss", "/news/feed.atom",
                     "/news/feed.rss", "/tags/x/feed.atom", "/tags/x/feed.rss",
                     "/news/markup/"):
            body = without_jsonld(d.body(path))
            assert b"<script" not in body.lower(), path
            assert b"]]>" not in body, path


def only_jsonld_scripts(dom):
    """The pages' one kind of script: schema.org data, no code."""
    return all(s.get("type") == "application/ld+json" for s in dom.iter("script"))


def without_jsonld(body):
    """The body without its JSON-LD scripts, each cut where a browser
    ends it (the first "</script"), after checking it holds no '<'."""
    for m in re.finditer(rb'<script type="application/ld\+json">(.*?)</script', body, re.S):
        assert b"<" not in m.group(1), m.group(1)
    return re.sub(rb'<script type="application/ld\+json">.*?</script>', b"", body, flags=re.S)


def text_diff(a, b):
    """What changed between two bodies, for an assertion's message."""
    return "".join(difflib.unified_diff(
        a.decode(errors="replace").splitlines(True),
        b.decode(errors="replace").splitlines(True), n=1))


def test_crlf_and_bom_change_no_document():
    text = ('---\ntitle: "Windows"\ndate: 2026-01-03T10:00:00Z\n'
            'description: |\n  two\n  lines\n'
            'events:\n  - title: Meetup\n    start: 2026-12-03T18:30\n    duration: 2h\n'
            '---\n# Heading\n\nSome text  \nwith a break\n\n```\ncode\n```\n\n'
            '## Talk\n\n- **When:** 2026-05-06 (Wed) 19:00-20:00\n')
    ics = LATIN_ICS.replace(b"\xe9", b"e").replace(b"\x07", b"").replace(b"\r\n", b"\n")
    paths = ("/feed.atom", "/feed.rss", "/calendar.ics", "/news/p/", "/",
             "/news/feed.atom", "/events/latin1%40e2e.example.org.ics")
    with Daemon(files={"news/p.md": text, "events/e.ics": ics}) as d:
        before = {p: d.get(p) for p in paths}
        d.write("news/p.md", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
        d.write("events/e.ics", b"\xef\xbb\xbf" + ics.replace(b"\n", b"\r\n"))
        # Written last, seen last; an error shows in no document.  Whole
        # at once (temp + rename): written in place into its new folder,
        # the folder's scan could read it still empty -- a valid page,
        # then kept as the last good one when the NUL arrived.
        d.write_like_editor("zz/sentinel.md", "\x00")
        wait_state(d, "zz/sentinel.md", "error")
        for f in d.status()["files"]:
            assert f["state"] == "ok" or f["path"] == "zz/sentinel.md", f
        for p in paths:
            status, headers, body = d.get(p)
            assert status == 200 and before[p][0] == 200, p
            assert body == before[p][2], (p, text_diff(before[p][2], body))
            assert headers["etag"] == before[p][1]["etag"], p
