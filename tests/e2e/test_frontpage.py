"""The front page as a person sees it: valid HTML5 (html5lib, strict), rendered
by headless Chromium (Debian's), every link on it answering 200, and a
screenshot at phone size written to build/screenshots/front-page.png."""
import datetime
import html.parser
import os
import re
import subprocess
import tempfile
import time
import urllib.parse
import zoneinfo

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
        self.calendars = []     # autodiscovery of text/calendar

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append(a["href"])
            if a.get("type") == "text/calendar":
                self.calendars.append(a["href"])


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
        # Site, 2 sections, 3 tags, 1 category: Atom and RSS each, and a
        # calendar for the five with events (not news/, not announcements);
        # two events, two posts, /status.
        assert len(local) >= 24, sorted(local)
        assert "/news/calendar.ics" not in local
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


BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
UTC = datetime.timezone.utc


def upcoming_items(page):
    """The <li> lines of the front page's "Upcoming events" list, without
    their microformats markup (h-event, <time>): as a person reads them."""
    text = page.decode()
    part = text.split("<h2>Upcoming events</h2>", 1)[1].split("<h2>", 1)[0]
    part = re.sub(r'<li class="h-event">', "<li>", part)
    part = re.sub(r"</?time[^>]*>", "", part)
    return [li for li in part.splitlines() if li.startswith("<li>")]


def wall(dt):
    return dt.strftime("%Y-%m-%d %H:%M")


def series_files(now):
    """A weekly series begun three weeks ago (its fourth occurrence two
    hours from now), an ended series and an ended event in meetups/ and
    tag "study"; news/ and tag "announcements" without events."""
    first = now - datetime.timedelta(days=21) + datetime.timedelta(hours=2)
    old = now - datetime.timedelta(days=70)
    past = now - datetime.timedelta(days=2)
    return {
        "meetups/study.md": "---\ntitle: Study post\ndate: 2026-01-01T10:00:00Z\n"
                            "tags: [study]\ntimezone: Europe/Berlin\nevents:\n"
                            "  - title: Weekly study group\n    start: %s\n"
                            "    duration: 1h\n    rrule: FREQ=WEEKLY;COUNT=6\n"
                            "  - title: Old series\n    start: %s\n"
                            "    rrule: FREQ=WEEKLY;COUNT=3\n"
                            "  - title: Past talk\n    start: %s\n---\nBody.\n"
                            % (first.strftime("%Y-%m-%dT%H:%M"),
                               old.strftime("%Y-%m-%dT%H:%M"),
                               past.strftime("%Y-%m-%dT%H:%M")),
        "news/venue.md": "---\ntitle: New venue\ndate: 2026-01-02T10:00:00Z\n"
                         "tags: [announcements]\n---\nWe moved.\n",
    }


def test_front_page_series_at_next_occurrence_ended_ones_left_out():
    now = datetime.datetime.now(BERLIN).replace(tzinfo=None, second=0, microsecond=0)
    # Weekly on the wall clock: the third ended a week ago.
    fourth = now + datetime.timedelta(hours=2)
    with Daemon(files=series_files(now)) as d:
        page = d.body("/")
        html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
        items = upcoming_items(page)
        study = [li for li in items if "Weekly study group" in li]
        assert len(study) == 1, items
        assert study[0].startswith("<li>%s–%s Europe/Berlin" % (
            wall(fourth), (fourth + datetime.timedelta(hours=1)).strftime("%H:%M"))), study
        assert "repeats weekly" in study[0], study
        assert not [li for li in items if "Old series" in li or "Past talk" in li], items
        # The calendars still hold all three.
        ics = d.body("/calendar.ics")
        assert b"SUMMARY:Old series" in ics and b"SUMMARY:Past talk" in ics


def test_front_page_calendars_only_for_subjects_with_events():
    """In links and in autodiscovery; feeds for every subject."""
    now = datetime.datetime.now(BERLIN).replace(tzinfo=None, second=0, microsecond=0)
    with Daemon(files=series_files(now)) as d:
        page = d.body("/")
        links = Links()
        links.feed(page.decode())
        base = d.base.replace("http://", "")
        for path in ("/calendar.ics", "/meetups/calendar.ics", "/tags/study/calendar.ics"):
            assert "webcal://%s%s" % (base, path) in links.hrefs, path
        for path in ("/news/calendar.ics", "/tags/announcements/calendar.ics"):
            assert not [h for h in links.hrefs if path in h or
                        urllib.parse.quote(d.base + path, safe="") in h], path
        assert d.base + "/news/feed.atom" in links.hrefs
        assert d.base + "/tags/announcements/feed.atom" in links.hrefs
        assert sorted(links.calendars) == [d.base + "/calendar.ics",
                                           d.base + "/meetups/calendar.ics"], links.calendars
        assert d.base + "/news/feed.atom" in links.alternates


def test_front_page_without_events_offers_no_calendar():
    files = {"news/venue.md": "---\ntitle: New venue\ndate: 2026-01-02T10:00:00Z\n"
                              "tags: [announcements]\n---\nWe moved.\n"}
    with Daemon(files=files) as d:
        page = d.body("/")
        assert b"calendar.ics" not in page and b"text/calendar" not in page
        assert b"None scheduled." in page
        assert d.base.encode() + b"/feed.atom" in page


def test_front_page_drops_event_when_it_ends():
    """No file changes: the front page is rendered again when the event
    ends, by a timer."""
    now = datetime.datetime.now(UTC).replace(microsecond=0)
    end = now + datetime.timedelta(seconds=4 * min(SLOW, 5))
    files = {
        "meetups/now.md": "---\ntitle: Now post\ndate: 2026-01-01T10:00:00Z\nevents:\n"
                          "  - title: Ending soon\n    start: %s\n    end: %s\n"
                          "  - title: Next year\n    start: %s\n---\nBody.\n"
                          % ((now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                             end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                             (now + datetime.timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ")),
    }
    with Daemon(files=files) as d:
        items = upcoming_items(d.body("/"))
        assert [li for li in items if "Ending soon" in li], items
        d.wait_for(lambda: not [li for li in upcoming_items(d.body("/"))
                                if "Ending soon" in li], 30,
                   "the ended event stayed on the front page; log:\n" + d.read_log())
        assert time.time() >= end.timestamp() - 0.01, "dropped before its end"
        items = upcoming_items(d.body("/"))
        assert len(items) == 1 and "Next year" in items[0], items
