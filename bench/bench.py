#!/usr/bin/python3
"""crier benchmark against nginx and Hugo; started by bench/run.sh.

For each corpus size N (env BENCH_SIZES, default "1000 10000"):
 1. cold start: crier process start -> first 200 of /feed.atom (crier only
    listens once every document is built), vs `hugo --quiet` building the
    same files; medians of BENCH_COLD_RUNS (default 3) each; ratio.
 2. change -> served: rewrite one post's title with a unique token, then
    GET the post's page on one keep-alive connection until the token is
    served; p50/p99 over up to BENCH_EDITS edits (default 200) within
    BENCH_EDIT_SECONDS (default 75) per size; vs the median of 3 Hugo
    rebuilds after a one-file change.
 3. throughput with wrk on loopback (-t2 -c64 -d6s for both, 5 interleaved
    rounds, medians): /feed.atom
    200 with gzip, and 304 (If-None-Match with the gzip ETag), crier vs
    nginx (gzip_static, etag) serving the same bytes as files: crier runs
    with the shipped configuration (no output folder) throughout.
 4. peak RSS (VmHWM) of crier.
Prints a Markdown table and writes it to bench/results.md.

Only loopback addresses; every process started here is stopped (by its
pid) on exit, and its pid is also listed in TMP/pids for run.sh's trap.
"""
import datetime
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TMP = os.environ.get("BENCH_TMP", "")     # set by bench/run.sh
CRIER = os.path.abspath(os.environ.get("CRIER", os.path.join(ROOT, "build",
                                                             "crier")))
SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "1000 10000").split()]
EDITS = int(os.environ.get("BENCH_EDITS", "200"))
EDIT_SECONDS = float(os.environ.get("BENCH_EDIT_SECONDS", "75"))
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "6"))
# Interleaved rounds (crier, nginx, crier, nginx, ...), each server's
# median reported: on this shared 2-core machine a server's rate moves by
# a sixth from one run to the next, for minutes at a time, whichever
# server it is -- one run each compared the moments more than the servers.
WRK_ROUNDS = int(os.environ.get("BENCH_WRK_ROUNDS", "5"))
# Cold starts, of crier and of Hugo, are medians too: Hugo's build of the
# same corpus took 3.8 to 5.6 s in single runs of the same day.
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "3"))
WRK_ARGS = ["-t2", "-c64", "-d%ds" % WRK_SECONDS]
SEED = 20261202
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# `make bench-100k` writes its own table (bench/results-100k.md), so the
# main one, at the default sizes, stays as `make bench` last left it.
RESULTS = os.environ.get("BENCH_RESULTS") or os.path.join(HERE, "results.md")

procs = []


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def start(argv, out, **kw):
    f = open(out, "wb")
    p = subprocess.Popen(argv, stdout=f, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, **kw)
    f.close()
    procs.append(p)
    with open(os.path.join(TMP, "pids"), "a") as pf:
        pf.write("%d\n" % p.pid)
    return p


def stop(p, sig=signal.SIGTERM):
    if p.poll() is None:
        p.send_signal(sig)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    if p in procs:
        procs.remove(p)
    with open(os.path.join(TMP, "pids"), "w") as pf:
        pf.write("".join("%d\n" % q.pid for q in procs))


def stop_all(*_):
    for p in list(procs):
        stop(p)


