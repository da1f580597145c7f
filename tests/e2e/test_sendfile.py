"""Large bodies sent from the body store with sendfile, and response heads
formatted once per document (commit 2b55ca2; src/serve/bodystore.c,
src/serve/http_reply.c reply, send_head, heads, head_format), checked on the wire.

- A client that reads slowly keeps receiving the very version it asked for,
  byte for byte, while the documents are replaced several times under it:
  the bytes sendfile() handed to the kernel must never be overwritten by a
  newer document taking the freed range of the store (the range is punched
  out before reuse).  Identity and gzip, feeds, a post page, a calendar;
  a body handed to the kernel whole, and one only partly (the rest left
  in evhttp's buffer as a reference holding the document); one reader
  per representation, then 80 at once opened at five versions, with one
  serving loop and with two.
- The exact header lines of each kind of response, read from a raw socket:
  every name once, the expected set, CRLF everywhere, the status line.
  HTTP/1.0 keep-alive and HTTP/1.1 "Connection: close".  Every other
  response (errors, redirects, /status, /metrics, filtered documents)
  still names one Content-Type now that evhttp's default is off.
- Requests pipelined in one send(), read in order from the byte stream,
  by a fast and by a slow reader.
- A reload that changes max_age shows on documents that were not
  re-rendered (heads keep the Cache-Control they were made with).

Bodies must be 16 KiB or more to be kept in the store (BODYSTORE_MIN) and,
for feeds, at most 1 MiB to be one flat span (ROPE_MIN): the fixture's
words are pseudo-random so that even the gzip bodies are that large.
"""
import gzip
import random
import re
import signal
import socket
from email.utils import parsedate_to_datetime

from harness import Daemon, SLOW

STORE_MIN = 16 * 1024
ROPE_MIN = 1024 * 1024
POSTS = 8
WORDS = 7000          # a post page over 16 KiB even gzipped
SYLLABLES = ["ka", "lo", "mi", "zu", "ter", "vin", "qua", "sho", "pel", "dra",
             "nix", "bo", "fe", "ru", "gal", "yen", "op", "wex", "id", "tam"]


def words(seed, n):
    r = random.Random(seed)
    return " ".join("".join(r.choice(SYLLABLES) for _ in range(r.randint(1, 4)))
                    for _ in range(n))


def post(i, rev):
    """Post i at revision rev: every revision changes the whole body, the
    event's description and the marker REV<rev>, keeping the length about
    the same (so new bodies fit the ranges old ones leave)."""
    return ("---\ntitle: \"Post %d\"\ndate: 2026-01-%02dT10:00:00Z\n"
            "tags: [t%d, all]\nevents:\n  - title: Meeting %d\n"
            "    start: 2027-02-%02dT18:00\n    duration: 1h\n"
            "    description: REV%d %s\n---\nREV%d marker of p%02d.\n\n%s\n"
            % (i, i + 1, i % 2, i, i + 1, rev, words("ev %d %d" % (i, rev), 300),
               rev, i, words("body %d %d" % (i, rev), WORDS)))


def files(rev):
    return {"news/p%02d.md" % i: post(i, rev) for i in range(POSTS)}


def rewrite(d, rev):
    for rel, text in files(rev).items():
        d.write_like_editor(rel, text)


# Slow readers wait on kept-alive connections while the content is
# rewritten: no idle cut-off meanwhile, even under valgrind.
LONG_IDLE = {"idle_timeout": "3600"}

# Documents read slowly: (path, gzip).  Flat feeds (identity and gzip in
# the store), a post page (both in the store), a calendar (identity in
# the store), a tag feed.
TARGETS = [("/feed.atom", True), ("/feed.atom", False), ("/feed.rss", True),
           ("/news/p03/", True), ("/news/p03/", False), ("/calendar.ics", False),
           ("/tags/t0/feed.atom", True), ("/news/feed.atom", False)]


# --- raw HTTP -------------------------------------------------------------

TOKEN = rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
HEADER_LINE = re.compile(rb"(" + TOKEN + rb"): ([\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)")


