"""Feeds end to end (issue 2): every document is fetched over HTTP from the
real daemon and parsed with feedparser (bozo must be false); titles, dates,
links, ids, categories, authors, summaries and content are asserted exactly,
per site, section, tag and category; hidden pages (draft, future, expired)
never show; /status reports bad files with their lines; output is
byte-identical across a restart.

The fixture content below is written for these tests (a meetup post in the
shape of the real example: duplicated key, schedule table and one section
per talk; an English news post; JSON front matter; a top-level page), and
fixtures/meetup_announcement.md, a Chinese announcement in that shape that
test_seed_post serves.  The real example in ../shared/seeds gets the same
checks where it exists (test_seed_post_real_example; skipped elsewhere).
"""
import datetime
import gzip
import os
import re
import xml.etree.ElementTree as ET

import feedparser
import icalendar

from announcement import WEEKDAYS_EN as WEEKDAYS, Announcement, fixture_text, seed_text, slug
from harness import Daemon

AUTH = "e2e.example.org"
CLOUD = "/tags/cloud-native"
CJK = "\u4e91\u539f\u751f"                      # 云原生
CJK_SLUG = "%E4%BA%91%E5%8E%9F%E7%94%9F"
ATOM_NS = "http://www.w3.org/2005/Atom"
UTC = datetime.timezone.utc

# --- fixture content ------------------------------------------------------

LANTERN_LINES = [
    "---",
    'title: "Lantern Night #3: queues, caches and coffee"',
    'description: "Three talks on a summer evening."',
    "date: 2024-06-05T18:30:00+02:00",
    "draft: false",
    'aliases: ["/lantern"]',
    'image: "/img/lantern.jpg"',
    'author: "[Ines Park](https://ines.example.net/)"',
    'description: "Lantern Night returns with three talks about queues, caches and a coffee robot."',
    'tags: ["meetup", "Cloud Native", "%s"]' % CJK,
    'categories: ["Events"]',
    'keywords: ["queues", "caches"]',
    'type: "post"',
    "---",
    "",
    "Lantern Night returns to the boathouse for three short talks. Read the",
    "[venue notes](venue/) and look at the ![harbour map](/img/map.png) before",
    "you come.",
    "",
    "| Date    | Talk                         | Speaker      |",
    "| ------- | ---------------------------- | ------------ |",
    "| June 19 | Queues that never lose a job | Ola Nordmann |",
    "| June 19 | Cache invalidation, gently   | Ravi Menon   |",
    "| June 26 | A robot that pours coffee    | Chen Wei     |",
    "",
    "### Queues that never lose a job",
    "",
    "- **When:** 2024-06-19 (Wed) 19:00-19:40",
    "- **Speaker:** Ola Nordmann",
    "- **Abstract:** Retries, idempotency keys and the outbox pattern.",
    "",
    "### Cache invalidation, gently",
    "",
    "- **When:** 2024-06-19 (Thu) 19:50-20:30",
    "- **Speaker:** Ravi Menon",
    "",
    "### A robot that pours coffee",
    "",
    "- **When:** 2024-06-26 (Wed) 19:00-19:45",
    "- **Speaker:** Chen Wei",
    "- **Abstract:** Servo motors, a single-board computer and one spilled cup.",
    "",
]
LANTERN = "\n".join(LANTERN_LINES)
LANTERN_DUP_LINE = 9                                   # the later description
LANTERN_THU_LINE = LANTERN_LINES.index(
    "- **When:** 2024-06-19 (Thu) 19:50-20:30") + 1

HARBOUR = """---
title: "Volunteers wanted for the harbour clean-up"
date: 2024-05-01
lastmod: 2024-05-03T12:00:00Z
author: "Sam Okafor"
summary: "Bring gloves; we bring coffee."
tags: ["Community", "Cloud Native"]
categories: ["News"]
---
We are cleaning the harbour steps on **Saturday**. See [the map](../../img/steps.png)
and [our partner](https://partner.example.com/x).

~~Cancelled~~ Rescheduled once already.
"""

JSON_POST = """{
  "title": "Front matter in JSON",
  "date": "2024-04-10T09:00:00Z",
  "authors": ["Lee Chan", "Mo Ibrahim"],
  "tags": ["json"],
  "categories": ["News", "Howto"],
  "description": "JSON front matter is read like YAML.",
  "slug": "json-works"
}
Written by two people. ![diagram](diagram.svg)
"""

