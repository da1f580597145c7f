"""A multilingual Hugo site (issue 12, part 7): Debian's hugo 0.111 builds
fixtures/hugo-i18n (English, Chinese and French; translations by file
name), and a copy rearranged into per-language contentDir folders; each
language's pages, feed URLs and language tags in crier's feeds must be
Hugo's: the default language at the root, the others under /zh/, /fr/.
Translations (pages sharing a translation key) are linked: hreflang
alternates in Atom entries and in post pages' heads, "Also in" links in
their bodies, the same sets as Hugo's .Translations.
"""
import html.parser
import json
import os
import shutil
import subprocess
import urllib.parse
import xml.etree.ElementTree as ET

import feedparser

from harness import ROOT, SLOW, Daemon, Skip
from test_hugo_site import path_of

SITE = os.path.join(ROOT, "tests", "fixtures", "hugo-i18n")
# Hugo's folder of each language's site RSS, and crier's feed prefix.
LANGUAGES = {"en": "", "zh": "zh", "fr": "fr"}


# The fixture's translation sets: language key -> page path.
SETS = [
    {"en": "/posts/rota/", "zh": "/zh/posts/watering-rota/"},
    {"en": "/posts/seed-swap-evening/", "zh": "/zh/posts/seed-swap/"},
    {"en": "/posts/work-day/", "fr": "/fr/posts/work-day/",
     "zh": "/zh/posts/work-day/"},
]
CODES = {"en": "en-GB", "zh": "zh-CN", "fr": "fr-FR"}
# languageName, else the key (fr has none).
NAMES = {"en": "English", "zh": "中文", "fr": "fr"}


def daemon(site):
    d = Daemon()
    for key in ("title", "description", "base_url", "content_dir",
                "timezone", "language"):
        d.settings.pop(key, None)
    d.settings.update(hugo_site=site, feed_entries=500)
    return d


def hugo_build(site, out):
    if shutil.which("hugo") is None:
        raise Skip("hugo is not installed")
    subprocess.run(["hugo", "--quiet", "--source", site, "--destination",
                    out], check=True, capture_output=True, timeout=SLOW * 120)


def hugo_rss(out, folder):
    """The page links and <language> of Hugo's RSS in folder."""
    rss = ET.parse(os.path.join(out, folder, "index.xml")).getroot()
    links = {path_of(i.findtext("link")) for i in rss.iter("item")}
    return links, rss.find("channel").findtext("language")


def own_link(entry):
    """An entry's own page: feedparser's entry.link (the last HTML
    alternate), which is also the first alternate (render_atom.c)."""
    first = next(link.href for link in entry.links if link.rel == "alternate")
    assert first == entry.link, (first, entry.link)
    return entry.link


def crier_feed(d, prefix, name="feed.atom"):
    path = ("/" + prefix if prefix else "") + "/" + name
    feed = feedparser.parse(d.body(path))
    assert not feed.bozo, (path, feed.bozo_exception)
    return {path_of(own_link(e)) for e in feed.entries}, feed


def compare_with_hugo(d, out, languages=LANGUAGES):
    """Every language's site and section feeds list Hugo's pages, in
    Hugo's language; returns crier's pages per language."""
    seen = {}
    for lang, prefix in languages.items():
        hugo_pages, hugo_lang = hugo_rss(out, prefix)
        pages, atom = crier_feed(d, prefix)
        assert pages == hugo_pages, (lang, sorted(pages), sorted(hugo_pages))
        assert atom.feed.language == hugo_lang, (lang, atom.feed.language)
        rss = ET.fromstring(d.body(("/" + prefix if prefix else "") +
                                   "/feed.rss"))
        assert rss.find("channel").findtext("language") == hugo_lang
        section, _ = hugo_rss(out, os.path.join(prefix, "posts"))
        got, _ = crier_feed(d, os.path.join(prefix, "posts").strip("/"))
        assert got == section, (lang, sorted(got), sorted(section))
        seen[lang] = pages
    return seen