def connect(d, rcvbuf=None, mss=None):
    """A connected socket.  rcvbuf: a small receive buffer (set before
    connect: it decides the window).  mss: a small MSS announced in the
    SYN, which makes the server's send buffer small too (Linux sizes it
    from the MSS), so that sendfile() takes only part of a body and the
    rest is left to evhttp as a reference (reply)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf is not None:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    if mss is not None:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, mss)
    s.settimeout(30 * SLOW)
    s.connect(("127.0.0.1", d.port))
    return s


def request(method, path, headers=(), version=b"HTTP/1.1"):
    out = method + b" " + path + b" " + version + b"\r\nHost: 127.0.0.1\r\n"
    for k, v in headers:
        out += k + b": " + v + b"\r\n"
    return out + b"\r\n"


class Head:
    """A response head as sent: the status line and the header lines in
    order, with their names as written."""

    def __init__(self, raw):
        assert raw.endswith(b"\r\n\r\n"), raw
        text = raw[:-4]
        # every line ends with CRLF: no bare CR or LF anywhere
        assert b"\n" not in text.replace(b"\r\n", b"") and \
            b"\r" not in text.replace(b"\r\n", b""), raw
        lines = text.split(b"\r\n")
        self.raw = raw
        self.status_line = lines[0]
        self.lines = []
        for line in lines[1:]:
            m = HEADER_LINE.fullmatch(line)
            assert m, "malformed header line %r in\n%s" % (line, raw.decode("latin-1"))
            self.lines.append((m.group(1).decode(), m.group(2).decode()))
        self.names = [k.lower() for k, _ in self.lines]
        dup = {n for n in self.names if self.names.count(n) > 1}
        assert not dup, "repeated header %s in\n%s" % (dup, raw.decode("latin-1"))
        self.h = {k.lower(): v for k, v in self.lines}
        parts = self.status_line.split(b" ", 2)
        self.status = int(parts[1])

    def get(self, name, default=None):
        return self.h.get(name, default)

    def __getitem__(self, name):
        return self.h[name]


def read_head(sock, buf=b"", step=65536):
    """(Head, bytes after it) of the next response on sock."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(step)
        assert chunk, "connection closed before a response head: %r" % buf[:300]
        buf += chunk
    i = buf.index(b"\r\n\r\n") + 4
    return Head(buf[:i]), buf[i:]


def read_response(sock, buf=b"", no_body=False, step=65536):
    """(Head, body, rest): one Content-Length framed response."""
    head, rest = read_head(sock, buf, step)
    n = 0 if no_body or head.status == 304 else int(head["content-length"])
    while len(rest) < n:
        chunk = sock.recv(step)
        assert chunk, "connection closed mid-body (%d of %d bytes)" % (len(rest), n)
        rest += chunk
    return head, rest[:n], rest[n:]


def read_to_eof(sock, buf=b"", step=65536):
    while True:
        chunk = sock.recv(step)
        if not chunk:
            return buf
        buf += chunk


def fresh(d, path, gz, extra=()):
    """A single request on a new connection: (Head, body).  A gzip request
    waits until the last rebuild's gzip bodies are made (they follow its
    identity bodies, src/build/gzlater.c)."""
    hdrs = ((b"Accept-Encoding", b"gzip"),) if gz else ()
    if gz:
        d.wait_gzip()
    s = connect(d)
    try:
        s.sendall(request(b"GET", path.encode(), hdrs + tuple(extra) +
                          ((b"Connection", b"close"),)))
        head, body, rest = read_response(s)
        assert read_to_eof(s, rest) == b"", path
    finally:
        s.close()
    assert head.status == 200, (path, head.raw)
    assert (head.get("content-encoding") == "gzip") == gz, (path, gz, head.raw)
    assert int(head["content-length"]) == len(body)
    return head, body


def plain_of(head, body):
    return gzip.decompress(body) if head.get("content-encoding") == "gzip" else body


# --- (a) slow readers while documents are replaced -----------------------

