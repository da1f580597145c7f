#!/usr/bin/python3
"""Deterministic benchmark corpus for crier (and the same files for Hugo).

    gen_corpus.py CONTENT_DIR N [--seed S] [--hugo-site SITE_DIR --public DIR]

Writes N Markdown posts with Hugo-style YAML front matter into CONTENT_DIR,
spread over sections and sub-folders, plus one _index.md per folder.  Every
post is 1-6 KB: a few paragraphs, a table, 0-4 "### Talk" schedule sections
with "- **When:** ..." lines in the body, and for some posts front-matter
`events:` in one of several IANA zones.  1-4 tags from a pool of 50 (some
CJK), 1-2 categories, dates spread over three years, all in the past so
that every post is visible to crier and to Hugo (buildFuture is off).

The same seed and N give byte-identical files (Python's random with a fixed
seed; no clock, no hash randomisation).  A manifest (posts.tsv, one
"relative path<TAB>URL path<TAB>events" per post, in the content folder's parent) lets
the benchmark pick files to edit and the URL that shows them.

With --hugo-site it also writes a minimal Hugo site (config.toml, layouts)
whose contentDir is CONTENT_DIR: Hugo renders the very same files.
"""
import argparse
import datetime
import os
import random
import sys

SECTIONS = [
    # folder, title; sub-folders are Hugo nested sections (each has an
    # _index.md) and belong to their top folder's section in crier.
    ("news", "News"),
    ("meetups", "Meetups"),
    ("meetups/berlin", "Meetups in Berlin"),
    ("meetups/shanghai", "上海聚会"),
    ("workshops", "Workshops"),
    ("conferences", "Conferences"),
    ("conferences/2024", "Conferences 2024"),
    ("releases", "Releases"),
    ("community", "Community"),
    ("talks", "Talks"),
]

TAGS = [
    "go", "rust", "python", "c", "javascript", "typescript", "kotlin",
    "haskell", "elixir", "zig", "linux", "bsd", "kernel", "networking",
    "databases", "postgres", "sqlite", "observability", "tracing", "logging",
    "security", "cryptography", "cloud", "kubernetes", "containers", "wasm",
    "compilers", "testing", "ci", "devops", "frontend", "accessibility",
    "design", "career", "community", "open-source", "hardware", "embedded",
    "machine-learning", "data", "meetup", "workshop", "announcements",
    "云原生", "开源", "可观测性", "機械学習", "東京", "데이터베이스", "日本語",
]

CATEGORIES = ["meetup", "news", "workshop", "conference", "release",
              "community", "talk", "job"]

ZONES = ["Europe/Berlin", "Europe/London", "America/New_York",
         "America/Los_Angeles", "Asia/Shanghai", "Asia/Tokyo",
         "Australia/Sydney", "America/Sao_Paulo"]

OFFSETS = ["+01:00", "+02:00", "+00:00", "-05:00", "+08:00", "+09:00"]

WORDS = (
    "the a an of to in for on with at by from about event loop talk speaker "
    "meetup community venue evening session tracing latency throughput cache "
    "feed calendar subscribe release version kernel network socket buffer "
    "server client request response header stream queue worker thread core "
    "memory allocator garbage collector compiler parser token grammar test "
    "deploy cluster node container image registry schema index query table "
    "migration backup replica shard log metric alert dashboard incident "
    "postmortem review design pattern library framework module package "
    "interface protocol encoding gzip etag conditional redirect timezone "
    "offset daylight saving recurrence attendee organizer location room "
    "floor doors open coffee pizza slides recording stream question answer "
    "we will show how why what when where who which our your their this "
    "that these those many few some every each other new old fast slow "
    "simple hard easy small large first last next previous early late"
).split()

CJK_SENTENCES = [
    "本期分享将介绍可观测性在生产环境中的落地实践。",
    "欢迎大家报名参加，现场提供茶歇。",
    "活动结束后会上传录像和幻灯片。",
    "今回の勉強会では機械学習の基礎を扱います。",
    "参加費は無料です。お気軽にどうぞ。",
    "이번 모임에서는 데이터베이스 성능을 다룹니다.",
]

NAMES = ["Ana Souza", "Jonas Weber", "Priya Nair", "Tomás Ruiz", "Mara "
         "Lindqvist", "王磊", "陈静", "赵敏", "田中 花子", "Kwame Mensah",
         "Olga Petrova", "Lars Jensen", "Fatima Zahra", "Chen Wei"]

