"""End-to-end harness: starts the real crier binary on a temporary content
folder and a free port, and talks to it over HTTP.

Used by every tests/e2e/test_*.py module.  The binary comes from $CRIER;
$CRIER_WRAP (for example "valgrind --error-exitcode=99 ...") is put in front
of it, and every wait is then made longer, since valgrind is ~20x slower.
$CRIER_SEEDS names the folder of real example posts (default ../shared/seeds
beside the checkout).

A test that cannot run here raises Skip(reason): run.py counts it as
skipped, never as passed.
"""
import http.client
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CRIER = os.path.abspath(os.environ.get("CRIER", os.path.join(ROOT, "build", "crier")))
WRAP = shlex.split(os.environ.get("CRIER_WRAP", ""))
SLOW = 20 if WRAP else 1
SEEDS = os.environ.get("CRIER_SEEDS", os.path.join(ROOT, "..", "shared", "seeds"))


class Skip(Exception):
    """Raised by a test that cannot run here; its message says why."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    """One crier process with its own content folder, state and config."""

    def __init__(self, files=None, settings=None):
        self.dir = tempfile.mkdtemp(prefix="crier-e2e-")
        self.content = os.path.join(self.dir, "content")
        os.makedirs(self.content)
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.settings = {
            "title": "E2E Site",
            "description": "end-to-end tests",
            "base_url": self.base,
            "id_authority": "e2e.example.org",
            "author": "E2E Author",
            "organizer": "org@e2e.example.org",
            "timezone": "Europe/Berlin",
            "listen": "127.0.0.1:%d" % self.port,
            "content_dir": self.content,
            "state_file": os.path.join(self.dir, "state.json"),
        }
        self.settings.update(settings or {})
        for rel, text in (files or {}).items():
            self.write(rel, text)
        self.proc = None
        self.args = []  # more command-line arguments
        self.log = os.path.join(self.dir, "crier.log")

    # --- files -----------------------------------------------------------
    def path(self, rel):
        return os.path.join(self.content, rel)

    def write(self, rel, data):
        """Writes a file in place (open, write, close: one IN_CLOSE_WRITE)."""
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(p, mode) as f:
            f.write(data)

    def write_like_editor(self, rel, data):
        """Writes a temp file beside the target and renames it over it."""
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        tmp = os.path.join(os.path.dirname(p), "." + os.path.basename(p) + ".swp")
        with open(tmp, "w") as f:
            f.write(data)
        os.rename(tmp, p)

    def remove(self, rel):
        p = self.path(rel)
        if os.path.isdir(p):
            shutil.rmtree(p)
        else:
            os.remove(p)

    def rename(self, a, b):
        os.rename(self.path(a), self.path(b))

    # --- process ---------------------------------------------------------
    def write_config(self):
        conf = os.path.join(self.dir, "crier.conf")
        with open(conf, "w") as f:
            for k, v in self.settings.items():
                f.write('%s = "%s"\n' % (k, v))
        return conf

    def start(self, expect_ready=True, wait_gzip=True):
        """Starts the daemon; with expect_ready, waits until it serves,
        and with wait_gzip too until the gzip bodies of its start-up
        rebuild are made (they come after listening)."""
        conf = self.write_config()
        self.logf = open(self.log, "ab")
        self.proc = subprocess.Popen(WRAP + [CRIER, "-c", conf] + self.args,
                                     stdout=self.logf, stderr=self.logf)
        if expect_ready:
            # Generous: a large corpus on a loaded machine (CI) takes
            # a while; a timeout here is never what a test measures.
            self.wait_for(lambda: self.get("/status")[0] == 200, 60,
                          "daemon did not start; log:\n" + self.read_log())
        if expect_ready and wait_gzip:
            self.wait_gzip()
        return self

    def wait_gzip(self, timeout=10):
        self.wait_for(lambda: self.status()["counts"]["gzip_pending"] == 0,
                      timeout, "gzip bodies not made; log:\n" +
                      self.read_log())

    def stop(self):
        """SIGTERM; returns the exit code (0 expected)."""
        if self.proc is None:
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(30 * SLOW)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc = None
        self.logf.close()
        return rc

    def signal(self, sig):
        self.proc.send_signal(sig)

    def read_log(self):
        try:
            with open(self.log, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def cleanup(self):
        rc = self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
        return rc

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        rc = self.stop()
        log = self.read_log()
        shutil.rmtree(self.dir, ignore_errors=True)
        if exc[0] is None:
            assert rc == 0, "crier exited with %r; log:\n%s" % (rc, log)

    # --- HTTP ------------------------------------------------------------
    def request(self, method, path, headers=None, body=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10 * SLOW)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            c.close()

    def get(self, path, headers=None):
        try:
            return self.request("GET", path, headers)
        except (ConnectionError, OSError):
            return 0, {}, b""

    def body(self, path):
        status, _, data = self.get(path)
        assert status == 200, "GET %s: %s" % (path, status)
        return data

    def status(self):
        return json.loads(self.body("/status"))

    def get_at_once(self, path, headers=None, n=16):
        """n GETs of path on n connections, sent together (a barrier):
        [(status, Content-Encoding, ETag, body)] in the order answered."""
        results, gate = [], threading.Barrier(n)

        def ask():
            c = http.client.HTTPConnection("127.0.0.1", self.port,
                                           timeout=10 * SLOW)
            try:
                gate.wait()
                c.request("GET", path, headers=headers or {})
                r = c.getresponse()
                results.append((r.status, r.getheader("Content-Encoding"),
                                r.getheader("ETag"), r.read()))
            finally:
                c.close()

        threads = [threading.Thread(target=ask) for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(results) == n, "%d of %d answered" % (len(results), n)
        return results

    def wait_for(self, predicate, timeout=5, message="condition not met"):
        deadline = time.time() + timeout * SLOW
        while True:
            try:
                if predicate():
                    return
            except (AssertionError, KeyError, ValueError):
                pass
            if time.time() > deadline:
                raise AssertionError(message)
            time.sleep(0.02)


def seed_file():
    """The real example post from ../shared/seeds/; Skip when there is none."""
    names = sorted(os.listdir(SEEDS)) if os.path.isdir(SEEDS) else []
    if not names:
        raise Skip("no real example in %s" % os.path.normpath(SEEDS))
    return os.path.join(SEEDS, names[0])
    return None


HUGO_CONFIG = ('baseURL = "https://example.org/"\ntitle = "t"\n'
               'disableKinds = ["taxonomy", "term"]\n')


def hugo_build(site, out, config=HUGO_CONFIG):
    """Writes config as site/hugo.toml and builds the site into out with
    Debian's hugo; Skip when it is not installed."""
    if shutil.which("hugo") is None:
        raise Skip("hugo is not installed (make test-deps)")
    with open(os.path.join(site, "hugo.toml"), "w") as f:
        f.write(config)
    subprocess.run(["hugo", "--quiet", "--source", site, "--destination",
                    out], check=True, capture_output=True, timeout=SLOW * 120)