class SlowReader:
    """A GET on a socket with a small receive buffer: the head and a little
    of the body are read at once, the rest when told.  With the default
    MSS the server's send buffer takes the whole body (all of it handed to
    the kernel by sendfile); with mss=536 only part (the rest waits in
    evhttp's buffer, holding the document)."""

    def __init__(self, d, path, gz, rcvbuf=4096, mss=None):
        self.path, self.gz, self.mss = path, gz, mss
        self.sock = connect(d, rcvbuf, mss)
        hdrs = ((b"Accept-Encoding", b"gzip"),) if gz else ()
        self.sock.sendall(request(b"GET", path.encode(), hdrs))
        self.head, self.body = read_head(self.sock, step=512)
        assert self.head.status_line == b"HTTP/1.1 200 OK", self.head.raw
        assert (self.head.get("content-encoding") == "gzip") == gz, self.head.raw
        self.length = int(self.head["content-length"])
        self.read(2048)

    def read(self, upto):
        """Reads, 1 KiB at a time, until upto bytes of the body are in."""
        upto = min(upto, self.length)
        while len(self.body) < upto:
            chunk = self.sock.recv(1024)
            assert chunk, "%s: closed after %d of %d bytes" % (
                self.path, len(self.body), self.length)
            self.body += chunk

    def finish(self):
        """Reads the rest; then the connection must serve another request
        (nothing was sent beyond Content-Length)."""
        self.read(self.length)
        assert len(self.body) == self.length, (
            "%s: %d bytes beyond Content-Length" % (self.path, len(self.body) - self.length))
        self.sock.sendall(request(b"HEAD", self.path.encode(),
                                  ((b"Connection", b"close"),)))
        data = read_to_eof(self.sock)
        head, rest = read_head(self.sock, data)
        assert head.status_line == b"HTTP/1.1 200 OK" and rest == b"", (self.path, data[:300])
        self.sock.close()


def snapshot(d):
    """{(path, gzip): (etag, body)} from fresh clients, both
    representations of every target path."""
    out = {}
    for path in sorted({p for p, _ in TARGETS}):
        for gz in (False, True):
            head, body = fresh(d, path, gz)
            out[(path, gz)] = (head["etag"], body)
    return out


def wait_revision(d, rev):
    """Until every target is served at revision rev (every post rewritten)."""
    def served():
        for path, gz in TARGETS:
            head, body = fresh(d, path, gz)
            plain = plain_of(head, body)
            if b"REV%d " % rev not in plain or b"REV%d " % (rev - 1) in plain:
                return False
        return True
    d.wait_for(served, 15, "revision %d never served" % rev)


def check_reader(r, want, plain_want):
    """r got exactly the bytes fresh clients got for its ETag."""
    etag, body = want
    assert r.head["etag"] == etag, (r.path, r.gz, r.mss, r.head["etag"], etag)
    assert len(r.body) == r.length == len(body), (r.path, r.gz, r.length, len(body))
    if r.body != body:
        at = next(i for i in range(len(body)) if r.body[i] != body[i])
        raise AssertionError("%s (gzip %s, mss %s): the body read slowly differs from "
                             "the one served for %s from byte %d of %d: %r instead of %r"
                             % (r.path, r.gz, r.mss, etag, at, len(body), r.body[at:at + 24],
                                body[at:at + 24]))
    if r.gz:
        assert gzip.decompress(r.body) == plain_want, r.path


def test_fixture_bodies_are_in_the_store():
    """The sizes the other tests rely on: above BODYSTORE_MIN, identity and
    gzip, and flat (below ROPE_MIN) for feeds."""
    with Daemon(files=files(0)) as d:
        for path in ("/feed.atom", "/feed.rss", "/news/feed.atom", "/tags/t0/feed.atom",
                     "/news/p03/"):
            hp, plain = fresh(d, path, False)
            hz, packed = fresh(d, path, True)
            assert STORE_MIN <= len(packed) and len(plain) < ROPE_MIN, (
                path, len(plain), len(packed))
            assert gzip.decompress(packed) == plain
        assert len(fresh(d, "/calendar.ics", False)[1]) >= STORE_MIN


