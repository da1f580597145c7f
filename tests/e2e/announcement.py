"""What a meetup announcement in the shape of the real example says, read
from its text by the tests themselves (never by crier): its front-matter
keys, the lines where a key is repeated, and one talk per "**时间：**" line
(2020/5/6（周三） 19:00-20:00) under its "###" heading.

The seed-shaped tests derive what crier must serve from this reading, so one
checker serves the project's own fixture (fixtures/meetup_announcement.md,
whose reading the tests also pin to literal values) and the real example in
../shared/seeds alike, without copying a word of the latter.
"""
import datetime
import json
import os
import re
import urllib.parse

from harness import Skip, seed_file

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "fixtures", "meetup_announcement.md")

WEEKDAYS_ZH = "一二三四五六日"          # 周一 .. 周日, Monday first
WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
               "Saturday", "Sunday"]
KEY = re.compile(r"([A-Za-z_]+):\s*(.*)$")
TALK = re.compile(r"\*\*时间：\*\*\s*(\d{4})/(\d{1,2})/(\d{1,2})（周(.)）\s*"
                  r"(\d{1,2}):(\d\d)-(\d{1,2}):(\d\d)")
AUTHOR = re.compile(r"\[(.*)\]\((.*)\)$")


class Talk:
    def __init__(self, title, line, start, end, written_weekday):
        self.title = title
        self.line = line                    # 1-based, of its 时间 line
        self.start, self.end = start, end   # local, naive
        self.written_weekday = written_weekday

    @property
    def weekday_wrong(self):
        return self.written_weekday != self.start.weekday()


class Announcement:
    """Everything the tests expect of one announcement file."""

    def __init__(self, text):
        self.text = text
        lines = text.split("\n")
        assert lines[0] == "---", "no YAML front matter"
        end = lines.index("---", 1)
        keys, values = {}, {}
        for i in range(1, end):
            m = KEY.match(lines[i])
            if m:
                keys.setdefault(m.group(1), []).append(i + 1)
                values[m.group(1)] = m.group(2)
        self.key_lines = keys
        # later value wins, as in crier
        self.values = {k: json.loads(v) if v[:1] in '"[' else v
                       for k, v in values.items()}
        self.title = self.values["title"]
        self.date = datetime.datetime.fromisoformat(self.values["date"])
        self.summary = self.values.get("description")
        m = AUTHOR.match(self.values.get("author", ""))
        self.author = (m.group(1), m.group(2)) if m else None
        self.aliases = self.values.get("aliases", [])
        self.tags = self.values.get("tags", [])
        self.categories = self.values.get("categories", [])
        self.talks = []
        heading = None
        for n, line in enumerate(lines, 1):
            if line.startswith("### "):
                heading = line[4:].strip()
            m = TALK.search(line)
            if m:
                y, mo, d, wd, h1, m1, h2, m2 = m.groups()
                day = (int(y), int(mo), int(d))
                self.talks.append(Talk(
                    heading, n, datetime.datetime(*day, int(h1), int(m1)),
                    datetime.datetime(*day, int(h2), int(m2)),
                    WEEKDAYS_ZH.index(wd)))

    def repeated_key_lines(self):
        """{key: [line of each later occurrence]}."""
        return {k: v[1:] for k, v in self.key_lines.items() if len(v) > 1}

    def utc(self, local):
        """A written time in the fixed offset of the post's date, as UTC."""
        return (local - self.date.utcoffset()).replace(tzinfo=datetime.timezone.utc)

    def published_utc(self):
        return self.date.astimezone(datetime.timezone.utc)


def slug(name):
    return urllib.parse.quote(name.lower().replace(" ", "-"), safe="")


def fixture_text():
    with open(FIXTURE, encoding="utf-8") as f:
        return f.read()


def seed_text():
    """The real example, or Skip when ../shared/seeds is not there."""
    path = seed_file()
    with open(path, encoding="utf-8") as f:
        text = f.read()
    a = Announcement(text)
    if not a.talks:
        raise Skip("%s is not a meetup announcement" % os.path.basename(path))
    return text
