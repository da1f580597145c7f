"""Issue 5 and 4 extras: query filters with canonical URLs, /metrics, the
WebSub ping, the output folder, the front page, and replicas agreeing."""
import gzip
import http.server
import os
import threading
import urllib.parse

from harness import Daemon

POSTS = {
    "talks/a.md": "---\ntitle: Alpha talk\ndate: 2026-03-01T10:00:00Z\n"
                  "tags: [Rust, Systems]\ncategories: [talks]\n"
                  "events:\n  - title: Alpha\n    start: 2027-04-01T19:00\n---\nAlpha body.\n",
    "talks/b.md": "---\ntitle: Beta talk\ndate: 2026-03-02T10:00:00Z\n"
                  "tags: [Go]\ncategories: [talks]\n"
                  "events:\n  - title: Beta\n    start: 2027-04-02T19:00\n---\nBeta body.\n",
    "news/c.md": "---\ntitle: Gamma news\ndate: 2026-03-03T10:00:00Z\n"
                 "tags: [rust]\ncategories: [news]\n---\nGamma body.\n",
}


def vevents(ics):
    return ics.count(b"BEGIN:VEVENT")


def test_query_filter_canonical_redirect():
    with Daemon(files=POSTS) as d:
        status, headers, _ = d.get("/calendar.ics?tags=Systems,Rust")
        assert status == 301, status
        assert headers["location"] == d.base + "/calendar.ics?tags=rust,systems"
        status, headers, _ = d.get("/feed.atom?utm_source=x")
        assert status == 301 and headers["location"] == d.base + "/feed.atom"
        assert vevents(d.body("/calendar.ics?tags=rust")) == 1
        assert vevents(d.body("/calendar.ics?tags=go,rust")) == 2
        atom = d.body("/feed.atom?tags=rust")
        assert b"Alpha talk" in atom and b"Gamma news" in atom
        assert b"Beta talk" not in atom
        assert b'href="%s/feed.atom?tags=rust"' % d.base.encode() in atom
        rss = d.body("/feed.rss?categories=news&tags=rust")
        assert b"Gamma news" in rss and b"Alpha talk" not in rss
        # Same filter, same bytes and ETag (cached per rebuild).
        s1, h1, b1 = d.get("/calendar.ics?tags=go,rust")
        s2, h2, b2 = d.get("/calendar.ics?tags=go,rust")
        assert b1 == b2 and h1["etag"] == h2["etag"]
        s3, _, _ = d.get("/calendar.ics?tags=go,rust", {"If-None-Match": h1["etag"]})
        assert s3 == 304


def test_metrics():
    with Daemon(files=POSTS) as d:
        etag = d.get("/feed.atom")[1]["etag"]
        d.get("/feed.atom", {"If-None-Match": etag})
        d.get("/nope")
        text = d.body("/metrics").decode()
        assert 'crier_http_requests_total{route="feed",status="200"} 1' in text
        assert 'crier_http_requests_total{route="feed",status="304"} 1' in text
        assert 'crier_http_requests_total{route="page",status="404"} 1' in text
        assert "crier_entries 3" in text
        assert "crier_events 2" in text
        assert "crier_rebuild_duration_seconds_count 1" in text
        assert 'crier_rebuild_duration_seconds_bucket{le="+Inf"} 1' in text


class Hub(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        Hub.received.append(urllib.parse.parse_qs(self.rfile.read(n).decode()))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_websub_ping_after_change():
    Hub.received = []
    hub = http.server.HTTPServer(("127.0.0.1", 0), Hub)
    threading.Thread(target=hub.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d/hub" % hub.server_address[1]
    try:
        with Daemon(files=POSTS, settings={"websub_hub": url}) as d:
            assert b'<link rel="hub" href="%s"/>' % url.encode() in d.body("/feed.atom")
            assert Hub.received == []  # the start-up build pings nothing
            d.write("news/c.md", POSTS["news/c.md"].replace("Gamma news", "Gamma news 2"))
            want = {d.base + p for p in ("/feed.atom", "/feed.rss", "/news/feed.atom",
                                         "/news/feed.rss", "/tags/rust/feed.atom")}
            d.wait_for(lambda: want <= {r["hub.url"][0] for r in Hub.received}, 5,
                       "pings missing: %r" % Hub.received)
            urls = {r["hub.url"][0] for r in Hub.received}
            assert all(r["hub.mode"] == ["publish"] for r in Hub.received)
            assert d.base + "/talks/feed.atom" not in urls  # unchanged
    finally:
        hub.shutdown()


def test_output_folder_mirrors_documents():
    d = Daemon(files=POSTS)
    out = os.path.join(d.dir, "out")
    d.settings["output_dir"] = out
    with d:
        atom = d.body("/feed.atom")
        with open(os.path.join(out, "feed.atom"), "rb") as f:
            assert f.read() == atom
        with open(os.path.join(out, "feed.atom.gz"), "rb") as f:
            assert gzip.decompress(f.read()) == atom
        assert os.path.exists(os.path.join(out, "talks", "a", "index.html"))
        assert os.path.exists(os.path.join(out, "tags", "rust", "calendar.ics"))
        d.remove("talks/b.md")
        gone = [os.path.join(out, "tags", "go", "feed.atom"),
                os.path.join(out, "talks", "b", "index.html")]
        d.wait_for(lambda: not any(os.path.exists(p) for p in gone), 5,
                   "files of removed documents are still there")
        d.wait_for(lambda: not [n for n in os.listdir(out) if ".tmp." in n], 5,
                   "temporary files left behind")


def test_replicas_agree():
    a, b = Daemon(files=POSTS), Daemon(files=POSTS)
    b.settings["base_url"] = a.base  # the same public URL, as behind one cache
    with a, b:
        for path in ("/feed.atom", "/feed.rss", "/calendar.ics", "/tags/rust/calendar.ics",
                     "/talks/feed.atom"):
            sa, ha, ba = a.get(path, {"Accept-Encoding": "gzip"})
            sb, hb, bb = b.get(path, {"Accept-Encoding": "gzip"})
            assert sa == sb == 200
            assert ha["etag"] == hb["etag"], path
            assert gzip.decompress(ba) == gzip.decompress(bb), path


def test_front_page_links():
    with Daemon(files=POSTS) as d:
        html = d.body("/").decode()
        assert html.startswith("<!DOCTYPE html>")
        assert 'rel="alternate" type="application/atom+xml"' in html
        assert "webcal://127.0.0.1:%d/calendar.ics" % d.port in html
        assert "calendar.google.com/calendar/render?cid=webcal%3A%2F%2F" in html
        assert "outlook.live.com/calendar/0/addfromweb?url=" in html
        assert "/tags/rust/feed.atom" in html and "/categories/news/feed.rss" in html
        assert "add to calendar" in html


def test_id_survives_date_edit_and_restart():
    with Daemon(files=POSTS) as d:
        def entry_id():
            atom = d.body("/news/feed.atom").decode()
            return atom.split("<entry>")[1].split("<id>")[1].split("</id>")[0]
        first = entry_id()
        assert first == "tag:e2e.example.org,2026-03-03:/news/c/"
        d.write("news/c.md", POSTS["news/c.md"].replace("2026-03-03", "2026-03-09"))
        d.wait_for(lambda: "2026-03-09" in d.body("/news/feed.atom").decode().split(
            "<published>")[1], 5, "the new date was not published")
        assert entry_id() == first
        d.stop()
        d.start()
        assert entry_id() == first
