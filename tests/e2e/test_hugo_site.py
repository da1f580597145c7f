"""A Hugo site's configuration: `crier -d SITE` and `hugo_site = PATH`
serve feeds with the site's baseURL, title and contentDir; crier.conf's
explicit settings win; /status and --check say what was taken; crier's
reading of each fixture agrees with `hugo config`; a broken file names
its line.  The sites are tests/fixtures/hugo-*."""
import json
import os
import re
import shutil
import signal
import subprocess
import urllib.parse
import xml.etree.ElementTree as ET

import feedparser

from harness import CRIER, ROOT, SLOW, WRAP, Daemon, Skip

FIXTURES = os.path.join(ROOT, "tests", "fixtures")
SITE = os.path.join(FIXTURES, "hugo-toml")
ATOM = "{http://www.w3.org/2005/Atom}"


def daemon(**settings):
    """A daemon whose crier.conf leaves the site's settings unsaid."""
    d = Daemon()
    for key in ("title", "description", "base_url", "content_dir",
                "timezone"):
        del d.settings[key]
    d.settings.update(settings)
    return d


def hugo_settings(status):
    return status["hugo"]["settings"]


def test_hugo_site_setting_gives_links_and_title():
    with daemon(hugo_site=SITE) as d:
        atom = d.body("/feed.atom")
        feed = feedparser.parse(atom)
        assert not feed.bozo, feed.bozo_exception
        assert feed.feed.title == "Riverside Makers"
        assert feed.feed.subtitle == "Workshops and repair cafés by the river"
        root = ET.fromstring(atom)
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-gb"
        # The post under the site's contentDir, linked under its baseURL.
        assert [e.title for e in feed.entries] == ["Spring fair"]
        # news = "/:year/:month/:slug/": the permalink `hugo list all` gives.
        assert feed.entries[0].link == "https://riverside.example.org/2026/03/spring-fair/"
        self_link = [l for l in root.findall(ATOM + "link") if l.get("rel") == "self"]
        assert self_link[0].get("href") == "https://riverside.example.org/feed.atom"
        rss = feedparser.parse(d.body("/feed.rss"))
        assert rss.feed.title == "Riverside Makers" and rss.feed.language == "en-gb"
        st = d.status()
        got = hugo_settings(st)
        assert st["hugo"]["site"] == SITE and st["hugo"]["files"] == ["hugo.toml"]
        assert got["baseURL"] == {"value": "https://riverside.example.org/",
                                  "from": "hugo.toml:2", "status": "taken",
                                  "setting": "base_url",
                                  "used": "https://riverside.example.org"}
        assert got["contentDir"]["used"] == os.path.join(SITE, "posts-src")
        assert got["timeZone"]["status"] == "taken"
        assert got["permalinks"]["status"] == "taken"
        assert got["frontmatter.date"]["status"] == "taken"   # [":filename", ...]
        assert got["permalinks"]["value"]["news"] == "/:year/:month/:slug/"
        assert got["taxonomies"]["value"] == {"tag": "tags", "category": "categories",
                                              "series": "series"}


def test_crier_conf_overrides_the_site():
    with daemon(hugo_site=SITE, title="Our Feeds") as d:
        d.settings["base_url"] = d.base
        d.stop()
        d.start()
        feed = feedparser.parse(d.body("/feed.atom"))
        assert feed.feed.title == "Our Feeds"
        assert feed.entries[0].link == d.base + "/2026/03/spring-fair/"
        got = hugo_settings(d.status())
        assert got["baseURL"]["status"] == "overridden by crier.conf"
        assert got["baseURL"]["used"] == d.base
        assert got["title"]["status"] == "overridden by crier.conf"
        assert got["params.description"]["status"] == "taken"
        assert feed.feed.subtitle == "Workshops and repair cafés by the river"


def test_dash_d_names_the_site_root():
    """-d SITE: the site's contentDir is the content folder, even when
    crier.conf names another one."""
    d = daemon(content_dir="/nonexistent/folder")
    d.args = ["-d", SITE]
    with d:
        feed = feedparser.parse(d.body("/feed.atom"))
        assert [e.title for e in feed.entries] == ["Spring fair"]
        assert feed.feed.title == "Riverside Makers"
        got = hugo_settings(d.status())
        assert got["contentDir"]["status"] == "taken"
        assert got["baseURL"]["status"] == "taken"
    # A plain folder after -d is the content folder, as before.
    d = daemon()
    d.args = ["-d", os.path.join(SITE, "posts-src")]
    with d:
        assert "hugo" not in d.status()
        assert feedparser.parse(d.body("/feed.atom")).feed.title == "crier"