COLOPHON = """---
title: "Colophon"
date: "2024-03-15 08:00"
---
Built with crier, served from a folder of Markdown.
"""

SECTION_INDEX = """---
title: "Harbourside Meetups"
description: "Evening talks by the water."
---
"""

# Pages that must never appear anywhere: every title holds "HIDDEN".
HIDDEN = {
    "news/draft-sponsors.md": """---
title: "HIDDEN draft sponsor list"
date: 2024-05-20
draft: true
tags: ["Cloud Native", "%s", "secret-tag"]
categories: ["News"]
---
- **When:** 2024-07-10 (Wed) 19:00-20:00
""" % CJK,
    "news/next-century.md": """---
title: "HIDDEN next century"
date: 2099-05-01
tags: ["Cloud Native", "secret-tag"]
categories: ["News"]
---
From the future.
""",
    "news/embargo.md": """---
title: "HIDDEN embargoed announcement"
date: 2024-02-01
publishDate: 2099-01-01
tags: ["Cloud Native", "secret-tag"]
categories: ["News"]
---
Not yet.
""",
    "news/old-offer.md": """---
title: "HIDDEN expired offer"
date: 2024-01-10
expiryDate: 2024-02-01
tags: ["Cloud Native", "secret-tag"]
categories: ["News"]
---
Too late.
""",
    "meetups/draft-json.md": """{
  "title": "HIDDEN json draft",
  "date": "2024-05-25T10:00:00Z",
  "draft": true,
  "tags": ["Cloud Native"],
  "categories": ["Events"]
}
- **When:** 2024-07-17 (Wed) 19:00-20:00
""",
}

SITE = {
    "meetups/_index.md": SECTION_INDEX,
    "meetups/lantern-night.md": LANTERN,
    "news/harbour-cleanup.md": HARBOUR,
    "news/json-front.md": JSON_POST,
    "colophon.md": COLOPHON,
}
SITE.update(HIDDEN)

LANTERN_ID = "tag:%s,2024-06-05:/meetups/lantern-night/" % AUTH
HARBOUR_ID = "tag:%s,2024-05-01:/news/harbour-cleanup/" % AUTH
JSON_ID = "tag:%s,2024-04-10:/news/json-works/" % AUTH
COLOPHON_ID = "tag:%s,2024-03-15:/colophon/" % AUTH
SITE_ORDER = [LANTERN_ID, HARBOUR_ID, JSON_ID, COLOPHON_ID]

LANTERN_TITLE = "Lantern Night #3: queues, caches and coffee"
HARBOUR_TITLE = "Volunteers wanted for the harbour clean-up"

# Every feed the visible fixture content gives, with its entries in order.
FEEDS = {
    "": SITE_ORDER,
    "/meetups": [LANTERN_ID],
    "/news": [HARBOUR_ID, JSON_ID],
    CLOUD: [LANTERN_ID, HARBOUR_ID],
    "/tags/" + CJK_SLUG: [LANTERN_ID],
    "/tags/meetup": [LANTERN_ID],
    "/tags/community": [HARBOUR_ID],
    "/tags/json": [JSON_ID],
    "/categories/events": [LANTERN_ID],
    "/categories/news": [HARBOUR_ID, JSON_ID],
    "/categories/howto": [JSON_ID],
}


# --- helpers --------------------------------------------------------------

def parse(d, path):
    data = d.body(path)
    f = feedparser.parse(data)
    assert not f.bozo, "%s is not well-formed: %r" % (path, f.get("bozo_exception"))
    return f


def by_id(feed):
    return {e.id: e for e in feed.entries}


def self_link(feed):
    selfs = [l.href for l in feed.feed.get("links", []) if l.get("rel") == "self"]
    assert len(selfs) == 1, feed.feed.get("links")
    return selfs[0]


def unfold(ics):
    return re.sub(rb"\r?\n[ \t]", b"", ics).decode("utf-8")


def all_paths():
    paths = []
    for prefix in FEEDS:
        paths += [prefix + "/feed.atom", prefix + "/feed.rss", prefix + "/calendar.ics"]
    return paths


