"""HTTP behaviour end to end (issue 2) and hostile clients (issue 6).

Content types, strong ETags, Last-Modified, conditional requests, gzip with
its own ETag and Vary, HEAD without a body, 405 with Allow, 404 as short
text, Cache-Control from the configuration, CORS on feeds and calendars,
redirects (trailing slash, aliases), keep-alive; then path traversal in
every spelling (sent as raw request lines, since http.client normalises),
a 100 KiB header, requests with bodies, 200 idle connections and a client
that reads slowly.  The fixture text is written for these tests.
"""
import gzip
import re
import socket
import time
from email.utils import parsedate_to_datetime

from harness import Daemon, SLOW

TIDE = """---
title: "Tide Talks #2: small services, big tides"
description: "An evening of short talks."
date: 2024-06-05T18:30:00+02:00
aliases: ["/tide", "/old/tide-talks/", "/潮汐", "/old tide/"]
author: "[Noor Haddad](https://noor.example.org/)"
description: "Two talks about running small services well, and what the tide taught us."
tags: ["meetup", "Small Services"]
categories: ["Events"]
location: "Pier 9 boathouse"
---

Two talks at the boathouse. Slides are [here](slides/).

| Date    | Talk                           | Speaker      |
| ------- | ------------------------------ | ------------ |
| June 19 | Health checks that mean it     | Ada Quist    |
| June 26 | Backpressure for the impatient | Bo Lindgren  |

### Health checks that mean it

- **When:** 2024-06-19 (Wed) 19:00-19:45
- **Speaker:** Ada Quist

### Backpressure for the impatient

- **When:** 2024-06-26 (Wed) 19:00-19:45
- **Speaker:** Bo Lindgren
"""

NOTICE = """---
title: "Library opening hours change"
date: 2024-05-01T09:00:00Z
tags: ["Small Services"]
categories: ["News"]
---
The reading room now opens at ten. """ + "Plenty of words to make gzip worthwhile. " * 30 + "\n"

FILES = {"meetups/tide-talks.md": TIDE, "news/hours.md": NOTICE}
SECRET = b"TOPSECRET-OUTSIDE-CONTENT-7f3a"
FEED_LM = "Wed, 05 Jun 2024 16:30:00 GMT"     # the newest entry's updated


# --- raw HTTP helpers -----------------------------------------------------

def raw(d, data, timeout=5):
    """Sends bytes, reads until the server closes (or timeout); returns bytes."""
    s = socket.create_connection(("127.0.0.1", d.port), timeout=timeout * SLOW)
    out = b""
    try:
        try:
            s.sendall(data)
        except OSError:
            pass
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    finally:
        s.close()
    return out


def split_response(data):
    """(status, headers dict lower-cased, body bytes) of one response."""
    head, sep, body = data.partition(b"\r\n\r\n")
    assert sep, "no complete response head: %r" % data[:300]
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers, body


def get_raw(d, target, method="GET", extra=b""):
    req = method.encode() + b" " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + \
        extra + b"Connection: close\r\n\r\n"
    return raw(d, req)


