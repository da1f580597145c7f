"""Hugo's front-matter `cascade` (issue 12, item 5): what a branch's
_index.md hands down to the pages below it, as Hugo 0.111 applies it --
`_build` options that keep a folder of snippets out of every list, tags
and drafts given to a whole section, `_target` globs on path, kind and
language, the nearest branch winning, the page's own keys winning over
all -- compared with what `hugo` publishes for the same site, and kept
true live: a branch's cascade edited, removed or broken re-reads the
pages below it.  The fixture text is written for these tests."""
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import feedparser

from harness import SLOW, Daemon, Skip
from test_hugo_site import path_of

CONFIG = """baseURL = "https://harbour-radio.example.org/"
title = "Harbour Radio Club"
languageCode = "en"
"""

FILES = {
    # The home page hands every regular page an author-ish param and a
    # tag, unless a nearer branch or the page says otherwise.
    "_index.md": """---
title: Harbour Radio Club
cascade:
  - _target:
      kind: page
    tags: [club]
  - _target:
      kind: section
    description: A part of the club's site.
---
""",
    # TOML: a folder of internal snippets, in no list and never rendered.
    "handbook/_index.md": """+++
title = "Handbook"
[[cascade]]
[cascade._build]
list = "never"
render = "never"
[cascade._target]
path = "/handbook/snippets/**"
[[cascade]]
_build = { list = "never" }
[cascade._target]
path = "/handbook/printables/*"
+++
""",
    "handbook/printables/checklist.md": """---
title: Printable checklist
date: 2026-02-05T10:00:00Z
---
Tick each box before a field day.
""",
    "handbook/antenna-basics.md": """---
title: Antenna basics
date: 2026-02-01T10:00:00Z
---
A dipole is two wires and a feed line.
""",
    "handbook/snippets/callsign-footer.md": """---
title: Callsign footer
date: 2026-02-03T10:00:00Z
---
Seventy-three from the club desk.
""",
    "handbook/snippets/safety-note/index.md": """---
title: Safety note
date: 2026-02-04T10:00:00Z
---
Never climb a mast alone.
""",
    # Nights: every page tagged club-night, the archive below it drafts.
    "nights/_index.md": """---
title: Club nights
cascade:
  tags: [club-night]
  description: A night at the harbour hall.
---
""",
    "nights/fox-hunt.md": """---
title: Fox hunt on the pier
date: 2026-03-10T18:00:00Z
---
Bring a directional antenna.
""",
    # Hugo reads .mdown as Markdown too.
    "nights/radio-quiz.mdown": """---
title: Radio quiz
date: 2026-03-16T18:00:00Z
---
Questions about the bands.
""",
    "nights/own-tags.md": """---
title: Morse practice
date: 2026-03-12T18:00:00Z
tags: [morse]
---
Its own tags win over the cascade's.
""",
    "nights/kit-swap/index.md": """---
title: Kit swap
date: 2026-03-14T18:00:00Z
---
A leaf bundle inherits as a page.
""",
    "nights/archive/_index.md": """---
title: Archive
cascade:
  - tags: [archived]
  - _target:
      path: "/nights/archive/2025-*.md"
    draft: true
---
""",
    "nights/archive/2025-autumn.md": """---
title: Autumn night (draft by cascade)
date: 2025-10-01T18:00:00Z
---
Old.
""",
    "nights/archive/older.md": """---
title: An older night
date: 2025-06-01T18:00:00Z
---
Kept, tagged archived: the nearest branch wins.
""",
}


def make_site(root, files=FILES):
    os.makedirs(root)
    with open(os.path.join(root, "config.toml"), "w") as f:
        f.write(CONFIG)
    for rel, text in files.items():
        p = os.path.join(root, "content", rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)


def daemon():
    """A daemon on a fresh copy of the fixture site in its own folder
    (its crier.conf leaves the site's settings unsaid); and the site."""
    d = Daemon(settings={"feed_entries": "100"})
    for key in ("title", "description", "base_url", "content_dir", "timezone"):
        d.settings.pop(key, None)
    site = os.path.join(d.dir, "site")
    d.settings["hugo_site"] = site
    make_site(site)
    return d, site


def site_feed(d):
    feed = feedparser.parse(d.body("/feed.atom"))
    assert not feed.bozo, feed.bozo_exception
    return {e.title: sorted(t.term for t in e.get("tags", [])) for e in feed.entries}


def write(site, rel, text):
    p = os.path.join(site, "content", rel)
    tmp = p + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, p)


WANT = {
    "Antenna basics": ["club"],
    "Fox hunt on the pier": ["club-night"],
    "Morse practice": ["morse"],
    "Kit swap": ["club-night"],
    "Radio quiz": ["club-night"],
    "An older night": ["archived"],
}