# --- tests ----------------------------------------------------------------

def test_site_atom_entries_exact():
    with Daemon(files=SITE) as d:
        f = parse(d, "/feed.atom")
        assert f.version == "atom10", f.version
        assert f.feed.title == "E2E Site"
        assert f.feed.subtitle == "end-to-end tests"
        assert f.feed.id == "tag:%s,2000-01-01:/feed.atom" % AUTH
        assert self_link(f) == d.base + "/feed.atom"
        # feed <updated> is the newest entry's, not a build time
        assert f.feed.updated == "2024-06-05T16:30:00Z", f.feed.updated
        assert f.feed.author_detail.name == "E2E Author"
        assert [e.id for e in f.entries] == SITE_ORDER

        e = by_id(f)
        lantern = e[LANTERN_ID]
        assert lantern.title == LANTERN_TITLE
        assert lantern.published == "2024-06-05T16:30:00Z"
        assert lantern.updated == "2024-06-05T16:30:00Z"
        assert lantern.link == d.base + "/meetups/lantern-night/"
        assert [(a.get("name"), a.get("href")) for a in lantern.authors] == \
            [("Ines Park", "https://ines.example.net/")]
        assert [t.term for t in lantern.tags] == ["meetup", "Cloud Native", CJK, "Events"]

        harbour = e[HARBOUR_ID]
        assert harbour.title == HARBOUR_TITLE
        # date-only: midnight in Europe/Berlin (CEST), lastmod is the update
        assert harbour.published == "2024-04-30T22:00:00Z"
        assert harbour.updated == "2024-05-03T12:00:00Z"
        assert harbour.link == d.base + "/news/harbour-cleanup/"
        assert [a.get("name") for a in harbour.authors] == ["Sam Okafor"]
        assert "href" not in harbour.authors[0]
        assert harbour.summary == "Bring gloves; we bring coffee."
        assert [t.term for t in harbour.tags] == ["Community", "Cloud Native", "News"]

        js = e[JSON_ID]
        assert js.title == "Front matter in JSON"
        assert js.published == "2024-04-10T09:00:00Z"
        assert js.link == d.base + "/news/json-works/"
        assert [a.get("name") for a in js.authors] == ["Lee Chan", "Mo Ibrahim"]
        assert [t.term for t in js.tags] == ["json", "News", "Howto"]
        assert js.summary == "JSON front matter is read like YAML."

        col = e[COLOPHON_ID]
        # "YYYY-MM-DD HH:MM" is local time: 08:00 CET is 07:00Z
        assert col.published == "2024-03-15T07:00:00Z"
        assert col.link == d.base + "/colophon/"
        assert col.get("tags", []) == []


def test_content_links_absolute_and_summary():
    with Daemon(files=SITE) as d:
        e = by_id(parse(d, "/feed.atom"))
        lantern = e[LANTERN_ID]
        html = lantern.content[0].value
        assert lantern.content[0].type == "text/html"
        assert 'href="%s/meetups/lantern-night/venue/"' % d.base in html, html
        assert 'src="%s/img/map.png"' % d.base in html, html
        assert "<table>" in html and "Queues that never lose a job" in html
        # the duplicated description: the later one wins
        assert lantern.summary.startswith(
            "Lantern Night returns with three talks about queues, caches and a coffee robot."), lantern.summary
        assert "Three talks on a summer evening" not in lantern.summary

        harbour = e[HARBOUR_ID].content[0].value
        assert 'href="%s/img/steps.png"' % d.base in harbour, harbour
        assert 'href="https://partner.example.com/x"' in harbour
        assert "<strong>Saturday</strong>" in harbour
        assert "<del>Cancelled</del>" in harbour
        js = e[JSON_ID].content[0].value
        assert 'src="%s/news/json-works/diagram.svg"' % d.base in js, js

        # no relative href/src anywhere, in either format
        for path in ("/feed.atom", "/feed.rss"):
            for entry in parse(d, path).entries:
                for v in entry.content:
                    for url in re.findall(r'(?:href|src)="([^"]*)"', v.value):
                        assert re.match(r"https?://", url), (path, url)


