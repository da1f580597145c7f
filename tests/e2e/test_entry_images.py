"""Issue 12 part 4: a post's image, chosen as themes and Hugo's own
opengraph template choose it (src/content/image.c): `images`, `image`,
`featured_image`, `featuredImage`, `cover.image`, `thumbnail`, else the
bundle's image resource named like *feature*, else *cover* or *thumbnail*
(`resources` metadata renames one).  The JSON Feed item's `image`, the
post page's u-photo and JSON-LD `image` and its event's IMAGE all name it,
and crier serves it."""
import json
import os
import re
import shutil
import tempfile
import urllib.parse

import feedparser

from harness import Daemon, Skip, hugo_build

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000"
                    "001f15c4890000000d4944415478da63f8cfc0f01f0005000201a7"
                    "5e3e5a0000000049454e44ae426082")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n'


def post(title, day, keys=""):
    return ("---\ntitle: %s\ndate: 2026-05-%02dT09:00:00+02:00\n%s---\n"
            "Ein kurzer Text.\n" % (title, day, keys))


FILES = {
    # No key: the bundle's *feature* image (not the map, not the SVG).
    "news/lake/index.md": post("Am See", 2,
                               "start: 2026-06-13T10:00:00+02:00\n"),
    "news/lake/a-map.png": PNG,
    "news/lake/lake-feature.png": PNG,
    "news/lake/route.svg": SVG,
    # resources metadata names stand-*.png cover-1, cover-2: the first
    # of those by name, not the file that is named *thumbnail*.
    "news/fair/index.md": post("Markt", 3,
                               "resources:\n  - src: \"stand-*.png\"\n"
                               "    name: \"cover-:counter\"\n"),
    "news/fair/stand-1.png": PNG,
    "news/fair/stand-2.png": PNG,
    "news/fair/z-thumbnail.svg": SVG,
    # A relative `images` entry: the bundle's file.
    "news/talk/index.md": post("Vortrag", 4, "images:\n  - poster.png\n"
                               "  - other.png\n"),
    "news/talk/poster.png": PNG,
    # PaperMod's cover.image, absolute: kept as written.
    "news/paper.md": post("Papier", 5, "cover:\n  image: "
                          "https://cdn.example.net/paper.png\n"
                          "  alt: Ein Blatt\n"),
    # A site path, as Hugo's absURL makes it.
    "news/banner.md": post("Banner", 6, "images: [\"/img/banner.png\"]\n"),
    # javascript: is refused (a warning on its line); the bundle's
    # cover image stands in.
    "news/bad/index.md": post("Schlecht", 7,
                              "image: \"javascript:alert(1)\"\n"),
    "news/bad/cover.png": PNG,
    # A bundle whose files are not served has no image from them.
    "news/intern/index.md": post("Intern", 8, "_build:\n"
                                 "  publishResources: false\n"),
    "news/intern/featured.png": PNG,
}

IMAGES = {                       # post path -> its image (path or URL)
    "/news/lake/": "/news/lake/lake-feature.png",
    "/news/fair/": "/news/fair/stand-1.png",
    "/news/talk/": "/news/talk/poster.png",
    "/news/paper/": "https://cdn.example.net/paper.png",
    "/news/banner/": "/img/banner.png",
    "/news/bad/": "/news/bad/cover.png",
    "/news/intern/": None,
}


def expected(d):
    return {d.base + page: (img if img is None or img.startswith("https:")
                            else d.base + img)
            for page, img in IMAGES.items()}


def feed_images(d):
    feed = json.loads(d.body("/feed.json"))
    return {item["url"]: item.get("image") for item in feed["items"]}


def test_json_feed_item_image():
    with Daemon(files=FILES) as d:
        assert feed_images(d) == expected(d)


def test_atom_and_rss_media_thumbnail():
    """Atom entries and RSS items carry the image as Media RSS's
    media:thumbnail (what feed readers show beside an entry), read by
    feedparser; none for a post without one."""
    with Daemon(files=FILES) as d:
        for doc in ("/feed.atom", "/feed.rss"):
            feed = feedparser.parse(d.body(doc))
            assert not feed.bozo, (doc, feed.bozo_exception)
            got = {e.link: [t["url"] for t in e.get("media_thumbnail", [])]
                   for e in feed.entries}
            want = {u: [img] if img else [] for u, img in expected(d).items()}
            assert got == want, (doc, got)


