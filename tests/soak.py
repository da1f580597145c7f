"""Soak test (issue 6): the real daemon, its content folder churned by a
writer while readers fetch and parse every document, for SOAK_SECONDS
(default 60; CI uses the default).

Writer: creates, edits in place, edits editor-style (temp file + rename),
renames and deletes pages; writes invalid YAML, binary junk and files over
max_file_size; moves whole folders out of the content folder and back in;
writes pages with front-matter events (some repeating), body schedules and
imported .ics calendars.  The number of files stays bounded.

Readers (SOAK_READERS, default 4), each on its own keep-alive connection:
list the documents from the front page (site, section, tag and category
feeds and calendars, pages) and the calendars' UIDs (per-event .ics), fetch
each one, sometimes gzipped, and check it whole:
  - Content-Length equals the bytes received (http.client raises on a short
    body; an extra byte would break the next response on the connection);
  - Atom/RSS: well-formed XML (expat), the right root element, the document
    ending with its closing tag;
  - iCalendar: BEGIN:VCALENDAR first, END:VCALENDAR last, parsed by
    icalendar's Calendar.from_ical;
  - /status: JSON; the front page and pages: a whole HTML document;
  - gzip bodies decompress whole;
  - one ETag never names two different bodies.
404 (a document gone between listing and fetch) and 301 (aliases, slashes)
are fine; any other status, a 5xx, a connection error or a malformed
document is counted and fails the test.

Memory: the daemon's VmRSS is sampled once a second.  See rss_flat().

At the end the churn stops, the readers check everything once more, the
daemon must still be running and exit 0 on SIGTERM.  Prints its figures and
ends with "N passed, N failed" (and ", N skipped": under valgrind the RSS
check is not judged); exits non-zero on a failure.

Environment: CRIER (binary), CRIER_WRAP (e.g. valgrind), SOAK_SECONDS,
SOAK_READERS, SOAK_SEED.
"""
import collections
import datetime
import gzip
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import sys
import threading
import time
import traceback
import xml.parsers.expat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))

from harness import Daemon, SLOW, WRAP  # noqa: E402

from icalendar import Calendar  # noqa: E402

SECONDS = float(os.environ.get("SOAK_SECONDS", "60"))
READERS = int(os.environ.get("SOAK_READERS", "4"))
SEED = int(os.environ.get("SOAK_SEED", str(int(time.time()))))
MAX_FILE_SIZE = 65536
MAX_FILES = 80            # the writer deletes when the folder holds more
MAX_REQUESTS = 2_000_000  # a bound on the readers, whatever the duration

SECTIONS = ["news", "meetups", "workshops", "talks", "notes"]
TAGS = ["Harbour", "Small Services", "Rust", "Go", "潮汐", "Open Data", "Meetup", "C"]
CATEGORIES = ["News", "Events", "Reviews"]
WORDS = ("tide harbour lantern service kelp pier signal boathouse gull anchor "
         "rope ferry beacon chart current drift ebb flood").split()


# --- content -------------------------------------------------------------------

def words(rnd, n):
    return " ".join(rnd.choice(WORDS) for _ in range(n))


def page(rnd, n):
    """A valid page: front matter (sometimes with events), a body (sometimes
    with a schedule), markup to escape."""
    day = datetime.date(2024, 1, 1) + datetime.timedelta(days=rnd.randrange(1200))
    fm = ['title: "Post %d: %s <&> \\"q\\""' % (n, words(rnd, 3)),
          "date: %sT%02d:%02d:00Z" % (day.isoformat(), rnd.randrange(24), rnd.randrange(60)),
          "tags: [%s]" % ", ".join('"%s"' % t for t in rnd.sample(TAGS, rnd.randrange(4))),
          'categories: ["%s"]' % rnd.choice(CATEGORIES),
          'description: "%s"' % words(rnd, 8)]
    if rnd.random() < 0.3:
        fm.append('location: "Pier %d"' % rnd.randrange(20))
    if rnd.random() < 0.3:
        fm.append("events:")
        for k in range(rnd.randrange(1, 4)):
            start = day + datetime.timedelta(days=rnd.randrange(-30, 300))
            fm.append('  - title: "Session %d.%d %s"' % (n, k, words(rnd, 2)))
            fm.append("    start: %sT%02d:30" % (start.isoformat(), 17 + rnd.randrange(4)))
            fm.append("    duration: %s" % rnd.choice(["1h", "90m", "PT2H"]))
            if rnd.random() < 0.3:
                fm.append('    rrule: "FREQ=WEEKLY;COUNT=%d"' % rnd.randrange(2, 6))
    if rnd.random() < 0.1:
        fm.append('aliases: ["/old/post-%d/"]' % n)
    body = "\n\n".join(words(rnd, rnd.randrange(5, 60)) for _ in range(rnd.randrange(1, 6)))
    if rnd.random() < 0.4:
        lines = []
        for k in range(rnd.randrange(1, 8)):
            d = day + datetime.timedelta(days=rnd.randrange(0, 200))
            lines.append("### Talk %d\n\n- **When:** %s (%s) 19:00-20:00\n- **Speaker:** %s\n"
                         % (k, d.isoformat(), d.strftime("%a"), words(rnd, 2)))
        body += "\n\n" + "\n".join(lines)
    if rnd.random() < 0.2:
        body += "\n\n| a | b |\n|---|---|\n| `x<y` | **&amp;** |\n"
    return "---\n%s\n---\n\n%s\n" % ("\n".join(fm), body)