def test_site_rss_exact():
    with Daemon(files=SITE) as d:
        raw = d.body("/feed.rss")
        f = parse(d, "/feed.rss")
        assert f.version == "rss20", f.version
        assert f.feed.title == "E2E Site"
        assert self_link(f) == d.base + "/feed.rss"
        assert [e.id for e in f.entries] == SITE_ORDER
        e = by_id(f)
        assert e[LANTERN_ID].guidislink is False
        assert e[LANTERN_ID].link == d.base + "/meetups/lantern-night/"
        assert e[LANTERN_ID].title == LANTERN_TITLE
        assert e[LANTERN_ID].author == "Ines Park"
        assert [t.term for t in e[LANTERN_ID].tags] == ["meetup", "Cloud Native", CJK, "Events"]
        assert 'src="%s/img/map.png"' % d.base in e[LANTERN_ID].content[0].value
        assert e[HARBOUR_ID].summary == "Bring gloves; we bring coffee."

        # structure checked with a plain XML parser, too
        root = ET.fromstring(raw)
        assert root.tag == "rss" and root.get("version") == "2.0"
        assert b'xmlns:atom="http://www.w3.org/2005/Atom"' in raw
        ch = root.find("channel")
        links = ch.findall("{%s}link" % ATOM_NS)
        # self alone: no history by default (test_archives.py has it)
        assert [(l.get("rel"), l.get("href")) for l in links] == \
            [("self", d.base + "/feed.rss")]
        items = ch.findall("item")
        assert len(items) == 4
        want_dates = ["Wed, 05 Jun 2024 16:30:00 +0000", "Tue, 30 Apr 2024 22:00:00 +0000",
                      "Wed, 10 Apr 2024 09:00:00 +0000", "Fri, 15 Mar 2024 07:00:00 +0000"]
        rfc822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d "
                            r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                            r"\d{4} \d\d:\d\d:\d\d (\+0000|GMT)$")
        for item, want_id, want_date in zip(items, SITE_ORDER, want_dates):
            guid = item.find("guid")
            assert guid.get("isPermaLink") == "false"
            assert guid.text == want_id
            pub = item.find("pubDate").text
            assert rfc822.match(pub), pub
            assert pub == want_date
        assert e[LANTERN_ID].published_parsed[:6] == (2024, 6, 5, 16, 30, 0)


def test_section_tag_category_feeds():
    with Daemon(files=SITE) as d:
        for prefix, ids in FEEDS.items():
            for kind in ("atom", "rss"):
                path = "%s/feed.%s" % (prefix, kind)
                f = parse(d, path)
                assert [e.id for e in f.entries] == ids, (path, [e.id for e in f.entries])
                assert self_link(f) == d.base + path, (path, self_link(f))
        # section title and description come from _index.md
        f = parse(d, "/meetups/feed.atom")
        assert f.feed.title == "E2E Site: Harbourside Meetups", f.feed.title
        assert f.feed.subtitle == "Evening talks by the water."
        f = parse(d, CLOUD + "/feed.atom")
        assert f.feed.title == "E2E Site: tag Cloud Native", f.feed.title
        f = parse(d, "/tags/%s/feed.rss" % CJK_SLUG)
        assert f.feed.title == "E2E Site: tag " + CJK, f.feed.title
        # lower-case percent-encoding names the same feed
        lower = d.body("/tags/%s/feed.atom" % CJK_SLUG.lower())
        assert lower == d.body("/tags/%s/feed.atom" % CJK_SLUG)
        f = parse(d, "/categories/news/feed.atom")
        assert f.feed.title == "E2E Site: category News", f.feed.title


