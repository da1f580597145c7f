#!/usr/bin/python3
"""Checks that two crier binaries publish byte-identical documents: the
check a refactoring must pass ("behaviour must not change").

    bench/same_output.py OLD_BINARY NEW_BINARY [N] [EDITS]

Generates the benchmark corpus of N posts (default 10000, bench/gen_corpus.py,
same seed as `make bench`), starts both binaries at once on the same content
folder, each with the shipped conf/crier.conf, its own port, a copy of the
same state file and its own output_dir, then makes EDITS edits (default 40:
retitles in place and by temp + rename, a new post, a deleted post, a post
moved to another section, a broken file, an event added) and after the
start-up build and after each edit compares every file of the two output
folders.  Both daemons see each change at the same moment (edits are made
just after a second boundary), so the times they record agree.  Prints
"N passed, N failed" (one check per comparison) and exits 1 on a
difference, naming the first differing files.  Listens on 127.0.0.1 only.
"""
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SEED = 20261202


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def conf_for(d, name, content, port, state, out):
    keep = []
    with open(os.path.join(ROOT, "conf", "crier.conf"), encoding="utf-8") as f:
        for line in f:
            if not re.match(r"\s*(listen|content_dir|base_url|state_file|"
                            r"output_dir)\s*=", line):
                keep.append(line)
    keep += ['listen = "127.0.0.1:%d"\n' % port,
             'content_dir = "%s"\n' % content,
             'base_url = "http://127.0.0.1:8080"\n',
             'state_file = "%s"\n' % state,
             'output_dir = "%s"\n' % out]
    path = os.path.join(d, name + ".conf")
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(keep)
    return path


class Crier:
    def __init__(self, binary, d, name, content, state):
        self.port = free_port()
        self.out = os.path.join(d, name + "-out")
        self.log = os.path.join(d, name + ".log")
        conf = conf_for(d, name, content, self.port, state, self.out)
        self.proc = subprocess.Popen([binary, "-c", conf],
                                     stdout=open(self.log, "ab"),
                                     stderr=subprocess.STDOUT)

    def status(self):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            c.request("GET", "/status")
            r = c.getresponse()
            body = r.read()
            return json.loads(body) if r.status == 200 else None
        except (OSError, ValueError):
            return None
        finally:
            c.close()

    def rebuilds(self):
        st = self.status()
        return st["rebuilds"]["count"] if st else -1

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def digest_tree(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            if ".tmp." in name:         # being written
                continue
            p = os.path.join(dirpath, name)
            try:
                with open(p, "rb") as f:
                    out[os.path.relpath(p, root)] = hashlib.sha256(f.read()).hexdigest()
            except FileNotFoundError:   # replaced while read
                pass
    return out


def compare(a_root, b_root):
    """The files that differ, once both folders stop changing (the output
    folder is written after the rebuild)."""
    deadline = time.time() + 120
    last = None
    while True:
        a, b = digest_tree(a_root), digest_tree(b_root)
        diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        if not diff or time.time() > deadline:
            return diff, len(a)
        if (a, b) == last:
            return diff, len(a)
        last = (a, b)
        time.sleep(1.0)


def settle(daemons, before):
    """Waits until every daemon has rebuilt since `before` and is quiet."""
    deadline = time.time() + 300
    while time.time() < deadline:
        for d in daemons:
            if d.proc.poll() is not None:
                with open(d.log, encoding="utf-8", errors="replace") as f:
                    raise RuntimeError("crier exited:\n" + f.read()[-2000:])
        now = [d.rebuilds() for d in daemons]
        if all(n > b for n, b in zip(now, before)):
            time.sleep(0.5)
            if [d.rebuilds() for d in daemons] == now:
                return now
        time.sleep(0.05)
    raise RuntimeError("the daemons did not rebuild")


def at_second_boundary():
    time.sleep(1.05 - (time.time() % 1.0))


def edits(content, rng, count):
    """Yields (description, action) pairs."""
    posts = []
    for dirpath, _, files in os.walk(content):
        for name in files:
            if name.endswith(".md") and name != "_index.md":
                posts.append(os.path.join(dirpath, name))
    posts.sort()

    def retitle(path, token, editor):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        text = re.sub(r"^title: .*$", 'title: "%s"' % token, text, count=1, flags=re.M)
        if editor:
            tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
            os.rename(tmp, path)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)

    specials = {
        3: ("a new post with an event", lambda: open(
            os.path.join(content, "news", "same-output-new.md"), "w").write(
            '---\ntitle: "A new post"\ndate: 2026-03-01T10:00:00+01:00\n'
            'tags: [sameoutput]\nstart: 2026-03-10T19:00\nend: 2026-03-10T21:00\n'
            '---\n\nNew text.\n')),
        7: ("a post deleted", lambda: os.remove(posts.pop(5))),
        11: ("a post moved to another section", lambda: os.rename(
            posts[9], os.path.join(content, "news", "moved-" + os.path.basename(posts.pop(9))))),
        15: ("a broken file", lambda: open(
            os.path.join(content, "news", "same-output-broken.md"), "w").write(
            '---\ntitle: [unclosed\n---\nx\n')),
        19: ("the broken file fixed", lambda: open(
            os.path.join(content, "news", "same-output-broken.md"), "w").write(
            '---\ntitle: "Fixed"\ndate: 2026-02-01\n---\nx\n')),
    }
    for i in range(count):
        if i in specials:
            yield specials[i]
            continue
        path = posts[rng.randrange(len(posts))]
        editor = i % 2 == 1
        yield ("retitle %s (%s)" % (os.path.relpath(path, content),
                                    "temp + rename" if editor else "in place"),
               lambda p=path, t="same-output-%d" % i, e=editor: retitle(p, t, e))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    old, new = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 40
    d = tempfile.mkdtemp(prefix="crier-same-")
    content = os.path.join(d, "content")
    daemons = []
    passed = failed = 0
    ok = False
    try:
        r = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "gen_corpus.py"),
                            content, str(n), "--seed", str(SEED)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(r.stdout + r.stderr)
        state = os.path.join(d, "state.json")
        # The first start writes the state both later runs begin from.
        at_second_boundary()
        first = Crier(old, d, "seed", content, state)
        settle([first], [-1])
        first.stop()
        shutil.rmtree(first.out, ignore_errors=True)
        shutil.copy(state, state + ".new")
        shutil.move(state, state + ".old")
        daemons = [Crier(old, d, "old", content, state + ".old"),
                   Crier(new, d, "new", content, state + ".new")]
        counts = settle(daemons, [-1, -1])
        steps = [("start-up", None)] + list(edits(content, random.Random(SEED), count))
        for i, (what, action) in enumerate(steps):
            if action is not None:
                at_second_boundary()
                action()
                counts = settle(daemons, counts)
            diff, files = compare(daemons[0].out, daemons[1].out)
            if diff:
                failed += 1
                print("FAIL step %d (%s): %d files differ, first: %s" % (
                    i, what, len(diff), ", ".join(diff[:5])), flush=True)
            else:
                passed += 1
                print("ok   step %d (%s): %d files identical" % (i, what, files), flush=True)
        ok = failed == 0
    finally:
        for x in daemons:
            x.stop()
        if ok:
            shutil.rmtree(d, ignore_errors=True)
        else:
            print("kept for inspection: %s" % d)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
