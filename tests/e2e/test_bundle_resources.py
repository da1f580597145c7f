"""Issue 12 part 4: a leaf bundle's files are served by crier at the URLs
Hugo gives them (src/serve/resource.c), so a feed entry's images load from
crier alone -- and never a symlink, a dotfile, a content file Hugo renders
(.md, .html, ...), a file over max_resource_size, nor anything of a bundle
that says publishResources: false."""
import os
import re
import shutil
import tempfile
import html

from harness import Daemon, Skip, hugo_build

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000"
                    "001f15c4890000000d4944415478da63f8cfc0f01f0005000201a7"
                    "5e3e5a0000000049454e44ae426082")
PDF = b"%PDF-1.4\n% a tiny test file\n%%EOF\n"

TRIP = """---
title: Ausflug zum Stausee
date: 2026-05-02T09:00:00+02:00
---
Wir treffen uns am Parkplatz. ![Karte](map.png)

Die Route als [PDF](route.pdf).
"""
HIDDEN = """---
title: Intern
date: 2026-05-01T09:00:00+02:00
_build:
  publishResources: false
---
Nur der Text. ![Plan](plan.png)
"""
FILES = {
    "news/trip/index.md": TRIP,
    "news/trip/map.png": PNG,
    "news/trip/route.pdf": PDF,
    "news/trip/.secret.png": PNG,
    "news/trip/notes.yaml": "a: 1\n",     # data: Hugo publishes it
    "news/trip/draft.html": "<p>a content file</p>\n",
    "news/intern/index.md": HIDDEN,
    "news/intern/plan.png": PNG,
    # A branch bundle: the section's own files, at its URL.
    "news/_index.md": "---\ntitle: Neuigkeiten\n---\n![Banner](banner.png)\n",
    "news/banner.png": PNG,
}


def daemon(**settings):
    d = Daemon(files=FILES, settings=settings)
    os.symlink("/etc/passwd", d.path("news/trip/pw.png"))
    return d


def test_resources_served_with_type_etag_304_and_head():
    with daemon() as d:
        s, h, body = d.get("/news/trip/map.png")
        assert s == 200 and body == PNG, (s, h)
        assert h["content-type"] == "image/png"
        assert int(h["content-length"]) == len(PNG)
        assert "last-modified" in h and h["etag"].startswith('"')
        s, _, body = d.get("/news/trip/map.png", {"If-None-Match": h["etag"]})
        assert s == 304 and body == b""
        s, hh, body = d.request("HEAD", "/news/trip/map.png")
        assert s == 200 and body == b""
        assert int(hh["content-length"]) == len(PNG)
        s, h, body = d.get("/news/trip/route.pdf")
        assert s == 200 and body == PDF
        assert h["content-type"] == "application/pdf"


def test_entry_images_load_from_crier():
    """Every <img src> and link of the bundle's Atom entry that points into
    the bundle is served, with the bytes of the file beside index.md."""
    with daemon() as d:
        atom = d.body("/feed.atom").decode()
        content = html.unescape(atom)
        urls = set(re.findall(r'(?:src|href)="(%s/news/trip/[^"]+)"' %
                              re.escape(d.base), content))
        assert urls == {d.base + "/news/trip/map.png",
                        d.base + "/news/trip/route.pdf"}, urls
        for u in urls:
            s, _, body = d.get(u[len(d.base):])
            name = u.rsplit("/", 1)[1]
            with open(d.path("news/trip/" + name), "rb") as f:
                assert s == 200 and body == f.read(), (u, s)


def test_never_a_symlink_dotfile_source_or_traversal():
    with daemon() as d:
        for path in ("/news/trip/pw.png", "/news/trip/.secret.png",
                     "/news/trip/index.md", "/news/trip/draft.html",
                     "/news/trip/%2e%2e/trip/map.png",
                     "/news/trip/..%2fintern%2fplan.png",
                     "/news/trip/map.png%00.md"):
            s, _, body = d.get(path)
            assert s in (400, 404), (path, s)
            assert b"root:" not in body and PNG not in body, path


def test_publish_resources_false_serves_none():
    with daemon() as d:
        assert d.get("/news/intern/")[0] == 200
        assert d.get("/news/intern/plan.png")[0] == 404


