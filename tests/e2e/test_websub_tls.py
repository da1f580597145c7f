"""Issue 15, part 7: WebSub pings to an https:// hub.  A test CA and server
certificates are made with the openssl command; the hub is Python's
http.server behind ssl.SSLContext and records every handshake, the name
sent as SNI and every request that reaches it.  crier trusts the test CA
through the standard SSL_CERT_FILE variable, on top of the system store."""
import http.server
import os
import shutil
import ssl
import subprocess
import tempfile
import threading
import urllib.parse

from harness import CRIER, SLOW, WRAP, Daemon

POSTS = {
    "news/a.md": "---\ntitle: Alpha news\ndate: 2026-03-01T10:00:00Z\n---\nAlpha.\n",
}


def openssl(*args, cwd):
    subprocess.run(("openssl",) + args, cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Certs:
    """A CA, and server certificates it signed for the names asked."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="crier-tls-")
        self.ca = os.path.join(self.dir, "ca.pem")
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-days", "2", "-subj", "/CN=crier test CA",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=self.dir)

    def server(self, name, alt_names):
        """(certificate, key) for alt_names, e.g. "DNS:localhost,IP:127.0.0.1"."""
        with open(os.path.join(self.dir, name + ".ext"), "w") as f:
            f.write("subjectAltName=%s\nbasicConstraints=CA:FALSE\n"
                    "extendedKeyUsage=serverAuth\n" % alt_names)
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", "/CN=" + name, cwd=self.dir)
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem",
                "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", name + ".ext", "-out", name + ".pem", cwd=self.dir)
        return (os.path.join(self.dir, name + ".pem"),
                os.path.join(self.dir, name + ".key"))

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class HubHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(n).decode())
        self.server.requests.append((self.path, dict(self.headers), form))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


class TLSHub(http.server.ThreadingHTTPServer):
    """Shakes hands in the request's thread, so that a failed handshake is
    recorded (handshakes: "ok" or the error) and never reaches the handler."""
    daemon_threads = True

    def __init__(self, cert):
        super().__init__(("127.0.0.1", 0), HubHandler)
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(*cert)
        self.ctx.sni_callback = lambda sock, name, ctx: self.sni.append(name)
        self.handshakes, self.sni, self.requests = [], [], []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def finish_request(self, request, client_address):
        try:
            tls = self.ctx.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as e:
            self.handshakes.append(str(e))
            return
        self.handshakes.append("ok")
        try:
            self.RequestHandlerClass(tls, client_address, self)
        finally:
            tls.close()

    @property
    def port(self):
        return self.server_address[1]


def run_crier(hub_url, ca_file, check):
    """Starts crier pinging hub_url, edits the post, then check(daemon)."""
    saved = os.environ.get("SSL_CERT_FILE")
    if ca_file is not None:
        os.environ["SSL_CERT_FILE"] = ca_file
    else:
        os.environ.pop("SSL_CERT_FILE", None)
    try:
        with Daemon(files=POSTS, settings={"websub_hub": hub_url}) as d:
            assert "websub" not in d.status()  # the start-up build pings nothing
            d.write("news/a.md", POSTS["news/a.md"].replace("Alpha.", "Alpha, edited."))
            check(d)
    finally:
        if saved is None:
            os.environ.pop("SSL_CERT_FILE", None)
        else:
            os.environ["SSL_CERT_FILE"] = saved


def feed_urls(d):
    return {d.base + p for p in ("/feed.atom", "/feed.rss",
                                 "/news/feed.atom", "/news/feed.rss")}


def test_websub_tls_verified_ping():
    certs = Certs()
    hub = TLSHub(certs.server("good", "DNS:localhost,IP:127.0.0.1"))
    url = "https://localhost:%d/websub" % hub.port

    def check(d):
        want = feed_urls(d)
        d.wait_for(lambda: want <= {r[2]["hub.url"][0] for r in hub.requests}, 10,
                   "pings missing: %r %r\n%s" % (hub.handshakes, hub.requests,
                                                 d.read_log()))
        for path, headers, form in hub.requests:
            assert path == "/websub"
            assert form["hub.mode"] == ["publish"]
            assert headers["Host"] == "localhost:%d" % hub.port
            assert headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert set(hub.sni) == {"localhost"}, hub.sni
        assert set(hub.handshakes) == {"ok"}, hub.handshakes
        d.wait_for(lambda: d.status()["websub"]["ok"] is True, 5, "no ok in /status")
        ws = d.status()["websub"]
        assert ws["hub"] == url and ws["last_ok"] and ws["last_error"] is None, ws
        assert "certificates are checked against %s" % certs.ca in d.read_log()

    try:
        run_crier(url, certs.ca, check)
    finally:
        hub.shutdown()
        certs.cleanup()


def test_websub_tls_ip_address_hub():
    """An address is checked against the certificate's IP names, and is
    never sent as SNI."""
    certs = Certs()
    hub = TLSHub(certs.server("good", "DNS:localhost,IP:127.0.0.1"))

    def check(d):
        d.wait_for(lambda: len(hub.requests) >= 4, 10,
                   "pings missing: %r\n%s" % (hub.handshakes, d.read_log()))
        assert hub.sni and set(hub.sni) == {None}, hub.sni

    try:
        run_crier("https://127.0.0.1:%d/" % hub.port, certs.ca, check)
    finally:
        hub.shutdown()
        certs.cleanup()


def assert_refused(hub, reason):
    def check(d):
        d.wait_for(lambda: "websub" in d.status(), 10,
                   "no websub outcome in /status:\n" + d.read_log())
        ws = d.status()["websub"]
        assert ws["ok"] is False and ws["last_ok"] is None, ws
        assert reason in ws["last_error"], ws
        assert "crier: error: websub: the certificate of localhost is " \
            "refused: %s" % reason in d.read_log(), d.read_log()
        d.wait_for(lambda: len(hub.handshakes) >= 4, 10, "handshakes missing")
        assert "ok" not in hub.handshakes, hub.handshakes
        assert hub.requests == [], hub.requests
    return check


def test_websub_tls_wrong_name_refused():
    """Signed by the trusted CA, but for another name: no byte of a ping
    may reach the hub, and the log and /status say why."""
    certs = Certs()
    hub = TLSHub(certs.server("wrong", "DNS:wrong.example.org"))
    try:
        run_crier("https://localhost:%d/" % hub.port, certs.ca,
                  assert_refused(hub, "hostname mismatch"))
        assert set(hub.sni) == {"localhost"}, hub.sni
    finally:
        hub.shutdown()
        certs.cleanup()


def test_websub_tls_untrusted_ca_refused():
    """Without SSL_CERT_FILE only the system store is trusted."""
    certs = Certs()
    hub = TLSHub(certs.server("good", "DNS:localhost,IP:127.0.0.1"))
    try:
        run_crier("https://localhost:%d/" % hub.port, None,
                  assert_refused(hub, "unable to get local issuer certificate"))
    finally:
        hub.shutdown()
        certs.cleanup()


def test_websub_hub_scheme_checked():
    """https:// is accepted; any other scheme is a configuration error."""
    d = Daemon(files=POSTS, settings={"websub_hub": "ftp://hub.example.org/"})
    try:
        r = subprocess.run(WRAP + [CRIER, "-c", d.write_config(), "--check"],
                           capture_output=True, timeout=30 * SLOW)
        assert r.returncode == 1
        assert b"websub_hub must be an http:// or https:// URL" in r.stderr, r.stderr
        d.settings["websub_hub"] = "https://hub.example.org/"
        r = subprocess.run(WRAP + [CRIER, "-c", d.write_config(), "--check"],
                           capture_output=True, timeout=30 * SLOW)
        assert r.returncode == 0, r.stderr
    finally:
        d.cleanup()


def test_websub_tls_shutdown_mid_handshake():
    """A hub that accepts and never answers: the pings are still in their
    handshakes when crier stops, and are freed (valgrind checks that)."""
    import socket
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    held = []

    def accept():
        while True:
            try:
                held.append(srv.accept()[0])
            except OSError:
                return
    threading.Thread(target=accept, daemon=True).start()

    def check(d):
        d.wait_for(lambda: len(held) >= 4, 10, "no connections:\n" + d.read_log())
        assert "websub" not in d.status()  # still waiting, nothing decided

    try:
        run_crier("https://localhost:%d/" % srv.getsockname()[1], None, check)
    finally:
        srv.close()
        for s in held:
            s.close()