def run(*args):
    return subprocess.run(WRAP + [CRIER] + list(args), capture_output=True,
                          timeout=30 * SLOW)


def test_check_reports_the_site():
    r = run("--check", os.path.join(FIXTURES, "hugo-split"))
    out = r.stdout.decode()
    assert r.returncode == 0, out + r.stderr.decode()
    assert "hugo: baseURL = https://split.example.org/ (taken; config.toml:1)\n" in out
    assert "hugo: title = Split Site (taken; config/_default/hugo.toml:1)\n" in out
    assert "hugo: permalinks = {\"posts\":\"/:year/:month/:day/:title/\"} " \
        "(taken; config/_default/permalinks.yaml)\n" in out
    assert "1 files checked, 0 errors" in out


def test_check_says_per_file_what_hugo_and_crier_publish():
    """--check on a Hugo site: one line per file with where Hugo
    publishes it (or why not) and what crier does; what crier adds
    (events) and reads differently (an unknown shortcode: a warning);
    pages in formats crier does not read."""
    d = Daemon()
    site = os.path.join(d.dir, "site")
    d.cleanup()
    shutil.copytree(URLS_SITE, site)
    posts = os.path.join(site, "content", "posts")
    with open(os.path.join(posts, "Field-Day.md"), "w") as f:
        f.write("---\ntitle: Field day\ndate: 2024-09-01\nevents:\n"
                "  - title: Field day on the dunes\n    start: 2024-09-14T10:00:00\n"
                "    end: 2024-09-14T16:00:00\n---\n"
                "Bring a mast. {{< club-banner >}}\n")
    with open(os.path.join(posts, "legacy.html"), "w") as f:
        f.write("---\ntitle: Legacy\n---\n<p>old page</p>\n")
    r = run("--check", site)
    out = r.stdout.decode()
    assert r.returncode == 0, out + r.stderr.decode()
    content = os.path.join(site, "content")
    lines = {l.split(": hugo: ")[0][len(content) + 1:]: l.split(": hugo: ", 1)[1]
             for l in out.splitlines() if l.startswith(content) and ": hugo: " in l}
    base = "https://lighthouse.example.net"
    assert lines["posts/Net-Night.md"] == base + "/2024/07/weekly-net-chat/; crier: the same"
    assert lines["posts/Draft-Idea.md"].startswith("not published (draft: true")
    assert lines["posts/Hidden-Bundle/index.md"].startswith("not published (headless")
    assert lines["posts/Far-Future.md"].startswith("not published before 2099-01-01T00:00:00Z")
    assert lines["posts/gallery/index.md"] == (
        base + "/2024/08/gallery/, in no list (_build list: never); crier: the same")
    assert "not in the site's own lists (_build list: local)" in lines["notes/Club-Minutes.md"]
    assert lines["posts/Field-Day.md"] == (
        base + "/2024/09/field-day/; crier: the same, with 1 event in its "
        "calendars (Hugo has none); 1 warning above: read differently")
    assert ("%s/posts/Field-Day.md:9: warning: shortcode 'club-banner'" % content) in out, out
    assert lines["posts/legacy.html"] == ("renders it as a page; crier: not read "
                                         "(Markdown only), so in no feed")
    assert lines["posts/_index.md"].startswith("the list page %s/posts/" % base)


def test_bad_site_file_names_its_line():
    bad = os.path.join(FIXTURES, "hugo-bad")
    r = run("--check", bad)
    assert r.returncode == 1
    assert ("crier: %s/hugo.toml:3: TOML" % bad).encode() in r.stderr
    d = daemon(hugo_site=bad)
    try:
        d.start(expect_ready=False)
        assert d.proc.wait(30 * SLOW) == 1
        assert "%s/hugo.toml:3: " % bad in d.read_log()
    finally:
        d.cleanup()


def go_map(text, key=None):
    """A Go map[k:v k:v] as `hugo config` prints it, of values without
    spaces; with key, that one value, which may hold spaces."""
    inner = re.fullmatch(r"map\[(.*)\]", text).group(1)
    if key is not None:
        m = re.search(r"(?:^| )%s:(.*?)(?= [a-z]+:|$)" % key, inner)
        return m.group(1) if m else None
    return dict(item.split(":", 1) for item in inner.split()) if inner else {}


