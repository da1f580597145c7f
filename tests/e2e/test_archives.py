"""Feed history (RFC 5005 section 4) end to end: every subject's Atom and
RSS feed links rel="prev-archive" to archive pages of older entries, each
page marked <fh:archive/> with rel="current", "prev-archive" and
"next-archive".  A reader walking back from the subscription feed must get
every published entry exactly once, in order (feedparser reads the
entries; ElementTree the RFC 5005 markers, which feedparser drops); full
pages are served immutable; an edit of an old post changes only its
page; a new post only the newest page; fewer posts withdraw pages.

The posts are generated here into the temporary content folder.
"""
import datetime
import os
import json
import xml.etree.ElementTree as ET

import feedparser

from harness import Daemon, SLOW

ATOM = "http://www.w3.org/2005/Atom"
FH = "http://purl.org/syndication/history/1.0"
START = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)


def post(i, title=None):
    when = START + datetime.timedelta(hours=i)
    return ('---\ntitle: "%s"\ndate: %s\ntags: [%s]\n---\nPost number %d.\n'
            % (title or "Post %d" % i, when.strftime("%Y-%m-%dT%H:%M:%SZ"),
               '"third"' if i % 3 == 0 else '"other"', i))


def posts(n):
    return {"posts/p%04d.md" % i: post(i) for i in range(1, n + 1)}


def link(d, i):
    return d.base + "/posts/p%04d/" % i


def links_of(root, rss):
    """The RFC 5005 relations of a document, and whether it is an archive."""
    if rss:
        chan = root.find("channel")
        els = chan.findall("{%s}link" % ATOM)
        archive = chan.find("{%s}archive" % FH) is not None
    else:
        els = root.findall("{%s}link" % ATOM)
        archive = root.find("{%s}archive" % FH) is not None
    rels = {}
    for e in els:
        assert e.get("rel") not in rels, "rel %s twice" % e.get("rel")
        rels[e.get("rel")] = e.get("href")
    return rels, archive


def path_of(d, url):
    assert url.startswith(d.base), url
    return url[len(d.base):]


def walk(d, feed):
    """Follows prev-archive from the subscription feed to the oldest page;
    returns [(path, headers, links, archive, parsed)] newest first, and
    checks each page's next-archive points back and current to feed."""
    rss = feed.endswith(".rss")
    pages = []
    path = feed
    while path is not None:
        status, headers, body = d.get(path)
        assert status == 200, "GET %s: %s" % (path, status)
        parsed = feedparser.parse(body)
        assert not parsed.bozo, (path, parsed.bozo_exception)
        rels, archive = links_of(ET.fromstring(body), rss)
        assert rels["self"] == d.base + path, (path, rels)
        assert rels["current"] == d.base + feed, (path, rels)
        assert archive == (path != feed), (path, archive)
        if len(pages) > 1:
            assert rels.get("next-archive") == d.base + pages[-1][0], \
                (path, rels, pages[-1][0])
        elif not pages and path != feed:
            raise AssertionError("the feed is not first")
        pages.append((path, headers, rels, archive, parsed))
        path = path_of(d, rels["prev-archive"]) if "prev-archive" in rels else None
        assert len(pages) < 100, "prev-archive loops"
    # The newest archive page has no next-archive: the feed is current.
    if len(pages) > 1:
        assert "next-archive" not in pages[1][2], pages[1][2]
    return pages


def entries_of(pages):
    return [e.link for p in pages for e in p[4].entries]