def read_response(sock, buf=b"", head=False):
    """Reads exactly one response (Content-Length framed; no body after a
    HEAD) from a kept-alive socket; returns (status, headers, body, rest)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        assert chunk, "connection closed before a response head"
        buf += chunk
    status, headers, rest = split_response(buf)
    n = 0 if head else int(headers.get("content-length", "0"))
    while len(rest) < n:
        chunk = sock.recv(65536)
        assert chunk, "connection closed mid-body"
        rest += chunk
    return status, headers, rest[:n], rest[n:]


def first_uid(d):
    ics = re.sub(rb"\r?\n[ \t]", b"", d.body("/calendar.ics")).decode()
    return re.findall(r"^UID:(.+?)\r?$", ics, re.M)[0]


def doc_paths(d):
    return ["/feed.atom", "/feed.rss", "/calendar.ics", "/meetups/feed.atom",
            "/meetups/feed.rss", "/meetups/calendar.ics", "/tags/small-services/feed.atom",
            "/tags/small-services/feed.rss", "/tags/small-services/calendar.ics",
            "/categories/events/feed.atom", "/events/%s.ics" % first_uid(d)]


# --- headers --------------------------------------------------------------

def test_content_types():
    want = {"atom": "application/atom+xml; charset=utf-8",
            "rss": "application/rss+xml; charset=utf-8",
            "ics": "text/calendar; charset=utf-8"}
    with Daemon(files=FILES) as d:
        for path in doc_paths(d):
            s, h, b = d.get(path)
            assert s == 200, path
            assert h["content-type"] == want[path.rsplit(".", 1)[1]], (path, h["content-type"])
            assert int(h["content-length"]) == len(b)
        s, h, b = d.get("/meetups/tide-talks/")
        assert s == 200 and h["content-type"] == "text/html; charset=utf-8", h
        s, h, b = d.get("/status")
        assert s == 200 and h["content-type"].startswith("application/json"), h


def test_strong_etag_and_last_modified():
    with Daemon(files=FILES) as d:
        etags = set()
        for path in doc_paths(d):
            s, h, b = d.get(path)
            assert re.fullmatch(r'"[^"\s]+"', h["etag"]), (path, h["etag"])  # strong: no W/
            etags.add(h["etag"])
            parsedate_to_datetime(h["last-modified"])
            assert h["last-modified"].endswith(" GMT"), h["last-modified"]
        assert len(etags) == len(doc_paths(d)), "two documents share an ETag"
        h = d.get("/feed.atom")[1]
        assert h["last-modified"] == FEED_LM, h["last-modified"]
        assert d.get("/news/feed.rss")[1]["last-modified"] == "Wed, 01 May 2024 09:00:00 GMT"


def test_if_none_match_304():
    with Daemon(files=FILES) as d:
        for path in ("/feed.atom", "/feed.rss", "/calendar.ics"):
            s, h, b = d.get(path)
            etag = h["etag"]
            for inm in (etag, '"nope", ' + etag, "W/" + etag, "*"):
                s2, h2, b2 = d.get(path, {"If-None-Match": inm})
                assert s2 == 304, (path, inm, s2)
                assert b2 == b""
                for k in ("etag", "vary", "cache-control", "last-modified"):
                    assert h2.get(k) == h[k], (path, k, h2.get(k), h[k])
            s3, _, b3 = d.get(path, {"If-None-Match": '"not-the-etag"'})
            assert s3 == 200 and b3 == b
            # on the wire: nothing at all after the 304's head
            data = get_raw(d, path.encode(), extra=b"If-None-Match: " + etag.encode() + b"\r\n")
            st, hh, body = split_response(data)
            assert st == 304 and body == b"", (st, body[:100])
            assert hh.get("content-length", "0") == "0", hh


def test_the_other_encodings_tag_of_this_version_is_304():
    """A client given the identity body while the gzip one was still being
    made (gzlater.c) holds this version: its identity tag, sent with
    Accept-Encoding: gzip, gets a 304 carrying that tag, not the whole
    document again.  Never the other way round: a client without gzip
    that sends the gzip tag gets the identity body (a shared cache would
    otherwise serve it the gzip copy the 304 names).  A tag of an older
    version is still a 200."""
    gz = {"Accept-Encoding": "gzip"}
    with Daemon(files=FILES) as d:
        for path in ("/feed.atom", "/calendar.ics"):
            s, h, b = d.get(path)
            s, hg, bg = d.get(path, gz)
            assert s == 200 and hg["content-encoding"] == "gzip", (path, hg)
            assert hg["etag"] != h["etag"]
            s, h2, b2 = d.get(path, dict(gz, **{"If-None-Match": h["etag"]}))
            assert (s, b2) == (304, b""), (path, s)
            assert h2["etag"] == h["etag"] and "content-encoding" not in h2, h2
            s, h3, b3 = d.get(path, {"If-None-Match": hg["etag"]})
            assert (s, b3) == (200, b) and h3["etag"] == h["etag"], (path, s)
            assert "content-encoding" not in h3, h3
            s, _, _ = d.get(path, dict(gz, **{"If-None-Match": '"0000000000000000"'}))
            assert s == 200, (path, s)
        old = d.get("/feed.atom")[1]["etag"]
        d.write_like_editor("meetups/tide-talks.md", TIDE.replace("Two talks at", "Three talks at"))
        d.wait_for(lambda: d.get("/feed.atom")[1]["etag"] != old, 10, "no rebuild")
        d.wait_gzip()
        s, h, _ = d.get("/feed.atom", dict(gz, **{"If-None-Match": old}))
        assert s == 200 and h["content-encoding"] == "gzip", (s, h)


def test_if_none_match_split_over_two_header_lines():
    """RFC 9110 5.3: two If-None-Match lines are one list."""
    with Daemon(files=FILES) as d:
        etag = d.get("/feed.atom")[1]["etag"].encode()
        data = get_raw(d, b"/feed.atom", extra=b'If-None-Match: "other"\r\n'
                       b"If-None-Match: " + etag + b"\r\n")
        st, h, body = split_response(data)
        assert st == 304 and body == b"", st


def test_if_modified_since_and_precedence():
    with Daemon(files=FILES) as d:
        s, h, b = d.get("/feed.atom")
        lm, etag = h["last-modified"], h["etag"]
        assert d.get("/feed.atom", {"If-Modified-Since": lm})[0] == 304
        assert d.get("/feed.atom", {"If-Modified-Since": "Sat, 01 Jan 2050 00:00:00 GMT"})[0] == 304
        s2, h2, b2 = d.get("/feed.atom", {"If-Modified-Since": "Tue, 04 Jun 2024 16:30:00 GMT"})
        assert s2 == 200 and b2 == b
        assert d.get("/feed.atom", {"If-Modified-Since": "yesterday-ish"})[0] == 200
        s3, h3, b3 = d.get("/feed.atom", {"If-Modified-Since": lm})
        assert b3 == b"" and h3["etag"] == etag and h3["vary"] == h["vary"]
        # If-None-Match wins over If-Modified-Since, both ways
        s4, _, b4 = d.get("/feed.atom", {"If-None-Match": '"other"', "If-Modified-Since": lm})
        assert s4 == 200 and b4 == b, s4
        s5, _, _ = d.get("/feed.atom", {"If-None-Match": etag,
                                         "If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
        assert s5 == 304, s5


def test_gzip():
    with Daemon(files=FILES) as d:
        for path in ("/feed.atom", "/feed.rss", "/calendar.ics"):
            s, h, plain = d.get(path)
            assert "content-encoding" not in h
            assert h["vary"] == "Accept-Encoding"
            s, hz, zipped = d.get(path, {"Accept-Encoding": "gzip"})
            assert s == 200 and hz["content-encoding"] == "gzip", (path, hz)
            assert hz["vary"] == "Accept-Encoding"
            assert gzip.decompress(zipped) == plain, path
            assert len(zipped) < len(plain) and int(hz["content-length"]) == len(zipped)
            assert hz["etag"] != h["etag"] and re.fullmatch(r'"[^"\s]+"', hz["etag"]), hz["etag"]
            assert hz["content-type"] == h["content-type"]
            # a 304 for the gzip variant carries the gzip ETag and Vary
            s, h304, b = d.get(path, {"Accept-Encoding": "gzip", "If-None-Match": hz["etag"]})
            assert s == 304 and h304["etag"] == hz["etag"] and h304["vary"] == "Accept-Encoding"
            # the identity ETag of this version names the identity body the
            # client holds: a 304 selecting it (its tag), see the test below
            s, h304, b = d.get(path, {"Accept-Encoding": "gzip", "If-None-Match": h["etag"]})
            assert s == 304 and h304["etag"] == h["etag"], s
        for ae, enc in (("gzip;q=0", None), ("identity", None), ("br", None),
                        ("gzip;q=0, *", None), ("*", "gzip"), ("GZIP", "gzip"),
                        ("deflate, gzip;q=0.5", "gzip"), ("*;q=0", None)):
            s, h, b = d.get("/feed.atom", {"Accept-Encoding": ae})
            assert s == 200 and h.get("content-encoding") == enc, (ae, h.get("content-encoding"))
            if enc is None:
                assert b.startswith(b"<?xml"), ae


def test_head_has_headers_and_no_body():
    with Daemon(files=FILES) as d:
        for path, extra in (("/feed.atom", b""), ("/calendar.ics", b""),
                            ("/feed.rss", b"Accept-Encoding: gzip\r\n")):
            g = split_response(get_raw(d, path.encode(), extra=extra))
            data = get_raw(d, path.encode(), method="HEAD", extra=extra)
            st, hh, body = split_response(data)
            assert st == 200 and body == b"", (path, body[:80])
            assert int(hh["content-length"]) == len(g[2]), (path, hh["content-length"], len(g[2]))
            for k in ("etag", "last-modified", "cache-control", "vary", "content-type",
                      "access-control-allow-origin"):
                assert hh.get(k) == g[1].get(k), (path, k, hh.get(k), g[1].get(k))
            assert hh.get("content-encoding") == g[1].get("content-encoding")
        st, hh, body = split_response(get_raw(d, b"/no/such/thing", method="HEAD"))
        assert st == 404 and body == b""


def test_head_on_pages_status_and_metrics():
    """HEAD has the GET's Content-Length on every document, not only feeds."""
    with Daemon(files=FILES) as d:
        for path in (b"/", b"/status", b"/meetups/tide-talks/", b"/metrics"):
            g = split_response(get_raw(d, path))
            st, hh, body = split_response(get_raw(d, path, method="HEAD"))
            assert st == g[0] == 200 and body == b"", (path, st, body[:80])
            assert hh.get("content-type") == g[1].get("content-type"), path
            assert "content-length" in hh, "HEAD %s has no Content-Length: %r" % (path, hh)
            if path != b"/metrics":     # its counters move between two requests
                assert int(hh["content-length"]) == len(g[2]), path


