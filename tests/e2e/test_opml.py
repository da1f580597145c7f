"""OPML end to end (issue 15): /feeds.opml, fetched from the real daemon,
is checked by libxml2 (xmllint) and read with xml.dom and with feedsmith
(npm, an independent OPML parser); it lists exactly the feeds and
calendars the front page links, grouped by site, sections, tags and
categories, each of them fetchable; newsboat imports it (`newsboat -i`,
with a temporary HOME, urls file and cache) into a urls file that lists
every feed.  It is rendered again only when the set of subjects moves.
The fixture content is written for these tests.
"""
import gzip
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import xml.dom.minidom
from email.utils import parsedate_to_datetime

from harness import Daemon, SLOW

HERE = os.path.dirname(os.path.abspath(__file__))

BOATS = """---
title: "Boat repair evening"
date: 2024-03-02T18:00:00+01:00
tags: ["Boats", "repair"]
categories: ["Workshops"]
events:
  - title: Boat repair evening
    start: 2030-03-02T18:00
    end: 2030-03-02T21:00
---
Bring a paddle.
"""

GARDEN = """---
title: Garden notes
date: 2024-03-10T09:00:00Z
tags: ["garden & co"]
---
Seeds swapped: twelve.
"""

FILES = {"workshops/boats.md": BOATS, "notes/garden.md": GARDEN}


def outlines(raw):
    """(group name, outline attributes) for every feed or calendar."""
    doc = xml.dom.minidom.parseString(raw)
    assert doc.documentElement.tagName == "opml"
    assert doc.documentElement.getAttribute("version") == "2.0"
    body = doc.getElementsByTagName("body")[0]
    out = []
    for group in [n for n in body.childNodes if n.nodeType == n.ELEMENT_NODE]:
        assert group.tagName == "outline" and group.getAttribute("text")
        for o in [n for n in group.childNodes if n.nodeType == n.ELEMENT_NODE]:
            out.append((group.getAttribute("text"),
                        {k: v for k, v in o.attributes.items()}))
    return out


def front_links(d):
    """The feeds and https calendars the front page links."""
    html = d.body("/").decode()
    atom = set(re.findall(r'<a href="([^"]+/feed\.atom)">Atom</a>', html))
    cals = set(re.findall(r'<a href="([^"]+/calendar\.ics)">Calendar \(https\)</a>', html))
    return atom, cals, html


def xmllint_ok(raw):
    with tempfile.NamedTemporaryFile(suffix=".opml") as f:
        f.write(raw)
        f.flush()
        r = subprocess.run(["xmllint", "--noout", f.name], capture_output=True)
    assert r.returncode == 0, r.stderr.decode()


def test_opml_lists_every_feed_the_front_page_links():
    with Daemon(FILES) as d:
        s, h, raw = d.get("/feeds.opml")
        assert s == 200 and h["content-type"] == "text/x-opml; charset=utf-8", h
        xmllint_ok(raw)
        atom, cals, html = front_links(d)
        assert '<a href="%s/feeds.opml">OPML</a>' % d.base in html
        assert len(atom) == 7 and len(cals) == 5, (atom, cals)
        items = outlines(raw)
        feeds = [a for _, a in items if a["type"] == "rss"]
        links = [a for _, a in items if a["type"] == "link"]
        assert {a["xmlUrl"] for a in feeds} == atom
        assert len(feeds) == len(atom)
        assert {a["url"] for a in links} == cals
        for a in feeds:
            assert a["text"] == a["title"] and a["text"]
            assert a["htmlUrl"] == a["xmlUrl"][:-len("feed.atom")]
        for a in feeds + links:
            url = a.get("xmlUrl") or a["url"]
            assert url.startswith(d.base)
            s, _, _ = d.get(url[len(d.base):])
            assert s == 200, url
        groups = {}
        for g, a in items:
            if a["type"] == "rss":
                groups.setdefault(g, []).append(a["title"])
        assert groups == {
            "E2E Site": ["E2E Site"],
            "Sections": ["E2E Site: notes", "E2E Site: workshops"],
            "Tags": ["E2E Site: tag Boats", "E2E Site: tag garden & co",
                     "E2E Site: tag repair"],
            "Categories": ["E2E Site: category Workshops"],
        }, groups
        assert "&amp; co" in raw.decode()
        # an independent OPML reader sees the same outlines
        r = subprocess.run(["node", os.path.join(HERE, "feedsmith_read.mjs"), "opml"],
                           input=raw, capture_output=True, timeout=60 * SLOW)
        assert r.returncode == 0, r.stderr.decode()
        opml = json.loads(r.stdout)["opml"]
        seen = [o.get("xmlUrl") for g in opml["body"]["outlines"] for o in g["outlines"]]
        assert {u for u in seen if u} == atom
        assert opml["head"]["title"] == "E2E Site"