def test_walk_history_1000_posts():
    """1 000 posts, 50 in each feed, 100 per archive page: 10 pages, the
    first 9 full and immutable, the newest 50 entries long; every entry
    once, newest first, in Atom and RSS, for the site and a tag."""
    with Daemon(files=posts(1000), settings={"archive_entries": "100"}) as d:
        expected = [link(d, i) for i in range(1000, 0, -1)]
        for feed in ("/feed.atom", "/feed.rss"):
            pages = walk(d, feed)
            got = entries_of(pages)
            assert len(got) == len(set(got)) == 1000, (feed, len(got), len(set(got)))
            assert got == expected, feed
            ext = feed.rsplit(".", 1)[1]
            assert [p[0] for p in pages[1:]] == \
                ["/archive/%d/feed.%s" % (k, ext) for k in range(10, 0, -1)]
            assert [len(p[4].entries) for p in pages] == [50, 50] + [100] * 9
            # The feed and the newest page change as posts come: only
            # full pages are immutable.
            for path, headers, _, _, _ in pages:
                cc = headers["cache-control"]
                full = path.startswith("/archive/") and path != pages[1][0]
                assert cc == ("public, max-age=86400, immutable" if full
                              else "public, max-age=300"), (path, cc)
        # JSON Feed walks the same pages by next_url, to the first post.
        got, path, seen = [], "/feed.json", []
        while path is not None:
            status, _, body = d.get(path)
            assert status == 200, (path, status)
            doc = json.loads(body)
            seen.append(path)
            got += [item["url"] for item in doc["items"]]
            path = path_of(d, doc["next_url"]) if "next_url" in doc else None
            assert len(seen) < 100, "next_url loops"
        assert seen == ["/feed.json"] + ["/archive/%d/feed.json" % k
                                         for k in range(10, 0, -1)], seen
        assert got == expected
        # A tag's history: 333 posts, 283 archived in 3 pages.
        third = [link(d, i) for i in range(999, 0, -3)]
        for feed in ("/tags/third/feed.atom", "/tags/third/feed.rss"):
            pages = walk(d, feed)
            assert entries_of(pages) == third, feed
            assert pages[-1][0].startswith("/tags/third/archive/1/")
            assert [len(p[4].entries) for p in pages] == [50, 83, 100, 100]
        # An archive page is a document like the others: 304 and gzip.
        status, headers, _ = d.get("/archive/3/feed.atom")
        etag = headers["etag"]
        assert d.get("/archive/3/feed.atom", {"If-None-Match": etag})[0] == 304
        status, headers, body = d.get("/archive/3/feed.atom",
                                      {"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("content-encoding") == "gzip"
        assert headers["cache-control"].endswith("immutable")
        # Past the last page, and page 0, are nothing.
        assert d.get("/archive/11/feed.atom")[0] == 404
        assert d.get("/archive/0/feed.atom")[0] == 404


def etags(d, paths):
    return {p: d.get(p)[1].get("etag") for p in paths}


def archive_paths(prefix, n):
    return ["%s/archive/%d/feed.%s" % (prefix, k, ext)
            for k in range(1, n + 1) for ext in ("atom", "rss")]


def test_edit_old_post_changes_only_its_page():
    """300 posts, 50 shown, 20 per page: 13 pages.  Editing post 25 (page
    2: posts 21-40) changes pages 2 of Atom and RSS; every other page,
    and the feeds, keep their ETags."""
    with Daemon(files=posts(300), settings={"archive_entries": "20"}) as d:
        paths = archive_paths("", 13) + ["/feed.atom", "/feed.rss"]
        before = etags(d, paths)
        assert None not in before.values(), before
        d.write("posts/p0025.md", post(25, "Post 25, corrected"))
        d.wait_for(lambda: d.get("/archive/2/feed.atom")[1]["etag"] !=
                   before["/archive/2/feed.atom"], 10, "page 2 unchanged")
        d.wait_for(lambda: d.get("/archive/2/feed.rss")[1]["etag"] !=
                   before["/archive/2/feed.rss"], 10, "page 2 (RSS) unchanged")
        after = etags(d, paths)
        changed = sorted(p for p in paths if after[p] != before[p])
        assert changed == ["/archive/2/feed.atom", "/archive/2/feed.rss"], changed
        f = feedparser.parse(d.body("/archive/2/feed.atom"))
        assert "Post 25, corrected" in [e.title for e in f.entries]


def test_new_post_changes_only_the_newest_page():
    """A post published moves the feed's oldest entry into the newest
    archive page (13, 10 entries, becomes 11): the full pages stay."""
    with Daemon(files=posts(300), settings={"archive_entries": "20"}) as d:
        paths = archive_paths("", 13)
        before = etags(d, paths)
        d.write("posts/p0301.md", post(301))
        d.wait_for(lambda: d.get("/archive/13/feed.atom")[1]["etag"] !=
                   before["/archive/13/feed.atom"], 10, "page 13 unchanged")
        d.wait_for(lambda: d.get("/archive/13/feed.rss")[1]["etag"] !=
                   before["/archive/13/feed.rss"], 10, "page 13 (RSS) unchanged")
        after = etags(d, paths)
        changed = sorted(p for p in paths if after[p] != before[p])
        assert changed == ["/archive/13/feed.atom", "/archive/13/feed.rss"], changed
        pages = walk(d, "/feed.atom")
        assert entries_of(pages) == [link(d, i) for i in range(301, 0, -1)]
        assert [len(p[4].entries) for p in pages[:3]] == [50, 11, 20]


def test_fewer_posts_withdraw_pages():
    """Removing the 40 newest posts leaves 210 archived (11 pages): pages
    12 and 13 are withdrawn, and page 11, now the newest, is no longer
    immutable and has no next-archive."""
    with Daemon(files=posts(300), settings={"archive_entries": "20"}) as d:
        assert d.get("/archive/13/feed.rss")[0] == 200
        for i in range(261, 301):
            d.remove("posts/p%04d.md" % i)
        d.wait_for(lambda: d.get("/archive/12/feed.atom")[0] == 404, 10,
                   "page 12 still served")
        d.wait_for(lambda: d.get("/archive/13/feed.rss")[0] == 404, 10,
                   "page 13 still served")
        pages = walk(d, "/feed.rss")
        assert entries_of(pages) == [link(d, i) for i in range(260, 0, -1)]
        assert pages[1][0] == "/archive/11/feed.rss"
        assert pages[1][1]["cache-control"] == "public, max-age=300"
        assert pages[2][1]["cache-control"].endswith("immutable")


def test_no_archives_setting():
    """archive_entries = 0: no history links, no archive pages."""
    with Daemon(files=posts(80), settings={"archive_entries": "0"}) as d:
        rels, archive = links_of(ET.fromstring(d.body("/feed.atom")), False)
        assert set(rels) == {"self", "alternate"}, rels
        assert not archive
        assert d.get("/archive/1/feed.atom")[0] == 404


def test_new_page_links_the_full_one():
    """300 posts, 25 per page: 250 archived, page 10 full but the newest
    (no next-archive, not immutable).  One more post opens page 11: page
    10 gains its next-archive link and becomes immutable; pages 1-9 keep
    their ETags."""
    with Daemon(files=posts(300), settings={"archive_entries": "25"}) as d:
        paths = archive_paths("", 10)
        before = etags(d, paths)
        assert d.get("/archive/10/feed.atom")[1]["cache-control"] == "public, max-age=300"
        d.write("posts/p0301.md", post(301))
        d.wait_for(lambda: d.get("/archive/11/feed.atom")[0] == 200, 10,
                   "no page 11")
        d.wait_for(lambda: d.get("/archive/11/feed.rss")[0] == 200, 10,
                   "no page 11 (RSS)")
        after = etags(d, paths)
        changed = sorted(p for p in paths if after[p] != before[p])
        assert changed == ["/archive/10/feed.atom", "/archive/10/feed.rss"], changed
        pages = walk(d, "/feed.atom")
        assert [p[0] for p in pages[1:3]] == ["/archive/11/feed.atom", "/archive/10/feed.atom"]
        assert pages[2][1]["cache-control"].endswith("immutable")
        assert [len(p[4].entries) for p in pages[:3]] == [50, 1, 25]
        assert entries_of(pages) == [link(d, i) for i in range(301, 0, -1)]


def gzip_made(d):
    import re
    m = re.search(r"^crier_gzip_on_request_total (\d+)$",
                  d.body("/metrics").decode(), re.M)
    return int(m.group(1))


def test_archive_gzip_made_when_first_asked():
    """An archive page's gzip body is made at the first request that asks
    for gzip (document.c gzip_on_request), never in the background: a
    304 for its gzip tag needs none; concurrent askers make it once; the
    gzip bytes are the identity bytes; the subscription feed is gzip from
    the start."""
    import gzip

    with Daemon(files=posts(300), settings={"archive_entries": "40",
                                            "workers": "2"}) as d:
        assert gzip_made(d) == 0
        status, h, _ = d.get("/feed.atom", {"Accept-Encoding": "gzip"})
        assert h.get("content-encoding") == "gzip"
        page = "/archive/1/feed.atom"
        status, h, ident = d.get(page)
        assert status == 200 and "content-encoding" not in h
        etag = h["etag"]
        gz_tag = etag[:-1] + '-gz"'
        # A client holding the gzip version: 304, nothing made.
        status, h304, body = d.get(page, {"Accept-Encoding": "gzip",
                                          "If-None-Match": gz_tag})
        assert (status, body) == (304, b"") and h304["etag"] == gz_tag
        assert gzip_made(d) == 0
        # Nor one holding the identity version, nor one asking by date:
        # a 304 each.
        status, h304, _ = d.get(page, {"Accept-Encoding": "gzip",
                                       "If-None-Match": etag})
        assert status == 304 and h304["etag"] == etag
        status, h304, _ = d.get(page, {
            "Accept-Encoding": "gzip",
            "If-Modified-Since": h["last-modified"]})
        assert status == 304 and h304["etag"] == gz_tag
        assert "content-length" not in h304 or h304["content-length"] == "0"
        assert gzip_made(d) == 0
        results = d.get_at_once(page, {"Accept-Encoding": "gzip"}, n=8)
        assert len(set(results)) == 1, "different answers"
        status, enc, tag, body = results[0]
        assert (status, enc, tag) == (200, "gzip", gz_tag)
        assert gzip.decompress(body) == ident
        assert gzip_made(d) == 1
        # Another page, another format: each made once, when asked.
        d.get("/archive/2/feed.rss", {"Accept-Encoding": "gzip"})
        d.get("/archive/2/feed.rss", {"Accept-Encoding": "gzip"})
        assert gzip_made(d) == 2
        # A HEAD makes it: its Content-Length is the gzip body's.
        status, hh, _ = d.request("HEAD", "/archive/3/feed.atom",
                                  {"Accept-Encoding": "gzip"})
        assert status == 200 and hh["content-encoding"] == "gzip"
        assert gzip_made(d) == 3
        status, hg, body = d.get("/archive/3/feed.atom",
                                 {"Accept-Encoding": "gzip"})
        assert hh["content-length"] == hg["content-length"] == str(len(body))
        assert gzip_made(d) == 3


def test_output_folder_set_by_reload_gets_archive_gz():
    """Archive pages rendered without an output folder make their gzip body
    on request; an output folder set later by a reload (SIGHUP) still gets
    every page's .gz beside it (output.c makes it), the same bytes as
    served."""
    import gzip
    import os
    import signal

    with Daemon(files=posts(130), settings={"archive_entries": "40"}) as d:
        paths = archive_paths("", 2)       # 130 - 50 shown, 40 a page
        # Without a folder a page is rendered when asked (its entries
        # kept as sums): its bytes, ETags and gzip bytes are those of the
        # rope of pieces an output folder's rebuild stitches.
        served = {}
        for p in paths:
            _, h, ident = d.get(p)
            _, hz, gz = d.get(p, {"Accept-Encoding": "gzip"})
            assert hz["content-encoding"] == "gzip"
            served[p] = (h["etag"], ident, hz["etag"], gz)
        out = os.path.join(d.dir, "out")
        d.settings["output_dir"] = out
        d.write_config()
        d.signal(signal.SIGHUP)
        for p in paths:
            f = os.path.join(out, p.lstrip("/"))
            d.wait_for(lambda: os.path.exists(f + ".gz"),
                       message="no %s.gz after the reload" % f)
            with open(f, "rb") as fi, open(f + ".gz", "rb") as fz:
                ident, gz = fi.read(), fz.read()
            assert gzip.decompress(gz) == ident == d.body(p)
            _, h, _ = d.get(p)
            _, hz, gz_now = d.get(p, {"Accept-Encoding": "gzip"})
            assert (h["etag"], ident, hz["etag"], gz) == served[p], p
            assert gz_now == gz


def test_archive_pages_rendered_only_when_asked():
    """An archive page keeps none of its bytes (catalog_feeds.c
    archive_recipe): a 304 and an identity HEAD render nothing, the first
    GET renders it once, later ones are the body cache's, and the page
    read back parses with every archived post once.  Both a large page
    (a rope's ETag, from its entries' sums) and a small one (flat)."""
    import gzip
    import re

    def renders(d):
        m = re.search(r"^crier_cache_renders_total (\d+)$",
                      d.body("/metrics").decode(), re.M)
        return int(m.group(1))

    files = posts(130)
    for day in (1, 2):
        files["posts/short%d.md" % day] = (
            "---\ntitle: Short %d\ndate: 2020-01-0%d\ntags: [lone]\n"
            "---\nx\n" % (day, day))
    with Daemon(files=files, settings={"archive_entries": "40",
                                       "feed_entries": "1"}) as d:
        d.body("/feed.atom")
        base = renders(d)
        for page, count in (("/archive/1/feed.atom", 40),
                            ("/tags/lone/archive/1/feed.atom", 1)):
            status, h, _ = d.request("HEAD", page)
            assert status == 200 and renders(d) == base
            status, _, _ = d.get(page, {"If-None-Match": h["etag"]})
            assert status == 304 and renders(d) == base
            status, h2, body = d.get(page)
            assert status == 200 and h2["etag"] == h["etag"]
            assert int(h["content-length"]) == len(body)
            assert renders(d) == base + 1
            status, hz, gz = d.get(page, {"Accept-Encoding": "gzip"})
            assert gzip.decompress(gz) == body == d.body(page)
            assert renders(d) == base + 1
            feed = feedparser.parse(body)
            assert not feed.bozo, feed.bozo_exception
            assert len(feed.entries) == count
            base += 1


def test_edits_that_move_posts_keep_the_history_whole():
    """An edit that leaves every other post where it was renders only the
    page holding it (src/build/index.c: the places touched); one that
    moves posts renders every page after the first it moved.  Whichever
    it was, walking the site's and a tag's history gives every post once,
    in order, after each of: a retitle, a post dated later (it moves past
    70 others), a post's tag changed (it leaves one tag's history and
    joins the other's), a file renamed (one post out, another in at the
    same place) and two edits seen in one rebuild."""
    files = posts(300)
    posts_now = {i: ("p%04d" % i, START + datetime.timedelta(hours=i),
                     "third" if i % 3 == 0 else "other")
                 for i in range(1, 301)}

    def expect(tag=None):
        ps = [v for v in posts_now.values() if tag is None or v[2] == tag]
        return [d.base + "/posts/%s/" % name
                for name, _, _ in sorted(ps, key=lambda v: v[1],
                                         reverse=True)]

    def write(i, name, when, tag, title):
        d.write("posts/%s.md" % name,
                '---\ntitle: "%s"\ndate: %s\ntags: ["%s"]\n---\nPost %d.\n'
                % (title, when.strftime("%Y-%m-%dT%H:%M:%SZ"), tag, i))
        posts_now[i] = (name, when, tag)

    def settled(token):
        d.wait_for(lambda: token.encode() in d.body("/feed.atom") or
                   any(token.encode() in d.body(p[0])
                       for p in walk(d, "/feed.atom")), 10 * SLOW,
                   "%s never published" % token)

    def check():
        assert entries_of(walk(d, "/feed.atom")) == expect()
        assert entries_of(walk(d, "/tags/third/feed.atom")) == \
            expect("third")
        assert entries_of(walk(d, "/tags/other/feed.atom")) == \
            expect("other")

    with Daemon(files=files, settings={"archive_entries": "20"}) as d:
        check()
        name, when, tag = posts_now[25]
        write(25, name, when, tag, "Retitled 25")
        settled("Retitled 25")
        check()
        name, when, tag = posts_now[30]
        write(30, name, when + datetime.timedelta(hours=70, minutes=30),
              tag, "Moved 30")
        settled("Moved 30")
        check()
        name, when, tag = posts_now[61]
        write(61, name, when, "third", "Retagged 61")
        settled("Retagged 61")
        check()
        name, when, tag = posts_now[40]
        os.unlink(os.path.join(d.content, "posts", name + ".md"))
        write(40, "renamed-40", when, tag, "Renamed 40")
        settled("Renamed 40")
        check()
        for i in (12, 120):
            name, when, tag = posts_now[i]
            write(i, name, when, tag, "Both %d" % i)
        settled("Both 12")
        settled("Both 120")
        check()
