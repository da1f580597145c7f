"""Issue 5: a calendar over 1 MiB is served from the pieces it was stitched
from (a "rope", see src/build/document.c): the bytes on the wire, identity and
gzip, must be one valid calendar, the same from two instances, and an
edit must change only what was edited."""
import gzip
import os
import re

import icalendar

from harness import Daemon

POSTS = 40
EVENTS = 60       # per post: 2 400 VEVENTs, about 2 MB of calendar


def post(i, room_of_first="Room 0"):
    lines = ["---", "title: Conference day %d" % i,
             "date: 2026-01-%02dT10:00:00Z" % (i % 28 + 1),
             "tags: [day%d, conference]" % (i % 5), "events:"]
    for k in range(EVENTS):
        room = room_of_first if k == 0 else "Room %d" % (k % 9)
        lines += ["  - title: Session %d" % k,
                  "    start: 2027-%02d-%02dT%02d:%02d" % (
                      i % 12 + 1, k % 28 + 1, 8 + k % 10, (i * 7) % 60),
                  "    location: %s, Hall %d" % (room, i % 4),
                  "    description: Talk %d of day %d, with a longer "
                  "abstract that repeats what talks usually say." % (k, i)]
    return "\n".join(lines + ["---", "Day %d of the conference." % i, ""])


FILES = {"days/day%02d.md" % i: post(i) for i in range(POSTS)}


def get_both(d, path):
    """The identity and the gzip response of path, once the last
    rebuild's gzip bodies are made."""
    d.wait_gzip()
    s1, h1, plain = d.get(path)
    s2, h2, packed = d.get(path, {"Accept-Encoding": "gzip"})
    assert s1 == 200 and s2 == 200, (s1, s2)
    assert h2.get("content-encoding") == "gzip"
    assert int(h1["content-length"]) == len(plain)
    assert int(h2["content-length"]) == len(packed)
    assert gzip.decompress(packed) == plain
    return h1, h2, plain, packed


def uids_and_locations(raw):
    cal = icalendar.Calendar.from_ical(raw.decode("utf-8"))
    return {str(e["UID"]): str(e["LOCATION"]) for e in cal.walk("VEVENT")}


def test_big_calendar_served_whole_identity_and_gzip():
    with Daemon(files=FILES) as d:
        h1, h2, plain, packed = get_both(d, "/calendar.ics")
        assert len(plain) > 1024 * 1024, len(plain)
        assert plain.startswith(b"BEGIN:VCALENDAR\r\n")
        assert plain.endswith(b"END:VEVENT\r\nEND:VCALENDAR\r\n")
        assert plain.count(b"BEGIN:VEVENT") == POSTS * EVENTS
        assert len(uids_and_locations(plain)) == POSTS * EVENTS
        assert len(packed) < len(plain) // 4
        assert h1["etag"] != h2["etag"]
        # HEAD and conditional requests on a rope.
        status, head, body = d.request("HEAD", "/calendar.ics",
                                       {"Accept-Encoding": "gzip"})
        assert status == 200 and body == b""
        assert head["content-length"] == h2["content-length"]
        status, _, body = d.get("/calendar.ics", {"Accept-Encoding": "gzip",
                                                  "If-None-Match": h2["etag"]})
        assert status == 304 and body == b""


def test_big_calendar_edit_changes_only_that_event():
    with Daemon(files=FILES) as d:
        h1, h2, before, _ = get_both(d, "/calendar.ics")
        old = uids_and_locations(before)
        d.write("days/day07.md", post(7, room_of_first="Main stage"))
        d.wait_for(lambda: b"Main stage" in d.body("/calendar.ics"),
                   10, "the edit never reached the calendar")
        g1, g2, after, _ = get_both(d, "/calendar.ics")
        assert g1["etag"] != h1["etag"] and g2["etag"] != h2["etag"]
        new = uids_and_locations(after)
        assert new.keys() == old.keys()
        changed = [u for u in new if new[u] != old[u]]
        assert len(changed) == 1
        assert new[changed[0]] == "Main stage, Hall 3", new[changed[0]]
        # Outside that VEVENT, the bytes are the same but for SEQUENCE,
        # LAST-MODIFIED and DTSTAMP, which the edit moves.
        def strip(raw):
            raw = re.sub(rb"(DTSTAMP|LAST-MODIFIED|SEQUENCE)[:;][^\r]*\r\n",
                         b"", raw)
            return raw.replace(b"Main stage", b"Room 0")
        assert strip(after) == strip(before)