def test_translations_by_file_name_are_hugos():
    """post.zh.md and index.zh.md in a bundle: the Chinese pages at
    /zh/posts/..., in /zh/feed.atom only, with zh-CN; the English ones at
    the root in en-GB; a bundle's translation has its own slug."""
    d = daemon(SITE)
    with d:
        out = os.path.join(d.dir, "hugo-public")
        hugo_build(SITE, out)
        seen = compare_with_hugo(d, out)
        # What the comparison covers, so that it cannot pass on nothing.
        assert "/zh/posts/seed-swap/" in seen["zh"]
        assert "/posts/seed-swap-evening/" in seen["en"]
        assert seen["fr"] == {"/fr/posts/work-day/"}
        zh = feedparser.parse(d.body("/zh/feed.atom"))
        assert zh.feed.title == "河畔社区菜园"
        assert zh.feed.language == "zh-CN"
        jf = json.loads(d.body("/zh/feed.json"))
        assert jf["language"] == "zh-CN"
        assert jf["title"] == "河畔社区菜园"
        site = feedparser.parse(d.body("/feed.atom"))
        assert site.feed.title == "Riverside Community Garden"
        assert d.get("/zh/calendar.ics")[0] == 200
        # The front page offers each language's subscriptions.
        front = d.body("/").decode()
        assert "https://garden.example.org/zh/feed.atom" in front
        assert "https://garden.example.org/fr/feed.atom" in front


def hugo_terms(out):
    """Every taxonomy term Hugo published, each language's under its
    prefix: "/zh/tags/志愿者/" (its RSS is written for each)."""
    terms = set()
    for folder, _, files in os.walk(out):
        rel = "/" + os.path.relpath(folder, out) + "/"
        parts = rel.strip("/").split("/")
        if "index.xml" in files and len(parts) >= 2 and \
                parts[-2] in ("tags", "categories"):
            terms.add(urllib.parse.unquote(rel))
    return terms


def crier_terms(d):
    """Every term feed crier lists in its OPML, as its folder."""
    opml = ET.fromstring(d.body("/feeds.opml"))
    urls = {path_of(o.get("xmlUrl")) for o in opml.iter("outline")
            if o.get("xmlUrl")}
    return {u[:-len("feed.atom")] for u in urls if u.endswith("/feed.atom")
            and len(u.strip("/").split("/")) >= 3
            and u.strip("/").split("/")[-3] in ("tags", "categories")}


def test_terms_are_per_language_as_hugos():
    """A language's terms are its own, under its prefix, as Hugo
    publishes them: /zh/tags/志愿者/ holds the Chinese page only, in
    zh-CN, titled in that language; the English tag stays at the root."""
    d = daemon(SITE)
    with d:
        out = os.path.join(d.dir, "hugo-public")
        hugo_build(SITE, out)
        got, want = crier_terms(d), hugo_terms(out)
        assert got == want, (sorted(got), sorted(want))
        assert "/zh/tags/志愿者/" in got and "/tags/volunteers/" in got
        zh = feedparser.parse(d.body("/zh/tags/%E5%BF%97%E6%84%BF%E8%80%85/feed.atom"))
        assert not zh.bozo, zh.bozo_exception
        assert [path_of(e.link) for e in zh.entries] == ["/zh/posts/work-day/"]
        assert zh.feed.language == "zh-CN"
        assert zh.feed.title == "河畔社区菜园: tag 志愿者"
        assert d.get("/tags/%E5%BF%97%E6%84%BF%E8%80%85/feed.atom")[0] == 404
        en = feedparser.parse(d.body("/tags/volunteers/feed.atom"))
        assert [path_of(e.link) for e in en.entries] == ["/posts/work-day/"]
        assert "志愿者" in d.body("/").decode()


def test_language_terms_follow_changes():
    """A Chinese page's tag changed while crier runs: its language's old
    term feed goes, the new one comes, the root's never hold it."""
    d = Daemon()
    site = os.path.join(d.dir, "site")
    d.cleanup()
    d = daemon(site)
    shutil.copytree(SITE, site)
    old, new = "/zh/tags/%E5%BF%97%E6%84%BF%E8%80%85/feed.atom", \
        "/zh/tags/%E5%9B%AD%E4%B8%81/feed.atom"
    with d:
        assert d.get(old)[0] == 200 and d.get(new)[0] == 404
        page = os.path.join(site, "content", "posts", "work-day.zh.md")
        with open(page) as f:
            text = f.read()
        with open(page + ".tmp", "w") as f:
            f.write(text.replace('["志愿者"]', '["园丁"]'))
        os.rename(page + ".tmp", page)
        d.wait_for(lambda: d.get(new)[0] == 200, 10, "no new term feed")
        assert d.get(old)[0] == 404
        assert d.get("/tags/%E5%9B%AD%E4%B8%81/feed.atom")[0] == 404
        feed = feedparser.parse(d.body(new))
        assert [path_of(e.link) for e in feed.entries] == ["/zh/posts/work-day/"]