def slow_readers_across_rewrites(mss):
    """One slow reader per representation of /feed.atom; every post is
    rewritten twice (feeds, pages, calendars re-rendered), the readers
    read all but the last 24 KiB, the posts are rewritten twice more, and
    the readers read the rest."""
    with Daemon(files=files(0), settings=LONG_IDLE) as d:
        before = snapshot(d)
        readers = [SlowReader(d, "/feed.atom", gz, mss=mss) for gz in (True, False)]
        try:
            for rev in range(1, 5):
                if rev == 3:
                    for r in readers:
                        r.read(r.length - 24 * 1024)
                rewrite(d, rev)
                wait_revision(d, rev)
            after = snapshot(d)
            for r in readers:
                r.finish()
        finally:
            for r in readers:
                r.sock.close()
        plain = before[("/feed.atom", False)][1]
        errors = []
        for r in readers:
            try:
                check_reader(r, before[(r.path, r.gz)], plain)
            except AssertionError as e:
                errors.append(str(e))
        assert not errors, "\n".join(errors)
        for key in before:
            assert after[key][0] != before[key][0] and after[key][1] != before[key][1], key
        assert b"REV4 " in after[("/feed.atom", False)][1]


def test_slow_reader_keeps_its_version_across_rewrites():
    """(a) The whole body handed to the kernel by sendfile at once: the
    document is freed at the next rewrite, and its range of the store
    given to newer bodies, while the reader has read 2 KiB of it."""
    slow_readers_across_rewrites(None)


def test_slow_reader_with_partial_sendfile_keeps_its_version():
    """(a) Only part of the body taken by sendfile, the rest left in
    evhttp's buffer as a reference holding the document (released once
    written, then its range reused by the last two rewrites)."""
    slow_readers_across_rewrites(536)