def test_post_page_photo_and_json_ld_name_it():
    with Daemon(files=FILES) as d:
        for url, img in expected(d).items():
            page = d.body(url[len(d.base):]).decode()
            photos = re.findall(r'<img class="u-photo" src="([^"]*)"', page)
            assert photos == ([img] if img else []), (url, photos)
            ld = re.search(r'<script type="application/ld\+json">(.*?)'
                           r'</script>', page, re.S)
            items = json.loads(ld.group(1))
            posting = [i for i in items if i["@type"] == "BlogPosting"][0]
            assert posting.get("image") == img, (url, posting)


def test_image_is_served():
    with Daemon(files=FILES) as d:
        served = [u for u in expected(d).values()
                  if u and u.startswith(d.base + "/news/")]
        assert len(served) == 4
        for u in served:
            s, h, body = d.get(u[len(d.base):])
            assert s == 200, (u, s)
            assert h["content-type"].startswith("image/"), (u, h)
            assert body == PNG, u


def test_event_image_is_the_page_image():
    with Daemon(files=FILES) as d:
        ics = d.body("/calendar.ics").decode().replace("\r\n ", "")
        assert ("IMAGE;VALUE=URI;DISPLAY=BADGE:%s/news/lake/lake-feature.png"
                % d.base) in ics, ics


def test_refused_url_is_a_warning_on_its_line_and_shown_nowhere():
    with Daemon(files=FILES) as d:
        files = {f["path"]: f for f in d.status()["files"]}
        msgs = [(m["line"], m["message"])
                for m in files["news/bad/index.md"]["messages"]]
        assert any(line == 4 and "'image'" in m and "javascript:" in m
                   for line, m in msgs), msgs
        for doc in ("/feed.atom", "/feed.rss", "/feed.json", "/news/bad/",
                    "/calendar.ics"):
            assert b"javascript:" not in d.body(doc), doc
        # Atom and RSS stay well-formed.
        for doc in ("/feed.atom", "/feed.rss"):
            feed = feedparser.parse(d.body(doc))
            assert not feed.bozo and len(feed.entries) == 7, doc


LAYOUT = ("<!DOCTYPE html><html><head>"
          '{{ template "_internal/opengraph.html" . }}'
          "</head><body></body></html>\n")


def test_bundle_images_are_hugos_og_image():
    """Debian's hugo builds the same content with its internal opengraph
    template: where that template reads the bundle or `images` with a
    site path, its og:image is crier's image.  (It absURLs a relative
    `images` entry against the site, and ignores the other keys.)"""
    if shutil.which("hugo") is None:
        raise Skip("hugo is not installed (make test-deps)")
    with Daemon(files=FILES) as d, tempfile.TemporaryDirectory() as tmp:
        site = os.path.join(tmp, "site")
        shutil.copytree(d.content, os.path.join(site, "content"))
        os.makedirs(os.path.join(site, "layouts", "_default"))
        for name in ("single.html", "list.html"):
            with open(os.path.join(site, "layouts", "_default", name),
                      "w") as f:
                f.write(LAYOUT)
        out = os.path.join(tmp, "public")
        hugo_build(site, out)
        ours = feed_images(d)

        def og_images(page):
            with open(os.path.join(out, page.strip("/"), "index.html")) as f:
                return re.findall(r'<meta property="og:image" content='
                                  r'"([^"]*)"', f.read())
        # The differences README names: a relative `images` entry is the
        # site's there; publishResources: false still publishes its pick.
        assert og_images("/news/talk/")[0] == "https://example.org/poster.png"
        assert og_images("/news/intern/") == [
            "https://example.org/news/intern/featured.png"]
        for page in ("/news/lake/", "/news/fair/", "/news/bad/",
                     "/news/banner/", "/news/paper/"):
            og = og_images(page)
            mine = ours[d.base + page]
            if page == "/news/paper/":   # cover.image: not Hugo's key
                assert og == [], og
                continue
            assert len(og) == 1, (page, og)
            assert (urllib.parse.urlsplit(og[0]).path ==
                    urllib.parse.urlsplit(mine).path), (page, og, mine)
