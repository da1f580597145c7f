"""JSON Feed 1.1 end to end (issue 15): every subject's feed.json, fetched
from the real daemon, is checked against jsonfeed-1.1.schema.json (written
for these tests from the 1.1 text) with python3-jsonschema, read by
feedsmith (npm, pinned in package-lock.json: an independent JSON Feed
parser; Debian 12's feedparser 6.0.10 does not read JSON Feed, and
newsboat 2.21 neither), and compared item by item
with the Atom feed of the same subject: same entries in the same order,
same ids, links, titles, content, summaries, dates, authors and tags.
Then HTTP (content type, 304 with the ETag, gzip), the filtered feed,
autodiscovery, an edit, restart determinism and the output folder.
The fixture content is written for these tests.
"""
import gzip
import json
import os
import re
import tempfile
import shutil
import xml.etree.ElementTree as ET

import subprocess

import jsonschema

from harness import Daemon, SLOW

HERE = os.path.dirname(os.path.abspath(__file__))
ATOM = "{http://www.w3.org/2005/Atom}"
with open(os.path.join(HERE, "jsonfeed-1.1.schema.json")) as f:
    SCHEMA = json.load(f)

KITE = """---
title: "Kite day at the \\"old\\" dyke"
date: 2024-04-20T10:00:00+02:00
author: "[Mira Holt](https://mira.example.net/)"
image: "/img/kite.jpg"
description: "Bring a kite, or borrow one."
tags: ["Outdoors", "family"]
categories: ["Events"]
---
We meet at the <b>dyke</b> & fly kites. See the [map](map/).

Tea & cake after.
"""

REPAIR = """---
title: "Repair café: toasters, bikes, jumpers"
date: 2024-05-11T14:00:00+02:00
lastmod: 2024-05-12T09:30:00+02:00
tags: ["repair", "family"]
categories: ["Events", "events"]
---
Bring what is broken. 修理 welcome.
"""

MINUTES = """---
title: Minutes of the April meeting
date: 2024-04-30T20:00:00Z
categories: ["Notes"]
---
Minutes, kept short.
"""

FILES = {"events/kite.md": KITE, "events/repair.md": REPAIR,
         "notes/minutes.md": MINUTES}

SUBJECTS = ["", "/events", "/notes", "/tags/family", "/tags/outdoors",
            "/tags/repair", "/categories/events", "/categories/notes"]


def feedsmith(raw, *args):
    """What feedsmith (tests/e2e/feedsmith_read.mjs) reads in raw."""
    r = subprocess.run(["node", os.path.join(HERE, "feedsmith_read.mjs")] + list(args),
                       input=raw, capture_output=True, timeout=60 * SLOW)
    assert r.returncode == 0, r.stderr.decode()
    return json.loads(r.stdout)


def fetch_json(d, path):
    s, h, b = d.get(path)
    assert s == 200, (path, s)
    assert h["content-type"] == "application/feed+json", h["content-type"]
    feed = json.loads(b)
    jsonschema.validate(feed, SCHEMA)
    return feed, h, b


def atom_entries(d, path):
    root = ET.fromstring(d.body(path))
    return root, root.findall(ATOM + "entry")


def check_parity(d, prefix):
    """feed.json against feed.atom of one subject, field by field."""
    feed, _, raw = fetch_json(d, prefix + "/feed.json")
    root, entries = atom_entries(d, prefix + "/feed.atom")
    assert feed["title"] == root.find(ATOM + "title").text
    assert feed["feed_url"] == d.base + prefix + "/feed.json"
    alt = [l for l in root.findall(ATOM + "link") if l.get("rel") == "alternate"]
    assert feed["home_page_url"] == alt[0].get("href")
    assert feed["description"] == "end-to-end tests"
    assert feed["language"] == "en"
    assert feed["authors"] == [{"name": "E2E Author"}]
    assert "next_url" not in feed
    items = feed["items"]
    assert [i["id"] for i in items] == [e.find(ATOM + "id").text for e in entries]
    assert len(items) > 0, prefix
    for item, e in zip(items, entries):
        link = [l for l in e.findall(ATOM + "link") if l.get("rel") == "alternate"]
        assert item["url"] == link[0].get("href")
        assert item["title"] == e.find(ATOM + "title").text
        assert item["content_html"] == e.find(ATOM + "content").text
        assert item["summary"] == e.find(ATOM + "summary").text
        assert item["date_published"] == e.find(ATOM + "published").text
        assert item["date_modified"] == e.find(ATOM + "updated").text
        assert item.get("tags", []) == [c.get("term") for c in e.findall(ATOM + "category")]
        names = [a.find(ATOM + "name").text for a in e.findall(ATOM + "author")]
        assert [a["name"] for a in item.get("authors", [])] == names
    # an independent reader sees the same feed and entries (it trims
    # the strings it reads)
    fs = feedsmith(raw)
    assert fs["format"] == "json", fs["format"]
    assert fs["feed"]["title"] == feed["title"]
    assert fs["feed"]["feed_url"] == feed["feed_url"]
    got = fs["feed"].get("items", [])
    assert [i["id"] for i in got] == [i["id"] for i in items]
    for a, b in zip(got, items):
        for key in ("url", "title", "content_html", "summary", "date_published",
                    "date_modified", "image", "tags", "authors"):
            want = b.get(key)
            assert a.get(key) == (want.strip() if isinstance(want, str) else want), (key, a, b)
    return feed