def test_translations_by_content_dir_are_hugos():
    """The same site with content/en, content/zh, content/fr as each
    language's contentDir (and no suffixes): the same URLs as Hugo's."""
    d = daemon(None)
    site = os.path.join(d.dir, "dirs-site")
    os.makedirs(site)
    with open(os.path.join(SITE, "hugo.toml")) as f:
        conf = f.read()
    for lang in LANGUAGES:
        conf = conf.replace("[languages.%s]\n" % lang,
                            "[languages.%s]\n    contentDir = \"content/%s\"\n"
                            % (lang, lang))
    with open(os.path.join(site, "hugo.toml"), "w") as f:
        f.write(conf)
    src = os.path.join(SITE, "content")
    for folder, _, files in os.walk(src):
        for name in files:
            parts = name.split(".")
            lang = parts[-2] if len(parts) == 3 else "en"
            bare = parts[0] + "." + parts[-1]
            to = os.path.join(site, "content", lang,
                              os.path.relpath(folder, src))
            os.makedirs(to, exist_ok=True)
            shutil.copy(os.path.join(folder, name), os.path.join(to, bare))
    d.settings["hugo_site"] = site
    with d:
        out = os.path.join(d.dir, "hugo-public")
        hugo_build(site, out)
        seen = compare_with_hugo(d, out)
        assert "/zh/posts/watering-rota/" in seen["zh"]
        assert "/posts/rota/" in seen["en"]


def test_language_feeds_follow_changes():
    """A translation written while crier runs enters its language's feed
    only; the last page of a language removed takes its feeds away."""
    d = daemon(None)
    site = os.path.join(d.dir, "site")
    shutil.copytree(SITE, site)
    d.settings["hugo_site"] = site
    posts = os.path.join(site, "content", "posts")
    with d:
        with open(os.path.join(posts, "tool-shed.zh.md"), "w") as f:
            f.write("---\ntitle: \"工具棚开放\"\ndate: 2026-02-01T10:00:00"
                    "+08:00\n---\n周六上午工具棚开放。\n")
        d.wait_for(lambda: "/zh/posts/tool-shed/" in crier_feed(d, "zh")[0],
                   message="the new translation is not in /zh/feed.atom")
        assert "/zh/posts/tool-shed/" not in crier_feed(d, "")[0]
        assert "/zh/posts/tool-shed/" in crier_feed(d, "zh/posts")[0]
        os.remove(os.path.join(posts, "work-day.fr.md"))
        d.wait_for(lambda: d.get("/fr/feed.atom")[0] == 404,
                   message="/fr/feed.atom is still served")
        assert d.get("/fr/posts/feed.atom")[0] == 404
        assert d.get("/zh/feed.atom")[0] == 200


def test_default_language_in_subdir_is_hugos():
    """defaultContentLanguageInSubdir: English moves to /en/ too."""
    d = daemon(None)
    site = os.path.join(d.dir, "site")
    shutil.copytree(SITE, site)
    with open(os.path.join(site, "hugo.toml")) as f:
        conf = f.read()
    with open(os.path.join(site, "hugo.toml"), "w") as f:
        f.write("defaultContentLanguageInSubdir = true\n" + conf)
    d.settings["hugo_site"] = site
    with d:
        out = os.path.join(d.dir, "hugo-public")
        hugo_build(site, out)
        seen = compare_with_hugo(d, out, {"en": "en", "zh": "zh", "fr": "fr"})
        assert "/en/posts/rota/" in seen["en"]


def entry_links(entry):
    """(hreflang, path) of an Atom entry's alternate links, in order."""
    return [(link.get("hreflang"), path_of(link.href))
            for link in entry.links if link.rel == "alternate"]


