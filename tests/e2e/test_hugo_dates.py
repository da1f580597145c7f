"""Dates as Hugo reads them (issue 12), end to end: a one-digit hour and
other Go layouts Hugo accepts are published at the right instant; a page
without a date is dated by Hugo's fallbacks in order (publishDate, lastmod,
the file name's date and slug, the file's modification time), each with a
warning in /status on the line it names, and its Atom and RSS dates, its
id and its HTML page all say the same date -- never 2000-01-01 or 1970.

The content is written for these tests; the site's zone is Europe/Berlin.
"""
import calendar
import email.utils
import os
import re
import time

import feedparser

from harness import Daemon

AUTH = "e2e.example.org"

PAGES = {
    # 07:15:43 at +08:00 is 23:15:43Z the day before.
    "news/one-digit-hour.md":
        "---\ntitle: One digit\ndate: 2019-05-28T7:15:43+08:00\n---\nx\n",
    # RFC 1123Z, and a zone name (ignored, as Hugo does): Berlin's time.
    "news/rfc1123.md":
        '---\ntitle: RFC 1123\ndate: "Tue, 28 May 2019 07:15:43 +0800"\n---\nx\n',
    "news/named-zone.md":
        '---\ntitle: Named\ndate: "Tue, 28 May 2019 09:00:00 MST"\n---\nx\n',
    "news/only-publishdate.md":
        "---\ntitle: Pub\npublishDate: 2021-02-03T04:05:06Z\n---\nx\n",
    "news/only-lastmod.md":
        "---\ntitle: Mod\ntags: [a]\nlastmod: 2021-02-04 10:00:00\n---\nx\n",
    "news/2020-05-06-spring-fair.md": "---\ntitle: Spring fair\n---\nx\n",
    "news/2020-07-08-boat-trip/index.md": "---\ntitle: Boat trip\n---\nx\n",
    "news/undated.md": "---\ntitle: Undated\n---\nx\n",
    "news/time-only.md": '---\ntitle: Time\ndate: "3:04PM"\n---\nx\n',
}

MTIME = calendar.timegm((2021, 3, 4, 23, 30, 7))   # 00:30 on the 5th in Berlin


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


# url path -> (published, id date, warning line, warning text)
EXPECTED = {
    "/news/one-digit-hour/": ("2019-05-27T23:15:43Z", "2019-05-28", None, None),
    "/news/rfc1123/": ("2019-05-27T23:15:43Z", "2019-05-28", None, None),
    "/news/named-zone/": ("2019-05-28T07:00:00Z", "2019-05-28", None, None),
    "/news/only-publishdate/": ("2021-02-03T04:05:06Z", "2021-02-03", 3,
                                "no 'date': using 'publishDate' (line 3)"),
    "/news/only-lastmod/": ("2021-02-04T09:00:00Z", "2021-02-04", 4,
                            "no 'date': using 'lastmod' (line 4)"),
    "/news/spring-fair/": ("2020-05-05T22:00:00Z", "2020-05-06", 1,
                           "no 'date': using the file name's date 2020-05-06, "
                           "and 'spring-fair' as the slug"),
    "/news/boat-trip/": ("2020-07-07T22:00:00Z", "2020-07-08", 1,
                         "no 'date': using the file name's date 2020-07-08, "
                         "and 'boat-trip' as the slug"),
    "/news/undated/": (iso(MTIME), "2021-03-05", 1,
                       "no 'date': using the file's modification time " + iso(MTIME)),
}

FILE_OF = {
    "/news/one-digit-hour/": "news/one-digit-hour.md",
    "/news/rfc1123/": "news/rfc1123.md",
    "/news/named-zone/": "news/named-zone.md",
    "/news/only-publishdate/": "news/only-publishdate.md",
    "/news/only-lastmod/": "news/only-lastmod.md",
    "/news/spring-fair/": "news/2020-05-06-spring-fair.md",
    "/news/boat-trip/": "news/2020-07-08-boat-trip/index.md",
    "/news/undated/": "news/undated.md",
}


def parse(d, path):
    f = feedparser.parse(d.body(path))
    assert not f.bozo, "%s: %r" % (path, f.get("bozo_exception"))
    return f


def daemon():
    d = Daemon(files=PAGES)
    os.utime(d.path("news/undated.md"), (MTIME, MTIME))
    return d


def entry_id(url_path, day):
    return "tag:%s,%s:%s" % (AUTH, day, url_path)


def check_documents(d):
    atom = {e.link[len(d.base):]: e for e in parse(d, "/feed.atom").entries}
    rss = {e.link[len(d.base):]: e for e in parse(d, "/feed.rss").entries}
    # the page with a bad date is dated by its file, like an undated one
    assert sorted(atom) == sorted(list(EXPECTED) + ["/news/time-only/"]), sorted(atom)
    for url, (published, day, _, _) in EXPECTED.items():
        e = atom[url]
        assert e.published == published, (url, e.published, published)
        assert e.updated == published, (url, e.updated)
        assert e.id == entry_id(url, day), (url, e.id)
        r = rss[url]
        assert r.id == e.id, (url, r.id)
        when = email.utils.parsedate_to_datetime(r.published)
        assert iso(when.timestamp()) == published, (url, r.published)
        html = d.body(url).decode("utf-8")
        assert '<time class="dt-published" datetime="%s">%s</time>' % (published, published[:10]) in html, url
    # the feed's own id is fixed (tag:…,2000-01-01:/feed.atom); no entry's
    feed_id = ("tag:%s,2000-01-01:/feed.atom" % AUTH).encode()
    for doc in ("/feed.atom", "/feed.rss") + tuple(EXPECTED):
        body = d.body(doc).replace(feed_id, b"")
        assert b"2000-01-01" not in body and b"1970" not in body, doc


