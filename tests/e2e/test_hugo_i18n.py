"""A multilingual Hugo site (issue 12, part 7): Debian's hugo 0.111 builds
fixtures/hugo-i18n (English, Chinese and French; translations by file
name), and a copy rearranged into per-language contentDir folders; each
language's pages, feed URLs and language tags in crier's feeds must be
Hugo's: the default language at the root, the others under /zh/, /fr/.
"""
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import feedparser

from harness import ROOT, SLOW, Daemon, Skip
from test_hugo_site import path_of

SITE = os.path.join(ROOT, "tests", "fixtures", "hugo-i18n")
# Hugo's folder of each language's site RSS, and crier's feed prefix.
LANGUAGES = {"en": "", "zh": "zh", "fr": "fr"}


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


def crier_feed(d, prefix, name="feed.atom"):
    path = ("/" + prefix if prefix else "") + "/" + name
    feed = feedparser.parse(d.body(path))
    assert not feed.bozo, (path, feed.bozo_exception)
    return {path_of(e.link) for e in feed.entries}, feed


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