def ics_file(rnd, n):
    start = datetime.datetime(2026, 1, 1) + datetime.timedelta(hours=rnd.randrange(24 * 400))
    ev = []
    for k in range(rnd.randrange(1, 4)):
        s = start + datetime.timedelta(days=7 * k)
        ev.append("BEGIN:VEVENT\r\nUID:soak-%d-%d@partners.example.net\r\n"
                  "DTSTAMP:20260101T120000Z\r\nDTSTART:%s\r\nDTEND:%s\r\n"
                  "SUMMARY:Imported %d.%d %s\r\nEND:VEVENT\r\n"
                  % (n, k, s.strftime("%Y%m%dT%H%M%SZ"),
                     (s + datetime.timedelta(hours=2)).strftime("%Y%m%dT%H%M%SZ"),
                     n, k, words(rnd, 2)))
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//soak//EN\r\n" + "".join(ev) +
            "END:VCALENDAR\r\n")


def invalid_yaml(rnd, n):
    return rnd.choice([
        '---\ntitle: "unterminated %d\ndate: 2024-01-01\n---\nbody\n' % n,
        "---\ntitle: [%d\ndate: {\n---\nbody\n" % n,
        "---\ntitle: x\n  bad: indent: here\n---\n",
        "---\n\t- tab\n---\n",
        "---\ntitle: ok %d\ndate: not-a-date\n---\nbody\n" % n,
        "---\na: &a [1]\nb: *a\nc: *nope\n---\n",
        "---\n" + "x:\n" + "".join("  " * (i + 1) + "k:\n" for i in range(60)) + "---\n",
    ])


def junk(rnd):
    return bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 5000)))