def hugo_config(site):
    """`hugo config`'s lines, key -> the value as printed."""
    r = subprocess.run(["hugo", "config", "-s", site], capture_output=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr.decode()
    out = {}
    for line in r.stdout.decode().splitlines():
        m = re.fullmatch(r"([a-z]+)(?: = |: )(.*)", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def crier_reading(site):
    r = run("--check", site)
    out = {}
    for line in r.stdout.decode().splitlines():
        m = re.fullmatch(r"hugo: (\S+) = (.*) \((.*)\)", line)
        if m:
            value = m.group(2)
            if value.startswith("{"):
                value = json.loads(value)
            out[m.group(1)] = value
    return out


def test_reading_agrees_with_hugo_config():
    if shutil.which("hugo") is None:
        raise Skip("hugo is not installed")
    for fixture in ("hugo-toml", "hugo-yaml", "hugo-split"):
        site = os.path.join(FIXTURES, fixture)
        hugo, ours = hugo_config(site), crier_reading(site)
        for key, hugo_key in (("baseURL", "baseurl"), ("title", "title"),
                              ("languageCode", "languagecode"),
                              ("timeZone", "timezone")):
            expected = json.loads(hugo[hugo_key]) if hugo_key in hugo else None
            assert ours.get(key) == expected, (fixture, key, ours.get(key), expected)
        expected = json.loads(hugo.get("contentdir", '"content"'))
        assert ours["contentDir"] == expected, (fixture, ours["contentDir"])
        assert ours["params.description"] == go_map(hugo["params"], "description")
        assert ours["permalinks"] == go_map(hugo["permalinks"]), fixture
        assert ours["taxonomies"] == go_map(hugo["taxonomies"]), fixture


def test_sighup_reads_the_site_again():
    d = daemon()
    site = os.path.join(d.dir, "site")
    shutil.copytree(SITE, site)
    d.settings["hugo_site"] = site
    with d:
        assert feedparser.parse(d.body("/feed.atom")).feed.title == "Riverside Makers"
        conf = os.path.join(site, "hugo.toml")
        with open(conf) as f:
            text = f.read()
        with open(conf, "w") as f:
            f.write(text.replace('Title = "Riverside Makers"', 'title = "Riverside Menders"'))
        d.signal(signal.SIGHUP)
        d.wait_for(lambda: feedparser.parse(d.body("/feed.atom")).feed.title ==
                   "Riverside Menders", 10, "title not re-read; log:\n" + d.read_log())
        assert hugo_settings(d.status())["title"]["from"] == "hugo.toml:3"
        # A broken site file on reload keeps the running configuration.
        with open(conf, "a") as f:
            f.write("broken = \n")
        d.signal(signal.SIGHUP)
        d.wait_for(lambda: "keeping the current configuration" in d.read_log(), 10)
        assert "%s:34: TOML" % conf in d.read_log()
        assert feedparser.parse(d.body("/feed.atom")).feed.title == "Riverside Menders"


URLS_SITE = os.path.join(FIXTURES, "hugo-urls")
TERM_ROOTS = ("tags", "categories", "series")


def path_of(url):
    """A URL's path, percent-decoded: Hugo writes '+' raw where crier
    writes %2B, the same path to a server."""
    return urllib.parse.unquote(urllib.parse.urlsplit(url).path)


def hugo_published(site, out):
    """What Hugo publishes of the site: the pages its whole-site RSS
    lists, and every taxonomy term's page in its sitemap."""
    subprocess.run(["hugo", "--quiet", "--source", site, "--destination",
                    out, "--buildFuture=false", "--buildDrafts=false"],
                   check=True, capture_output=True, timeout=SLOW * 120)
    rss = ET.parse(os.path.join(out, "index.xml")).getroot()
    pages = {path_of(item.findtext("link")) for item in rss.iter("item")}
    sitemap = ET.parse(os.path.join(out, "sitemap.xml")).getroot()
    locs = {path_of(loc.text) for loc in
            sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    terms = {p for p in locs
             if p.strip("/").split("/")[0] in TERM_ROOTS and p.count("/") > 2}
    return pages, terms


def crier_published(d, out):
    """The entry links of crier's site feed, and the term whose feeds
    it wrote into output_dir (decoded paths, as nginx maps them)."""
    feed = feedparser.parse(d.body("/feed.atom"))
    assert not feed.bozo, feed.bozo_exception
    pages = {path_of(e.link) for e in feed.entries}
    terms = set()
    for root in TERM_ROOTS:
        for folder, _, files in os.walk(os.path.join(out, root)):
            if "feed.atom" in files:
                terms.add("/" + os.path.relpath(folder, out) + "/")
    return pages, terms, feed


def test_page_and_term_urls_are_hugos():
    """Hugo builds the fixture; the pages its site RSS lists and the
    terms its sitemap holds are exactly crier's entry links and term
    feeds: permalinks patterns, slug, url, lower-cased file names, a
    bundle, a TOML page, a punctuated tag, a series; no draft, no
    future post, no headless bundle, no `_build: list: never` page."""
    if shutil.which("hugo") is None:
        raise Skip("hugo is not installed")
    d = daemon(hugo_site=URLS_SITE, feed_entries=500)
    hugo_out = os.path.join(d.dir, "hugo-public")
    d.settings["output_dir"] = os.path.join(d.dir, "out")
    with d:
        hugo_pages, hugo_terms = hugo_published(URLS_SITE, hugo_out)
        pages, terms, feed = crier_published(d, d.settings["output_dir"])
        assert pages == hugo_pages, (sorted(pages), sorted(hugo_pages))
        assert terms == hugo_terms, (sorted(terms), sorted(hugo_terms))
        # What the comparison covers, so that it cannot pass on nothing.
        assert "/2024/07/weekly-net-chat/" in pages      # TOML, slug
        assert "/Archive/Moved-Here/" in pages          # url, case kept
        assert "/guides/your-first-qso/" in pages       # "Guides/": no pattern
        assert "/tags/lets-encrypt/" in terms and "/tags/c++/" in terms
        assert "/series/build-log/" in terms
        # Section feeds sit beside Hugo's section pages: Guides/ is
        # /guides/ on the Hugo site (lower-cased, as its sitemap has it).
        sitemap = ET.parse(os.path.join(hugo_out, "sitemap.xml")).getroot()
        locs = {path_of(l.text) for l in
                sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
        opml = ET.fromstring(d.body("/feeds.opml"))
        sections = [path_of(c.get("xmlUrl"))[:-len("feed.atom")]
                    for o in opml.find("body") if o.get("text") == "Sections" for c in o]
        assert "/guides/" in sections and set(sections) <= locs, (sections, sorted(locs))
        assert d.get("/guides/feed.atom")[0] == 200
        assert d.get("/Guides/feed.atom")[0] == 404
        # `_build: list: never`: in no list, but its page is published at
        # its URL, as Hugo renders it.
        assert "/2024/08/gallery/" not in pages
        assert d.get("/2024/08/gallery/")[0] == 200
        # `_build: list: local`: in its section's feed and its tag's, as
        # in Hugo's notes/index.xml and tags/minutes/index.xml, not the site's.
        assert "/tags/minutes/" in terms
        section = feedparser.parse(d.body("/notes/feed.atom"))
        hugo_notes = ET.parse(os.path.join(hugo_out, "notes", "index.xml"))
        assert {path_of(e.link) for e in section.entries} == \
            {path_of(i.findtext("link")) for i in hugo_notes.getroot().iter("item")}
        assert "/notes/club-minutes/" not in pages
        # An entry's id and its calendar link follow the page's URL.
        net = [e for e in feed.entries if e.title == "Net night"][0]
        assert net.id.endswith(":/2024/07/weekly-net-chat/"), net.id
        got = hugo_settings(d.status())
        assert got["permalinks"]["status"] == "taken"
        assert got["taxonomies"]["status"] == "taken"
        # The OPML list names the series too, in a group of its own.
        opml = ET.fromstring(d.body("/feeds.opml"))
        groups = {o.get("text"): [c.get("xmlUrl") for c in o]
                  for o in opml.find("body")}
        assert [path_of(u) for u in groups["Other taxonomies"]] == [
            "/series/build-log/feed.atom"], groups


def test_ugly_urls_are_hugos():
    """uglyURLs = true: Hugo's /2024/07/weekly-net-chat.html, and crier's
    entry links the same, page for page."""
    if shutil.which("hugo") is None:
        raise Skip("hugo is not installed")
    d = daemon()
    site = os.path.join(d.dir, "ugly-site")
    shutil.copytree(URLS_SITE, site)
    with open(os.path.join(site, "hugo.toml")) as f:
        text = f.read()
    with open(os.path.join(site, "hugo.toml"), "w") as f:
        f.write("uglyURLs = true\n" + text)
    d.settings.update(hugo_site=site, feed_entries=500,
                      output_dir=os.path.join(d.dir, "out"))
    with d:
        hugo_pages, _ = hugo_published(site, os.path.join(d.dir, "public"))
        pages, _, _ = crier_published(d, d.settings["output_dir"])
        assert pages == hugo_pages, (sorted(pages), sorted(hugo_pages))
        assert "/2024/07/weekly-net-chat.html" in pages
        status, headers, _ = d.get("/2024/07/weekly-net-chat.html")
        assert status == 200 and headers["content-type"].startswith("text/html")


def test_taxonomies_without_tags_have_no_tag_feeds():
    """A site whose `taxonomies` name only series: Hugo makes no tag or
    category pages, and crier no tag or category feeds."""
    if shutil.which("hugo") is None:
        raise Skip("hugo is not installed")
    d = daemon()
    site = os.path.join(d.dir, "series-site")
    shutil.copytree(URLS_SITE, site)
    conf = os.path.join(site, "hugo.toml")
    with open(conf) as f:
        text = f.read()
    text = text.replace('  tag = "tags"\n  category = "categories"\n', "")
    assert 'tag = "tags"' not in text
    with open(conf, "w") as f:
        f.write(text)
    d.settings.update(hugo_site=site, feed_entries=500,
                      output_dir=os.path.join(d.dir, "out"))
    with d:
        _, hugo_terms = hugo_published(site, os.path.join(d.dir, "public"))
        _, terms, _ = crier_published(d, d.settings["output_dir"])
        assert terms == hugo_terms == {"/series/build-log/"}, (terms, hugo_terms)
        assert d.get("/tags/field-day/feed.atom")[0] == 404


EMOJI_POSTS = {
    "posts/fete.md": "---\ntitle: \"Fête du club\"\ndate: 2026-01-03\n---\n"
    "Merci à tous :tada: :+1: et :heart: ; le code :pas_connu: reste, "
    "comme : ceci :smile: et `:rocket:` aussi.\n\n:v::coffee: fin\n",
    "posts/hanami.md": "---\ntitle: \"花見\"\ndate: 2026-01-04\n---\n"
    "桜が咲きました :cherries: :sunny: 楽しい :joy:\n",
}
EMOJI_RE = re.compile("[\u2190-\u2bff\u2700-\u27bf\ufe0f\U0001f000-\U0001faff]|:[a-z_+-]+:")


def emoji_site(path, enable):
    os.makedirs(os.path.join(path, "content", "posts"))
    os.makedirs(os.path.join(path, "layouts", "_default"))
    with open(os.path.join(path, "hugo.toml"), "w") as f:
        f.write('baseURL = "https://emoji.example/"\ntitle = "Émoji"\n' +
                ("enableEmoji = true\n" if enable else ""))
    with open(os.path.join(path, "layouts", "_default", "single.html"), "w") as f:
        f.write("{{ .Content }}")
    for name, text in EMOJI_POSTS.items():
        with open(os.path.join(path, "content", name), "w") as f:
            f.write(text)


def test_enable_emoji_is_hugos():
    """enableEmoji = true: each post's emoji and the codes left as text
    (an unknown one, one in a code span) are Hugo's, in order; without it
    the codes stay as written, as in Hugo."""
    if shutil.which("hugo") is None:
        raise Skip("hugo is not installed")
    for enable in (True, False):
        d = daemon()
        site = os.path.join(d.dir, "emoji-site")
        emoji_site(site, enable)
        d.settings.update(hugo_site=site)
        with d:
            out = os.path.join(d.dir, "public")
            subprocess.run(["hugo", "--quiet", "--source", site,
                            "--destination", out], check=True,
                           capture_output=True)
            feed = feedparser.parse(d.body("/feed.atom"))
            assert len(feed.entries) == 2
            for e in feed.entries:
                page = path_of(e.link)
                with open(os.path.join(out, page.strip("/"), "index.html"),
                          encoding="utf-8") as f:
                    hugo = EMOJI_RE.findall(f.read())
                crier = EMOJI_RE.findall(e.content[0].value)
                assert crier == hugo, (page, crier, hugo)
                assert len(hugo) >= 3
                if enable:
                    assert "\U0001f389" in crier or "\U0001f352" in crier
                else:
                    assert ":joy:" in crier or ":tada:" in crier
            if enable:
                got = hugo_settings(d.status())["enableEmoji"]
                assert not got["status"].startswith("read but"), got
