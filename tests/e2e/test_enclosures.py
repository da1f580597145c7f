"""Enclosures end to end: podcast episodes and recordings named in the
front matter (`enclosure` as a URL or a map, `audio`, `video`) and Hugo
page resources in a bundle (a file beside index.md: url from the bundle,
type from the extension, length from the file's size) become Atom
rel="enclosure" links and RSS <enclosure> elements, which feedparser
reads back (entry.enclosures) with their exact url, type and length; RSS
items carry one each (RSS 2.0 allows one), Atom entries all.  A length not
written is a warning on /status naming the file and line, never a guess:
Atom leaves it out, RSS writes 0 (the RSS Advisory Board's practice).
"""
import json
import xml.etree.ElementTree as ET

import feedparser

from harness import Daemon

ATOM = "http://www.w3.org/2005/Atom"
CDN = "https://cdn.example.net"
EP1_BYTES = b"ID3" + bytes(range(256)) * 48 + b"end"      # 12 294 bytes

BUNDLE = """---
title: "Episode 1: the bundle"
date: 2025-03-01T10:00:00Z
resources:
  - src: cover.jpg
    title: Cover art
  - src: "episode 1.mp3"
    title: The recording
---
Listen to the first episode.
"""

EP2 = """---
title: "Episode 2: a map and a video"
date: 2025-03-08T10:00:00Z
enclosure:
  url: %s/ep2.m4a
  type: audio/x-m4a
  length: 2048
video: %s/ep2.webm
---
The second episode, with a video.
""" % (CDN, CDN)

EP3 = """---
title: "Episode 3: a URL alone"
date: 2025-03-15T10:00:00Z
audio: "/media/ep3.mp3"
---
The third one.
"""

EP4 = """---
title: "Episode 4: no extension"
date: 2025-03-22T10:00:00Z
enclosure:
  url: "%s/stream?id=4"
  length: "99"
audio:
  url: %s/ep4.ogg
  length: 4096
---
The fourth.
""" % (CDN, CDN)

FILES = {
    "episodes/ep1/index.md": BUNDLE,
    "episodes/ep1/episode 1.mp3": EP1_BYTES,
    "episodes/ep1/cover.jpg": b"\xff\xd8\xff not really a jpeg",
    "episodes/ep2.md": EP2,
    "episodes/ep3.md": EP3,
    "episodes/ep4.md": EP4,
    "episodes/plain.md": "---\ntitle: Plain\ndate: 2025-02-01T10:00:00Z\n---\nNo media.\n",
}


def enclosures(d, path):
    f = feedparser.parse(d.body(path))
    assert not f.bozo, (path, f.bozo_exception)
    return {e.title.split(":")[0]: [(x.get("href"), x.get("type"), x.get("length"))
                                    for x in e.enclosures] for e in f.entries}


def test_atom_enclosures_exact():
    with Daemon(files=FILES) as d:
        for path in ("/feed.atom", "/episodes/feed.atom"):
            got = enclosures(d, path)
            assert got["Episode 1"] == [
                (d.base + "/episodes/ep1/episode%201.mp3", "audio/mpeg",
                 str(len(EP1_BYTES)))], got
            # feedparser reports a missing length as its absence.
            assert got["Episode 2"] == [
                (CDN + "/ep2.m4a", "audio/x-m4a", "2048"),
                (CDN + "/ep2.webm", "video/webm", None)], got
            assert got["Episode 3"] == [
                (d.base + "/media/ep3.mp3", "audio/mpeg", None)], got
            # No type known: the link has none, and feedparser gives a
            # link without one its default, text/html.
            assert got["Episode 4"] == [
                (CDN + "/stream?id=4", "text/html", "99"),
                (CDN + "/ep4.ogg", "audio/ogg", "4096")], got
            assert got["Plain"] == [], got
            root = ET.fromstring(d.body(path))
            links = [l.attrib for l in root.iter("{%s}link" % ATOM)
                     if l.get("rel") == "enclosure"]
            assert {"rel": "enclosure", "href": CDN + "/stream?id=4",
                    "length": "99"} in links, links
        # The bundle's file size is read as it is now: the page's hash
        # covers it, so the bytes are fetched from the bundle.
        assert d.body("/episodes/ep1/") is not None


