"""The command line: --help, --version, a bad configuration naming its line,
-d and -l overrides (IPv6 too), and SIGTERM finishing a response in flight."""
import http.client
import os
import signal
import socket
import subprocess
import tempfile

from harness import CRIER, WRAP, SLOW, Daemon, free_port

POST = {"a.md": "---\ntitle: Only post\ndate: 2026-01-01T00:00:00Z\n---\nHi.\n"}


def run(*args, timeout=30):
    return subprocess.run(WRAP + [CRIER] + list(args), capture_output=True,
                          timeout=timeout * SLOW)


def test_help_and_version():
    r = run("--help")
    assert r.returncode == 0
    assert b"usage: crier" in r.stdout and b"--check" in r.stdout
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith(b"crier ")
    r = run("--no-such-flag")
    assert r.returncode == 2 and b"usage:" in r.stderr


def test_bad_configuration_names_the_line():
    with tempfile.TemporaryDirectory() as tmp:
        conf = os.path.join(tmp, "bad.conf")
        with open(conf, "w") as f:
            f.write('title = "ok"\n# comment\nfeed_entries = lots\n')
        r = run("-c", conf)
        assert r.returncode == 1
        assert ("%s:3: feed_entries: 'lots' is not a whole number" % conf).encode() in r.stderr
        with open(conf, "w") as f:
            f.write('titel = "typo"\n')
        r = run("-c", conf)
        assert r.returncode == 1 and b":1: unknown setting 'titel'" in r.stderr
        with open(conf, "w") as f:
            f.write('timezone = "Mars/Olympus"\n')
        r = run("-c", conf)
        assert r.returncode == 1 and b"Mars/Olympus" in r.stderr


def test_listen_ipv6_and_content_override():
    d = Daemon(files=POST)
    port = free_port()
    conf = d.write_config()
    other = os.path.join(d.dir, "other")
    os.makedirs(other)
    with open(os.path.join(other, "b.md"), "w") as f:
        f.write("---\ntitle: From the -d folder\ndate: 2026-01-02T00:00:00Z\n---\n")
    proc = subprocess.Popen(WRAP + [CRIER, "-c", conf, "-l", "[::1]:%d" % port, "-d", other],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        body = None
        for _ in range(200 * SLOW):
            try:
                c = http.client.HTTPConnection("::1", port, timeout=5)
                c.request("GET", "/feed.atom")
                body = c.getresponse().read()
                c.close()
                break
            except OSError:
                import time
                time.sleep(0.05)
        assert body is not None, "no answer on [::1]"
        assert b"From the -d folder" in body and b"Only post" not in body
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30 * SLOW) == 0
        d.cleanup()


def test_sigterm_finishes_response_in_flight():
    big = "---\ntitle: Big\ndate: 2026-01-01T00:00:00Z\n---\n" + ("word " * 15 + "\n") * 10000
    with Daemon(files={"big.md": big}, settings={"max_file_size": "2000000"}) as d:
        expected = d.body("/big/")
        s = socket.create_connection(("127.0.0.1", d.port))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(b"GET /big/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        first = s.recv(1024)
        assert first.startswith(b"HTTP/1.1 200")
        d.signal(signal.SIGTERM)
        data = first
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        assert data.endswith(expected), "the response was cut short at SIGTERM"
        assert d.proc.wait(30 * SLOW) == 0
