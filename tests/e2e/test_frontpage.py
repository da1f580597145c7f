"""The front page as a person sees it: valid HTML5 (html5lib, strict), rendered
by headless Chromium (Debian's), every link on it answering 200, and a
screenshot at phone size written to build/screenshots/front-page.png."""
import html.parser
import os
import subprocess
import tempfile
import urllib.parse

import html5lib

from harness import ROOT, SLOW, Daemon

POSTS = {
    "meetups/_index.md": "---\ntitle: Meetups\ndescription: Every meetup\n---\n",
    "meetups/night.md": "---\ntitle: Systems night\ndate: 2026-11-01T10:00:00Z\n"
                        "tags: [Systems, 云原生]\ncategories: [meetup]\n"
                        "location: Old Library\n---\n"
                        "### Tracing\n- **When:** 2030-12-02 19:00-19:45\n"
                        "### Event loops\n- **时间：**2030/12/2 20:00-20:45\n",
    "news/venue.md": "---\ntitle: New venue & more\ndate: 2026-11-02T10:00:00Z\n"
                     "tags: [announcements]\n---\nWe moved.\n",
}

CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"]


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []
        self.alternates = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append(a["href"])


def chromium(args, timeout=60):
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(CHROMIUM + ["--user-data-dir=" + profile] + args,
                              capture_output=True, timeout=timeout * SLOW, check=True)


def test_front_page_valid_rendered_links_resolve():
    with Daemon(files=POSTS) as d:
        source = d.body("/")
        html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(source)

        dom = chromium(["--dump-dom", d.base + "/"]).stdout.decode()
        assert "<title>E2E Site</title>" in dom
        assert "Systems night" in dom and "Upcoming events" in dom

        links = Links()
        links.feed(dom)
        local = set()
        for href in links.hrefs + links.alternates:
            url = urllib.parse.urlsplit(href)
            if url.scheme == "webcal":
                href = "http" + href[len("webcal"):]
                url = urllib.parse.urlsplit(href)
            if url.netloc == "127.0.0.1:%d" % d.port or (not url.scheme and href.startswith("/")):
                local.add(url.path + ("?" + url.query if url.query else ""))
        # Site, 2 sections, 3 tags, 1 category: Atom, RSS and calendar each,
        # two events, two posts, /status.
        assert len(local) >= 25, sorted(local)
        for path in sorted(local):
            status, _, _ = d.get(path)
            assert status == 200, (path, status)
        assert "/tags/%E4%BA%91%E5%8E%9F%E7%94%9F/feed.atom" in local

        shots = os.path.join(ROOT, "build", "screenshots")
        os.makedirs(shots, exist_ok=True)
        png = os.path.join(shots, "front-page.png")
        if os.path.exists(png):
            os.remove(png)
        chromium(["--screenshot=" + png, "--window-size=412,1600", d.base + "/"])
        with open(png, "rb") as f:
            data = f.read()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10000


def test_post_page_valid_with_anchors():
    with Daemon(files=POSTS) as d:
        page = d.body("/meetups/night/")
        html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
        assert b'<h3 id="tracing">' in page
        assert b'<h3 id="event-loops">' in page
        ics = d.body("/calendar.ics")
        assert b"URL:%s/meetups/night/#tracing" % d.base.encode() in ics
