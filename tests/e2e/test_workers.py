"""Several event loops (`workers = 2`) on one port: every connection, in
whichever loop it lands, sees the same documents, the newest after each
change, filtered documents, /status and summed /metrics; SIGHUP reaches
every loop; SIGTERM exits 0."""
import http.client
import re
import signal
import threading

from harness import Daemon

POSTS = {
    "news/a.md": "---\ntitle: Alpha\ndate: 2026-03-01T10:00:00Z\ntags: [x]\n---\nA.\n",
    "news/b.md": "---\ntitle: Beta\ndate: 2026-03-02T10:00:00Z\ntags: [y]\n---\nB.\n",
}


def fetch_many(d, path, n=24, headers=None):
    """n requests, each on a new connection (spread over the loops)."""
    out = []
    for _ in range(n):
        c = http.client.HTTPConnection("127.0.0.1", d.port, timeout=10)
        c.request("GET", path, headers=headers or {})
        r = c.getresponse()
        out.append((r.status, r.getheader("ETag"), r.getheader("Cache-Control"), r.read()))
        c.close()
    return out


def test_every_loop_serves_the_same_newest_documents():
    with Daemon(files=POSTS, settings={"workers": "2"}) as d:
        first = fetch_many(d, "/feed.atom")
        assert {r[0] for r in first} == {200}
        assert len({r[1] for r in first}) == 1
        d.write("news/c.md", "---\ntitle: Gamma\ndate: 2026-03-03T10:00:00Z\n---\nC.\n")
        d.wait_for(lambda: b"Gamma" in d.body("/feed.atom"), 5, "no rebuild")
        d.wait_for(lambda: all(b"Gamma" in r[3] for r in fetch_many(d, "/feed.atom")), 5,
                   "a loop still serves the old feed")
        after = fetch_many(d, "/feed.atom")
        assert len({r[1] for r in after}) == 1 and after[0][1] != first[0][1]
        for status, _, _, body in fetch_many(d, "/calendar.ics?tags=x", 8):
            assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")
        for status, _, _, body in fetch_many(d, "/status", 8):
            assert status == 200 and b'"entries": 3' in body
        assert fetch_many(d, "/nope", 4)[0][0] == 404


def test_concurrent_clients_and_summed_metrics():
    with Daemon(files=POSTS, settings={"workers": "2"}) as d:
        errors = []

        def client():
            try:
                for status, _, _, body in fetch_many(d, "/feed.rss", 50):
                    if status != 200 or not body.rstrip().endswith(b"</rss>"):
                        errors.append(status)
            except OSError as e:
                errors.append(str(e))

        threads = [threading.Thread(target=client) for _ in range(4)]
        for t in threads:
            t.start()
        for i in range(20):
            d.write("news/a.md", POSTS["news/a.md"].replace("Alpha", "Alpha %d" % i))
        for t in threads:
            t.join()
        assert errors == []
        text = "".join(r[3].decode() for r in fetch_many(d, "/metrics", 1))
        served = int(re.search(r'crier_http_requests_total\{route="feed",status="200"\} (\d+)',
                               text).group(1))
        assert served >= 200, served    # every loop's requests are counted


def test_reload_reaches_every_loop():
    with Daemon(files=POSTS, settings={"workers": "2", "max_age": "300"}) as d:
        assert {r[2] for r in fetch_many(d, "/feed.atom")} == {"public, max-age=300"}
        d.settings["max_age"] = "77"
        d.write_config()
        d.signal(signal.SIGHUP)
        d.wait_for(lambda: {r[2] for r in fetch_many(d, "/feed.atom")} ==
                   {"public, max-age=77"}, 5, "a loop kept the old setting")