def check_status(d):
    files = {x["path"]: x for x in d.status()["files"]}
    for url, (_, _, line, text) in EXPECTED.items():
        f = files[FILE_OF[url]]
        if line is None:
            assert f["state"] == "ok" and f["messages"] == [], f
            continue
        assert f["state"] == "warning" and f["serving"] == "current", f
        (m,) = f["messages"]
        assert m["level"] == "warning" and m["line"] == line, m
        assert m["message"].startswith(text), (m["message"], text)
    t = files["news/time-only.md"]
    assert t["state"] == "error", t
    assert [(m["line"], m["level"]) for m in t["messages"]] == \
        [(3, "error"), (1, "warning")], t
    assert "time of day without a date" in t["messages"][0]["message"], t


def test_hugo_dates_feeds_ids_pages():
    with daemon() as d:
        check_documents(d)
        check_status(d)


def test_hugo_dates_mtime_moves_with_the_file():
    """The same bytes written again (a checkout) move an mtime-dated
    page's date; its id, fixed at first publication, stays; a restart
    with that mtime gives the same feed."""
    with daemon() as d:
        url = "/news/undated/"
        first = {e.link[len(d.base):]: e for e in parse(d, "/feed.atom").entries}[url]
        d.write("news/undated.md", PAGES["news/undated.md"])
        now = os.stat(d.path("news/undated.md")).st_mtime

        def moved():
            e = {e.link[len(d.base):]: e for e in parse(d, "/feed.atom").entries}[url]
            return e.published == iso(int(now))
        d.wait_for(moved, 5, "the new mtime was not taken")
        e = {e.link[len(d.base):]: e for e in parse(d, "/feed.atom").entries}[url]
        assert e.id == first.id, (e.id, first.id)
        (m,) = [x for x in d.status()["files"] if x["path"] == "news/undated.md"][0]["messages"]
        assert iso(int(now)) in m["message"], m
        feed = d.body("/feed.atom")
        assert d.stop() == 0
        d.start()
        assert d.body("/feed.atom") == feed


ORDER_SITE = """baseURL = "https://order.example.org/"
title = "Order"
timeZone = "UTC"
[frontmatter]
  date = ["lastmod", ":filename", ":fileModTime"]
"""
ORDER_PAGES = {
    "posts/both.md": "---\ntitle: Both\ndate: 2024-01-01T10:00:00Z\n"
                     "lastmod: 2024-02-02T10:00:00Z\n---\nx\n",
    "posts/2023-03-04-named.md": "---\ntitle: Named\ndate: 2024-01-01T10:00:00Z\n---\nx\n",
    "posts/plain.md": "---\ntitle: Plain\ndate: 2024-01-01T10:00:00Z\n---\nx\n",
}
PLAIN_MTIME = calendar.timegm((2022, 5, 6, 12, 0, 0))


def test_site_frontmatter_date_order_is_hugos():
    """A site's frontmatter.date is applied in its order, the first that
    gives a date winning (lastmod over date; the file name's date, which
    also slugs the page; the file's modification time): each page's
    published time and URL are those of Hugo's RSS for the same site."""
    import shutil
    import subprocess
    import xml.etree.ElementTree as ET
    from harness import SLOW, Skip
    from test_hugo_site import path_of
    if shutil.which("hugo") is None:
        raise Skip("hugo is not installed")
    d = Daemon()
    site = os.path.join(d.dir, "site")
    for rel, text in ORDER_PAGES.items():
        p = os.path.join(site, "content", rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
    os.utime(os.path.join(site, "content", "posts", "plain.md"),
             (PLAIN_MTIME, PLAIN_MTIME))
    with open(os.path.join(site, "hugo.toml"), "w") as f:
        f.write(ORDER_SITE)
    out = os.path.join(d.dir, "hugo-public")
    subprocess.run(["hugo", "--quiet", "--source", site, "--destination", out],
                   check=True, capture_output=True, timeout=SLOW * 120)
    rss = ET.parse(os.path.join(out, "index.xml")).getroot()
    hugo = {path_of(i.findtext("link")):
            email.utils.parsedate_to_datetime(i.findtext("pubDate")).timestamp()
            for i in rss.iter("item")}
    for key in ("title", "description", "base_url", "content_dir", "timezone"):
        d.settings.pop(key, None)
    d.settings["hugo_site"] = site
    with d:
        feed = feedparser.parse(d.body("/feed.atom"))
        ours = {path_of(e.link): calendar.timegm(e.published_parsed)
                for e in feed.entries}
        assert ours == hugo, (ours, hugo)
        assert ours["/posts/both/"] == calendar.timegm((2024, 2, 2, 10, 0, 0))
        assert ours["/posts/named/"] == calendar.timegm((2023, 3, 4, 0, 0, 0))
        assert ours["/posts/plain/"] == PLAIN_MTIME
        assert d.status()["hugo"]["settings"]["frontmatter.date"]["status"] == "taken"