def test_big_calendar_same_bytes_in_two_instances():
    a, b = Daemon(files=FILES), Daemon(files=FILES)
    b.settings["base_url"] = a.base  # the same public URL, as behind one cache
    with a, b:
        ha1, ha2, plain_a, packed_a = get_both(a, "/calendar.ics")
        hb1, hb2, plain_b, packed_b = get_both(b, "/calendar.ics")
        assert ha1["etag"] == hb1["etag"] and ha2["etag"] == hb2["etag"]
        assert plain_a == plain_b and packed_a == packed_b


PATHS = ["/calendar.ics", "/feed.atom", "/feed.rss", "/days/feed.atom",
         "/tags/conference/calendar.ics", "/days/day03/"]


def gzip_or_identity(d):
    """(path, identity bytes) of each of PATHS asked with gzip, checking the
    answer is whole and its ETag names its encoding, whichever it is."""
    for path in PATHS:
        s, h, body = d.get(path, {"Accept-Encoding": "gzip"})
        assert s == 200, (path, s)
        gz = h.get("content-encoding") == "gzip"
        assert h["etag"].endswith('-gz"') == gz, (path, h)
        assert int(h["content-length"]) == len(body)
        yield path, gzip.decompress(body) if gz else body


def test_gzip_bodies_made_after_listening():
    """The start-up rebuild leaves gzip bodies for later (src/build/gzlater.c):
    until one is made its document is sent as identity, with the identity
    ETag; then gzip, the same bytes whoever made them when."""
    a, b = Daemon(files=FILES), Daemon(files=FILES)
    b.settings["base_url"] = a.base
    with a, b:
        a.stop()
        a.start(wait_gzip=False)    # listening, gzip bodies maybe pending
        seen = {}
        while True:
            pending = a.status()["counts"]["gzip_pending"]
            for path, plain in gzip_or_identity(a):
                # the identity bytes never change: only their encoding
                assert seen.setdefault(path, plain) == plain, path
            if pending == 0:
                break
        for path in PATHS:
            ha1, ha2, plain_a, packed_a = get_both(a, path)
            hb1, hb2, plain_b, packed_b = get_both(b, path)
            assert plain_a == plain_b == seen[path], path
            assert ha1["etag"] == hb1["etag"] and ha2["etag"] == hb2["etag"]
            assert packed_a == packed_b, path


def test_output_folder_waits_for_gzip_bodies():
    """With an output folder every .gz is written with its file: nginx's
    gzip_static would otherwise send identity for good."""
    d = Daemon(files=FILES)
    out = os.path.join(d.dir, "out")
    d.settings["output_dir"] = out
    with d:
        assert d.status()["counts"]["gzip_pending"] == 0
        with open(os.path.join(out, "calendar.ics.gz"), "rb") as f:
            assert gzip.decompress(f.read()) == d.body("/calendar.ics")


def test_edit_gzip_bodies_follow_the_identity_bodies():
    """An edit's rebuild publishes identity bodies and makes their gzip
    bodies after (src/build/gzlater.c): a gzip client meanwhile gets the
    new bytes as identity, with the identity ETag, never a torn body; once
    made, the gzip body is the one the same daemon makes for the same
    content at its next start (same bytes, same ETags)."""
    edited = post(7, room_of_first="Main stage")
    with Daemon(files=FILES) as a:
        a.write("days/day07.md", edited)
        seen = None
        while True:
            pending = a.status()["counts"]["gzip_pending"]
            for path, plain in gzip_or_identity(a):
                if path == "/calendar.ics" and b"Main stage" in plain:
                    seen = plain
            if pending == 0 and seen is not None:
                break
        before = {path: get_both(a, path) for path in PATHS}
        assert before["/calendar.ics"][2] == seen
        a.stop()
        a.start()
        for path in PATHS:
            h1, h2, plain, packed = get_both(a, path)
            b1, b2, bplain, bpacked = before[path]
            assert plain == bplain, path
            assert h1["etag"] == b1["etag"] and h2["etag"] == b2["etag"]
            assert packed == bpacked, path