VENUES = ["Old Library, Harbour Street 4, room 2", "Community Hall, Mill Lane 12",
          "Online (stream link in the description)", "Tech Hub, 3rd floor",
          "上海市徐汇区漕溪北路 88 号 3 楼", "University, lecture hall B"]

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

START = datetime.datetime(2022, 1, 1)
SPAN_SECONDS = 3 * 365 * 86400          # 2022-01-01 .. 2024-12-31


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def sentence(rng):
    s = words(rng, rng.randint(6, 16))
    return s[0].upper() + s[1:] + "."


def paragraph(rng, cjk):
    parts = []
    for _ in range(rng.randint(3, 7)):
        if cjk and rng.random() < 0.3:
            parts.append(rng.choice(CJK_SENTENCES))
        else:
            s = sentence(rng)
            r = rng.random()
            if r < 0.15:
                w = rng.choice(WORDS)
                s = s.replace(" " + w + " ", " **" + w + "** ", 1)
            elif r < 0.25:
                s += " See [the notes](https://example.org/notes/%d)." % \
                    rng.randint(1, 9999)
            parts.append(s)
    return " ".join(parts)


def table(rng):
    cols = rng.randint(2, 4)
    head = ["Date", "Talk", "Speaker", "Room"][:cols]
    lines = ["| " + " | ".join(head) + " |",
             "| " + " | ".join("---" for _ in head) + " |"]
    for _ in range(rng.randint(2, 6)):
        row = ["%s %d" % (rng.choice(MONTHS)[:3], rng.randint(1, 28)),
               words(rng, rng.randint(2, 5)).capitalize(),
               rng.choice(NAMES), "Room %d" % rng.randint(1, 9)][:cols]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def when_line(rng, day, h, dur):
    """One schedule time line in one of the formats crier understands."""
    end = h * 60 + dur
    t1 = "%02d:00" % h
    t2 = "%02d:%02d" % (end // 60, end % 60)
    wd = WEEKDAYS[day.weekday()]
    f = rng.randint(0, 3)
    if f == 0:
        return "- **When:** %s %d, %d (%s) %s-%s" % (
            MONTHS[day.month - 1], day.day, day.year, wd, t1, t2)
    if f == 1:
        return "- **When:** %04d-%02d-%02d (%s) %s\u2013%s" % (
            day.year, day.month, day.day, wd, t1, t2)
    if f == 2:
        return "- **When:** %04d-%02d-%02d (%s) %s to %s" % (
            day.year, day.month, day.day, wd, t1, t2)
    return "- **When:** %s %d, %d %s-%s" % (
        MONTHS[day.month - 1], day.day, day.year, t1, t2)


def schedule(rng, date):
    out = []
    base = (date + datetime.timedelta(days=rng.randint(7, 60))).date()
    for k in range(rng.randint(1, 4)):
        day = base + datetime.timedelta(days=7 * (k // 2))
        h = rng.randint(17, 20) if k % 2 == 0 else rng.randint(18, 21)
        title = words(rng, rng.randint(3, 6)).capitalize()
        out.append("### %s\n\n%s\n- **Speaker:** %s\n- **Abstract:** %s\n" % (
            title, when_line(rng, day, h, rng.choice([30, 45, 60])),
            rng.choice(NAMES), sentence(rng)))
    return "\n".join(out)


def fm_events(rng, date):
    out = ["events:"]
    base = date + datetime.timedelta(days=rng.randint(3, 90))
    for k in range(rng.randint(1, 3)):
        start = base.replace(hour=rng.randint(9, 19), minute=0, second=0) + \
            datetime.timedelta(days=k)
        end = start + datetime.timedelta(minutes=rng.choice([45, 60, 90, 120]))
        out.append('  - title: "%s"' % words(rng, rng.randint(2, 5)).capitalize())
        out.append('    start: "%s"' % start.strftime("%Y-%m-%dT%H:%M"))
        out.append('    end: "%s"' % end.strftime("%Y-%m-%dT%H:%M"))
        out.append('    location: "%s"' % rng.choice(VENUES))
    return "\n".join(out)


def yaml_list(items):
    return "[" + ", ".join('"%s"' % t for t in items) + "]"


def post(rng, i, folder):
    date = START + datetime.timedelta(seconds=rng.randrange(SPAN_SECONDS))
    tags = rng.sample(TAGS, rng.randint(1, 4))
    cjk = any(ord(c) > 0x2000 for t in tags for c in t) or \
        folder.endswith("shanghai")
    cats = rng.sample(CATEGORIES, rng.randint(1, 2))
    title = "%s #%d" % (words(rng, rng.randint(3, 7)).capitalize(), i)
    fm = ["---",
          'title: "%s"' % title,
          "date: %s%s" % (date.strftime("%Y-%m-%dT%H:%M:%S"),
                          rng.choice(OFFSETS)),
          'author: "%s"' % rng.choice(NAMES),
          "tags: %s" % yaml_list(tags),
          "categories: %s" % yaml_list(cats),
          'description: "%s"' % sentence(rng)]
    if rng.random() < 0.3:
        fm.append("timezone: %s" % rng.choice(ZONES))
        fm.append(fm_events(rng, date))
    fm.append("---")
    body = []
    target = rng.randint(1000, 6000)       # bytes, roughly
    size = sum(len(x) for x in fm)
    body.append(paragraph(rng, cjk))
    if rng.random() < 0.8:
        body.append(table(rng))
    nsched = rng.choice([0, 0, 1, 1, 2, 3, 4])
    if nsched:
        body.append(schedule(rng, date))
    size += sum(len(b.encode()) for b in body)
    while size < target:
        p = paragraph(rng, cjk)
        if rng.random() < 0.2:
            p = "\n".join("- " + sentence(rng) for _ in range(rng.randint(2, 5)))
        body.insert(rng.randint(1, len(body)), p)
        size += len(p.encode())
    return "\n".join(fm) + "\n\n" + "\n\n".join(body) + "\n"


def generate(content, n, seed):
    rng = random.Random(seed)
    os.makedirs(content, exist_ok=True)
    for folder, title in SECTIONS:
        d = os.path.join(content, folder)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "_index.md"), "w", encoding="utf-8") as f:
            f.write('---\ntitle: "%s"\ndescription: "%s: everything in '
                    'one feed."\n---\n' % (title, title))
    manifest = []
    width = len(str(n))
    for i in range(n):
        folder = rng.choice(SECTIONS)[0]
        name = "post-%0*d" % (width, i)
        rel = "%s/%s.md" % (folder, name)
        text = post(rng, i, folder)
        nev = text.count("\n  - title: ") + text.count("- **When:** ")
        with open(os.path.join(content, rel), "w", encoding="utf-8") as f:
            f.write(text)
        manifest.append((rel, "/%s/%s/" % (folder, name), nev))
    parent = os.path.dirname(os.path.abspath(content))
    with open(os.path.join(parent, "posts.tsv"), "w", encoding="utf-8") as f:
        for rel, url, nev in manifest:
            f.write("%s\t%s\t%d\n" % (rel, url, nev))
    return manifest


HUGO_CONFIG = """\
baseURL = "http://127.0.0.1:1313/"
title = "Benchmark Site"
languageCode = "en"
contentDir = "%(content)s"
publishDir = "%(public)s"
disableKinds = ["sitemap", "robotsTXT", "404"]
# Same number of entries per feed as crier's feed_entries default (50).
rssLimit = 50
[services.rss]
limit = 50
[taxonomies]
tag = "tags"
category = "categories"
[outputs]
home = ["HTML", "RSS"]
section = ["HTML", "RSS"]
taxonomy = ["HTML", "RSS"]
term = ["HTML", "RSS"]
"""

SINGLE = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>
</head><body><h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2006-01-02" }} {{ with .Params.author }}{{ . }}{{ end }}</p>
{{ .Content }}
</body></html>
"""

LIST = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>
{{ with .OutputFormats.Get "RSS" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head><body><h1>{{ .Title }}</h1>
<ul>{{ range first 50 .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</body></html>
"""


def hugo_site(site, content, public):
    os.makedirs(os.path.join(site, "layouts", "_default"), exist_ok=True)
    with open(os.path.join(site, "config.toml"), "w", encoding="utf-8") as f:
        f.write(HUGO_CONFIG % {"content": os.path.abspath(content),
                               "public": os.path.abspath(public)})
    for name, text in (("single.html", SINGLE), ("list.html", LIST)):
        with open(os.path.join(site, "layouts", "_default", name), "w",
                  encoding="utf-8") as f:
            f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("content")
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=20261202)
    ap.add_argument("--hugo-site")
    ap.add_argument("--public")
    a = ap.parse_args()
    manifest = generate(a.content, a.n, a.seed)
    if a.hugo_site:
        hugo_site(a.hugo_site, a.content, a.public or
                  os.path.join(a.hugo_site, "public"))
    total = sum(os.path.getsize(os.path.join(a.content, r)) for r, _, _ in manifest)
    print("%d posts, %.1f MB in %s" % (len(manifest), total / 1e6, a.content),
          file=sys.stderr)


if __name__ == "__main__":
    main()
