"""Hostile clients and hostile files, end to end (issue 6, "Hostile HTTP and
files"), beyond test_http.py:

- 1000 idle connections opened at once while a normal client is served
  within a second;
- a slowloris client (headers one byte per 100 ms) does not block others
  and is cut off by idle_timeout, on a new connection and on a kept-alive
  one after a first quick request;
- symbolic links (to a file, to a folder) pointing outside the content
  folder are not followed: a warning in /status, the target's text nowhere;
- drafts, future, embargoed and expired pages nowhere: no document, feed,
  calendar, front page, /status detail or output-folder file holds them,
  including a page that expires and one turned into a draft while running;
- a file over max_file_size, binary junk, YAML "billion laughs", YAML
  nested 200 levels deep and a page with 10 000 schedule lines: each
  reported in /status, the rest served, the daemon responsive.

Every document is found by crawling: the front page's links, /status, the
calendars' UIDs (per-event .ics), the pages' links.  The fixture text is
written for these tests.
"""
import datetime
import gzip
import shutil
import signal
import subprocess
import json
import os
import random
import re
import resource
import socket
import threading
import time
import xml.dom.minidom

from harness import CRIER as CRIER_BIN, WRAP, Daemon, SLOW

UTC = datetime.timezone.utc


def post(title, date="2024-03-01T10:00:00Z", body="Some text.\n", extra=""):
    return '---\ntitle: "%s"\ndate: %s\n%s---\n\n%s' % (title, date, extra, body)


BASE_FILES = {
    "news/harbour.md": post("Harbour clean-up", "2024-04-02T09:00:00Z",
                            "Bring gloves.\n\n- **When:** 2024-04-20 (Sat) 10:00-12:00\n",
                            'tags: ["Harbour"]\ncategories: ["News"]\n'),
    "meetups/lanterns.md": post("Lantern night", "2024-05-05T18:00:00Z",
                                "### Lanterns\n\n- **When:** 2024-06-05 (Wed) 19:00-21:00\n",
                                'tags: ["Meetup"]\n'),
}


# --- crawling ----------------------------------------------------------------

def unfold(ics):
    return re.sub(rb"\r?\n[ \t]", b"", ics)


def crawl(d, limit=400):
    """Every document reachable from /, /status, the site feeds and the
    calendars' UIDs: {path: body}.  Fails on any answer but 200/404."""
    todo = ["/", "/status", "/feed.atom", "/feed.rss", "/calendar.ics"]
    seen, docs = set(), {}
    prefix = d.base.encode()
    while todo and len(seen) < limit:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        status, _, body = d.get(path)
        assert status in (200, 404), (path, status)
        if status != 200:
            continue
        docs[path] = body
        for m in re.finditer(rb'(?:href|src)="' + re.escape(prefix) + rb'(/[^"#]*)', body):
            link = m.group(1).decode().replace("&amp;", "&")
            if link not in seen:
                todo.append(link)
        if path.endswith(".ics"):
            for uid in re.findall(rb"^UID:(.+?)\r?$", unfold(body), re.M):
                link = "/events/%s.ics" % uid.decode()
                if link not in seen:
                    todo.append(link)
        if path.endswith((".atom", ".rss")):
            xml.dom.minidom.parseString(body)      # well-formed, or it raises
    return docs


def file_status(d, rel):
    for f in d.status()["files"]:
        if f["path"] == rel:
            return f
    return None


def wait_file(d, rel, state, timeout=5):
    got = []

    def ok():
        got[:] = [file_status(d, rel)]
        return got[0] is not None and got[0]["state"] == state
    try:
        d.wait_for(ok, timeout)
    except AssertionError:
        raise AssertionError("%s: want state %s, got %r" % (rel, state, got[0] if got else None))
    return got[0]


def timed_get(d, path):
    t = time.time()
    status, headers, body = d.get(path)
    return time.time() - t, status, headers, body