def expected_entry_links(tset, lang):
    """The entry's own page first, then its translations by key, then
    its own page again without hreflang: readers that take the first
    alternate and feedparser, which takes the last, both see it."""
    return [(CODES[lang], tset[lang])] + [
        (CODES[k], tset[k]) for k in sorted(tset) if k != lang] + [(None, tset[lang])]


def expected_head_links(tset):
    """Every language of the set, the page's own too, by key."""
    return [(CODES[k], tset[k]) for k in sorted(tset)]


def expected_also_in(tset, lang):
    return [(CODES[k], tset[k], NAMES[k]) for k in sorted(tset) if k != lang]


class PageLinks(html.parser.HTMLParser):
    """A post page's <html lang>, its head's hreflang alternates and its
    body's hreflang links (with their text)."""

    def __init__(self, text):
        super().__init__()
        self.lang, self.head, self.body, self.texts = None, [], [], []
        self._a = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "link" and a.get("hreflang") is not None:
            assert a.get("rel") == "alternate", a
            self.head.append((a["hreflang"], path_of(a["href"])))
        elif tag == "a" and a.get("hreflang") is not None:
            self._a = (a["hreflang"], path_of(a["href"]))
            assert a.get("lang") == a["hreflang"], a

    def handle_data(self, data):
        self.texts.append(data)
        if self._a is not None:
            self.body.append(self._a + (data,))
            self._a = None


def page_links(d, path):
    return PageLinks(d.body(path).decode())


def entries_by_page(d, feed_path):
    feed = feedparser.parse(d.body(feed_path))
    assert not feed.bozo, (feed_path, feed.bozo_exception)
    return {path_of(own_link(e)): e for e in feed.entries}


def assert_set_linked(d, tset):
    """Each page of the set: its entry in its language's site and
    section feeds, and its page, link exactly the set."""
    for lang, path in tset.items():
        prefix = "/" + LANGUAGES[lang] if LANGUAGES[lang] else ""
        for feed in (prefix + "/feed.atom", prefix + "/posts/feed.atom"):
            entry = entries_by_page(d, feed)[path]
            got = entry_links(entry)
            assert got == expected_entry_links(tset, lang), (feed, got)
            assert path_of(entry.link) == path, (feed, entry.link)
        page = page_links(d, path)
        assert page.lang == CODES[lang], (path, page.lang)
        assert page.head == expected_head_links(tset), (path, page.head)
        assert page.body == expected_also_in(tset, lang), (path, page.body)
        assert "Also in: " in page.texts, path


def assert_unlinked(d, feed, path):
    """A page without translations: one alternate, as before."""
    assert entry_links(entries_by_page(d, feed)[path]) == [(None, path)]
    page = page_links(d, path)
    assert page.head == [] and page.body == [], (path, page.head, page.body)
    assert "Also in: " not in page.texts


def hugo_translations(site, out):
    """Hugo's .Translations of every page: path -> {key: path}, from a
    copy of the site with a layout that lists them."""
    layouts = os.path.join(site, "layouts", "_default")
    os.makedirs(layouts, exist_ok=True)
    with open(os.path.join(layouts, "single.html"), "w") as f:
        f.write("{{ range .Translations }}{{ .Lang }} {{ .RelPermalink }}\n"
                "{{ end }}")
    hugo_build(site, out)
    found = {}
    for folder, _, files in os.walk(out):
        if "index.html" not in files:
            continue
        path = "/" + os.path.relpath(folder, out).strip(".") + "/"
        path = path.replace("//", "/")
        with open(os.path.join(folder, "index.html")) as f:
            lines = [l.split(" ") for l in f.read().splitlines() if l]
        if "/posts/" in path and not path.endswith("/posts/"):
            found[path] = {k: path_of(p) for k, p in lines}
    return found


