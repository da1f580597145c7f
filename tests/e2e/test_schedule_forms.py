"""Written schedules in the forms real announcements use (issue 12), end to
end: a Chinese post whose schedule sits above every heading ("时间：2020 年
7 月 22 日（周三）晚 8 点 - 9 点" with its stream's "地址：" URL on the next
line), full-width digits, a start with no end and a line that cannot be
read; and an English post with "7–9pm (GMT+8)" on a site in Europe/Berlin.

/calendar.ics is read by python3-icalendar and ical.js (start and end as
UTC instants), and by ical.js for LOCATION, URL and DESCRIPTION: the
stream's URL is the location, each URL's fragment is an id the post's HTML
page has (no fragment for the schedule above the headings), and the
description starts with the post's text, not the cover image's alt text.
The unreadable line is a warning in /status on its own line.

The content is written for these tests.
"""
import json
import os
import re
import subprocess
import urllib.parse

from harness import Daemon, SLOW
from test_calendar import calendar, by_summary

HERE = os.path.dirname(os.path.abspath(__file__))

LIVE_POST = """\
---
title: "开源夜谈 第七期"
date: 2020-07-15T10:00:00+08:00
timezone: "Asia/Shanghai"
---

![本期封面](cover.png)

本期全程线上直播，欢迎预约。

时间：2020 年 7 月 22 日（周三）晚 8 点 - 9 点
地址：https://live.example.com/7

## 圆桌 {#roundtable}

- **时间：** ２０２０年７月２９日（周三）１９：３０－２１：００
- **直播**：<https://live.example.com/8>

## 答疑

- 时间：2020/8/5 19:00 开始
- 地点：线下会场三楼

## 下期预告

- 时间：待定
"""
WARNED_LINE = LIVE_POST.split("\n").index("- 时间：待定") + 1

ENGLISH_POST = """\
---
title: "Remote tooling night"
date: 2020-07-10T09:00:00Z
---

## Opening talk

- When: Wed, 22 July 2020, 7\u20139pm (GMT+8)
- Stream: [our channel](https://video.example.org/c/tools)
"""

FILES = {"news/live.md": LIVE_POST, "news/remote.md": ENGLISH_POST}

# summary -> (start, end, location, URL fragment or None)
EXPECTED = {
    "开源夜谈 第七期": ("2020-07-22T12:00:00Z", "2020-07-22T13:00:00Z",
                   "https://live.example.com/7", None),
    "圆桌": ("2020-07-29T11:30:00Z", "2020-07-29T13:00:00Z",
           "https://live.example.com/8", "roundtable"),
    "答疑": ("2020-08-05T11:00:00Z", "2020-08-05T12:00:00Z",
           "线下会场三楼", "答疑"),
    "Opening talk": ("2020-07-22T11:00:00Z", "2020-07-22T13:00:00Z",
                     "https://video.example.org/c/tools", "opening-talk"),
}


def ical_props(raw):
    r = subprocess.run(["node", os.path.join(HERE, "ical_props.mjs")],
                       input=json.dumps([raw.decode("utf-8")]).encode(),
                       capture_output=True, timeout=30 * SLOW)
    assert r.returncode == 0, "ical.js failed: %s" % r.stderr.decode()
    (doc,) = json.loads(r.stdout)
    assert doc["error"] is None, doc["error"]
    return {e["summary"]: e for e in doc["events"]}


def page_ids(d, path):
    html = d.body(path).decode("utf-8")
    return set(re.findall(r'\bid="([^"]*)"', html))


def test_written_schedule_forms_in_calendar_and_status():
    with Daemon(files=FILES) as d:
        raw, evs = calendar(d, "/calendar.ics", "E2E Site")
        got = {s: (e["start_utc"], e["end_utc"]) for s, e in by_summary(evs).items()}
        assert got == {s: v[:2] for s, v in EXPECTED.items()}, got
        props = ical_props(raw)
        ids = {"/news/live/": page_ids(d, "/news/live/"),
               "/news/remote/": page_ids(d, "/news/remote/")}
        assert "roundtable" in ids["/news/live/"], ids
        for summary, (_, _, location, fragment) in EXPECTED.items():
            e = props[summary]
            assert e["location"] == location, (summary, e["location"])
            url = urllib.parse.urlsplit(e["url"])
            assert url.path in ids, e["url"]
            if fragment is None:
                assert url.fragment == "" and "#" not in e["url"], e["url"]
            else:
                assert urllib.parse.unquote(url.fragment) == fragment, e["url"]
                assert fragment in ids[url.path], (fragment, ids[url.path])
        # The post's own schedule: its text first, the cover's alt never.
        first = props["开源夜谈 第七期"]["description"]
        assert first.startswith("本期全程线上直播"), first
        assert "本期封面" not in first, first
        # Shanghai's zone is kept; the English post's GMT+8 is not Berlin's.
        assert b"TZID=Asia/Shanghai:20200722T200000" in raw.replace(b"\r\n ", b"")

        files = {f["path"]: f for f in d.status()["files"]}
        live = files["news/live.md"]
        assert live["state"] == "warning" and live["serving"] == "current", live
        (m,) = live["messages"]
        assert m["level"] == "warning" and m["line"] == WARNED_LINE, m
        assert m["message"] == 'schedule: cannot read a date in "待定"', m
        assert files["news/remote.md"]["messages"] == [], files["news/remote.md"]