def test_file_over_the_limit_is_an_error_naming_it():
    assert len(PDF) < 64 < len(PNG)
    with daemon(max_resource_size=64) as d:
        assert d.get("/news/trip/map.png")[0] == 404
        assert d.get("/news/trip/route.pdf")[0] == 200
        files = {f["path"]: f for f in d.status()["files"]}
        msgs = [m["message"] for m in files["news/trip/index.md"]["messages"]]
        assert any("map.png" in m and "max_resource_size" in m
                   for m in msgs), msgs
        # the page itself is still published
        assert b"Ausflug zum Stausee" in d.body("/feed.atom")


def test_file_changed_in_place_is_served_new():
    with daemon() as d:
        _, h, _ = d.get("/news/trip/route.pdf")
        new = PDF.replace(b"tiny", b"newer, longer")
        d.write("news/trip/route.pdf", new)
        d.wait_for(lambda: d.body("/news/trip/route.pdf") == new, 5,
                   "the new file was never served")
        s, h2, _ = d.get("/news/trip/route.pdf", {"If-None-Match": h["etag"]})
        assert s == 200 and h2["etag"] != h["etag"]


def test_resource_urls_are_hugos():
    """Debian's hugo builds the same content: every file it publishes
    beside the bundle's page is served by crier at that path, same bytes."""
    if shutil.which("hugo") is None:
        raise Skip("hugo is not installed (make test-deps)")
    with daemon() as d, tempfile.TemporaryDirectory() as tmp:
        site = os.path.join(tmp, "site")
        shutil.copytree(d.content, os.path.join(site, "content"),
                        symlinks=True)
        os.remove(os.path.join(site, "content/news/trip/pw.png"))
        out = os.path.join(tmp, "public")
        hugo_build(site, out)
        published = []
        for root, _, names in os.walk(os.path.join(out, "news")):
            for n in names:
                if not n.endswith((".html", ".xml")):
                    published.append(os.path.relpath(os.path.join(root, n),
                                                     out))
        assert "news/trip/map.png" in published
        assert "news/banner.png" in published       # the branch's
        assert "news/trip/notes.yaml" in published
        for rel in published:
            with open(os.path.join(out, rel), "rb") as f:
                want = f.read()
            s, _, body = d.get("/" + rel)
            assert (s, body) == (200, want), rel


def test_branch_bundle_files_served_at_the_section_url():
    """A section's _index.md and the files beside it (Hugo's branch
    bundle): served at the section's URL; a file named as one of the
    section's own documents is not, and a warning says so; the files go
    with the section's index; the top folder's files are not served (the
    home page's would take the site's own documents' URLs)."""
    files = {"club/_index.md": "---\ntitle: Club\n---\nText.\n",
             "club/crest.png": PNG, "club/feed.atom": "<feed/>",
             "club/meet.md": "---\ntitle: Meet\ndate: 2026-01-02\n---\nx\n",
             "_index.md": "---\ntitle: Home\n---\n", "logo.png": PNG,
             "club/kit/index.md": "---\ntitle: Kit\ndate: 2026-01-03\n---\nx\n",
             "club/kit/photo.png": PNG}
    with Daemon(files=files) as d:
        s, h, body = d.get("/club/crest.png")
        assert (s, body) == (200, PNG) and h["content-type"] == "image/png", (s, h)
        s, h, body = d.get("/club/feed.atom")
        assert s == 200 and b"<entry>" in body and b"Meet" in body, body[:200]
        msgs = [m["message"] for f in d.status()["files"]
                if f["path"] == "club/_index.md" for m in f["messages"]]
        assert any("'feed.atom'" in m and "not served" in m for m in msgs), msgs
        assert d.get("/logo.png")[0] == 404
        assert d.get("/club/meet.md")[0] == 404
        assert d.get("/club/kit/photo.png")[0] == 200
        os.unlink(d.path("club/_index.md"))
        d.wait_for(lambda: d.get("/club/crest.png")[0] == 404, 10,
                   "the branch's file outlived its index")
        os.unlink(d.path("club/kit/index.md"))     # a leaf's too
        d.wait_for(lambda: d.get("/club/kit/photo.png")[0] == 404, 10,
                   "the leaf's file outlived its index")