def test_translations_are_linked():
    """Each translated page's Atom entry links its translations by
    hreflang (its own link first, with its language), its page's head
    lists the whole set, its body says "Also in: 中文, fr" (languageName,
    else the key); the sets are Hugo's .Translations; RSS items carry
    no atom:link (feedparser would take it for the item's link)."""
    d = daemon(None)
    site = os.path.join(d.dir, "site")
    shutil.copytree(SITE, site)
    d.settings["hugo_site"] = site
    with d:
        for tset in SETS:
            assert_set_linked(d, tset)
        # Hugo's translations of every page are crier's.
        hugo = hugo_translations(site, os.path.join(d.dir, "hugo-public"))
        tsets = {path: (lang, tset) for tset in SETS
                 for lang, path in tset.items()}
        assert set(hugo) == set(tsets), (sorted(hugo), sorted(tsets))
        for path, (lang, tset) in tsets.items():
            page = page_links(d, path)
            got = {k: p for k, p in ((c.split("-")[0], p)
                                     for c, p, _ in page.body)}
            assert got == hugo[path], (path, got, hugo[path])
            assert got == {k: p for k, p in tset.items() if k != lang}
        rss = d.body("/feed.rss").decode()
        assert rss.count("<atom:link") == 1, rss   # the feed's self link
        items = feedparser.parse(rss).entries
        assert {path_of(e.link) for e in items} == {
            "/posts/rota/", "/posts/seed-swap-evening/", "/posts/work-day/"}


def test_translation_links_follow_changes():
    """A translation written while crier runs: the other pages of its
    set -- their Atom entries in every feed showing them, and their
    pages -- gain a link to it; removed, the link goes.  A page with no
    translation keeps its one link."""
    d = daemon(None)
    site = os.path.join(d.dir, "site")
    shutil.copytree(SITE, site)
    d.settings["hugo_site"] = site
    posts = os.path.join(site, "content", "posts")
    rota = dict(SETS[0])
    with d:
        assert_set_linked(d, rota)
        with open(os.path.join(posts, "arrosage.fr.md"), "w") as f:
            f.write("---\ntitle: \"Tour d'arrosage\"\ndate: 2026-05-01T08:"
                    "00:00+08:00\ntranslationKey: \"rota\"\n---\n"
                    "Deux membres arrosent chaque matin d'été.\n")
        with open(os.path.join(posts, "compost.md"), "w") as f:
            f.write("---\ntitle: \"Compost bins\"\ndate: 2026-05-02T08:"
                    "00:00+08:00\n---\nThree bins, turned weekly.\n")
        rota["fr"] = "/fr/posts/arrosage/"
        d.wait_for(lambda: ("fr-FR", rota["fr"]) in entry_links(
            entries_by_page(d, "/feed.atom")["/posts/rota/"]),
            message="the English entry does not link the French page")
        d.wait_for(lambda: "/posts/compost/" in crier_feed(d, "")[0],
                   message="the new English post is not in /feed.atom")
        assert_set_linked(d, rota)
        assert_unlinked(d, "/feed.atom", "/posts/compost/")
        os.remove(os.path.join(posts, "arrosage.fr.md"))
        del rota["fr"]
        d.wait_for(lambda: d.get("/fr/posts/arrosage/")[0] == 404,
                   message="the French page is still served")
        assert_set_linked(d, rota)


def test_archived_entries_follow_translations():
    """An entry on a full archive page (served as immutable) is written
    again when its translations change, as after an edit of it."""
    d = daemon(None)
    site = os.path.join(d.dir, "site")
    shutil.copytree(SITE, site)
    d.settings.update(hugo_site=site, feed_entries=1, archive_entries=1)
    work_day = dict(SETS[2])
    # Oldest first: work-day fills page 1, seed-swap page 2.
    archive = "/posts/archive/1/feed.atom"
    with d:
        got = entry_links(entries_by_page(d, archive)["/posts/work-day/"])
        assert got == expected_entry_links(work_day, "en"), got
        assert d.get("/posts/archive/2/feed.atom")[0] == 200
        os.remove(os.path.join(site, "content", "posts", "work-day.fr.md"))
        del work_day["fr"]
        d.wait_for(lambda: entry_links(entries_by_page(
            d, archive)["/posts/work-day/"]) == expected_entry_links(
                work_day, "en"),
            message="the archived entry still links the French page")
        for feed in ("/archive/1/feed.atom", archive):
            got = entry_links(entries_by_page(d, feed)["/posts/work-day/"])
            assert got == expected_entry_links(work_day, "en"), (feed, got)
        got = entry_links(entries_by_page(
            d, "/zh/posts/archive/1/feed.atom")["/zh/posts/work-day/"])
        assert got == expected_entry_links(work_day, "zh"), got
        assert page_links(d, "/posts/work-day/").head == \
            expected_head_links(work_day)
