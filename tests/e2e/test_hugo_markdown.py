"""Hugo's Markdown conventions (issue 12), end to end: a post with raw
HTML, a figure shortcode, a shortcode crier does not know and a
<!--more--> divider is served with no shortcode and no raw HTML in any
feed or page, its summary cut at the divider, the figure as Hugo's
<figure>, the raw HTML left out as Hugo leaves it out by default, and the
unknown shortcode a warning in /status on its line.  With unsafe_html = 1
the raw HTML is kept, without what the allow-list drops.

The content is written for these tests.
"""
import re

import feedparser

from harness import Daemon

POST = (
    "---\n"                                                   # 1
    "title: Release party\n"                                  # 2
    "date: 2024-03-01T18:00:00+01:00\n"                       # 3
    "tags: [party]\n"                                         # 4
    "---\n"                                                   # 5
    '<div align="center"><img src="logo.png" onload="x()"></div>\n'  # 6
    "\n"                                                      # 7
    "We ship **version 2** at last. Come and <b>celebrate</b>.\n"   # 8
    "\n"                                                      # 9
    "<!--more-->\n"                                           # 10
    "\n"                                                      # 11
    '{{< figure src="stage.jpg" caption="The stage" >}}\n'    # 12
    "\n"                                                      # 13
    "{{< notice tip >}}Bring a friend{{< /notice >}}\n"       # 14
    "\n"                                                      # 15
    "<script>alert(1)</script>\n"                             # 16
    "\n"                                                      # 17
    "## Programme\n"                                          # 18
    "\n"                                                      # 19
    "Talks and music.\n"                                      # 20
)

DOCS = ("/feed.atom", "/feed.rss", "/news/feed.atom", "/news/feed.rss",
        "/tags/party/feed.atom", "/news/release-party/", "/")


def served(d):
    return {doc: d.body(doc).decode("utf-8") for doc in DOCS}


def entry(d, doc):
    f = feedparser.parse(d.body(doc))
    assert not f.bozo, (doc, f.get("bozo_exception"))
    (e,) = f.entries
    return e


def test_hugo_markdown_default():
    with Daemon(files={"news/release-party.md": POST}) as d:
        docs = served(d)
        for doc, text in docs.items():
            # The pages' schema.org data is the one script, and no code.
            text = re.sub(r'<script type="application/ld\+json">[^<]*</script>', "", text)
            for raw in ("{{", "}}", "CRIERSHORTCODE", "<!--more", "<script",
                        "onload", "&lt;div", "&lt;b&gt;", "align="):
                assert raw not in text, (doc, raw)
        atom, rss = entry(d, "/feed.atom"), entry(d, "/feed.rss")
        # the summary is the text before <!--more-->, tags stripped
        want = "We ship version 2 at last. Come and celebrate."
        assert atom.summary == want, atom.summary
        assert rss.summary == want, rss.summary
        html = atom.content[0].value
        page = docs["/news/release-party/"]
        assert "<figure><img src=\"%s/news/release-party/stage.jpg\" " \
            "alt=\"The stage\"><figcaption><p>The stage</p></figcaption>" \
            "</figure>" % d.base in page, page
        assert "<figcaption><p>The stage</p></figcaption>" in html, html
        assert "Bring a friend" in html and "notice" not in html, html
        assert html.count("<!-- raw HTML omitted -->") == 4, html
        assert '<h2 id="programme">Programme</h2>' in html, html
        files = {f["path"]: f for f in d.status()["files"]}
        f = files["news/release-party.md"]
        assert f["state"] == "warning" and f["serving"] == "current", f
        (m,) = f["messages"]
        assert m["line"] == 14 and m["level"] == "warning", m
        assert "'notice'" in m["message"], m


def test_hugo_markdown_unsafe_html():
    with Daemon(files={"news/release-party.md": POST},
                settings={"unsafe_html": "1"}) as d:
        html = entry(d, "/feed.atom").content[0].value
        page = d.body("/news/release-party/").decode("utf-8")
        assert '<div align="center"><img src="%s/news/release-party/' \
            'logo.png"></div>' % d.base in page, page
        assert "<b>celebrate</b>" in html, html
        for doc, text in (("feed", html), ("page", page)):
            assert "onload" not in text and "alert(1)" not in text, doc
            assert "raw HTML omitted" not in text, doc