def on_signal(sig, _frame):
    raise SystemExit(128 + sig)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values, p):
    """Nearest-rank percentile."""
    v = sorted(values)
    if not v:
        return float("nan")
    k = max(0, min(len(v) - 1, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


def run(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, **kw)


def vm_hwm_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- HTTP -----------------------------------------------------------------
class Client:
    """One keep-alive connection; reconnects when the server closed it."""

    def __init__(self, port):
        self.port = port
        self.conn = None

    def get(self, path, headers=None):
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                       timeout=60)
            try:
                self.conn.request("GET", path, headers=headers or {})
                r = self.conn.getresponse()
                body = r.read()
                return r.status, dict(r.getheaders()), body
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.conn is not None:
            self.conn.close()


def wait_ready(proc, port, path, timeout):
    """Seconds from now until GET path answers 200 (polls every 2 ms)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError("process exited with %d" % proc.returncode)
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", path)
            r = c.getresponse()
            r.read()
            c.close()
            if r.status == 200:
                return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.002)
    raise RuntimeError("not ready after %d s" % timeout)


# --- crier ----------------------------------------------------------------
SHIPPED_CONF = os.path.join(ROOT, "conf", "crier.conf")
# The only settings the benchmark changes in the shipped configuration:
# where to listen and what to read and write.  Every crier figure is
# measured with everything else exactly as shipped.
OVERRIDDEN = ("listen", "content_dir", "base_url", "state_file",
              "output_dir")


def crier_conf(d, content, port, name, output_dir=""):
    """conf/crier.conf as shipped, with only OVERRIDDEN replaced."""
    conf = os.path.join(d, name + ".conf")
    state = os.path.join(d, name + "-state.json")
    if os.path.exists(state):
        os.unlink(state)
    own = {"listen": "127.0.0.1:%d" % port, "content_dir": content,
           "base_url": "http://127.0.0.1:%d" % port, "state_file": state,
           "output_dir": output_dir}
    with open(SHIPPED_CONF, encoding="utf-8") as f:
        lines = f.read().splitlines()
    out = []
    for line in lines:
        key = line.split("=", 1)[0].strip()
        if "=" in line and not line.lstrip().startswith("#") and key in own:
            continue
        out.append(line)
    for k in OVERRIDDEN:
        out.append('%s = "%s"' % (k, own[k]))
    with open(conf, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    return conf


def shipped_setting(key):
    with open(SHIPPED_CONF, encoding="utf-8") as f:
        for line in f:
            if "=" in line and not line.lstrip().startswith("#") and \
                    line.split("=", 1)[0].strip() == key:
                return line.split("=", 1)[1].split("#", 1)[0].strip().strip('"')
    return None


def crier_cold_start(d, content, n, name, output_dir=""):
    """Starts crier; returns (proc, port, seconds to first 200, status)."""
    port = free_port()
    conf = crier_conf(d, content, port, name, output_dir)
    t0 = time.perf_counter()
    p = start([CRIER, "-c", conf], os.path.join(d, name + ".log"))
    t1 = wait_ready(p, port, "/feed.atom", max(300, n // 100))
    c = Client(port)
    _, _, body = c.get("/status")
    c.close()
    st = json.loads(body)
    if st["counts"]["entries"] != n:
        raise RuntimeError("%s: %d entries, expected %d" % (
            name, st["counts"]["entries"], n))
    return p, port, t1 - t0, st


# --- hugo -----------------------------------------------------------------
def hugo_build(site, cache, destination=None):
    t0 = time.perf_counter()
    r = run(["hugo", "--quiet", "-s", site, "--cacheDir", cache] +
            (["--destination", destination] if destination else []))
    t = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError("hugo failed:\n" + r.stdout[-3000:])
    return t


def retitle(text, token):
    return re.sub(r'^title: .*$', 'title: "%s"' % token, text, count=1,
                  flags=re.M)


def write_in_place(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def write_like_editor(path, data):
    """An editor's save: a temp file beside the post, renamed over it."""
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) +
                       ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, path)


# --- nginx and wrk ------------------------------------------------------
NGINX_CONF = """\
worker_processes %(workers)d;
daemon off;
pid %(d)s/nginx.pid;
error_log %(d)s/nginx-error.log warn;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    types { application/atom+xml atom; application/rss+xml rss;
            text/calendar ics; }
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    client_body_temp_path %(d)s/tmp-body;
    proxy_temp_path %(d)s/tmp-proxy;
    fastcgi_temp_path %(d)s/tmp-fastcgi;
    uwsgi_temp_path %(d)s/tmp-uwsgi;
    scgi_temp_path %(d)s/tmp-scgi;
    server {
        listen 127.0.0.1:%(port)d;
        root %(root)s;
        gzip_static on;
        etag on;
        location / { }
    }
}
"""


def nginx_conf(nd, port, root):
    """nginx as the benchmark runs it: a worker per core, gzip_static."""
    return NGINX_CONF % {"d": nd, "port": port, "root": root,
                         "workers": os.cpu_count() or 1}


def start_nginx(d, root):
    port = free_port()
    nd = os.path.join(d, "nginx")
    os.makedirs(nd, exist_ok=True)
    conf = os.path.join(nd, "nginx.conf")
    with open(conf, "w") as f:
        f.write(nginx_conf(nd, port, root))
    p = start([NGINX, "-p", nd, "-c", conf], os.path.join(nd, "stdout.log"))
    wait_ready(p, port, "/feed.atom", 30)
    return p, port