def test_methods_other_than_get_head_405():
    with Daemon(files=FILES) as d:
        for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
            extra = b"Content-Length: 0\r\n" if method in ("POST", "PUT", "PATCH") else b""
            st, h, body = split_response(get_raw(d, b"/feed.atom", method=method, extra=extra))
            assert st == 405, (method, st)
            assert h.get("allow") == "GET, HEAD", (method, h)
            assert h["content-type"].startswith("text/plain"), h
        s, h, _ = d.request("POST", "/feed.atom")
        assert s == 405 and h["allow"] == "GET, HEAD"
        assert d.get("/feed.atom")[0] == 200


def test_unknown_path_404_text():
    with Daemon(files=FILES) as d:
        for path in ("/nope", "/feed.xml", "/tags/no-such-tag/feed.atom",
                     "/meetups/tide-talks.md", "/news/hours.md", "/meetups/feed.yaml",
                     "/categories/", "/events/nothing.ics"):
            s, h, b = d.get(path)
            assert s == 404, (path, s)
            assert h["content-type"] == "text/plain; charset=utf-8", (path, h)
            assert 0 < len(b) < 200 and b"<" not in b, (path, b)
            assert int(h["content-length"]) == len(b)


def test_cache_control_from_config():
    with Daemon(files=FILES, settings={"max_age": "1234"}) as d:
        for path in doc_paths(d) + ["/meetups/tide-talks/"]:
            s, h, _ = d.get(path)
            assert h["cache-control"] == "public, max-age=1234", (path, h["cache-control"])
        etag = d.get("/feed.atom")[1]["etag"]
        h = d.get("/feed.atom", {"If-None-Match": etag})[1]
        assert h["cache-control"] == "public, max-age=1234"


