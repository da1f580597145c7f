#!/usr/bin/python3
"""Where crier's memory goes: one daemon on the benchmark's corpus.

    mem.py N [EDITS]      (env CRIER: the binary; MEM_TMP: a scratch folder)

Generates bench/gen_corpus.py's corpus of N posts (the benchmark's seed),
starts crier with conf/crier.conf as bench.py does (only where to listen,
read and write replaced), and prints VmRSS / VmHWM / RssAnon / RssShmem
after start-up, once the gzip bodies are made, after asking for every
document once with gzip (the body store's copies), and after EDITS edits
made as the benchmark makes them.  Also the memfd body store's size (its
pages are shared memory: charged to the process only where mapped and
touched, so VmRSS alone does not show them).
"""
import json
import os
import random
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("BENCH_TMP", "x")
import bench  # noqa: E402


def proc_status(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM", "RssAnon", "RssShmem", "RssFile"):
                out[k] = int(v.split()[0]) // 1024
    # the body store: a memfd among the process's files
    store = 0
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            if "crier-bodies" in link:
                st = os.stat("/proc/%d/fd/%s" % (pid, fd))
                store = st.st_blocks * 512 // (1 << 20)
        except OSError:
            pass
    out["store"] = store
    return out


def line(label, st, extra=""):
    print("%-28s VmRSS %5d  VmHWM %5d  anon %5d  shmem %4d  store(memfd) %4d MiB %s"
          % (label, st["VmRSS"], st["VmHWM"], st["RssAnon"], st["RssShmem"],
             st["store"], extra), flush=True)


def main():
    n = int(sys.argv[1])
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    d = os.environ.get("MEM_TMP", "/tmp/crier-mem")
    content = os.path.join(d, "content")
    if not os.path.exists(os.path.join(d, "posts.tsv")) or \
            open(os.path.join(d, "n")).read() != str(n):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        subprocess.run(["/usr/bin/python3", os.path.join(bench.HERE,
                        "gen_corpus.py"), content, str(n), "--seed",
                        str(bench.SEED)], check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(d, "n"), "w") as f:
            f.write(str(n))
    else:		# undo the last run's edits
        subprocess.run(["/usr/bin/python3", os.path.join(bench.HERE,
                        "gen_corpus.py"), content, str(n), "--seed",
                        str(bench.SEED)], check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(d, "posts.tsv"), encoding="utf-8") as f:
        posts = [ln.rstrip("\n").split("\t") for ln in f]
    port = bench.free_port()
    conf = bench.crier_conf(d, content, port, "crier")
    # MEM_SET="key=value ...": settings beside the shipped ones, for an
    # experiment (printed, so a figure is never taken for the shipped one).
    extra = os.environ.get("MEM_SET", "").split()
    if extra:
        with open(conf, "a") as f:
            for kv in extra:
                k, _, v = kv.partition("=")
                f.write('%s = "%s"\n' % (k, v))
        print("NOT the shipped settings: also " + " ".join(extra))
    t0 = time.perf_counter()
    p = subprocess.Popen(["nice", bench.CRIER, "-c", conf],
                         stdout=open(os.path.join(d, "crier.log"), "w"),
                         stderr=subprocess.STDOUT)
    try:
        bench.wait_ready(p, port, "/feed.atom", 300)
        c = bench.Client(port)
        line("listening", proc_status(p.pid),
             "(%.1f s)" % (time.perf_counter() - t0))
        while True:
            _, _, body = c.get("/status")
            st = json.loads(body)
            if st["counts"].get("gzip_pending", 0) == 0:
                break
            time.sleep(0.05)
        line("gzip bodies made", proc_status(p.pid),
             "(%d documents)" % st["counts"]["documents"])
        paths = [x["path"] for x in st.get("documents", [])] \
            if isinstance(st.get("documents"), list) else []
        if paths:
            for path in paths:
                c.get(path, {"Accept-Encoding": "gzip"})
            line("every document asked once", proc_status(p.pid),
                 "(%d, gzip)" % len(paths))
        rng = random.Random(bench.SEED + n)
        for i in range(edits):
            rel, url, _ = posts[rng.randrange(len(posts))]
            path = os.path.join(content, rel)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            token = "mem-edit-%d-%05d" % (n, i)
            new = bench.retitle(text, token).encode()
            if i % 2:
                bench.write_like_editor(path, new)
            else:
                with open(path, "wb") as f:
                    f.write(new)
            while token.encode() not in c.get(url)[2]:
                pass
            c.get("/feed.atom", {"Accept-Encoding": "gzip"})
        time.sleep(0.5)
        line("after %d edits" % edits, proc_status(p.pid))
        c.close()
        if os.environ.get("MEM_HOLD"):	# for gdb or heaptrack: seconds
            print("pid %d, held %s s" % (p.pid, os.environ["MEM_HOLD"]),
                  flush=True)
            time.sleep(float(os.environ["MEM_HOLD"]))
    finally:
        p.terminate()
        p.wait()


if __name__ == "__main__":
    main()