def test_front_matter_url_and_slug_with_spaces_and_cjk():
    """url/slug values are text, not URLs: they must be percent-encoded in
    links and ids, and the page must be reachable at that encoded URL."""
    files = {
        "news/event.md": '---\ntitle: "Custom URL"\ndate: 2024-02-06\n'
                         'url: "/\u6d3b\u52a8/first round/"\n---\nSee [the poster](poster.png).\n',
        "news/slugged.md": '---\ntitle: "Custom slug"\ndate: 2024-02-07\n'
                           'slug: "caf\u00e9 au lait"\n---\nSee [the menu](menu.pdf).\n',
    }
    url_path = "/%E6%B4%BB%E5%8A%A8/first%20round/"
    slug_path = "/news/caf%C3%A9%20au%20lait/"
    with Daemon(files=files) as d:
        e = by_id(parse(d, "/feed.atom"))
        assert set(e) == {"tag:%s,2024-02-07:%s" % (AUTH, slug_path),
                          "tag:%s,2024-02-06:%s" % (AUTH, url_path)}, list(e)
        for path, name in ((url_path, "poster.png"), (slug_path, "menu.pdf")):
            entry = e["tag:%s,%s:%s" % (AUTH, "2024-02-06" if name == "poster.png"
                                         else "2024-02-07", path)]
            assert entry.link == d.base + path, entry.link
            assert 'href="%s%s%s"' % (d.base, path, name) in entry.content[0].value, \
                entry.content[0].value
            assert d.get(path)[0] == 200, (path, d.get(path)[0])


def test_hidden_pages_absent_everywhere():
    with Daemon(files=SITE) as d:
        paths = all_paths() + ["/", "/status", "/meetups/lantern-night/"]
        for path in paths:
            body = d.body(path)
            assert b"HIDDEN" not in body, path
            assert b"2099" not in body or path == "/status", path
        # pages and documents that exist only because of hidden pages
        for path in ("/news/draft-sponsors/", "/news/next-century/", "/news/embargo/",
                     "/news/old-offer/", "/meetups/draft-json/",
                     "/tags/secret-tag/feed.atom", "/tags/secret-tag/feed.rss",
                     "/tags/secret-tag/calendar.ics"):
            assert d.get(path)[0] == 404, (path, d.get(path)[0])
        # the draft meetups' schedule lines give no events anywhere
        ics = unfold(d.body("/calendar.ics"))
        assert "2024071" not in ics
        assert ics.count("BEGIN:VEVENT") == 3
        st = d.status()
        assert st["counts"]["entries"] == 4, st["counts"]


def test_feed_entries_limit():
    with Daemon(files=SITE, settings={"feed_entries": "2"}) as d:
        for path in ("/feed.atom", "/feed.rss"):
            f = parse(d, path)
            assert [e.id for e in f.entries] == SITE_ORDER[:2], path
        f = parse(d, "/categories/news/feed.atom")
        assert [e.id for e in f.entries] == [HARBOUR_ID, JSON_ID]


def test_restart_same_ids_and_bytes():
    with Daemon(files=SITE) as d:
        paths = all_paths() + ["/meetups/lantern-night/"]
        before = {}
        for p in paths:
            s, h, b = d.get(p)
            assert s == 200, p
            s2, h2, b2 = d.get(p)
            assert b2 == b, "%s differs between two fetches" % p
            before[p] = (h["etag"], h["last-modified"], b)
        gz_before = d.get("/feed.atom", {"Accept-Encoding": "gzip"})
        ids = [e.id for e in parse(d, "/feed.atom").entries]
        assert d.stop() == 0
        d.start()
        for p in paths:
            s, h, b = d.get(p)
            assert s == 200, p
            assert b == before[p][2], "%s changed across a restart" % p
            assert (h["etag"], h["last-modified"]) == before[p][:2], p
        gz_after = d.get("/feed.atom", {"Accept-Encoding": "gzip"})
        assert gz_after[1]["etag"] == gz_before[1]["etag"]
        assert gzip.decompress(gz_after[2]) == before["/feed.atom"][2]
        assert [e.id for e in parse(d, "/feed.atom").entries] == ids
        # and with the state file gone: the same content, the same bytes
        assert d.stop() == 0
        os.remove(d.settings["state_file"])
        d.start()
        for p in paths:
            assert d.body(p) == before[p][2], "%s differs without state" % p


def test_id_survives_edit():
    with Daemon(files=SITE) as d:
        d.write("news/harbour-cleanup.md", HARBOUR.replace(
            HARBOUR_TITLE, "Harbour clean-up: new date"))
        d.wait_for(lambda: by_id(parse(d, "/feed.atom"))[HARBOUR_ID].title ==
                   "Harbour clean-up: new date", 5, "edit not picked up")
        f = parse(d, "/feed.atom")
        assert [e.id for e in f.entries] == SITE_ORDER
        entry = by_id(f)[HARBOUR_ID]
        assert entry.published == "2024-04-30T22:00:00Z"
        # an edit moves <updated> forward, never back
        assert entry.updated >= "2024-05-03T12:00:00Z", entry.updated