def test_cors_on_feeds_and_calendars():
    with Daemon(files=FILES) as d:
        for path in doc_paths(d):
            s, h, _ = d.get(path)
            assert h.get("access-control-allow-origin") == "*", (path, h)
            h = d.get(path, {"Accept-Encoding": "gzip"})[1]
            assert h.get("access-control-allow-origin") == "*", (path, h)


def test_cors_on_status_and_filters_not_pages():
    """Other sites' scripts may read feeds, calendars (filtered ones too,
    whose URL has a query) and /status, in every kind of response; pages
    are not theirs to read."""
    with Daemon(files=FILES) as d:
        for path in ("/status", "/feed.atom?tags=small-services",
                     "/calendar.ics?tags=small-services",
                     "/feed.rss?categories=events"):
            s, h, _ = d.get(path)
            assert s == 200 and h.get("access-control-allow-origin") == "*", (path, s, h)
            s, h, _ = d.get(path, {"If-None-Match": h["etag"]})
            assert s == 304 and h.get("access-control-allow-origin") == "*", (path, s, h)
        for path in ("/", "/meetups/tide-talks/"):
            s, h, _ = d.get(path)
            assert s == 200 and "access-control-allow-origin" not in h, (path, h)
            h = d.get(path, {"Accept-Encoding": "gzip"})[1]
            assert "access-control-allow-origin" not in h, (path, h)