def test_cascade_applied_as_hugo_does():
    d, site = daemon()
    with d:
        assert site_feed(d) == WANT
        # A cascaded description is the page's; its own wins.
        nights = {e.title: e for e in feedparser.parse(d.body("/nights/feed.atom")).entries}
        assert nights["Fox hunt on the pier"].summary == "A night at the harbour hall."
        assert nights["Kit swap"].summary == "A night at the harbour hall."
        # Snippets: in no feed, no page; the section's feed has the guide.
        section = feedparser.parse(d.body("/handbook/feed.atom"))
        assert [e.title for e in section.entries] == ["Antenna basics"]
        assert d.get("/handbook/snippets/callsign-footer/")[0] == 404
        assert d.get("/handbook/snippets/safety-note/")[0] == 404
        # list never alone (cascaded): published, in no list.
        assert d.get("/handbook/printables/checklist/")[0] == 200
        assert "Printable checklist" not in d.body("/handbook/feed.atom").decode()
        assert d.get("/tags/club-night/feed.atom")[0] == 200
        assert d.get("/tags/archived/feed.atom")[0] == 200


def test_cascade_published_pages_are_hugos():
    """Hugo builds the same site: the pages its site RSS lists and the
    tags its sitemap holds are crier's."""
    if shutil.which("hugo") is None:
        raise Skip("hugo is not installed")
    d, site = daemon()
    out = os.path.join(d.dir, "hugo-public")
    subprocess.run(["hugo", "--quiet", "--source", site, "--destination", out],
                   check=True, capture_output=True, timeout=SLOW * 120)
    rss = ET.parse(os.path.join(out, "index.xml")).getroot()
    hugo_pages = {path_of(i.findtext("link")) for i in rss.iter("item")}
    hugo_tags = {t for t in os.listdir(os.path.join(out, "tags"))
                 if os.path.isdir(os.path.join(out, "tags", t))}
    with d:
        feed = feedparser.parse(d.body("/feed.atom"))
        pages = {path_of(e.link) for e in feed.entries}
        assert pages == hugo_pages, (sorted(pages), sorted(hugo_pages))
        tags = {t.term for e in feed.entries for t in e.get("tags", [])}
        assert tags == hugo_tags, (sorted(tags), sorted(hugo_tags))
        assert "/nights/kit-swap/" in pages and "/handbook/antenna-basics/" in pages
        assert "/nights/radio-quiz/" in pages


def test_branch_edits_reach_the_pages_below():
    d, site = daemon()
    with d:
        assert site_feed(d) == WANT
        # A section's index inherits too (kind: section), and follows an
        # edit of the branch above it: the section feed's subtitle.
        def subtitle():
            return feedparser.parse(d.body("/nights/feed.atom")).feed.subtitle
        assert subtitle() == "A part of the club's site."
        write(site, "_index.md", FILES["_index.md"].replace(
            "A part of the club's site.", "One of the club's rooms."))
        d.wait_for(lambda: subtitle() == "One of the club's rooms.", 10,
                   "the section below kept the old cascade")
        # The nights' cascade changes: pages not touched take the new tag.
        write(site, "nights/_index.md",
              FILES["nights/_index.md"].replace("club-night", "evening"))
        want = dict(WANT, **{"Fox hunt on the pier": ["evening"],
                             "Kit swap": ["evening"], "Radio quiz": ["evening"]})
        d.wait_for(lambda: site_feed(d) == want, 10,
                   "the pages below the branch kept the old cascade")
        # The archive's branch goes: its pages inherit from nights, the
        # draft cascaded by its glob is published.
        os.unlink(os.path.join(site, "content", "nights/archive/_index.md"))
        want = dict(want, **{"An older night": ["evening"],
                             "Autumn night (draft by cascade)": ["evening"]})
        d.wait_for(lambda: site_feed(d) == want, 10,
                   "the pages below a removed branch kept its cascade")
        # The snippets' branch is broken: its last good cascade stays.
        write(site, "handbook/_index.md", "+++\ntitle = \n+++\n")
        d.wait_for(lambda: any(f["path"] == "handbook/_index.md" and f["messages"]
                               for f in d.status()["files"]), 10, "no problem shown")
        assert site_feed(d) == want
        # A cascade of the wrong type is a warning naming its line.
        write(site, "handbook/_index.md",
              "---\ntitle: Handbook\ncascade: nope\n---\n")
        d.wait_for(lambda: "Callsign footer" in site_feed(d), 10,
                   "the snippets stayed hidden without a cascade")
        probs = [p for f in d.status()["files"] if f["path"] == "handbook/_index.md"
                 for p in f["messages"]]
        assert any(p["line"] == 3 and "'cascade' should be a table" in p["message"]
                   for p in probs), probs