def test_rss_one_enclosure_per_item():
    with Daemon(files=FILES) as d:
        raw = d.body("/feed.rss")
        got = enclosures(d, "/feed.rss")
        assert got["Episode 1"] == [
            (d.base + "/episodes/ep1/episode%201.mp3", "audio/mpeg",
             str(len(EP1_BYTES)))], got
        assert got["Episode 2"] == [(CDN + "/ep2.m4a", "audio/x-m4a", "2048")], got
        # No length written: 0, which RSS readers take as unknown.
        assert got["Episode 3"] == [(d.base + "/media/ep3.mp3", "audio/mpeg", "0")], got
        # The first with a type: RSS requires one.
        assert got["Episode 4"] == [(CDN + "/ep4.ogg", "audio/ogg", "4096")], got
        assert got["Plain"] == [], got
        assert raw.count(b"<enclosure ") == 4, raw


def test_json_feed_attachments():
    """JSON Feed's attachments: every enclosure whose type is known (its
    mime_type is required), size_in_bytes only when the length is."""
    with Daemon(files=FILES) as d:
        items = {i["title"].split(":")[0]: i.get("attachments")
                 for i in json.loads(d.body("/episodes/feed.json"))["items"]}
        assert items["Episode 1"] == [{
            "url": d.base + "/episodes/ep1/episode%201.mp3",
            "mime_type": "audio/mpeg", "size_in_bytes": len(EP1_BYTES)}]
        assert items["Episode 2"] == [
            {"url": CDN + "/ep2.m4a", "mime_type": "audio/x-m4a",
             "size_in_bytes": 2048},
            {"url": CDN + "/ep2.webm", "mime_type": "video/webm"}]
        assert items["Episode 4"] == [
            {"url": CDN + "/ep4.ogg", "mime_type": "audio/ogg",
             "size_in_bytes": 4096}]
        assert items["Plain"] is None


def test_missing_length_warns_on_status():
    with Daemon(files=FILES) as d:
        files = {f["path"]: f for f in d.status()["files"]}
        assert files["episodes/ep3.md"]["state"] == "warning", files["episodes/ep3.md"]
        assert files["episodes/ep3.md"]["messages"] == [{
            "line": 4, "level": "warning",
            "message": "'audio': enclosure %s/media/ep3.mp3 has no length: "
                       "write its size in bytes (length: 12345678); Atom "
                       "leaves it out, RSS writes length=\"0\"" % d.base}], files["episodes/ep3.md"]
        assert [(m["line"], m["message"]) for m in files["episodes/ep2.md"]["messages"]] == [
            (8, "'video': enclosure %s/ep2.webm has no length: write its "
                "size in bytes (length: 12345678); Atom leaves it out, RSS "
                "writes length=\"0\"" % CDN)]
        assert [(m["line"], m["message"]) for m in files["episodes/ep4.md"]["messages"]] == [
            (4, "'enclosure': enclosure %s/stream?id=4 has no type and its "
                "extension gives none: write its media type (type: "
                "audio/mpeg); RSS leaves it out" % CDN)]
        assert files["episodes/ep1/index.md"]["messages"] == []


def test_bundle_file_size_followed():
    """The recording replaced by a longer one, and the index saved again:
    the length is the new size."""
    with Daemon(files=FILES) as d:
        d.write("episodes/ep1/episode 1.mp3", EP1_BYTES * 2)
        d.write("episodes/ep1/index.md", BUNDLE + "\nNow longer.\n")
        d.wait_for(lambda: enclosures(d, "/feed.atom")["Episode 1"][0][2] ==
                   str(2 * len(EP1_BYTES)), 10, "length not updated")