def test_redirects():
    with Daemon(files=FILES) as d:
        page = d.base + "/meetups/tide-talks/"
        s, h, _ = d.get("/meetups/tide-talks")
        assert s == 301 and h["location"] == page, (s, h)
        s, h, _ = d.get("/tide")
        assert s == 301 and h["location"] == page, (s, h)
        st, hh, body = split_response(get_raw(d, b"/tide", method="HEAD"))
        assert st == 301 and hh["location"] == page and body == b""
        # an alias written with a trailing slash, asked for with and without
        s, h, _ = d.get("/old/tide-talks/")
        assert s == 301 and h["location"] == page, (s, h)
        loc, hops = "/old/tide-talks", 0
        while hops < 3:
            s, h, _ = d.get(loc)
            if s != 301:
                break
            loc, hops = h["location"][len(d.base):], hops + 1
        assert s == 200 and loc == "/meetups/tide-talks/", (s, loc, hops)
        s, h, b = d.get("/meetups/tide-talks/")
        assert s == 200 and b"Tide Talks #2" in b
        # a section without a trailing slash is not a document: 404 or redirect, never 200
        assert d.get("/meetups")[0] in (301, 404)


def test_alias_with_non_ascii_and_space():
    """Aliases written with CJK characters or spaces (as in Chinese Hugo
    sites) work when asked for percent-encoded, as every client sends them."""
    with Daemon(files=FILES) as d:
        page = d.base + "/meetups/tide-talks/"
        for alias in ("/%E6%BD%AE%E6%B1%90", "/old%20tide/"):
            s, h, _ = d.get(alias)
            assert s == 301 and h.get("location") == page, (alias, s, h.get("location"))


def test_keep_alive_two_requests_one_connection():
    with Daemon(files=FILES) as d:
        atom, rss = d.body("/feed.atom"), d.body("/feed.rss")
        s = socket.create_connection(("127.0.0.1", d.port), timeout=5 * SLOW)
        try:
            s.sendall(b"GET /feed.atom HTTP/1.1\r\nHost: x\r\n\r\n")
            st, h, body, rest = read_response(s)
            assert st == 200 and body == atom and rest == b""
            assert h.get("connection", "").lower() != "close", h
            s.sendall(b"HEAD /feed.rss HTTP/1.1\r\nHost: x\r\n\r\n")
            st, h, body, rest = read_response(s, b"", head=True)
            # HEAD: Content-Length is that of the GET, but no bytes follow
            assert st == 200 and int(h["content-length"]) == len(rss) and rest == b""
            s.sendall(b"GET /feed.rss HTTP/1.1\r\nHost: x\r\n\r\n")
            st, h, body, rest = read_response(s, rest)
            assert st == 200 and body == rss, (st, len(body), len(rss))
            # pipelined: two requests in one write
            s.sendall(b"GET /calendar.ics HTTP/1.1\r\nHost: x\r\n\r\n"
                      b"GET /feed.atom HTTP/1.1\r\nHost: x\r\n\r\n")
            st1, _, b1, rest = read_response(s)
            st2, _, b2, rest = read_response(s, rest)
            assert (st1, st2) == (200, 200) and b1 == d.body("/calendar.ics") and b2 == atom
        finally:
            s.close()


def counters(d):
    """{(route, status): requests} from /metrics."""
    return {(m.group(1), m.group(2)): int(m.group(3)) for m in re.finditer(
        r'crier_http_requests_total\{route="(\w+)",status="(\w+)"\} (\d+)',
        d.body("/metrics").decode())}