def test_control_characters_and_markup_in_titles():
    files = {
        "news/bells.md": '---\ntitle: "Bell\\a ring\\x01ing\\x0b now\\x1b"\n'
                         'date: 2024-03-01\ntags: ["ctl\\x02tag"]\n---\n'
                         'Body with raw \x01 and \x1f control and \x7f delete ]]> done.\n',
        "news/markup.md": '---\ntitle: "<b>bold</b> & ]]> \\"quoted\\""\ndate: 2024-03-02\n---\n'
                          'Text <script>alert(1)</script> here.\n',
        "news/json-ctl.md": '{"title": "JSON\\u0008 back\\u0000space", "date": "2024-03-03"}\nok\n',
    }
    with Daemon(files=files) as d:
        for path in ("/feed.atom", "/feed.rss"):
            raw = d.body(path)
            for c in range(0x20):
                if c not in (0x9, 0xa, 0xd):
                    assert bytes([c]) not in raw, (path, c)
            f = parse(d, path)
            titles = {e.link.rsplit("/", 2)[-2]: e.title for e in f.entries}
            assert titles["bells"] == "Bell ringing now", titles
            assert titles["markup"] == '<b>bold</b> & ]]> "quoted"', titles
            # the JSON file is either rejected (NUL) or its title cleaned
            if "json-ctl" in titles:
                assert "\x08" not in titles["json-ctl"] and "\x00" not in titles["json-ctl"]
        f = parse(d, "/feed.atom")
        bells = [e for e in f.entries if e.link.endswith("/bells/")][0]
        assert [t.term for t in bells.tags] == ["ctltag"]
        # U+007F is a legal XML 1.0 character: it may stay or go
        body = bells.content[0].value.replace("\x7f", "")
        assert "<p>Body with raw  and  control and  delete ]]&gt; done.</p>" in body, body
        markup = [e for e in f.entries if e.link.endswith("/markup/")][0]
        # raw HTML in Markdown is escaped, never passed through
        assert "<script>" not in markup.content[0].value


def test_invalid_utf8_file_published_with_warning():
    """Invalid UTF-8 is replaced by U+FFFD (issue 13): the page is served,
    with a warning naming the line of the first bad byte."""
    files = {
        "news/harbour-cleanup.md": HARBOUR,
        "news/latin1.md": b"---\ntitle: \"Caf\xe9 evening\"\ndate: 2024-03-01\n---\nA na\xefve \xff\xfe body.\n",
    }
    with Daemon(files=files) as d:
        for path in ("/feed.atom", "/feed.rss"):
            f = parse(d, path)
            titles = sorted(e.title for e in f.entries)
            assert titles == ["Caf\ufffd evening",
                              "Volunteers wanted for the harbour clean-up"], titles
        f = parse(d, "/feed.atom")
        latin1 = [e for e in f.entries if e.link.endswith("/news/latin1/")][0]
        assert "A na\ufffdve \ufffd\ufffd body." in latin1.content[0].value
        files = {x["path"]: x for x in d.status()["files"]}
        bad = files["news/latin1.md"]
        assert bad["state"] == "warning", bad
        assert bad["serving"] == "current", bad
        assert [(m["line"], m["level"]) for m in bad["messages"]] == [(2, "warning")], bad
        assert bad["messages"][0]["message"] == (
            "invalid UTF-8 (byte 0xE9) replaced by U+FFFD; 4 in all, on lines "
            "2 and 5; save the file as UTF-8"), bad
        assert files["news/harbour-cleanup.md"]["state"] == "ok"
        assert d.status()["counts"]["errors"] == 0
        assert d.status()["counts"]["warnings"] == 1