def test_every_subject_json_feed_matches_atom():
    with Daemon(FILES) as d:
        for prefix in SUBJECTS:
            check_parity(d, prefix)
        site = check_parity(d, "")
        kite = [i for i in site["items"] if i["title"].startswith("Kite")][0]
        assert kite == {
            "id": "tag:e2e.example.org,2024-04-20:/events/kite/",
            "url": d.base + "/events/kite/",
            "title": 'Kite day at the "old" dyke',
            "content_html": kite["content_html"],
            "summary": "Bring a kite, or borrow one.",
            "image": d.base + "/img/kite.jpg",
            "date_published": "2024-04-20T08:00:00Z",
            "date_modified": "2024-04-20T08:00:00Z",
            "authors": [{"name": "Mira Holt", "url": "https://mira.example.net/"}],
            "tags": ["Outdoors", "family", "Events"],
        }
        assert 'href="%s/events/kite/map/"' % d.base in kite["content_html"]
        repair = [i for i in site["items"] if i["title"].startswith("Repair")][0]
        assert repair["date_modified"] == "2024-05-12T07:30:00Z"
        assert repair["tags"] == ["repair", "family", "Events"]   # "events" once
        assert "image" not in repair and "authors" not in repair
        assert "修理" in repair["content_html"]
        # newest first, as Atom
        assert [i["title"][:6] for i in site["items"]] == ["Repair", "Minute", "Kite d"]


def test_bytes_are_jansson_compact_one_item_per_line():
    with Daemon(FILES) as d:
        _, _, raw = fetch_json(d, "/feed.json")
        lines = raw.decode().split("\n")
        assert lines[0].startswith('{"version":"https://jsonfeed.org/version/1.1",')
        assert lines[0].endswith('"items":[')
        assert lines[-2:] == ["]}", ""], lines[-2:]
        items = lines[1:-2]
        assert len(items) == 3
        for i, line in enumerate(items):
            text = line[:-1] if i < len(items) - 1 else line
            assert line.endswith(",") == (i < len(items) - 1)
            item = json.loads(text)
            # exactly what json.dumps would write compactly (no spaces,
            # non-ASCII as UTF-8, not \\u escapes)
            assert text == json.dumps(item, separators=(",", ":"), ensure_ascii=False), text


def test_empty_site_is_a_valid_feed():
    with Daemon({}) as d:
        feed, _, raw = fetch_json(d, "/feed.json")
        assert feed["items"] == []
        fs = feedsmith(raw)
        assert fs["format"] == "json" and fs["feed"].get("items", []) == []


def test_etag_304_and_gzip():
    with Daemon(FILES) as d:
        for path in ("/feed.json", "/tags/family/feed.json"):
            s, h, plain = d.get(path)
            assert s == 200 and h["etag"].startswith('"')
            assert h["access-control-allow-origin"] == "*"
            s, h2, b = d.get(path, {"If-None-Match": h["etag"]})
            assert s == 304 and b == b"", s
            s, hz, zipped = d.get(path, {"Accept-Encoding": "gzip"})
            assert s == 200 and hz["content-encoding"] == "gzip", hz
            assert gzip.decompress(zipped) == plain
            assert hz["etag"] != h["etag"]
            s, _, b = d.get(path, {"Accept-Encoding": "gzip", "If-None-Match": hz["etag"]})
            assert s == 304 and b == b""


def test_filtered_json_feed():
    with Daemon(FILES) as d:
        feed, _, _ = fetch_json(d, "/feed.json?tags=outdoors,repair")
        _, entries = atom_entries(d, "/feed.atom?tags=outdoors,repair")
        assert [i["id"] for i in feed["items"]] == [e.find(ATOM + "id").text for e in entries]
        assert len(feed["items"]) == 2
        assert feed["feed_url"] == d.base + "/feed.json?tags=outdoors,repair"
        # other spellings go to the canonical one, as Atom's do
        s, h, _ = d.get("/feed.json?tags=repair,outdoors")
        assert s == 301 and h["location"].endswith("/feed.json?tags=outdoors,repair"), (s, h)