def test_every_kind_of_response_in_turn_on_one_connection():
    """Responses are written as soon as they are made (http_reply.c, reply()):
    each kind, one after another on a kept-alive connection, arrives
    whole and in order, and /metrics counts every one."""
    with Daemon(files=FILES) as d:
        atom = d.body("/feed.atom")
        etag = d.get("/feed.atom")[1]["etag"]
        before = counters(d)
        seq = [
            (b"GET /feed.atom", b"", 200, atom),
            (b"GET /feed.atom", b"If-None-Match: " + etag.encode() + b"\r\n", 304, b""),
            (b"GET /no/such/thing", b"", 404, None),
            (b"DELETE /feed.atom", b"", 405, None),
            (b"GET /tide", b"", 301, None),
            (b"HEAD /feed.atom", b"", 200, b""),
        ] * 20
        s = socket.create_connection(("127.0.0.1", d.port), timeout=5 * SLOW)
        rest = b""
        try:
            for line, extra, want, body in seq:
                s.sendall(line + b" HTTP/1.1\r\nHost: x\r\n" + extra + b"\r\n")
                head = line.startswith(b"HEAD") or want == 304
                st, h, b, rest = read_response(s, rest, head=head)
                assert st == want, (line, st)
                assert h.get("connection", "").lower() != "close", (line, h)
                if body is not None:
                    assert b == body, (line, len(b))
            assert rest == b""
        finally:
            s.close()
        after = counters(d)
        for key, n in ((("feed", "200"), 40), (("feed", "304"), 20),
                       (("page", "404"), 20), (("feed", "405"), 20),
                       (("page", "301"), 20)):
            assert after.get(key, 0) - before.get(key, 0) == n, (key, before, after)


# --- hostile clients ------------------------------------------------------

TRAVERSALS = [
    b"/../secret.txt", b"/../../../../../../etc/passwd", b"/..", b"/../",
    b"/%2e%2e/secret.txt", b"/%2E%2E/%2E%2E/etc/passwd", b"/.%2e/secret.txt",
    b"/%2e%2e%2fsecret.txt", b"/..%2fsecret.txt", b"/%2f..%2fsecret.txt", b"/%2f",
    b"/%2fetc%2fpasswd", b"//etc/passwd", b"/news/../../secret.txt",
    b"/%252e%252e/secret.txt", b"/%252e%252e%252fsecret.txt", b"/%25%32%65%25%32%65/secret.txt",
    b"/news/hours.md%00", b"/news/hours.md%00.atom", b"/feed.atom%00/../../secret.txt",
    b"/..\\secret.txt", b"/%5c..%5csecret.txt", b"/news\\..\\..\\secret.txt",
    b"/%c0%ae%c0%ae/secret.txt", b"/%c0%ae%c0%ae%c0%afsecret.txt", b"/%e0%80%ae%e0%80%ae/secret.txt",
    b"/%c1%9c..%c1%9csecret.txt", b"/news/hours.md", b"/meetups/tide-talks.md",
    b"../secret.txt", b"http://127.0.0.1/../secret.txt", b"/./../secret.txt",
    b"/%2e%2e;/secret.txt", b"/.../secret.txt", b"/news/%2e%2e/%2e%2e/secret.txt",
]


def test_path_traversal_never_serves_files():
    with Daemon(files=FILES) as d:
        with open(d.dir + "/secret.txt", "wb") as fh:
            fh.write(SECRET + b"\n")
        d.write("news/raw-source.md", "---\ntitle: Raw\ndate: 2024-02-02\n"
                "x_marker: RAWSOURCE-MARKER-91c\n---\nbody\n")
        d.wait_for(lambda: d.get("/news/raw-source/")[0] == 200, 5, "page not seen")
        for target in TRAVERSALS + [b"/news/raw-source.md", b"/news/raw-source.md%00",
                                    b"/news/%2e%2e/news/raw-source.md"]:
            data = get_raw(d, target)
            if data == b"":
                continue          # closed without an answer is fine
            st, h, body = split_response(data)
            assert st in (400, 404), (target, st, body[:200])
            assert SECRET not in data and b"root:" not in data, target
            assert b"RAWSOURCE-MARKER" not in data, target
        assert d.get("/feed.atom")[0] == 200