def huge(rnd, n):
    return ("---\ntitle: \"Huge %d\"\ndate: 2024-01-01\n---\n" % n +
            "filler " * (200 * 1024 // 7)).encode()


class Writer(threading.Thread):
    def __init__(self, d, rnd, deadline):
        super().__init__(daemon=True)
        self.d, self.rnd, self.deadline = d, rnd, deadline
        self.outside = os.path.join(d.dir, "outside")
        os.makedirs(self.outside)
        self.n = 0
        self.ops = collections.Counter()
        self.error = None

    def files(self):
        out = []
        for dirpath, _, names in os.walk(self.d.content):
            for name in names:
                if not name.startswith("."):
                    out.append(os.path.relpath(os.path.join(dirpath, name), self.d.content))
        return out

    def new_name(self):
        self.n += 1
        sec = self.rnd.choice(SECTIONS)
        if self.rnd.random() < 0.15:
            sec += "/sub%d" % self.rnd.randrange(3)
        return self.n, "%s/post-%d.md" % (sec, self.n)

    def write(self, rel, data, editor=False):
        p = self.d.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if isinstance(data, str):
            data = data.encode()
        if editor:
            tmp = os.path.join(os.path.dirname(p), "." + os.path.basename(p) + ".swp")
            with open(tmp, "wb") as f:
                f.write(data)
            os.rename(tmp, p)
        else:
            with open(p, "wb") as f:
                f.write(data)

    def step(self):
        rnd = self.rnd
        files = [f for f in self.files() if f.endswith((".md", ".ics"))]
        op = rnd.choices(
            ["create", "edit", "editor", "rename", "delete", "invalid", "junk", "huge",
             "ics", "folder_out", "folder_in", "fix"],
            [20, 20, 15, 8, 8, 5, 3, 2, 4, 2, 2, 8])[0]
        if len(files) > MAX_FILES:
            op = "delete"
        elif op in ("edit", "editor", "rename", "delete", "fix") and not files:
            op = "create"
        if op == "create":
            n, rel = self.new_name()
            self.write(rel, page(rnd, n), editor=rnd.random() < 0.5)
        elif op in ("edit", "editor"):
            rel = rnd.choice(files)
            if rel.endswith(".ics"):
                self.write(rel, ics_file(rnd, self.n), editor=op == "editor")
            else:
                self.n += 1
                self.write(rel, page(rnd, self.n), editor=op == "editor")
        elif op == "fix":
            rel = rnd.choice(files)
            if rel.endswith(".md"):
                self.n += 1
                self.write(rel, page(rnd, self.n))
        elif op == "rename":
            rel = rnd.choice(files)
            _, new = self.new_name()
            if rel.endswith(".ics"):
                new = new[:-3] + ".ics"
            os.makedirs(os.path.dirname(self.d.path(new)), exist_ok=True)
            os.rename(self.d.path(rel), self.d.path(new))
        elif op == "delete":
            os.remove(self.d.path(rnd.choice(files)))
        elif op == "invalid":
            n, rel = self.new_name()
            target = rnd.choice(files) if files and rnd.random() < 0.5 else rel
            self.write(target, invalid_yaml(rnd, n))
        elif op == "junk":
            n, rel = self.new_name()
            self.write(rel, junk(rnd))
        elif op == "huge":
            n, rel = self.new_name()
            target = rnd.choice(files) if files and rnd.random() < 0.5 else rel
            self.write(target, huge(rnd, n))
        elif op == "ics":
            n, rel = self.new_name()
            self.write(rel[:-3] + ".ics", ics_file(rnd, n))
        elif op == "folder_out":
            dirs = [x for x in os.listdir(self.d.content)
                    if os.path.isdir(self.d.path(x))]
            if dirs:
                name = rnd.choice(dirs)
                dest = os.path.join(self.outside, "%s-%d" % (name, self.n))
                self.n += 1
                os.rename(self.d.path(name), dest)
        elif op == "folder_in":
            away = os.listdir(self.outside)
            if away:
                src = os.path.join(self.outside, rnd.choice(away))
                name = rnd.choice(SECTIONS + ["moved-%d" % self.n])
                self.n += 1
                if os.path.exists(self.d.path(name)):
                    name = "moved-%d" % self.n
                os.rename(src, self.d.path(name))
        self.ops[op] += 1

    def run(self):
        try:
            while time.time() < self.deadline:
                self.step()
                # bursts (several changes within one debounce) and pauses
                time.sleep(self.rnd.choice([0, 0, 0.005, 0.02, 0.05, 0.1]))
        except Exception:
            self.error = traceback.format_exc()


# --- readers ----------------------------------------------------------------------

class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.c = collections.Counter()
        self.problems = []           # (kind, path, detail), kept short
        self.etags = {}              # (path, gzip, etag) -> sha256 of the body

    def count(self, key, n=1):
        with self.lock:
            self.c[key] += n

    def problem(self, kind, path, detail):
        with self.lock:
            self.c[kind] += 1
            if len(self.problems) < 30:
                self.problems.append((kind, path, str(detail)[:400]))

    def etag(self, path, gz, etag, body):
        digest = hashlib.sha256(body).hexdigest()
        with self.lock:
            old = self.etags.setdefault((path, gz, etag), digest)
        return old == digest


def check_xml(body, root):
    parser = xml.parsers.expat.ParserCreate()
    roots = []
    parser.StartElementHandler = lambda name, attrs: roots.append(name) if not roots else None
    parser.Parse(body, True)        # raises ExpatError on anything malformed
    if roots[:1] != [root]:
        raise ValueError("root element %r, want %r" % (roots[:1], root))
    if not body.rstrip().endswith(b"</%s>" % root.encode()):
        raise ValueError("does not end with </%s>: %r" % (root, body[-80:]))


def check_ics(body):
    if not body.startswith(b"BEGIN:VCALENDAR\r\n"):
        raise ValueError("does not start with BEGIN:VCALENDAR: %r" % body[:60])
    if not body.endswith(b"END:VCALENDAR\r\n"):
        raise ValueError("END:VCALENDAR is not last: %r" % body[-80:])
    cal = Calendar.from_ical(body)
    if cal.name != "VCALENDAR":
        raise ValueError("parsed as %r" % cal.name)
    return len(cal.walk("VEVENT"))


def check(path, ctype, body):
    """Raises on a malformed or incomplete document; returns its kind."""
    if path.endswith(".atom"):
        check_xml(body, "feed")
        return "atom"
    if path.endswith(".rss"):
        check_xml(body, "rss")
        return "rss"
    if path.endswith(".ics"):
        check_ics(body)
        return "ics"
    if path == "/status":
        st = json.loads(body)
        if "files" not in st or "rebuilds" not in st:
            raise ValueError("status without files/rebuilds")
        return "json"
    if ctype.startswith("text/html"):
        if not body.startswith(b"<!DOCTYPE html>") or not body.rstrip().endswith(b"</html>"):
            raise ValueError("HTML not whole: %r ... %r" % (body[:40], body[-40:]))
        return "html"
    return "other"


LINK = re.compile(rb'href="http://127\.0\.0\.1:\d+(/[^"#?]*)"')


def listed(front, calendars):
    """Document paths named by the front page and the calendars' UIDs."""
    paths = {"/", "/status", "/feed.atom", "/feed.rss", "/calendar.ics"}
    for m in LINK.finditer(front):
        paths.add(m.group(1).decode())
    for ics in calendars:
        for uid in re.findall(rb"^UID:(.+?)\r?$", re.sub(rb"\r\n[ \t]", b"", ics), re.M):
            paths.add("/events/%s.ics" % uid.decode())
    return paths


class Reader(threading.Thread):
    def __init__(self, d, stats, stop, rnd):
        super().__init__(daemon=True)
        self.d, self.stats, self.stop, self.rnd = d, stats, stop, rnd
        self.conn = None
        self.error = None

    def connect(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.d.port, timeout=15 * SLOW)
        self.stats.count("connections")

    def fetch(self, path, gz=False):
        """(status, body) with every check done; None on a failure (counted)."""
        st = self.stats
        headers = {"Accept-Encoding": "gzip"} if gz else {}
        try:
            self.conn.request("GET", path, headers=headers)
            r = self.conn.getresponse()
            body = r.read()
        except Exception as e:   # reset, closed, short body, timeout, bad status line
            st.problem("connection_errors", path, repr(e))
            self.connect()
            return None
        st.count("requests")
        st.count("bytes", len(body))
        if r.status >= 500:
            st.problem("status_5xx", path, r.status)
            return None
        if r.status in (404, 301):
            st.count("status_%d" % r.status)
            return r.status, b""
        if r.status != 200:
            st.problem("unexpected_status", path, r.status)
            return None
        clen = r.getheader("Content-Length")
        if clen is None or int(clen) != len(body):
            st.problem("torn", path, "Content-Length %s, received %d" % (clen, len(body)))
            return None
        etag = r.getheader("ETag") or ""
        wire = body
        try:
            if r.getheader("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
                st.count("gzip")
            kind = check(path, r.getheader("Content-Type", ""), body)
        except Exception as e:
            st.problem("malformed", path, "%r; %r ... %r" % (e, body[:60], body[-60:]))
            return None
        if etag and not st.etag(path, gz, etag, wire):
            st.problem("etag_mismatch", path, "ETag %s named two different bodies" % etag)
        st.count("parsed")
        st.count("parsed_" + kind)
        if r.getheader("Connection", "").lower() == "close":
            self.connect()
        return 200, body

    def one_pass(self):
        got = self.fetch("/")
        if got is None or got[0] != 200:
            return
        front = got[1]
        calendars = []
        got = self.fetch("/calendar.ics")
        if got and got[0] == 200:
            calendars.append(got[1])
        paths = sorted(listed(front, calendars))
        self.rnd.shuffle(paths)
        for path in paths:
            if self.stop.is_set():
                return
            gz = self.rnd.random() < 0.25
            got = self.fetch(path, gz)
            if got and got[0] == 200 and path.endswith(".ics") and path != "/calendar.ics" \
                    and not path.startswith("/events/") and self.rnd.random() < 0.3:
                # a section calendar's own events, too
                for p in listed(b"", [got[1]]):
                    if p.startswith("/events/"):
                        self.fetch(p)
                        break

    def run(self):
        try:
            self.connect()
            while not self.stop.is_set() and self.stats.c["requests"] < MAX_REQUESTS:
                self.one_pass()
        except Exception:
            self.error = traceback.format_exc()
        finally:
            if self.conn is not None:
                self.conn.close()


# --- memory -------------------------------------------------------------------------

def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class Sampler(threading.Thread):
    def __init__(self, pid, stop):
        super().__init__(daemon=True)
        self.pid, self.stop = pid, stop
        self.samples = []          # (seconds since start, KiB)

    def run(self):
        t0 = time.time()
        while not self.stop.is_set():
            kib = rss_kib(self.pid)
            if kib is not None:
                self.samples.append((time.time() - t0, kib))
            self.stop.wait(1.0)


def rss_flat(samples):
    """(ok, explanation).  The run is cut in thirds: the first is warm-up
    (the catalog grows to its working size, the allocator's arenas fill);
    the middle third's maximum is the working high-water mark; the last
    third's maximum may exceed it by at most max(20 %, 8 MiB).  Maxima,
    not means: RSS under glibc malloc is close to a high-water mark (freed
    memory is mostly kept), and a leak shows as a high-water mark that keeps
    rising.  The allowance absorbs a folder that happens to be larger at
    the end (the writer's file count wanders up to MAX_FILES, huge files
    come and go) and allocator fragmentation; a leak of a few KiB per
    rebuild over hundreds of rebuilds per minute exceeds it in a longer
    soak (SOAK_SECONDS), and valgrind's leak check catches what is smaller."""
    kib = [k for _, k in samples]
    if len(kib) < 9:
        return False, "too few RSS samples (%d)" % len(kib)
    third = len(kib) // 3
    mid, last = max(kib[third:2 * third]), max(kib[2 * third:])
    allow = max(mid * 0.20, 8 * 1024)
    ok = last <= mid + allow
    return ok, "RSS max middle third %d KiB, last third %d KiB (+%d KiB, allowed +%d)" % (
        mid, last, last - mid, allow)


# --- main ------------------------------------------------------------------------------

def initial_files(rnd):
    files = {}
    for n in range(1, 21):
        files["%s/seed-%d.md" % (SECTIONS[n % len(SECTIONS)], n)] = page(rnd, n)
    files["meetups/_index.md"] = '---\ntitle: "Meetups"\ndescription: "By the water."\n---\n'
    files["news/partners.ics"] = ics_file(rnd, 0)
    return files


def main():
    rnd = random.Random(SEED)
    results = []
    skipped = []

    def verdict(name, ok, detail=""):
        results.append(ok)
        print("%s %s%s" % ("ok  " if ok else "FAIL", name, (": " + detail) if detail else ""),
              flush=True)

    def skip(name, why):
        skipped.append(name)
        print("skip %s (%s)" % (name, why), flush=True)

    print("soak: %.0f s, %d readers, seed %d%s" % (SECONDS, READERS, SEED,
                                                  ", under " + WRAP[0] if WRAP else ""),
          flush=True)
    d = Daemon(files=initial_files(rnd),
               settings={"max_file_size": str(MAX_FILE_SIZE), "feed_entries": "30"})
    d.settings["output_dir"] = os.path.join(d.dir, "out")
    stats = Stats()
    stop, stop_rss = threading.Event(), threading.Event()
    rc = None
    try:
        d.start()
        pid = d.proc.pid
        st0 = d.status()
        sampler = Sampler(pid, stop_rss)
        sampler.start()
        start = time.time()
        writer = Writer(d, random.Random(SEED + 1), start + SECONDS)
        readers = [Reader(d, stats, stop, random.Random(SEED + 10 + i)) for i in range(READERS)]
        writer.start()
        for r in readers:
            r.start()
        last_report = start
        while writer.is_alive():
            writer.join(1.0)
            if d.proc.poll() is not None:
                break
            if time.time() - last_report >= 15:
                last_report = time.time()
                print("  %3.0fs: %d requests, %d parsed, %d writer ops, RSS %s KiB"
                      % (time.time() - start, stats.c["requests"], stats.c["parsed"],
                         sum(writer.ops.values()),
                         sampler.samples[-1][1] if sampler.samples else "?"), flush=True)
        churn_end = time.time()
        # the churn is over: let the daemon settle, then one last full pass each
        alive = d.proc.poll() is None
        stop.set()
        for r in readers:
            r.join(60 * SLOW)
        if alive:
            time.sleep(0.5 * SLOW)
            final = Reader(d, stats, threading.Event(), random.Random(SEED + 99))
            final.connect()
            final.one_pass()
            final.conn.close()
        stop_rss.set()
        sampler.join(5)
        alive = d.proc.poll() is None
        st = d.status() if alive else None
        rc = d.stop()
        log = d.read_log()

        c = stats.c
        samples = sampler.samples
        print("figures:")
        print("  duration        %.1f s of churn" % (churn_end - start))
        print("  writer ops      %d (%s)" % (sum(writer.ops.values()), ", ".join(
            "%s %d" % kv for kv in sorted(writer.ops.items()))))
        print("  requests        %d on %d connections (%.0f/s), %.1f MB" % (
            c["requests"], c["connections"], c["requests"] / max(churn_end - start, 1),
            c["bytes"] / 1e6))
        print("  parsed          %d (atom %d, rss %d, ics %d, json %d, html %d; gzip %d)" % (
            c["parsed"], c["parsed_atom"], c["parsed_rss"], c["parsed_ics"],
            c["parsed_json"], c["parsed_html"], c["gzip"]))
        print("  404 / 301       %d / %d" % (c["status_404"], c["status_301"]))
        print("  malformed/torn  %d / %d" % (c["malformed"], c["torn"]))
        print("  conn errors     %d" % c["connection_errors"])
        print("  5xx / other     %d / %d" % (c["status_5xx"], c["unexpected_status"]))
        print("  ETag mismatch   %d" % c["etag_mismatch"])
        if st is not None:
            print("  rebuilds        %d (from %d at start; last %.1f ms; %d files, %d entries, "
                  "%d events, %d documents, %d with errors)" % (
                      st["rebuilds"]["count"], st0["rebuilds"]["count"],
                      st["rebuilds"]["last_ms"], st["counts"]["files"],
                      st["counts"]["entries"], st["counts"]["events"],
                      st["counts"]["documents"], st["counts"]["errors"]))
        if samples:
            kib = [k for _, k in samples]
            print("  RSS KiB         start %d, mid %d, end %d, max %d (%d samples)" % (
                kib[0], kib[len(kib) // 2], kib[-1], max(kib), len(kib)))
        for kind, path, detail in stats.problems:
            print("  problem: %s %s: %s" % (kind, path, detail))

        verdict("writer ran without error", writer.error is None, writer.error or "")
        errs = [r.error for r in readers if r.error]
        verdict("readers ran without error", not errs, errs[0] if errs else "")
        verdict("documents fetched and parsed", c["parsed"] > 0 and c["parsed_ics"] > 0
                and c["parsed_atom"] > 0 and c["parsed_rss"] > 0, "%d" % c["parsed"])
        verdict("zero malformed or torn documents", c["malformed"] + c["torn"] == 0,
                "%d malformed, %d torn" % (c["malformed"], c["torn"]))
        verdict("zero connection errors", c["connection_errors"] == 0,
                "%d" % c["connection_errors"])
        verdict("zero 5xx and unexpected statuses",
                c["status_5xx"] + c["unexpected_status"] == 0,
                "%d 5xx, %d other" % (c["status_5xx"], c["unexpected_status"]))
        verdict("one body per ETag", c["etag_mismatch"] == 0, "%d" % c["etag_mismatch"])
        verdict("daemon alive at the end", alive, "" if alive else "log:\n" + log[-3000:])
        verdict("exit 0 on SIGTERM", rc == 0, "exit code %r" % rc)
        verdict("rebuilt during the churn", st is not None and
                st["rebuilds"]["count"] > st0["rebuilds"]["count"] + 10)
        ok, why = rss_flat(samples)
        if WRAP:
            skip("RSS flat after warm-up", "not judged under %s, its own allocator: %s"
                 % (WRAP[0], why))
        else:
            verdict("RSS flat after warm-up", ok, why)
        if rc not in (0, None) or not alive:
            print("daemon log (tail):\n" + log[-3000:])
    except Exception:
        traceback.print_exc()
        results.append(False)
    finally:
        stop.set()
        stop_rss.set()
        if d.proc is not None:
            rc = d.stop()
        shutil.rmtree(d.dir, ignore_errors=True)
    passed = sum(1 for r in results if r)
    failed = len(results) - passed
    print("%d passed, %d failed%s" % (passed, failed,
                                      ", %d skipped" % len(skipped) if skipped else ""))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