def many_slow_readers(workers):
    """Readers on every target and representation, opened at each of five
    versions, none read further until the end (halfway, then after two
    more versions): freed ranges of the store are taken again by newer
    bodies while older bodies are still on their way."""
    with Daemon(files=files(0), settings=dict(LONG_IDLE, workers=str(workers))) as d:
        versions, readers = [], []
        try:
            for rev in range(0, 7):
                if rev:
                    rewrite(d, rev)
                    wait_revision(d, rev)
                versions.append(snapshot(d))
                if rev < 5:
                    readers += [(rev, SlowReader(d, p, gz, mss=mss))
                                for p, gz in TARGETS for mss in (None, 536)]
                if rev == 4:
                    for _, r in readers:
                        r.read(r.length // 2)
            for _, r in readers:
                r.finish()
        finally:
            for _, r in readers:
                r.sock.close()
        errors = []
        for rev, r in readers:
            v = versions[rev]
            try:
                check_reader(r, v[(r.path, r.gz)], v[(r.path, False)][1])
            except AssertionError as e:
                errors.append("opened at revision %d: %s" % (rev, e))
        assert not errors, "%d of %d slow readers got other bytes; the first:\n%s" % (
            len(errors), len(readers), "\n".join(errors[:6]))
        for path, gz in TARGETS:
            etags = [v[(path, gz)][0] for v in versions]
            assert len(set(etags)) == len(etags), (path, gz, etags)


def test_many_slow_readers_opened_at_every_version():
    """(a) 40 slow readers, one serving loop."""
    many_slow_readers(1)


def test_many_slow_readers_two_workers():
    """(a) The same with two serving loops: documents are released by
    whichever loop sent them last."""
    many_slow_readers(2)


# --- (b) header lines on the wire ----------------------------------------

COMMON = {"date", "etag", "last-modified", "cache-control", "vary",
          "x-content-type-options"}
TYPES = {"/feed.atom": "application/atom+xml; charset=utf-8",
         "/feed.rss": "application/rss+xml; charset=utf-8",
         "/calendar.ics": "text/calendar; charset=utf-8",
         "/": "text/html; charset=utf-8",
         "/news/p03/": "text/html; charset=utf-8"}


def expected_names(path, kind, gz):
    """The exact set of header names of a response (HTTP/1.1, kept alive)."""
    names = set(COMMON)
    if path not in ("/", "/news/p03/"):
        names.add("access-control-allow-origin")
    if kind in ("200", "HEAD"):
        names |= {"content-type", "content-length"}
        if gz:
            names.add("content-encoding")
    return names


def one_exchange(d, req, no_body=False):
    """Sends req on a new kept-alive connection and reads one response;
    then a HEAD with Connection: close on the same connection must come
    back whole, right after (nothing beyond the first response's body)."""
    s = connect(d)
    try:
        s.sendall(req)
        head, body, rest = read_response(s, no_body=no_body)
        s.sendall(request(b"HEAD", b"/", ((b"Connection", b"close"),)))
        data = read_to_eof(s, rest)
    finally:
        s.close()
    assert data.startswith(b"HTTP/1.1 200 OK\r\n") and b"\r\n\r\n" in data, (req, data[:200])
    assert read_head(None, data)[1] == b"", data[:300]
    assert "connection" not in head.names, head.raw
    return head, body


def check_values(path, head, gz, etags, length=None):
    assert head["etag"] == etags[gz], (path, head["etag"], etags)
    assert head["etag"].endswith('-gz"') == gz, head["etag"]
    assert head["cache-control"] == "public, max-age=300", head.raw
    assert head["vary"] == "Accept-Encoding", head.raw
    assert head["x-content-type-options"] == "nosniff", head.raw
    parsedate_to_datetime(head["date"])
    assert head["date"].endswith(" GMT") and head["last-modified"].endswith(" GMT")
    parsedate_to_datetime(head["last-modified"])
    if "access-control-allow-origin" in head.names:
        assert head["access-control-allow-origin"] == "*"
    if "content-type" in head.names:
        assert head["content-type"] == TYPES[path], (path, head["content-type"])
    if "content-encoding" in head.names:
        assert head["content-encoding"] == "gzip"
    if length is not None:
        assert head["content-length"] == str(length), (path, head["content-length"], length)


def test_exact_header_lines_of_every_kind_of_response():
    """(b) 200, HEAD, 304 on If-None-Match and on If-Modified-Since, and a
    200 despite the other representation's ETag; gzip and identity; for a
    feed and a post page (bodies in the store), the front page (small,
    HTML: no CORS) and the site calendar."""
    with Daemon(files=files(0)) as d:
        for path in ("/feed.atom", "/news/p03/", "/", "/calendar.ics"):
            p = path.encode()
            hp, plain = fresh(d, path, False)
            hz, packed = fresh(d, path, True)
            etags = {False: hp["etag"], True: hz["etag"]}
            assert etags[False] != etags[True]
            for gz in (True, False):
                ae = ((b"Accept-Encoding", b"gzip"),) if gz else ()
                want = packed if gz else plain
                # 200
                head, body = one_exchange(d, request(b"GET", p, ae))
                assert head.status_line == b"HTTP/1.1 200 OK", head.raw
                assert set(head.names) == expected_names(path, "200", gz), (path, gz, head.raw)
                check_values(path, head, gz, etags, len(want))
                assert body == want, (path, gz)
                # HEAD: the GET's head, no body
                head, body = one_exchange(d, request(b"HEAD", p, ae), no_body=True)
                assert head.status_line == b"HTTP/1.1 200 OK", head.raw
                assert set(head.names) == expected_names(path, "HEAD", gz), (path, gz, head.raw)
                check_values(path, head, gz, etags, len(want))
                # 304 on the representation's own ETag
                head, body = one_exchange(d, request(
                    b"GET", p, ae + ((b"If-None-Match", etags[gz].encode()),)))
                assert head.status_line == b"HTTP/1.1 304 Not Modified", head.raw
                assert set(head.names) == expected_names(path, "304", gz), (path, gz, head.raw)
                check_values(path, head, gz, etags)
                assert body == b""
                # a 304 on If-Modified-Since: the same head
                head, body = one_exchange(d, request(
                    b"GET", p, ae + ((b"If-Modified-Since", hp["last-modified"].encode()),)))
                assert head.status_line == b"HTTP/1.1 304 Not Modified", head.raw
                assert set(head.names) == expected_names(path, "304", gz), (path, gz, head.raw)
                check_values(path, head, gz, etags)
                # the other encoding's ETag of this version: asking for
                # gzip with the identity tag, a 304 with that tag (the
                # client holds this version); without gzip, the gzip tag
                # validates nothing (a cache must not serve it gzip)
                head, body = one_exchange(d, request(
                    b"GET", p, ae + ((b"If-None-Match", etags[not gz].encode()),)))
                if gz:
                    assert head.status_line == b"HTTP/1.1 304 Not Modified", head.raw
                    assert set(head.names) == expected_names(path, "304", False), \
                        (path, gz, head.raw)
                    check_values(path, head, False, etags)
                    assert body == b""
                else:
                    assert head.status_line == b"HTTP/1.1 200 OK", head.raw
                    assert body == want
                # a tag of no version: a 200
                head, body = one_exchange(d, request(
                    b"GET", p, ae + ((b"If-None-Match", b'"00"'),)))
                assert head.status_line == b"HTTP/1.1 200 OK", head.raw
                assert set(head.names) == expected_names(path, "200", gz), (path, gz, head.raw)
                assert body == want


def test_http10_keep_alive_and_http11_close():
    """(b) HTTP/1.0 with "Connection: keep-alive": one "Connection:
    keep-alive" line and the connection serves the next requests (a body
    from the store, a 304, a small page); without it the server closes.
    HTTP/1.1 with "Connection: close": one "Connection: close" line."""
    with Daemon(files=files(0)) as d:
        hz, packed = fresh(d, "/feed.atom", True)
        hp, page = fresh(d, "/", False)
        ka = ((b"Connection", b"keep-alive"),)
        gz = ((b"Accept-Encoding", b"gzip"),)
        s = connect(d)
        try:
            s.sendall(request(b"GET", b"/feed.atom", gz + ka, b"HTTP/1.0"))
            head, body, rest = read_response(s)
            assert head.status_line in (b"HTTP/1.0 200 OK", b"HTTP/1.1 200 OK"), head.raw
            assert head["connection"].lower() == "keep-alive", head.raw
            assert set(head.names) == expected_names("/feed.atom", "200", True) | {"connection"}
            assert body == packed and rest == b""
            s.sendall(request(b"GET", b"/feed.atom",
                              gz + ka + ((b"If-None-Match", hz["etag"].encode()),), b"HTTP/1.0"))
            head, body, rest = read_response(s)
            assert head.status == 304 and head["connection"].lower() == "keep-alive", head.raw
            assert set(head.names) == expected_names("/feed.atom", "304", True) | {"connection"}
            s.sendall(request(b"GET", b"/", ka, b"HTTP/1.0"))
            head, body, rest = read_response(s)
            assert head.status == 200 and head["connection"].lower() == "keep-alive", head.raw
            assert body == page and rest == b""
            # HTTP/1.0 without keep-alive: the last response, then EOF
            s.sendall(request(b"GET", b"/feed.atom", gz, b"HTTP/1.0"))
            data = read_to_eof(s)
        finally:
            s.close()
        head, rest = read_head(None, data)
        assert head.status == 200 and head.get("connection", "close").lower() == "close", head.raw
        assert rest == packed, (len(rest), len(packed))
        s = connect(d)
        try:
            s.sendall(request(b"GET", b"/feed.atom", gz + ((b"Connection", b"close"),)))
            data = read_to_eof(s)
        finally:
            s.close()
        head, rest = read_head(None, data)
        assert head.status_line == b"HTTP/1.1 200 OK" and head["connection"] == "close", head.raw
        assert set(head.names) == expected_names("/feed.atom", "200", True) | {"connection"}
        assert rest == packed


def test_every_other_response_names_its_type_once():
    """(b) evhttp's default Content-Type is off: every other kind of
    response (ours and evhttp's own errors) still names exactly one, and
    its lines are well formed."""
    with Daemon(files=files(0), settings={"max_header_size": "2048"}) as d:
        close = ((b"Connection", b"close"),)
        cases = [
            (request(b"GET", b"/no/such/thing", close), 404),
            (request(b"HEAD", b"/no/such/thing", close), 404),
            (request(b"DELETE", b"/feed.atom", close), 405),
            (request(b"GET", b"/news/p03", close), 301),
            (request(b"GET", b"/%2e%2e/etc/passwd", close), 400),
            (request(b"GET", b"/status", close), 200),
            (request(b"HEAD", b"/status", close), 200),
            (request(b"GET", b"/metrics", close), 200),
            (request(b"HEAD", b"/metrics", close), 200),
            (request(b"GET", b"/feed.atom?tags=t0", close), 200),
            (request(b"GET", b"/calendar.ics?tags=t1",
                     close + ((b"Accept-Encoding", b"gzip"),)), 200),
            (b"GARBAGE\r\n\r\n", 400),
            (request(b"GET", b"/feed.atom", ((b"X-Big", b"a" * 4000),)), None),
        ]
        for req, status in cases:
            s = connect(d)
            try:
                s.sendall(req)
                data = read_to_eof(s)
            finally:
                s.close()
            head, body = read_head(None, data)
            if status is None:
                assert head.status in (400, 413, 431), head.raw
            else:
                assert head.status == status, (req[:60], head.raw)
            assert "content-type" in head.names, (req[:60], head.raw)
            assert "date" in head.names, (req[:60], head.raw)
            if not req.startswith(b"HEAD "):
                assert int(head["content-length"]) == len(body), (req[:60], head.raw)
            else:
                assert body == b""


# --- (c) pipelining -------------------------------------------------------

def pipeline(d):
    """[(request bytes, expected status, expected Head check, body)]."""
    fz = fresh(d, "/feed.atom", True)
    fi = fresh(d, "/feed.atom", False)
    front = fresh(d, "/", False)
    cal = fresh(d, "/calendar.ics", False)
    pz = fresh(d, "/news/p03/", True)
    rz = fresh(d, "/feed.rss", True)
    ti = fresh(d, "/tags/t0/feed.atom", False)
    gz = ((b"Accept-Encoding", b"gzip"),)

    def inm(h):
        return ((b"If-None-Match", h["etag"].encode()),)
    return [
        (request(b"GET", b"/feed.atom", gz), 200, fz[0], fz[1]),
        # the gzip ETag validates nothing without gzip: a 200, identity
        (request(b"GET", b"/feed.atom", inm(fz[0])), 200, fi[0], fi[1]),
        # the identity ETag with gzip: a 304 carrying it
        (request(b"GET", b"/feed.atom", gz + inm(fi[0])), 304, fi[0], b""),
        (request(b"HEAD", b"/"), 200, front[0], b""),
        (request(b"GET", b"/calendar.ics"), 200, cal[0], cal[1]),
        (request(b"GET", b"/news/p03/", gz + inm(pz[0])), 304, pz[0], b""),
        (request(b"GET", b"/feed.rss", gz), 200, rz[0], rz[1]),
        (request(b"GET", b"/news/p03/", gz), 200, pz[0], pz[1]),
        (request(b"HEAD", b"/feed.atom", gz), 200, fz[0], b""),
        (request(b"GET", b"/feed.atom", gz + inm(fz[0])), 304, fz[0], b""),
        (request(b"GET", b"/tags/t0/feed.atom", ((b"Connection", b"close"),)), 200, ti[0], ti[1]),
    ]


def run_pipeline(d, rcvbuf=None, mss=None, step=65536):
    seq = pipeline(d)
    s = connect(d, rcvbuf, mss)
    try:
        s.sendall(b"".join(r for r, _, _, _ in seq))    # one send()
        rest = b""
        for i, (req, status, want, body) in enumerate(seq):
            no_body = req.startswith(b"HEAD ")
            head, got, rest = read_response(s, rest, no_body=no_body, step=step)
            assert head.status == status, (i, req, head.raw)
            assert head["etag"] == want["etag"], (i, req, head.raw)
            if status == 200:
                assert head["content-length"] == want["content-length"], (i, req)
                assert head.get("content-encoding") == want.get("content-encoding"), (i, req)
                assert head["content-type"] == want["content-type"], (i, req)
            else:
                assert not {"content-type", "content-encoding", "content-length"} & \
                    set(head.names), (i, head.raw)
            assert got == body, (i, req, len(got), len(body))
        assert read_to_eof(s, rest) == b"", "bytes after the last response"
    finally:
        s.close()


def test_pipelined_requests_in_one_send():
    """(c) Ten requests in one write, responses read in order: bodies and
    heads equal those of single requests."""
    with Daemon(files=files(0)) as d:
        run_pipeline(d)


def test_pipelined_requests_read_slowly():
    """(c) The same with a small receive buffer and MSS, read 1 KiB at a
    time: most of each store-backed body is left for evhttp to write after
    sendfile, and the next response must come only after it."""
    with Daemon(files=files(0)) as d:
        run_pipeline(d, rcvbuf=4096, mss=536, step=1024)


# --- (d) max_age reloaded -------------------------------------------------

def all_kinds(d, path):
    """Cache-Control of a 200, a HEAD and a 304, identity and gzip, each on
    a new connection; and the ETags seen."""
    ccs, etags = set(), set()
    for gz in (False, True):
        ae = ((b"Accept-Encoding", b"gzip"),) if gz else ()
        p = path.encode()
        head, _ = one_exchange(d, request(b"GET", p, ae))
        ccs.add(head["cache-control"])
        etag = head["etag"]
        etags.add(etag)
        head, _ = one_exchange(d, request(b"HEAD", p, ae), no_body=True)
        ccs.add(head["cache-control"])
        head, _ = one_exchange(d, request(b"GET", p, ae + ((b"If-None-Match", etag.encode()),)))
        assert head.status == 304, head.raw
        ccs.add(head["cache-control"])
    return ccs, etags


RELOAD_PATHS = ["/feed.atom", "/news/p03/", "/", "/calendar.ics", "/news/p05/"]


def reload_max_age(d, seconds):
    d.settings["max_age"] = str(seconds)
    d.write_config()
    d.signal(signal.SIGHUP)
    want = "public, max-age=%d" % seconds
    d.wait_for(lambda: fresh(d, "/feed.atom", False)[0]["cache-control"] == want,
               10, "the reload to max_age=%d never showed" % seconds)
    return {want}


def check_reload(workers):
    with Daemon(files=files(0), settings={"max_age": "300", "workers": str(workers)}) as d:
        etags = {}
        for _ in range(2):      # heads made (and cached) with max-age=300
            for path in RELOAD_PATHS:
                ccs, etags[path] = all_kinds(d, path)
                assert ccs == {"public, max-age=300"}, (path, ccs)
        want = reload_max_age(d, 77)
        for _ in range(3):      # every response, not just the first
            for path in RELOAD_PATHS:
                ccs, e = all_kinds(d, path)
                assert ccs == want, (path, ccs)
                assert e == etags[path], (path, "the reload changed the document")
        # new documents get heads with 77; an old one again after going back
        d.write_like_editor("news/p05.md", post(5, 1))
        d.wait_for(lambda: b"REV1 " in fresh(d, "/news/p05/", False)[1], 10, "no rebuild")
        for path in RELOAD_PATHS:
            assert all_kinds(d, path)[0] == want, path
        want = reload_max_age(d, 300)
        for _ in range(2):
            for path in RELOAD_PATHS:
                ccs, _ = all_kinds(d, path)
                assert ccs == want, (path, ccs)


def test_reload_max_age_reaches_unchanged_documents():
    """(d) max_age 300 -> 77 -> 300 by SIGHUP, one loop."""
    check_reload(1)


def test_reload_max_age_reaches_unchanged_documents_two_workers():
    """(d) The same with two serving loops (each its own configuration)."""
    check_reload(2)