def test_huge_header_rejected_daemon_survives():
    with Daemon(files=FILES) as d:
        for name in (b"X-Big", b"Cookie"):
            req = (b"GET /feed.atom HTTP/1.1\r\nHost: x\r\n" + name + b": " +
                   b"a" * (100 * 1024) + b"\r\nConnection: close\r\n\r\n")
            data = raw(d, req)
            if data:
                st = int(data.split(b" ", 2)[1])
                assert st in (400, 431), st
        # many medium headers adding up to 100 KiB
        req = b"GET /feed.atom HTTP/1.1\r\nHost: x\r\n" + b"".join(
            b"X-H%d: %s\r\n" % (i, b"b" * 1000) for i in range(100)) + b"\r\n"
        data = raw(d, req)
        if data:
            assert int(data.split(b" ", 2)[1]) in (400, 431)
        s, _, b = d.get("/feed.atom")
        assert s == 200 and b.startswith(b"<?xml")


def test_request_with_body_refused():
    with Daemon(files=FILES) as d:
        cases = [
            (b"POST", b"Content-Length: 11\r\n", b"hello world"),
            (b"GET", b"Content-Length: 5\r\n", b"hello"),
            (b"GET", b"Transfer-Encoding: chunked\r\n", b"5\r\nhello\r\n0\r\n\r\n"),
            (b"POST", b"Content-Length: 1000000\r\n", b"x" * 1000),
        ]
        for method, hdr, body in cases:
            req = method + b" /feed.atom HTTP/1.1\r\nHost: x\r\n" + hdr + \
                b"Connection: close\r\n\r\n" + body
            data = raw(d, req)
            assert data, (method, hdr)
            st = int(data.split(b" ", 2)[1])
            assert 400 <= st < 500, (method, hdr, st)
            assert b"<feed" not in data
        assert d.get("/feed.atom")[0] == 200


def test_many_idle_connections_do_not_starve():
    with Daemon(files=FILES) as d:
        want = d.body("/feed.atom")
        idle = []
        try:
            for i in range(200):
                s = socket.create_connection(("127.0.0.1", d.port), timeout=5 * SLOW)
                if i % 2:
                    s.sendall(b"GET /feed.atom HTTP/1.1\r\nHost: x\r\n")   # never finished
                idle.append(s)
            for _ in range(3):
                t = time.time()
                s, h, b = d.get("/feed.atom")
                took = time.time() - t
                assert s == 200 and b == want, s
                assert took < 5 * SLOW, "served in %.2fs with 200 idle connections" % took
            assert d.get("/status")[0] == 200
        finally:
            for s in idle:
                s.close()
        assert d.body("/feed.rss").startswith(b"<?xml")


def test_slow_reader_does_not_block_others():
    para = ("Words about harbours, tides and the small services that watch them. " * 40 + "\n\n")
    files = {"news/big-%02d.md" % i: "---\ntitle: \"Long read %d\"\ndate: 2024-01-%02dT10:00:00Z\n---\n%s"
             % (i, i + 1, para * 20) for i in range(25)}
    with Daemon(files=files) as d:
        whole = d.body("/feed.atom")
        assert len(whole) > 1_000_000, len(whole)
        slow = socket.socket()
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow.settimeout(10 * SLOW)
        slow.connect(("127.0.0.1", d.port))
        try:
            slow.sendall(b"GET /feed.atom HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            first = slow.recv(100)
            assert first.startswith(b"HTTP/1.1 200"), first
            # meanwhile, others are served in full, promptly
            for path in ("/feed.rss", "/status", "/feed.atom"):
                t = time.time()
                s, h, b = d.get(path)
                assert s == 200 and int(h["content-length"]) == len(b), path
                assert time.time() - t < 5 * SLOW, path
            # the slow reader still gets every byte in the end
            data = first
            while True:
                chunk = slow.recv(65536)
                if not chunk:
                    break
                data += chunk
            st, h, body = split_response(data)
            assert st == 200 and body == whole, (len(body), len(whole))
        finally:
            slow.close()