def test_autodiscovery_and_subscribe_links():
    with Daemon(FILES) as d:
        front = d.body("/").decode()
        page = d.body("/events/kite/").decode()
        for html in (front, page):
            assert ('<link rel="alternate" type="application/feed+json" '
                    'title="E2E Site (JSON Feed)" href="%s/feed.json">' % d.base) in html
        assert ('<link rel="alternate" type="application/feed+json" '
                'title="E2E Site: events (JSON Feed)" href="%s/events/feed.json">' % d.base) in front
        hrefs = re.findall(r'<a href="([^"]+/feed\.json)">JSON Feed</a>', front)
        assert sorted(hrefs) == sorted(d.base + p + "/feed.json" for p in SUBJECTS)
        for h in hrefs:
            fetch_json(d, h[len(d.base):])


def test_edit_changes_json_feed_and_only_what_it_touches():
    with Daemon(FILES) as d:
        _, h_site, _ = fetch_json(d, "/feed.json")
        _, h_notes, _ = fetch_json(d, "/notes/feed.json")
        d.write("events/kite.md", KITE.replace("Kite day", "Kite afternoon"))
        d.wait_for(lambda: b"Kite afternoon" in d.body("/feed.json"), 5,
                   "the edit did not reach /feed.json")
        feed, h2, _ = fetch_json(d, "/feed.json")
        assert h2["etag"] != h_site["etag"]
        assert any(i["title"] == 'Kite afternoon at the "old" dyke' for i in feed["items"])
        tag, _, _ = fetch_json(d, "/tags/outdoors/feed.json")
        assert tag["items"][0]["title"].startswith("Kite afternoon")
        check_parity(d, "")
        # a feed the page is not in keeps its bytes and ETag
        _, h_notes2, _ = fetch_json(d, "/notes/feed.json")
        assert h_notes2["etag"] == h_notes["etag"]
        # removing the post removes its item
        d.remove("events/kite.md")
        d.wait_for(lambda: b"Kite" not in d.body("/feed.json"), 5, "not removed")
        assert d.get("/tags/outdoors/feed.json")[0] == 404


def test_same_bytes_after_restart_and_in_output_dir():
    out = tempfile.mkdtemp(prefix="crier-jsonfeed-out-")
    try:
        d = Daemon(FILES, {"output_dir": out})
        d.start()
        first = {p: d.body(p + "/feed.json") for p in SUBJECTS}
        d.stop()
        d.start()
        try:
            for p in SUBJECTS:
                assert d.body(p + "/feed.json") == first[p], p
                with open(os.path.join(out, p.lstrip("/"), "feed.json"), "rb") as f:
                    assert f.read() == first[p], p
                with gzip.open(os.path.join(out, p.lstrip("/"), "feed.json.gz")) as f:
                    assert f.read() == first[p], p
        finally:
            d.cleanup()
    finally:
        shutil.rmtree(out, ignore_errors=True)


def test_schema_refuses_what_the_spec_forbids():
    """The schema is a real check: each mistake below must be caught."""
    good = {"version": "https://jsonfeed.org/version/1.1", "title": "t",
            "items": [{"id": "1", "content_html": "<p>x</p>",
                       "date_published": "2024-05-01T10:00:00Z"}]}
    jsonschema.validate(good, SCHEMA)
    bad = [
        lambda f: f.pop("version"),
        lambda f: f.update(version="https://jsonfeed.org/version/1"),
        lambda f: f.pop("title"),
        lambda f: f.pop("items"),
        lambda f: f["items"][0].pop("id"),
        lambda f: f["items"][0].pop("content_html"),
        lambda f: f["items"][0].update(id=7),
        lambda f: f["items"][0].update(date_published="Wed, 01 May 2024 10:00:00 GMT"),
        lambda f: f["items"][0].update(tags="a,b"),
        lambda f: f["items"][0].update(authors=[{}]),
        lambda f: f.update(feedurl="http://x/"),
        lambda f: f.update(hubs=[{"type": "WebSub"}]),
    ]
    for i, mistake in enumerate(bad):
        f = json.loads(json.dumps(good))
        mistake(f)
        try:
            jsonschema.validate(f, SCHEMA)
        except jsonschema.ValidationError:
            continue
        raise AssertionError("schema accepted mistake %d: %r" % (i, f))
    good["_crier"] = {"extension": True}     # extensions start with "_"
    jsonschema.validate(good, SCHEMA)