def wrk(port, path, headers):
    argv = ["wrk"] + WRK_ARGS
    for h in headers:
        argv += ["-H", h]
    argv.append("http://127.0.0.1:%d%s" % (port, path))
    r = run(argv, timeout=WRK_SECONDS + 60)
    m = re.search(r"Requests/sec:\s+([\d.]+)", r.stdout)
    if r.returncode != 0 or m is None:
        raise RuntimeError("wrk failed:\n" + r.stdout)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", r.stdout)
    errs = re.search(r"Socket errors: (.*)", r.stdout)
    return {"rps": float(m.group(1)), "non2xx3xx": int(bad.group(1)) if bad
            else 0, "errors": errs.group(1) if errs else ""}


def median_run(results):
    """The run of median requests/s, with every run's rate and the
    errors of all of them."""
    ordered = sorted(results, key=lambda r: r["rps"])
    m = dict(ordered[len(ordered) // 2])
    m["runs"] = [r["rps"] for r in results]
    m["non2xx3xx"] = sum(r["non2xx3xx"] for r in results)
    m["errors"] = "; ".join(r["errors"] for r in results if r["errors"])
    return m


def head(port, path, headers):
    c = Client(port)
    status, hdrs, body = c.get(path, headers)
    c.close()
    return status, {k.lower(): v for k, v in hdrs.items()}, body


# --- one size -------------------------------------------------------------
def bench_size(n):
    R = {"n": n}
    d = os.path.join(TMP, "n%d" % n)
    content = os.path.join(d, "content")
    site = os.path.join(d, "site")
    public = os.path.join(d, "public")
    cache = os.path.join(d, "hugo-cache")
    os.makedirs(d)
    log("N=%d: generating the corpus" % n)
    r = run(["/usr/bin/python3", os.path.join(HERE, "gen_corpus.py"), content,
             str(n), "--seed", str(SEED), "--hugo-site", site, "--public",
             public])
    if r.returncode != 0:
        raise RuntimeError(r.stdout)
    R["corpus"] = r.stdout.strip()
    with open(os.path.join(d, "posts.tsv"), encoding="utf-8") as f:
        posts = [line.rstrip("\n").split("\t") for line in f]
    rng = random.Random(SEED + n)

    # 1. Hugo: cold builds (the median of COLD_RUNS, each from nothing),
    # then rebuilds after a one-file change.
    log("N=%d: hugo cold build, %d runs" % (n, COLD_RUNS))
    colds = []
    for i in range(COLD_RUNS):
        # Each into a folder and cache of its own, removed at the end
        # (the last run's are the ones the rebuilds below reuse):
        # deleting one build's 10 000 files before the next made that
        # one wait for the disk (5.4 s, then 8.6 and 9.6 s).
        last = i + 1 == COLD_RUNS
        os.sync()
        colds.append(hugo_build(site, cache if last else "%s-%d" %
                                (cache, i), public if last else "%s-%d" %
                                (public, i)))
    for i in range(COLD_RUNS - 1):
        shutil.rmtree("%s-%d" % (public, i), ignore_errors=True)
        shutil.rmtree("%s-%d" % (cache, i), ignore_errors=True)
    R["hugo_cold"] = statistics.median(colds)
    R["hugo_colds"] = colds
    reb = []
    for i in range(3):
        rel = posts[rng.randrange(len(posts))][0]
        path = os.path.join(content, rel)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        write_in_place(path, retitle(text, "hugo-edit-%d" % i))
        reb.append(hugo_build(site, cache))
    R["hugo_rebuild"] = statistics.median(reb)
    R["hugo_rebuilds"] = reb
    R["hugo_files"] = sum(len(fs) for _, _, fs in os.walk(public))
    shutil.rmtree(public)
    shutil.rmtree(cache, ignore_errors=True)

    # 1. crier cold start, no output folder: the median of COLD_RUNS
    # starts, each without a state file; the last one goes on.
    log("N=%d: crier cold start, %d runs" % (n, COLD_RUNS))
    colds = []
    for i in range(COLD_RUNS):
        os.sync()		# as for Hugo
        p, port, t, st = crier_cold_start(d, content, n, "crier")
        colds.append(t)
        if i + 1 < COLD_RUNS:
            stop(p)
    R["crier_cold"] = statistics.median(colds)
    R["crier_colds"] = colds
    R["crier_first_rebuild_ms"] = st["rebuilds"]["last_ms"]
    # Gzip bodies are made after listening (gzlater.c): until the last
    # one, a client asking for gzip may get identity.  Timed, and waited
    # for, so that the edits below measure the steady state.
    t0 = time.perf_counter()
    c = Client(port)
    while True:
        _, _, body = c.get("/status")
        if json.loads(body)["counts"].get("gzip_pending", 0) == 0:
            break
        if p.poll() is not None or time.perf_counter() - t0 > max(300, n // 100):
            raise RuntimeError("crier: gzip bodies not done")
        time.sleep(0.01)
    c.close()
    R["crier_gzip_done"] = R["crier_cold"] + time.perf_counter() - t0
    R["documents"] = st["counts"]["documents"]
    R["events"] = st["counts"]["events"]
    R["entries"] = st["counts"]["entries"]

    # Client overhead: GETs of an unchanged page on the keep-alive
    # connection the edit loop uses.
    c = Client(port)
    url0 = posts[0][1]
    rtt = []
    for _ in range(300):
        t0 = time.perf_counter()
        status, _, _ = c.get(url0)
        rtt.append(time.perf_counter() - t0)
        assert status == 200, (url0, status)
    R["poll_rtt_p50"] = pct(rtt, 50)
    R["poll_rtt_p99"] = pct(rtt, 99)

    # 2. change -> served.
    log("N=%d: change -> served (up to %d edits, %.0f s)" % (
        n, EDITS, EDIT_SECONDS))
    lat, daemon_ms, polls, coalesced, writes = [], [], [], 0, []
    lat_noev = []
    lat_mode = {"in place": [], "temp + rename": []}
    _, _, body = c.get("/status")
    rebuilds = json.loads(body)["rebuilds"]["count"]
    deadline = time.monotonic() + EDIT_SECONDS
    for i in range(EDITS):
        if time.monotonic() > deadline:
            break
        rel, url, nev = posts[rng.randrange(len(posts))]
        path = os.path.join(content, rel)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        token = "bench-edit-%d-%05d-%08x" % (n, i, rng.getrandbits(32))
        new = retitle(text, token).encode()
        tb = token.encode()
        k = 0
        # Every other edit is saved as editors do (temp file + rename).
        mode = "in place" if i % 2 == 0 else "temp + rename"
        t0 = time.perf_counter()
        if mode == "in place":
            with open(path, "wb") as f:
                f.write(new)
        else:
            write_like_editor(path, new)
        writes.append(time.perf_counter() - t0)
        while True:
            status, _, body = c.get(url)
            k += 1
            if tb in body:
                break
            if time.perf_counter() - t0 > 60:
                raise RuntimeError("edit of %s not served after 60 s" % rel)
        lat.append(time.perf_counter() - t0)
        lat_mode[mode].append(lat[-1])
        if nev == "0":
            lat_noev.append(lat[-1])
        polls.append(k)
    c.close()
    # crier's own time per rebuild, from its log: asking /status after
    # each edit made crier render 2 MB of JSON between edits at N=10000.
    time.sleep(0.2)
    with open(os.path.join(d, "crier.log"), encoding="utf-8",
              errors="replace") as f:
        for m in re.finditer(r"rebuild (\d+): .* rendered in ([\d.]+) ms",
                             f.read()):
            if int(m.group(1)) > rebuilds:
                daemon_ms.append(float(m.group(2)))
    coalesced = abs(len(lat) - len(daemon_ms))
    R["edits"] = len(lat)
    R["lat_p50"] = pct(lat, 50)
    R["lat_p99"] = pct(lat, 99)
    R["lat_max"] = max(lat)
    R["lat_mode"] = {k: (pct(v, 50), pct(v, 99), len(v))
                     for k, v in lat_mode.items()}
    R["noev_edits"] = len(lat_noev)
    R["noev_p50"] = pct(lat_noev, 50)
    R["write_p50"] = pct(writes, 50)
    R["daemon_p50"] = pct(daemon_ms, 50)
    R["daemon_p99"] = pct(daemon_ms, 99)
    R["polls_p50"] = pct(polls, 50)
    R["rebuild_count_mismatch"] = coalesced
    R["rss_a_kb"] = vm_hwm_kb(p.pid)

    # 3. serving, by the same daemon (the shipped configuration): nginx
    # gets the very bytes crier serves for /feed.atom, identity and gzip,
    # as files beside each other (gzip_static).
    root = os.path.join(d, "nginx-root")
    os.makedirs(root)
    _, _, ident = head(port, "/feed.atom", {})
    _, hz, gzb = head(port, "/feed.atom", {"Accept-Encoding": "gzip"})
    if hz.get("content-encoding") != "gzip":
        raise RuntimeError("crier: /feed.atom not served gzipped")
    with open(os.path.join(root, "feed.atom"), "wb") as f:
        f.write(ident)
    with open(os.path.join(root, "feed.atom.gz"), "wb") as f:
        f.write(gzb)
    os.chmod(TMP, 0o755)            # nginx workers run as nobody under root
    os.chmod(d, 0o755)
    os.chmod(root, 0o755)
    ng, nport = start_nginx(d, root)
    gz = ["Accept-Encoding: gzip"]
    s1, h1, b1 = head(port, "/feed.atom", {"Accept-Encoding": "gzip"})
    s2, h2, b2 = head(nport, "/feed.atom", {"Accept-Encoding": "gzip"})
    R["same_bytes"] = (s1 == s2 == 200 and b1 == b2 and
                       h1.get("content-encoding") == "gzip" ==
                       h2.get("content-encoding"))
    R["gz_bytes"] = len(b1)
    R["crier_etag"], R["nginx_etag"] = h1.get("etag"), h2.get("etag")
    s3, _, _ = head(port, "/feed.atom", {"Accept-Encoding": "gzip",
                                         "If-None-Match": R["crier_etag"]})
    s4, _, _ = head(nport, "/feed.atom", {"Accept-Encoding": "gzip",
                                          "If-None-Match": R["nginx_etag"]})
    R["status_304"] = (s3, s4)
    if (s3, s4) != (304, 304):
        raise RuntimeError("conditional GET: crier %d, nginx %d" % (s3, s4))
    log("N=%d: wrk %s, %d interleaved rounds of 4 runs" % (
        n, " ".join(WRK_ARGS), WRK_ROUNDS))
    runs = {}
    for _ in range(WRK_ROUNDS):
        for kind in ("200", "304"):
            for name, prt, etag in (("crier", port, R["crier_etag"]),
                                    ("nginx", nport, R["nginx_etag"])):
                extra = [] if kind == "200" else ["If-None-Match: " + etag]
                runs.setdefault(name + "_" + kind, []).append(
                    wrk(prt, "/feed.atom", gz + extra))
    R["wrk"] = {k: median_run(v) for k, v in runs.items()}
    R["rss_b_kb"] = vm_hwm_kb(p.pid)
    stop(ng, signal.SIGQUIT)
    stop(p)

    # The shipped configuration writes no output folder; with one (a
    # setting for nginx or a CDN in front), start-up also writes every
    # file and its .gz.  Labelled as such in the table.
    log("N=%d: crier with output_dir (cold start includes writing it)" % n)
    out = os.path.join(d, "out")
    p, port, R["crier_cold_out"], st = crier_cold_start(d, content, n,
                                                        "crier-out", out)
    log_path = os.path.join(d, "crier-out.log")
    t_end = time.monotonic() + 300
    while True:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            if "crier: info: serving " in f.read():
                break
        if p.poll() is not None or time.monotonic() > t_end:
            raise RuntimeError("crier-out: start-up not done")
        time.sleep(0.05)
    R["out_files"] = sum(len(fs) for _, _, fs in os.walk(out))
    R["rss_out_kb"] = vm_hwm_kb(p.pid)
    stop(ng, signal.SIGQUIT)
    stop(p)
    shutil.rmtree(d, ignore_errors=True)
    return R


# --- the report -------------------------------------------------------------
def first_line(argv):
    try:
        r = run(argv, timeout=10)
        return (r.stdout.strip().splitlines() or ["?"])[0]
    except (OSError, subprocess.SubprocessError):
        return "?"


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) / 1024 / 1024
    distro = "?"
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release") as f:
            m = re.search(r'^PRETTY_NAME="?([^"\n]*)', f.read(), re.M)
            distro = m.group(1) if m else "?"
    git = first_line(["git", "-C", ROOT, "describe", "--always", "--dirty"])
    return {
        "cpu": "%d × %s" % (os.cpu_count(), model),
        "ram": "%.1f GiB" % mem,
        "os": "%s, Linux %s" % (distro, platform.release()),
        "crier": "%s (git %s)" % (first_line([CRIER, "-V"]), git),
        "nginx": first_line([NGINX, "-v"]).replace("nginx version: ", ""),
        "hugo": " ".join(first_line(["hugo", "version"]).split()[:2]),
        "wrk": " ".join(first_line(["wrk", "-v"]).split()[:2]),
        "load": loadavg(),
    }


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def fmt_s(x):
    return "%.2f s" % x if x >= 1 else "%.0f ms" % (x * 1000)


def fmt_ms(x):
    return "–" if x != x else "%.1f ms" % (x * 1000)


def fmt_rps(x):
    return "{:,.0f}".format(x)


def verdict(ok):
    return "**met**" if ok else "**missed**"


def report(results, mach, started, elapsed):
    big = max(results, key=lambda r: r["n"])
    cols = [r for r in results]
    L = []
    L.append("# crier benchmark")
    L.append("")
    L.append("Run %s UTC, %d s in all (`make bench`)." % (
        started.strftime("%Y-%m-%d %H:%M"), elapsed))
    L.append("")
    L.append("| machine | |")
    L.append("| --- | --- |")
    for k, label in (("cpu", "CPU (nproc × model)"), ("ram", "RAM"),
                     ("os", "OS, kernel"), ("crier", "crier"),
                     ("nginx", "nginx"), ("hugo", "hugo"), ("wrk", "wrk"),
                     ("load", "load average (1/5/15 min) before / after")):
        L.append("| %s | %s |" % (label, mach[k]))
    L.append("")
    hdr = "| | " + " | ".join("N = {:,}".format(r["n"]) for r in cols) + \
        " | target |"
    L.append(hdr)
    L.append("| --- |" + " --- |" * len(cols) + " --- |")

    def row(label, f, target=""):
        L.append("| %s | %s | %s |" % (label, " | ".join(f(r) for r in cols),
                                       target))

    row("corpus: entries / events / documents", lambda r: "{:,} / {:,} / {:,}"
        .format(r["entries"], r["events"], r["documents"]))
    row("**1. cold start** crier: start → first 200 of /feed.atom",
        lambda r: fmt_s(r["crier_cold"]))
    row("  crier's own first rebuild (/status last_ms)",
        lambda r: fmt_s(r["crier_first_rebuild_ms"] / 1000))
    row("  crier: start → every gzip body made (in the background)",
        lambda r: fmt_s(r["crier_gzip_done"]))
    row("  `hugo --quiet`, same corpus (HTML + RSS)",
        lambda r: fmt_s(r["hugo_cold"]))
    ok = all(r["crier_cold"] <= 0.5 * r["hugo_cold"] for r in cols)
    row("  ratio crier / hugo", lambda r: "%.2f×" % (r["crier_cold"] /
                                                      r["hugo_cold"]),
        "≤ 0.5× — %s" % verdict(ok))
    row("  crier with output_dir (also writes every file + .gz)",
        lambda r: fmt_s(r["crier_cold_out"]))
    small = min(results, key=lambda r: r["n"])
    ok = big["lat_p50"] < 0.005 and (small is big or
                                     small["lat_p50"] < 0.003)
    # One size alone (make bench-100k) has only the 5 ms target.
    target = ("< 5 ms at {:,}".format(big["n"]) if small is big else
              "< 3 ms at {:,}, < 5 ms at {:,}".format(small["n"], big["n"]))
    row("**2. change → served** p50", lambda r: fmt_ms(r["lat_p50"]),
        "{} — {}".format(target, verdict(ok)))
    ok = big["lat_p99"] < 0.015
    row("  p99 / max", lambda r: "%s / %s" % (fmt_ms(r["lat_p99"]),
                                              fmt_ms(r["lat_max"])),
        "p99 < 15 ms at {:,} — {}".format(big["n"], verdict(ok)))
    for mode in ("in place", "temp + rename"):
        row("  saved %s: p50 / p99 (n)" % mode, lambda r, m=mode:
            "%s / %s (%d)" % (fmt_ms(r["lat_mode"][m][0]),
                              fmt_ms(r["lat_mode"][m][1]),
                              r["lat_mode"][m][2]))
    row("  edits measured", lambda r: "%d" % r["edits"])
    row("  p50 for posts without events (n)", lambda r: "%s (%d)" % (
        fmt_ms(r["noev_p50"]), r["noev_edits"]))
    row("  crier's rebuild p50 / p99 (its log)",
        lambda r: "%.1f / %.1f ms" % (r["daemon_p50"], r["daemon_p99"]))
    row("  hugo rebuild after one change (median of 3)",
        lambda r: fmt_s(r["hugo_rebuild"]))
    row("  ratio hugo / crier p50", lambda r: "%.0f×" % (
        r["hugo_rebuild"] / r["lat_p50"]))
    for kind, label in (("200", "200 gzip /feed.atom"), ("304", "304")):
        ok = all(r["wrk"]["crier_" + kind]["rps"] >=
                 r["wrk"]["nginx_" + kind]["rps"] for r in cols)
        row("**3. %s** req/s crier" % label,
            lambda r, k=kind: fmt_rps(r["wrk"]["crier_" + k]["rps"]))
        row("  req/s nginx (gzip_static, same bytes)",
            lambda r, k=kind: fmt_rps(r["wrk"]["nginx_" + k]["rps"]))
        row("  ratio crier / nginx", lambda r, k=kind: "%.2f×" % (
            r["wrk"]["crier_" + k]["rps"] / r["wrk"]["nginx_" + k]["rps"]),
            "≥ 1.0× — %s" % verdict(ok))
    row("**4. peak RSS** crier (VmHWM), after the edits",
        lambda r: "%.0f MB" % (r["rss_a_kb"] / 1024))
    row("  after wrk", lambda r: "%.0f MB" % (r["rss_b_kb"] / 1024))
    row("  crier with output_dir, after its start-up", lambda r: "%.0f MB" %
        (r["rss_out_kb"] / 1024))
    L.append("")
    L.append("How it was measured (bench/run.sh, bench/bench.py, corpus from "
             "bench/gen_corpus.py, seed %d):" % SEED)
    L.append("")
    L.append("- Corpus: %s." % "; ".join(r["corpus"] for r in cols))
    L.append("- Cold start: the median of %d runs of each (crier's, then "
             "Hugo's: %s); each Hugo build into a new folder with a new "
             "cache, every run of both after a sync() of the disk." % (
                 COLD_RUNS, "; ".join(
                 "N=%d crier %s, hugo %s" % (
                     r["n"], "/".join(fmt_s(x) for x in r["crier_colds"]),
                     "/".join(fmt_s(x) for x in r["hugo_colds"]))
                 for r in cols)))
    L.append("- Cold start: the page cache holds the corpus for both; crier "
             "starts with no state file and listens only once every document "
             "is built, polled every 2 ms; a document is then ready with its "
             "identity body, its gzip body is made in the background after "
             "listening (until then a gzip request gets identity, with the "
             "identity ETag), and the edits start only once the last one is "
             "made. Hugo builds home, sections, tags "
             "and categories as HTML + RSS (50 items per feed, like crier's "
             "feed_entries) with minimal layouts; %s files for the largest N."
             % "{:,}".format(big["hugo_files"]))
    L.append("- Configuration: every crier figure is measured with the "
             "shipped conf/crier.conf, with only %s replaced (where it "
             "listens, what it reads, where it keeps its state; the one "
             "row labelled `output_dir` sets that too). As shipped: "
             "debounce_ms %s (no fixed delay), workers %s (one serving loop per core)."
             % (", ".join(OVERRIDDEN), shipped_setting("debounce_ms"),
                shipped_setting("workers")))
    L.append("- Change → served: the post's title is rewritten with a "
             "unique token, every other edit in place (open, write, close) "
             "and every other as editors save (a temp file beside it, "
             "renamed over it); then its page (/SECTION/NAME/) is fetched "
             "on one keep-alive connection without pause until the token "
             "is in it. Client "
             "overhead (Python http.client): one poll of an unchanged page "
             "%s; a poll waits behind a running rebuild, so the timing error "
             "is at most about one poll; writing the file (inside the measured time) %s p50."
             % (" / ".join("%s p50, %s p99 at N = %s" % (
                 fmt_ms(r["poll_rtt_p50"]), fmt_ms(r["poll_rtt_p99"]),
                 "{:,}".format(r["n"])) for r in cols),
                 ", ".join(fmt_ms(r["write_p50"]) for r in cols)))
    L.append("- Edits are bounded: at most %d per size and %d s; where fewer "
             "are listed, each took longer. Hugo's rebuild is a full "
             "`hugo --quiet` after one file changed (the CLI has no "
             "incremental mode)." % (EDITS, EDIT_SECONDS))
    L.append("- Serving: %d interleaved rounds (crier, nginx, crier, "
             "nginx, ...), the median run of each server in the table; "
             "every run's requests/s: %s." % (WRK_ROUNDS, "; ".join(
                 "N=%d %s %s" % (r["n"], k, "/".join(
                     "%.0f" % x for x in v["runs"]))
                 for r in cols for k, v in sorted(r["wrk"].items()))))
    L.append("- Serving: `wrk %s` on loopback against the same URL; "
             "\"Accept-Encoding: gzip\", plus \"If-None-Match\" with each "
             "server's own ETag for the 304 (nginx's comes from the .gz "
             "file's mtime and size). nginx 1 worker per core "
             "(worker_processes = cores), access_log off, sendfile, "
             "keepalive_requests 1000000, serving the identity and gzip "
             "bodies of /feed.atom fetched from the crier it is compared "
             "with (the shipped configuration, after the edits). "
             "Same gzip bytes from both: %s (%s bytes). crier runs one "
             "serving loop per core (workers), nginx one worker per core; "
             "wrk and the server share the %d cores." % (
                 " ".join(WRK_ARGS),
                 "yes" if all(r["same_bytes"] for r in cols) else "NO",
                 ", ".join("{:,}".format(r["gz_bytes"]) for r in cols),
                 os.cpu_count()))
    errs = ["N=%d %s: %s" % (r["n"], k, v["errors"] or "%d non-2xx/3xx" %
                             v["non2xx3xx"])
            for r in cols for k, v in r["wrk"].items()
            if v["errors"] or v["non2xx3xx"]]
    if errs:
        L.append("- wrk reported errors: " + "; ".join(errs) + ".")
    L.append("")
    missed = []
    for r in cols:
        if r["crier_cold"] > 0.5 * r["hugo_cold"]:
            missed.append("cold start at N = {:,} is {:.2f}× Hugo's time "
                          "(target ≤ 0.5×)".format(r["n"], r["crier_cold"] /
                                                    r["hugo_cold"]))
    if big["lat_p50"] >= 0.005:
        missed.append("change → served p50 at N = {:,} is {} (target < 5 ms)"
                      .format(big["n"], fmt_ms(big["lat_p50"])))
    if big["lat_p99"] >= 0.015:
        missed.append("change → served p99 at N = {:,} is {} (target < 15 "
                      "ms)".format(big["n"], fmt_ms(big["lat_p99"])))
    if small is not big and small["lat_p50"] >= 0.003:
        missed.append("change → served p50 at N = {:,} is {} (target < 3 "
                      "ms)".format(small["n"], fmt_ms(small["lat_p50"])))
    for r in cols:
        for k in ("200", "304"):
            a, b = r["wrk"]["crier_" + k]["rps"], r["wrk"]["nginx_" + k]["rps"]
            if a < b:
                missed.append("%s throughput at N = {:,} is {:.2f}× nginx's"
                              .format(r["n"], a / b) % ("200-gzip" if k ==
                                                        "200" else "304"))
    if missed:
        L.append("Targets missed: " + "; ".join(missed) + ".")
    else:
        L.append("All targets met.")
    return "\n".join(L) + "\n"


def main():
    if not TMP:
        sys.exit("bench.py: run it as bench/run.sh (make bench) does")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    started = datetime.datetime.now(datetime.timezone.utc)
    t0 = time.monotonic()
    try:
        mach = machine()
        results = [bench_size(n) for n in SIZES]
    finally:
        stop_all()
    mach["load"] += " / " + loadavg()
    text = report(results, mach, started, time.monotonic() - t0)
    with open(os.path.join(TMP, "results.json"), "w") as f:
        json.dump(results, f, indent=1, default=str)
    with open(RESULTS, "w", encoding="utf-8") as f:
        f.write(text)
    sys.stdout.write(text)
    log("table written to %s" % os.path.relpath(RESULTS, os.getcwd()))


if __name__ == "__main__":
    # bench/serve_quick.sh runs the same nginx: print its configuration.
    if len(sys.argv) == 5 and sys.argv[1] == "--nginx-conf":
        sys.stdout.write(nginx_conf(sys.argv[2], int(sys.argv[3]),
                                    sys.argv[4]))
    else:
        main()