def test_newsboat_imports_every_feed():
    home = tempfile.mkdtemp(prefix="crier-newsboat-")
    try:
        with Daemon(FILES) as d:
            path = os.path.join(home, "feeds.opml")
            with open(path, "wb") as f:
                f.write(d.body("/feeds.opml"))
            urls = os.path.join(home, "urls")
            open(urls, "w").close()
            env = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
            r = subprocess.run(["newsboat", "-u", urls, "-c", os.path.join(home, "cache.db"),
                                "-C", "/dev/null", "-i", path],
                               env=env, capture_output=True, timeout=60 * SLOW,
                               stdin=subprocess.DEVNULL)
            assert r.returncode == 0, (r.stdout, r.stderr)
            with open(urls) as f:
                lines = [l.split(" ", 1) for l in f.read().splitlines() if l]
            imported = {u: tag.strip() for u, tag in lines}
            atom, cals, _ = front_links(d)
            for u in atom:
                assert u in imported, (u, imported)
            # the group outline becomes newsboat's tag
            assert imported[d.base + "/tags/boats/feed.atom"] == '"Tags"'
            assert imported[d.base + "/feed.atom"] == '"E2E Site"'
            assert imported[d.base + "/workshops/feed.atom"] == '"Sections"'
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_rendered_again_only_when_subjects_move():
    with Daemon(FILES) as d:
        _, h1, raw1 = d.get("/feeds.opml")
        # Rendered again, the same bytes would keep their ETag but take
        # the rebuild's time as Last-Modified: wait for the clock to pass
        # the first rendering's second, so that a rendering would show.
        first = parsedate_to_datetime(h1["last-modified"]).timestamp()
        d.wait_for(lambda: time.time() >= first + 1.2, 3, "clock")
        # an edit of the text and a new post in subjects that exist move
        # the front page, not the list of subjects
        d.write("notes/garden.md", GARDEN.replace("twelve", "thirteen"))
        d.write("notes/more.md", GARDEN.replace("Garden notes", "More garden"))
        d.wait_for(lambda: b"thirteen" in d.body("/notes/feed.atom") and
                   b"More garden" in d.body("/notes/feed.atom"), 5, "edit not seen")
        _, h2, raw2 = d.get("/feeds.opml")
        assert raw2 == raw1 and h2["etag"] == h1["etag"]
        assert h2["last-modified"] == h1["last-modified"], (h1, h2)
        # a new tag is a new subject
        seeds = GARDEN.replace('["garden & co"]', '["garden & co", "Seeds"]')
        d.write("notes/garden.md", seeds)
        d.wait_for(lambda: b"/tags/seeds/feed.atom" in d.body("/feeds.opml"), 5,
                   "new tag not listed")
        _, h3, raw3 = d.get("/feeds.opml")
        assert h3["etag"] != h1["etag"]
        # a calendar offered once a subject's calendar holds events (the
        # subjects themselves stay)
        assert b"/notes/calendar.ics" not in raw3
        d.write("notes/garden.md", seeds.replace("tags:", "start: 2030-04-01T10:00\ntags:"))
        d.wait_for(lambda: b"/notes/calendar.ics" in d.body("/feeds.opml"), 5,
                   "calendar not listed")
        assert b"/tags/seeds/feed.atom" in d.body("/feeds.opml")
        # and a subject gone is gone
        d.remove("notes/garden.md")
        d.remove("notes/more.md")
        d.wait_for(lambda: b"/notes/feed.atom" not in d.body("/feeds.opml"), 5,
                   "section not dropped")
        atom, cals, _ = front_links(d)
        items = outlines(d.body("/feeds.opml"))
        assert {a["xmlUrl"] for _, a in items if a["type"] == "rss"} == atom
        assert {a["url"] for _, a in items if a["type"] == "link"} == cals


def test_opml_304_gzip_and_restart_bytes():
    with Daemon(FILES) as d:
        s, h, plain = d.get("/feeds.opml")
        s, _, b = d.get("/feeds.opml", {"If-None-Match": h["etag"]})
        assert s == 304 and b == b""
        s, hz, zipped = d.get("/feeds.opml", {"Accept-Encoding": "gzip"})
        assert s == 200 and hz["content-encoding"] == "gzip"
        assert gzip.decompress(zipped) == plain
        d.stop()
        d.start()
        assert d.body("/feeds.opml") == plain