def test_invalid_utf8_file_name_reported():
    """A file whose *name* is not UTF-8 (Latin-1 "caf\xe9.md") must be either
    refused with an error in /status, or published with a link that works;
    and it must not stop the state file from being saved."""
    with Daemon(files={"news/harbour-cleanup.md": HARBOUR}) as d:
        name = os.path.join(os.fsencode(d.content), b"news", b"caf\xe9.md")
        with open(name, "wb") as fh:
            fh.write(b"---\ntitle: \"Odd name\"\ndate: 2024-03-05\n---\nbody\n")
        d.wait_for(lambda: d.status()["counts"]["files"] == 2, 5, "file not seen")
        f = parse(d, "/feed.atom")
        parse(d, "/feed.rss")
        for e in f.entries:
            path = e.link[len(d.base):]
            assert d.get(path)[0] == 200, "entry %r links to %s, which answers %s" % (
                e.title, path, d.get(path)[0])
        st = d.status()
        assert len(st["files"]) == 2, "/status counts 2 files but lists %r" % st["files"]
        state = d.settings["state_file"]
        assert d.stop() == 0
        with open(state, encoding="utf-8") as fh:
            assert "news/harbour-cleanup.md" in fh.read(), "state file not saved"
        d.start()


def test_duplicated_key_warning_and_weekday_line():
    with Daemon(files={"meetups/lantern-night.md": LANTERN}) as d:
        st = d.status()
        (entry,) = [x for x in st["files"] if x["path"] == "meetups/lantern-night.md"]
        assert entry["state"] == "warning", entry
        assert entry["serving"] == "current"
        assert entry["events"] == 3, entry
        msgs = entry["messages"]
        dup = [m for m in msgs if "description" in m["message"]]
        assert len(dup) == 1, msgs
        assert dup[0]["line"] == LANTERN_DUP_LINE and dup[0]["level"] == "warning", dup
        wd = [m for m in msgs if m["line"] == LANTERN_THU_LINE]
        assert len(wd) == 1 and wd[0]["level"] == "warning", msgs
        assert "Wednesday" in wd[0]["message"], wd
        assert st["counts"]["warnings"] == 1 and st["counts"]["errors"] == 0
        # the warnings do not keep the page out
        assert [e.id for e in parse(d, "/feed.atom").entries] == [LANTERN_ID]
        ics = unfold(d.body("/calendar.ics"))
        prefix = "URL:%s/meetups/lantern-night/#" % d.base
        assert ics.count(prefix) == 3, ics


def test_bad_yaml_reports_line_others_served():
    bad = "---\ntitle: Broken\ndate: 2024-01-05\ntags: [a, b]\nsummary: oops: a colon\n---\nbody\n"
    with Daemon(files={"news/broken.md": bad, "news/harbour-cleanup.md": HARBOUR,
                       "news/json-front.md": JSON_POST}) as d:
        f = parse(d, "/feed.atom")
        assert [e.id for e in f.entries] == [HARBOUR_ID, JSON_ID]
        assert b"Broken" not in d.body("/feed.rss")
        assert d.get("/news/broken/")[0] == 404
        files = {x["path"]: x for x in d.status()["files"]}
        b = files["news/broken.md"]
        assert b["state"] == "error" and b["serving"] == "nothing", b
        assert [m["line"] for m in b["messages"]] == [5], b
        assert "YAML" in b["messages"][0]["message"], b
        assert files["news/json-front.md"]["state"] == "ok", files["news/json-front.md"]


def test_bad_edit_keeps_last_good_version():
    with Daemon(files={"news/harbour-cleanup.md": HARBOUR}) as d:
        before = d.body("/feed.atom")
        d.write("news/harbour-cleanup.md", HARBOUR.replace(
            'summary: "Bring gloves; we bring coffee."', "summary: gloves: yes"))
        d.wait_for(lambda: {x["path"]: x for x in d.status()["files"]}
                   ["news/harbour-cleanup.md"]["state"] == "error", 5, "error not reported")
        entry = d.status()["files"][0]
        assert entry["serving"] == "last good version", entry
        assert [m["line"] for m in entry["messages"]] == [6], entry
        assert d.body("/feed.atom") == before