def feed_ok(d):
    took, status, headers, body = timed_get(d, "/feed.atom")
    assert status == 200 and int(headers["content-length"]) == len(body), status
    xml.dom.minidom.parseString(body)
    return took, body


# --- many idle connections ----------------------------------------------------

def raise_nofile(want):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < want:
        new = want if hard == resource.RLIM_INFINITY else min(want, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    assert soft == resource.RLIM_INFINITY or soft >= want, \
        "RLIMIT_NOFILE is %d, this test needs %d (raise the hard limit)" % (soft, want)


def test_thousand_idle_connections_normal_client_served_within_a_second():
    # the daemon inherits the raised limit: 1000 connections + its own files
    raise_nofile(2600)
    with Daemon(files=BASE_FILES) as d:
        want = d.body("/feed.atom")
        idle = []
        try:
            for i in range(1000):
                s = socket.socket()
                s.settimeout(10 * SLOW)
                s.connect(("127.0.0.1", d.port))
                if i % 3 == 1:          # a request line, never finished
                    s.sendall(b"GET /feed.atom HTTP/1.1\r\nHost: x\r\n")
                elif i % 3 == 2:        # half a request line
                    s.sendall(b"GET /fe")
                idle.append(s)
            # all 1000 held open: none was refused or reset by the server
            time.sleep(0.3 * SLOW)
            dead = 0
            for s in idle:
                s.setblocking(False)
                try:
                    if s.recv(1) == b"":
                        dead += 1
                except BlockingIOError:
                    pass
                except OSError:
                    dead += 1
            assert dead == 0, "%d of 1000 idle connections were dropped early" % dead
            times = []
            for _ in range(5):
                took, status, headers, body = timed_get(d, "/feed.atom")
                assert status == 200 and body == want, status
                times.append(took)
            assert max(times) < 1.0 * SLOW, \
                "served in %s s with 1000 idle connections" % ["%.3f" % t for t in times]
            took, status, _, body = timed_get(d, "/status")
            assert status == 200 and took < 1.0 * SLOW, (status, took)
            json.loads(body)
        finally:
            for s in idle:
                s.close()
        # and after they all go away, still serving
        time.sleep(0.2 * SLOW)
        assert d.body("/feed.atom") == want


# --- slowloris ------------------------------------------------------------------

def read_one_response(sock):
    """Reads one Content-Length framed response from a blocking socket."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        assert chunk, "closed before a response head"
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    n = int(re.search(rb"(?im)^content-length:\s*(\d+)", head).group(1))
    while len(rest) < n:
        chunk = sock.recv(65536)
        assert chunk, "closed mid-body"
        rest += chunk
    return head, rest[:n]


def slowloris(d, first=None):
    """Drips a never-ending header, one byte per 100 ms, on one connection
    (after `first`, a whole request answered on it, if given) while others
    ask for the feed; returns the seconds until the server cut the drip
    off, or None if it never did within 12 s."""
    want = d.body("/feed.atom")
    s = socket.create_connection(("127.0.0.1", d.port), timeout=5 * SLOW)
    if first is not None:
        s.sendall(first)
        head, body = read_one_response(s)
        assert head.startswith(b"HTTP/1.1 200") and body == want, head[:100]
        assert b"connection: close" not in head.lower(), head
    s.setblocking(False)
    drip = b"GET /feed.atom HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"z" * 100000
    result = {}

    def run():
        t0 = time.time()
        for i in range(len(drip)):
            if time.time() - t0 > 12 * SLOW:
                return
            try:
                s.send(drip[i:i + 1])
            except OSError:
                result["closed"] = time.time() - t0
                return
            try:
                got = s.recv(4096)
            except BlockingIOError:
                got = None
            except OSError:
                got = b""
            if got is not None:
                # the server answered (an error, say) or closed: cut off
                result["closed"] = time.time() - t0
                return
            time.sleep(0.1)

    th = threading.Thread(target=run)
    th.start()
    try:
        # meanwhile, everyone else is served at once
        for _ in range(10):
            took, status, _, body = timed_get(d, "/feed.atom")
            assert status == 200 and body == want
            assert took < 1.0 * SLOW, "served in %.2fs during a slowloris" % took
            time.sleep(0.1)
    finally:
        th.join()
        s.close()
    assert d.body("/feed.atom") == want
    return result.get("closed")


def test_slowloris_cut_off_by_idle_timeout_others_served():
    with Daemon(files=BASE_FILES, settings={"idle_timeout": "2"}) as d:
        closed = slowloris(d)
        assert closed is not None, \
            "a client sending one header byte per 100 ms was still connected after " \
            "12 s (idle_timeout = 2): the timeout restarts at every byte"
        assert closed < 5 * SLOW, "slowloris cut off only after %.1fs" % closed


def test_slowloris_on_kept_alive_connection_cut_off():
    """The same drip, but as the second request of a kept-alive connection
    whose first request was whole and quick."""
    with Daemon(files=BASE_FILES, settings={"idle_timeout": "2"}) as d:
        closed = slowloris(d, first=b"GET /feed.atom HTTP/1.1\r\nHost: x\r\n\r\n")
        assert closed is not None, \
            "after one quick request, a client dripping the next request's headers " \
            "one byte per 100 ms was still connected after 12 s (idle_timeout = 2)"
        assert closed < 5 * SLOW, "slowloris cut off only after %.1fs" % closed


# --- symbolic links ---------------------------------------------------------------

OUTSIDE_MARK = "OUTSIDE-LINK-TARGET-5d21"


def test_symlinks_outside_content_not_followed():
    d = Daemon(files=BASE_FILES)
    outside = os.path.join(d.dir, "outside")
    os.makedirs(os.path.join(outside, "folder"))
    secret = post("%s file" % OUTSIDE_MARK, "2024-06-01T10:00:00Z",
                  "%s body\n\n- **When:** 2024-07-01 (Mon) 19:00-20:00\n" % OUTSIDE_MARK,
                  'tags: ["%s-tag"]\n' % OUTSIDE_MARK)
    for rel in ("secret.md", "folder/inner.md", "folder/_index.md"):
        with open(os.path.join(outside, rel), "w") as f:
            f.write(secret)
    os.symlink(os.path.join(outside, "secret.md"), d.path("news/leak.md"))
    os.symlink(os.path.join(outside, "folder"), d.path("linked"))
    os.symlink("../../outside/secret.md", d.path("meetups/relative.md"))
    with d:
        for rel in ("news/leak.md", "linked", "meetups/relative.md"):
            f = file_status(d, rel)
            assert f is not None, (rel, [x["path"] for x in d.status()["files"]])
            assert f["state"] == "warning", f
            assert "symbolic link" in f["messages"][0]["message"], f
        # added while running: a file link and a folder link
        os.symlink(os.path.join(outside, "secret.md"), d.path("news/later.md"))
        os.symlink(os.path.join(outside, "folder"), d.path("news/later-folder"))
        for rel in ("news/later.md", "news/later-folder"):
            f = wait_file(d, rel, "warning")
            assert "symbolic link" in f["messages"][0]["message"], f
        docs = crawl(d)
        assert "/news/harbour/" in docs and "/calendar.ics" in docs, sorted(docs)
        for path, body in docs.items():
            assert OUTSIDE_MARK.encode() not in body, path
            assert OUTSIDE_MARK.lower().encode() not in body, path
        for path in ("/linked/feed.atom", "/linked/inner/", "/news/leak/", "/news/later/",
                     "/meetups/relative/", "/news/later-folder/inner/"):
            assert d.get(path)[0] == 404, path
        assert d.status()["counts"]["entries"] == 2
        for path in ("/news/flip/", "/news/expiring/", "/news/draft/", "/news/future/",
                     "/news/embargo/", "/news/expired/", "/meetups/draft-json/"):
            assert d.get(path)[0] == 404, path


# --- hidden pages ---------------------------------------------------------------

HIDDEN_MARK = "HIDDEN-PAGE-3e9"


def hidden_files(expire_soon):
    sched = "\n### %s talk\n\n- **When:** 2024-07-10 (Wed) 19:00-20:00\n" % HIDDEN_MARK
    tags = 'tags: ["Harbour", "%s-tag"]\ncategories: ["News", "%s-cat"]\n' % (
        HIDDEN_MARK, HIDDEN_MARK)
    return {
        "news/draft.md": post("%s draft" % HIDDEN_MARK, "2024-05-20T10:00:00Z",
                              sched, tags + "draft: true\n"),
        "news/future.md": post("%s future" % HIDDEN_MARK, "2099-05-01T10:00:00Z",
                               sched, tags),
        "news/embargo.md": post("%s embargo" % HIDDEN_MARK, "2024-02-01T10:00:00Z",
                                sched, tags + "publishDate: 2099-01-01T00:00:00Z\n"),
        "news/expired.md": post("%s expired" % HIDDEN_MARK, "2024-01-10T10:00:00Z",
                                sched, tags + "expiryDate: 2024-02-01T00:00:00Z\n"),
        "meetups/draft-json.md": '{\n  "title": "%s json draft",\n  "date": '
                                 '"2024-05-25T10:00:00Z",\n  "draft": true,\n  "tags": '
                                 '["%s-tag"]\n}\n%s' % (HIDDEN_MARK, HIDDEN_MARK, sched),
        # visible now, expires while the daemon runs
        "news/expiring.md": post("Expiring %s" % HIDDEN_MARK, "2024-03-01T10:00:00Z",
                                 sched, tags + "expiryDate: %s\n" % expire_soon),
        # visible now, turned into a draft while the daemon runs
        "news/flip.md": post("Flipping %s" % HIDDEN_MARK, "2024-03-02T10:00:00Z", sched, tags),
        "meetups/_index.md": '---\ntitle: "Meetups"\n---\n',
    }


def output_files(out):
    found = {}
    for dirpath, _, names in os.walk(out):
        for n in names:
            p = os.path.join(dirpath, n)
            with open(p, "rb") as f:
                data = f.read()
            if n.endswith(".gz"):
                data = gzip.decompress(data)
            found[os.path.relpath(p, out)] = data
    return found


def assert_nowhere(d, out, mark):
    mark = mark.encode()
    low = mark.lower()
    docs = crawl(d)
    extra = ["/feed.atom?tags=harbour", "/calendar.ics?categories=news",
             "/tags/%s-tag/feed.atom" % HIDDEN_MARK.lower(),
             "/categories/%s-cat/calendar.ics" % HIDDEN_MARK.lower()]
    for path in extra:
        status, _, body = d.get(path)
        if status == 301:
            continue
        assert status in (200, 404), (path, status)
        docs[path] = body
    for path, body in docs.items():
        assert mark not in body and low not in body, (path, body[:2000])
    files = output_files(out)
    assert "feed.atom" in files, sorted(files)
    for rel, data in files.items():
        assert mark not in data and low not in data, rel
    # no event of a hidden page on 2024-07-10, anywhere
    for path, body in docs.items():
        if path.endswith(".ics"):
            assert b"20240710" not in unfold(body), path
    return docs, files


def test_hidden_pages_nowhere_including_output_folder():
    # The expiring page is written once the daemon runs, so that a slow
    # start (valgrind, a loaded machine) cannot let it expire unseen.
    files = dict(BASE_FILES)
    files.update(hidden_files("2099-01-01T00:00:00Z"))
    expiring = files.pop("news/expiring.md")
    d = Daemon(files=files)
    out = os.path.join(d.dir, "out")
    d.settings["output_dir"] = out
    with d:
        soon = datetime.datetime.now(UTC) + datetime.timedelta(seconds=3 + SLOW)
        d.write("news/expiring.md", expiring.replace(
            "2099-01-01T00:00:00Z", soon.strftime("%Y-%m-%dT%H:%M:%SZ")))
        # the expiring page is visible first (so the test would see it)
        d.wait_for(lambda: b"Expiring" in d.body("/feed.atom"), 2, "expiring page missing")
        st = d.status()
        hidden = {"news/draft.md", "news/future.md", "news/embargo.md", "news/expired.md",
                  "meetups/draft-json.md"}
        assert hidden <= {f["path"] for f in st["files"]}, st["files"]
        assert HIDDEN_MARK.encode() not in json.dumps(st).encode().replace(
            b"Expiring " + HIDDEN_MARK.encode(), b"")
        assert st["counts"]["entries"] == 4, st["counts"]
        assert d.get("/news/flip/")[0] == 200
        d.write_like_editor("news/flip.md", files["news/flip.md"].replace(
            "date:", "draft: true\ndate:"))
        # hidden pages edited while running (in place, editor-style) stay hidden
        d.write("news/draft.md", files["news/draft.md"].replace(HIDDEN_MARK + " draft",
                                                                HIDDEN_MARK + " draft v2"))
        d.write_like_editor("news/future.md", files["news/future.md"] + "\nmore\n")
        # once expired, the expiring page disappears from everything
        d.wait_for(lambda: HIDDEN_MARK.encode() not in d.body("/feed.atom"), 10,
                   "expired page still in the feed")
        d.wait_for(lambda: not any(HIDDEN_MARK.encode() in v
                                   for v in output_files(out).values()), 5,
                   "expired page still in the output folder")
        docs, written = assert_nowhere(d, out, HIDDEN_MARK)
        assert d.status()["counts"]["entries"] == 2
        for path in ("/news/flip/", "/news/expiring/", "/news/draft/", "/news/future/",
                     "/news/embargo/", "/news/expired/", "/meetups/draft-json/"):
            assert d.get(path)[0] == 404, path
        assert "/feed.atom" in docs and "/news/calendar.ics" in docs
        assert not any(r.startswith(("news/draft", "news/future", "news/embargo", "news/flip",
                                     "news/expired", "news/expiring", "meetups/draft-json"))
                       for r in written), sorted(written)


# --- file size, junk, YAML bombs, schedules ---------------------------------------

BIG_MARK = "BIG-FILE-0a77"


def big_file(n=200 * 1024):
    head = post("%s title" % BIG_MARK, "2024-06-01T10:00:00Z")
    return head + ("%s filler text. " % BIG_MARK) * (n // 25)


def assert_too_big(d, rel):
    try:
        f = wait_file(d, rel, "error")
    except AssertionError as e:
        raise AssertionError("%s\n/status files: %s\nlog:\n%s" % (
            e, [x["path"] for x in d.status()["files"]], d.read_log()[-1500:]))
    msg = " ".join(m["message"] for m in f["messages"])
    assert "max_file_size" in msg and "65536" in msg, f
    assert f["serving"] == "nothing", f


def test_file_over_max_file_size_live():
    with Daemon(files=BASE_FILES, settings={"max_file_size": "65536"}) as d:
        d.write("news/huge.md", big_file())
        assert_too_big(d, "news/huge.md")
        # grown past the limit in place, after being fine: error, last good kept
        d.write("news/grows.md", post("Grows", "2024-06-02T10:00:00Z"))
        d.wait_for(lambda: b"Grows" in d.body("/feed.atom"), 5, "small version not served")
        d.write("news/grows.md", big_file())
        f = wait_file(d, "news/grows.md", "error")
        assert "max_file_size" in f["messages"][0]["message"], f
        took, body = feed_ok(d)
        assert BIG_MARK.encode() not in body and b"Harbour clean-up" in body
        assert took < 1.0 * SLOW


def test_file_over_max_file_size_at_startup():
    files = dict(BASE_FILES)
    files["news/huge.md"] = big_file()
    with Daemon(files=files, settings={"max_file_size": "65536"}) as d:
        assert_too_big(d, "news/huge.md")
        took, body = feed_ok(d)
        assert BIG_MARK.encode() not in body and b"Harbour clean-up" in body


def test_binary_junk_reported_daemon_alive():
    rnd = random.Random(6)
    junk = {
        "news/nul.md": b"---\ntitle: \"Nul\x00 title\"\ndate: 2024-01-01\n---\nbody\x00\n",
        "news/random.md": bytes(rnd.randrange(256) for _ in range(20000)),
        "news/no-nul.md": bytes(rnd.randrange(1, 256) for _ in range(20000)),
        "news/elf.md": b"\x7fELF\x02\x01\x01" + bytes(rnd.randrange(256) for _ in range(4000)),
        "news/utf16.md": '---\ntitle: "UTF-16"\ndate: 2024-01-01\n---\nhi\n'.encode("utf-16"),
    }
    files = dict(BASE_FILES)
    files.update({k: v for k, v in junk.items() if k != "news/elf.md"})
    with Daemon(files=files) as d:
        d.write("news/elf.md", junk["news/elf.md"])
        for rel in junk:
            f = wait_file(d, rel, "error")
            assert f["messages"] and f["messages"][0]["message"], f
        # junk written over a good page: the last good version is kept
        d.write("news/harbour.md", bytes(rnd.randrange(256) for _ in range(3000)))
        f = wait_file(d, "news/harbour.md", "error")
        assert f["serving"] == "last good version", f
        docs = crawl(d)
        assert b"Harbour clean-up" in docs["/feed.atom"]
        assert d.proc.poll() is None
        took, _ = feed_ok(d)
        assert took < 1.0 * SLOW


def laughs(levels=10, fan=10):
    text = '---\ntitle: "Laughs"\ndate: 2024-02-02T10:00:00Z\n'
    text += "l0: &l0 [%s]\n" % ", ".join(['"lol"'] * fan)
    for i in range(1, levels):
        text += "l%d: &l%d [%s]\n" % (i, i, ", ".join(["*l%d" % (i - 1)] * fan))
    text += "tags: *l%d\ndescription: *l%d\n---\nLaughing.\n" % (levels - 1, levels - 1)
    return text


def test_yaml_billion_laughs_no_blow_up():
    files = dict(BASE_FILES)
    files["news/laughs.md"] = laughs()
    with Daemon(files=files) as d:
        f = file_status(d, "news/laughs.md")
        assert f is not None and f["state"] in ("warning", "error"), f
        assert any("alias" in m["message"] for m in f["messages"]), f
        took, body = feed_ok(d)
        assert took < 1.0 * SLOW, took
        assert len(body) < 100_000 and b"lollol" not in body
        # written while running: answered promptly
        t = time.time()
        d.write("news/laughs2.md", laughs().replace("Laughs", "Laughs again"))
        wait_file(d, "news/laughs2.md", f["state"], 3)
        assert time.time() - t < 3 * SLOW
        for path, body in crawl(d).items():
            assert body.count(b"lol") < 100, path
        assert d.proc.poll() is None


def test_yaml_nested_200_levels_error_with_line():
    block = '---\ntitle: "Deep"\ndate: 2024-02-02T10:00:00Z\nroot:\n' + "".join(
        "  " * (i + 1) + "k%d:\n" % i for i in range(200)) + "  " * 201 + "leaf\n---\nbody\n"
    flow = '---\ntitle: "Deep flow"\ndate: 2024-02-02T10:00:00Z\nroot: ' + \
        "[" * 200 + "1" + "]" * 200 + "\n---\nbody\n"
    flowmap = '---\ntitle: "Deep map"\ndate: 2024-02-02T10:00:00Z\nroot: ' + \
        "{a: " * 200 + "1" + "}" * 200 + "\n---\nbody\n"
    files = dict(BASE_FILES)
    files.update({"news/deep.md": block, "news/deep-flow.md": flow})
    with Daemon(files=files) as d:
        d.write("news/deep-map.md", flowmap)
        for rel in ("news/deep.md", "news/deep-flow.md", "news/deep-map.md"):
            f = wait_file(d, rel, "error")
            lines = [m["line"] for m in f["messages"] if m["level"] == "error"]
            assert lines and all(n >= 4 for n in lines), f
        took, body = feed_ok(d)
        assert b"Deep" not in body and took < 1.0 * SLOW


def test_ten_thousand_schedule_lines_capped():
    day0 = datetime.date(2024, 1, 1)
    lines = "".join("- **When:** %s %s 19:00-20:00\n" % (
        (day0 + datetime.timedelta(days=i)).isoformat(),
        (day0 + datetime.timedelta(days=i)).strftime("(%a)")) for i in range(10000))
    page = post("Runaway schedule", "2024-01-01T10:00:00Z", "### Sessions\n\n" + lines)
    with Daemon(files=BASE_FILES) as d:
        t = time.time()
        d.write("news/runaway.md", page)
        f = wait_file(d, "news/runaway.md", "warning", 10)
        took_build = time.time() - t
        msg = " ".join(m["message"] for m in f["messages"])
        assert "ignored" in msg or "max_events_per_page" in msg, msg[:2000]
        assert 0 < f["events"] <= 200, f
        # responsive while and after
        took, body = feed_ok(d)
        assert took < 1.0 * SLOW and b"Runaway schedule" in body
        t = time.time()
        status, _, ics = d.get("/calendar.ics")
        assert status == 200 and time.time() - t < 1.0 * SLOW
        n = unfold(ics).count(b"BEGIN:VEVENT")
        assert f["events"] <= n <= f["events"] + 2, (n, f["events"])
        assert took_build < 5 * SLOW, took_build


def open_fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def test_hang_ups_before_a_request_release_their_descriptors():
    with Daemon(files=BASE_FILES) as d:
        d.body("/feed.atom")
        before = open_fds(d.proc.pid)
        for _ in range(200):
            socket.create_connection(("127.0.0.1", d.port)).close()
        d.wait_for(lambda: open_fds(d.proc.pid) <= before + 5, 5,
                   "descriptors of closed connections are still open: %d, was %d"
                   % (open_fds(d.proc.pid), before))
        assert d.get("/feed.atom")[0] == 200


def test_out_of_descriptors_pauses_instead_of_spinning():
    import resource

    def low_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))

    d = Daemon(files=BASE_FILES)
    conf = d.write_config()
    proc = subprocess.Popen(WRAP + [CRIER_BIN, "-c", conf], stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(d.dir, "err.log"), "wb"),
                            preexec_fn=low_limit)
    socks = []
    try:
        d.proc = proc
        d.wait_for(lambda: d.get("/status")[0] == 200, 10, "no start")
        for _ in range(80):
            try:
                socks.append(socket.create_connection(("127.0.0.1", d.port), timeout=1))
            except OSError:
                break
        time.sleep(1.5)
        with open(os.path.join(d.dir, "err.log"), "rb") as f:
            errors = f.read().count(b"accept")
        # one line per pause (about one a second), not a busy loop
        assert errors <= 10, "accept errors logged %d times" % errors
        for s in socks:
            s.close()
        socks = []
        d.wait_for(lambda: d.get("/feed.atom")[0] == 200, 10 * SLOW,
                   "not serving after descriptors came back")
    finally:
        for s in socks:
            s.close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30 * SLOW) == 0
        d.proc = None
        shutil.rmtree(d.dir, ignore_errors=True)