def check_announcement(d, rel, a):
    """What crier serves for the meetup announcement a (announcement.py),
    in file rel, under the harness's Berlin config: one entry in every feed
    it belongs to, one event per talk at the time written (in the fixed
    offset of its date), its aliases, and a warning naming the line of each
    repeated key and of each wrong weekday."""
    url_path = "/%s/" % rel[:-3]
    permalink = d.base + url_path
    entry_id = "tag:%s,%s:%s" % (AUTH, a.values["date"][:10], url_path)
    section = rel.split("/")[0]
    published = a.published_utc()
    paths = ["/feed.atom", "/feed.rss", "/%s/feed.atom" % section, "/%s/feed.rss" % section]
    paths += ["/tags/%s/feed.atom" % slug(t) for t in a.tags]
    paths += ["/categories/%s/feed.rss" % slug(c) for c in a.categories]
    for path in paths:
        mine = [e for e in parse(d, path).entries if e.id == entry_id]
        assert len(mine) == 1, (path, entry_id)
        e = mine[0]
        assert (e.title, e.link) == (a.title, permalink), (path, e.title, e.link)
        assert e.published_parsed[:6] == published.timetuple()[:6], (path, e.published)
    e = by_id(parse(d, "/feed.atom"))[entry_id]
    assert e.published == published.strftime("%Y-%m-%dT%H:%M:%SZ"), e.published
    assert [(x.get("name"), x.get("href")) for x in e.authors] == [a.author], e.authors
    # the later description wins, followed by the schedule, in UTC
    assert e.summary.split("\n") == [a.summary] + [
        "%s: %s %s\u2013%s UTC" % (t.title, a.utc(t.start).strftime("%Y-%m-%d"),
                                    a.utc(t.start).strftime("%H:%M"),
                                    a.utc(t.end).strftime("%H:%M")) for t in a.talks], e.summary
    for alias in a.aliases:
        s, h, _ = d.get(alias)
        assert s == 301 and h["location"] == permalink, (alias, s, h)

    want = sorted((t.title, a.utc(t.start), a.utc(t.end)) for t in a.talks)
    for path in ("/calendar.ics", "/%s/calendar.ics" % section):
        evs = icalendar.Calendar.from_ical(d.body(path)).walk("VEVENT")
        mine = [ev for ev in evs if str(ev["URL"]).startswith(permalink + "#")]
        got = sorted((str(ev["SUMMARY"]), ev["DTSTART"].dt.astimezone(UTC),
                      ev["DTEND"].dt.astimezone(UTC)) for ev in mine)
        assert got == want, (path, got, want)

    (st,) = [x for x in d.status()["files"] if x["path"] == rel]
    assert st["state"] == "warning" and st["events"] == len(a.talks), st
    want = {(line, "warning", "duplicated key '%s'" % k)
            for k, lines in a.repeated_key_lines().items() for line in lines}
    want |= {(t.line, "warning", WEEKDAYS[t.start.weekday()])
             for t in a.talks if t.weekday_wrong}
    got = {(m["line"], m["level"], w) for m in st["messages"]
           for (_, _, w) in want if w in m["message"]}
    assert got == want and len(st["messages"]) == len(want), st["messages"]


def test_seed_post():
    """The project's own announcement in the shape of the real example."""
    text = fixture_text()
    a = Announcement(text)
    # what the fixture says, pinned: the checker's expectations come from it
    assert a.repeated_key_lines() == {"description": [9]}
    assert a.date.utcoffset() == datetime.timedelta(hours=8)   # not Berlin's
    assert [(t.start.isoformat(), t.end.strftime("%H:%M"), t.line, t.weekday_wrong)
            for t in a.talks] == [("2021-09-08T19:30:00", "20:30", 40, False),
                                  ("2021-09-09T19:30:00", "20:30", 48, True),
                                  ("2021-09-15T19:30:00", "20:30", 55, False),
                                  ("2021-09-16T19:30:00", "20:30", 62, False)]
    assert a.utc(a.talks[0].start).isoformat() == "2021-09-08T11:30:00+00:00"
    assert a.author == ("林晓舟", "https://lin.example.net")
    assert a.aliases == ["/db-night"]
    rel = "talks/db-night-2.md"
    with Daemon(files={rel: text, "news/harbour-cleanup.md": HARBOUR}) as d:
        check_announcement(d, rel, a)


def test_seed_post_real_example():
    """The real example from ../shared/seeds; skipped where there is none."""
    text = seed_text()
    rel = "talks/real-example.md"
    with Daemon(files={rel: text, "news/harbour-cleanup.md": HARBOUR}) as d:
        check_announcement(d, rel, Announcement(text))
