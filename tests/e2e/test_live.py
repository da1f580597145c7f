"""End-to-end tests of live regeneration (issue 4): the real daemon on a
temporary folder, changed the ways organizers change it (in place, editor
temp + rename, delete, rename, folders created or moved in and out, bursts),
with bounded polling until each change shows and exact assertions on the
served documents, /status, the state file, signals and `crier --check`."""
import datetime
import json
import os
import re
import signal
import subprocess
import time
import xml.etree.ElementTree as ET

from harness import CRIER, WRAP, SLOW, Daemon

ATOM = "{http://www.w3.org/2005/Atom}"
UTC = datetime.timezone.utc


def post(title, date="2026-01-05T10:00:00Z", body="Some text.\n", extra=""):
    return ('---\ntitle: "%s"\ndate: %s\n%s---\n\n%s' % (title, date, extra, body))


def atom_titles(d, path="/feed.atom"):
    root = ET.fromstring(d.body(path))
    return [e.find(ATOM + "title").text for e in root.findall(ATOM + "entry")]


def atom_links(d, path="/feed.atom"):
    root = ET.fromstring(d.body(path))
    out = {}
    for e in root.findall(ATOM + "entry"):
        link = [l.get("href") for l in e.findall(ATOM + "link")
                if l.get("rel", "alternate") == "alternate"]
        out[e.find(ATOM + "title").text] = link[0]
    return out


def wait_titles(d, want, path="/feed.atom", timeout=5):
    """Polls until the feed's entry titles, as a set, are exactly `want`."""
    last = []

    def ok():
        last[:] = [atom_titles(d, path)]
        return set(last[0]) == set(want) and len(last[0]) == len(want)
    try:
        d.wait_for(ok, timeout)
    except AssertionError:
        raise AssertionError("%s: want %r, got %r" % (path, sorted(want),
                                                      last[0] if last else None))


def file_status(d, rel):
    for f in d.status()["files"]:
        if f["path"] == rel:
            return f
    return None


BASE = {"news/first.md": post("First post", "2026-01-01T09:00:00Z")}


def test_create_edit_editor_write_delete():
    with Daemon(files=BASE) as d:
        wait_titles(d, ["First post"])
        d.write("news/hello.md", post("Hello world"))
        wait_titles(d, ["First post", "Hello world"])
        assert atom_titles(d)[0] == "Hello world"  # newest first
        wait_titles(d, ["First post", "Hello world"], "/news/feed.atom")
        d.write("news/hello.md", post("Hello again"))
        wait_titles(d, ["First post", "Hello again"])
        d.write_like_editor("news/hello.md", post("Hello from an editor"))
        wait_titles(d, ["First post", "Hello from an editor"])
        # The editor's temp file never showed up as a file of its own.
        assert sorted(f["path"] for f in d.status()["files"]) == ["news/first.md", "news/hello.md"]
        d.remove("news/hello.md")
        wait_titles(d, ["First post"])
        assert file_status(d, "news/hello.md") is None
        assert d.get("/news/hello/")[0] == 404


def test_rename_file():
    with Daemon(files=BASE) as d:
        d.write("news/old-name.md", post("Renamed post"))
        wait_titles(d, ["First post", "Renamed post"])
        assert atom_links(d)["Renamed post"] == d.base + "/news/old-name/"
        d.rename("news/old-name.md", "news/new-name.md")
        d.wait_for(lambda: [f["path"] for f in d.status()["files"]] ==
                   ["news/first.md", "news/new-name.md"], 5, "rename not seen in /status")
        # Same bytes under a new name: the entry must move to its new URL.
        try:
            d.wait_for(lambda: atom_links(d).get("Renamed post") == d.base + "/news/new-name/", 3)
        except AssertionError:
            raise AssertionError("Atom entry not at its new URL: %r" % atom_links(d))
        rss = ET.fromstring(d.body("/feed.rss"))
        links = {i.find("title").text: i.find("link").text for i in rss.iter("item")}
        assert links["Renamed post"] == d.base + "/news/new-name/", links
        assert atom_titles(d).count("Renamed post") == 1
        assert d.get("/news/old-name/")[0] == 404
        assert d.get("/news/new-name/")[0] == 200
        assert file_status(d, "news/old-name.md") is None


def test_new_subfolder_gets_a_section_feed():
    with Daemon(files=BASE) as d:
        assert d.get("/talks/feed.atom")[0] == 404
        os.mkdir(d.path("talks"))
        d.write("talks/one.md", post("Talk one", "2026-02-01T10:00:00Z"))
        d.write("talks/two.md", post("Talk two", "2026-02-02T10:00:00Z"))
        # A nested folder created and filled at once: files may land before the watch.
        os.makedirs(d.path("talks/2026/spring"))
        d.write("talks/2026/spring/three.md", post("Talk three", "2026-02-03T10:00:00Z"))
        wait_titles(d, ["Talk one", "Talk two", "Talk three"], "/talks/feed.atom")
        wait_titles(d, ["First post", "Talk one", "Talk two", "Talk three"])
        # And a file written into the new folder later is still seen.
        d.write("talks/2026/spring/four.md", post("Talk four", "2026-02-04T10:00:00Z"))
        wait_titles(d, ["Talk one", "Talk two", "Talk three", "Talk four"], "/talks/feed.atom")


def test_move_folder_in_and_out():
    with Daemon(files=BASE) as d:
        outside = os.path.join(d.dir, "outside")
        os.makedirs(os.path.join(outside, "guests", "deep"))
        with open(os.path.join(outside, "guests", "a.md"), "w") as f:
            f.write(post("Guest post A", "2026-03-01T10:00:00Z"))
        with open(os.path.join(outside, "guests", "deep", "b.md"), "w") as f:
            f.write(post("Guest post B", "2026-03-02T10:00:00Z"))
        os.rename(os.path.join(outside, "guests"), d.path("guests"))
        wait_titles(d, ["Guest post A", "Guest post B"], "/guests/feed.atom")
        wait_titles(d, ["First post", "Guest post A", "Guest post B"])
        # Watched after the move: an edit inside the moved folder shows.
        d.write("guests/deep/b.md", post("Guest post B, edited", "2026-03-02T10:00:00Z"))
        wait_titles(d, ["Guest post A", "Guest post B, edited"], "/guests/feed.atom")
        os.rename(d.path("guests"), os.path.join(outside, "gone"))
        wait_titles(d, ["First post"])
        d.wait_for(lambda: d.get("/guests/feed.atom")[0] == 404, 5, "section feed still served")
        # Changes in the moved-out folder are not watched any more.
        with open(os.path.join(outside, "gone", "a.md"), "w") as f:
            f.write(post("Ghost post", "2026-03-05T10:00:00Z"))
        d.write("news/barrier.md", post("Barrier"))
        wait_titles(d, ["First post", "Barrier"])
        assert sorted(f["path"] for f in d.status()["files"]) == ["news/barrier.md",
                                                                   "news/first.md"]


BROKEN = ('---\ntitle: "Good title v2"\ndate: 2026-01-05T10:00:00Z\n'
          'author: @somebody\n---\n\nText.\n')


def test_broken_yaml_keeps_last_good_version():
    with Daemon(files=BASE) as d:
        d.write("news/talk.md", post("Good title"))
        wait_titles(d, ["First post", "Good title"])
        d.write("news/talk.md", BROKEN)
        d.wait_for(lambda: file_status(d, "news/talk.md")["state"] == "error", 5,
                   "no error in /status: %r" % file_status(d, "news/talk.md"))
        st = file_status(d, "news/talk.md")
        assert st["serving"] == "last good version", st
        errors = [m for m in st["messages"] if m["level"] == "error"]
        assert len(errors) >= 1 and errors[0]["line"] == 4, st["messages"]
        assert d.status()["counts"]["errors"] == 1
        assert sorted(atom_titles(d)) == ["First post", "Good title"]
        assert d.get("/news/talk/")[0] == 200
        d.write("news/talk.md", post("Fixed title"))
        wait_titles(d, ["First post", "Fixed title"])
        st = file_status(d, "news/talk.md")
        assert st["state"] == "ok" and st["serving"] == "current" and st["messages"] == [], st
        assert d.status()["counts"]["errors"] == 0


def toml_post(title, extra=""):
    return ('+++\ntitle = "%s"\ndate = 2026-01-05T10:00:00Z\n'
            'tags = ["toml"]\n%s+++\n\nSome text.\n' % (title, extra))


def test_toml_page_published_and_redefinition_keeps_last_good_version():
    """A Hugo page in TOML (+++) is published with its tags and events; a
    key defined twice is an error naming its line, and the last good
    version keeps serving."""
    with Daemon(files=BASE) as d:
        d.write("news/talk.md", toml_post("TOML title", "[[events]]\n"
                "title = 'Talk'\nstart = 2026-02-01T19:00:00Z\n"))
        wait_titles(d, ["First post", "TOML title"])
        assert atom_titles(d, "/tags/toml/feed.atom") == ["TOML title"]
        assert "SUMMARY:Talk" in d.body("/calendar.ics").decode()
        d.write("news/talk.md", toml_post("Second title", "title = 'again'\n"))
        d.wait_for(lambda: file_status(d, "news/talk.md")["state"] == "error", 5,
                   "no error in /status: %r" % file_status(d, "news/talk.md"))
        st = file_status(d, "news/talk.md")
        assert st["serving"] == "last good version", st
        errors = [m for m in st["messages"] if m["level"] == "error"]
        assert len(errors) == 1 and errors[0]["line"] == 5, st["messages"]
        assert "defined twice (first on line 2)" in errors[0]["message"], errors
        assert sorted(atom_titles(d)) == ["First post", "TOML title"]


def test_burst_of_500_files_is_a_few_rebuilds():
    with Daemon(files=BASE, settings={"feed_entries": "1000"}) as d:
        before = d.status()["rebuilds"]["count"]
        start = datetime.datetime(2025, 1, 1, tzinfo=UTC)
        want = ["First post"]
        for i in range(500):
            title = "Burst post %03d" % i
            want.append(title)
            date = (start + datetime.timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
            d.write("news/burst-%03d.md" % i, post(title, date))
        d.wait_for(lambda: d.status()["counts"]["entries"] == 501, 20,
                   "not all 500 files arrived: %r" % d.status()["counts"])
        titles = atom_titles(d)
        assert sorted(titles) == sorted(want), len(titles)
        rebuilds = d.status()["rebuilds"]["count"] - before
        # A handful: reading goes on while the burst does (watch.c); under
        # valgrind reading is 20 times slower and hits the cap more often.
        assert 1 <= rebuilds <= (10 if SLOW == 1 else 50), \
            "%d rebuilds for 500 files" % rebuilds


def test_restart_unchanged_content_same_etags():
    files = dict(BASE)
    files["news/event.md"] = ('---\ntitle: "Evening talk"\ndate: 2026-01-03T10:00:00Z\n'
                              'start: 2026-12-08T19:00\nend: 2026-12-08T20:00\n---\n\nCome.\n')
    with Daemon(files=files) as d:
        paths = ["/feed.atom", "/feed.rss", "/calendar.ics", "/news/feed.atom"]
        first = {p: d.get(p) for p in paths}
        assert all(first[p][0] == 200 for p in paths), {p: first[p][0] for p in paths}
        assert d.stop() == 0
        d.start()
        for p in paths:
            status, h, body = d.get(p)
            assert status == 200
            assert h["etag"] == first[p][1]["etag"], p
            assert body == first[p][2], p
            # And a conditional request with the old ETag is a 304.
            assert d.get(p, {"If-None-Match": first[p][1]["etag"]})[0] == 304, p


def test_scheduled_post_appears_without_file_change():
    when = datetime.datetime.now(UTC).replace(microsecond=0) + datetime.timedelta(seconds=3)
    files = dict(BASE)
    files["news/later.md"] = ('---\ntitle: "Scheduled post"\ndate: 2026-01-02T10:00:00Z\n'
                              'publishDate: %s\n---\n\nNot yet.\n'
                              % when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    with Daemon(files=files) as d:
        # A slow start (valgrind on a loaded machine) can end after the
        # publishDate: then only the appearance can be checked.
        titles = atom_titles(d)
        if time.time() < when.timestamp() - 0.2:
            assert titles == ["First post"]
        wait_titles(d, ["First post", "Scheduled post"], timeout=10 * SLOW)
        assert time.time() >= when.timestamp() - 0.01, "appeared before its publishDate"


def run_check(dir_, *extra):
    return subprocess.run(WRAP + [CRIER, "--check"] + list(extra) + [dir_],
                          capture_output=True, text=True, timeout=30 * SLOW)


LINE = re.compile(r"^(.+):(\d+): (error|warning): (.+)$")


def test_check_command_exit_codes_and_format():
    d = Daemon(files={"news/ok.md": post("Fine post"),
                      "news/_index.md": '---\ntitle: "News"\n---\n'})
    try:
        r = run_check(d.content)
        assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
        assert not [l for l in r.stdout.splitlines() if LINE.match(l)], r.stdout
        d.write("news/bad.md", BROKEN)
        d.write("news/warn.md", post("Weekday mix-up", body=(
            "## Talk\n\n- **When:** 2026-05-06 (Thu) 19:00-20:00\n")))
        r = run_check(d.content)
        assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
        diag = [LINE.match(l) for l in r.stdout.splitlines() if LINE.match(l)]
        errors = [m for m in diag if m.group(3) == "error"]
        assert errors, r.stdout
        assert errors[0].group(1) == os.path.join(d.content, "news/bad.md"), r.stdout
        assert errors[0].group(2) == "4", r.stdout
        warns = [m for m in diag if m.group(3) == "warning"]
        assert [(m.group(1), m.group(2)) for m in warns] == [
            (os.path.join(d.content, "news/warn.md"), "8")], r.stdout
        # Every line of output is either a diagnostic or the summary.
        for l in r.stdout.splitlines():
            assert LINE.match(l) or re.match(r"^\d+ files checked, \d+ errors?$", l), l
        # A missing folder is an error too.
        r = run_check(os.path.join(d.dir, "no-such-folder"))
        assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
        assert "no-such-folder" in r.stdout + r.stderr
    finally:
        d.cleanup()


def test_sighup_bad_config_keeps_serving_good_one_applies():
    with Daemon(files=BASE) as d:
        atom = d.body("/feed.atom")
        conf = os.path.join(d.dir, "crier.conf")
        with open(conf) as f:
            good = f.read()
        with open(conf, "w") as f:
            f.write(good + 'no_such_setting = "1"\nfeed_entries = "many"\n')
        d.signal(signal.SIGHUP)
        d.wait_for(lambda: "keeping the current configuration" in d.read_log(), 5,
                   "bad config not reported: " + d.read_log())
        status, _, body = d.get("/feed.atom")
        assert status == 200 and body == atom
        assert d.proc.poll() is None
        # A good one is applied: the site title changes in the feed.
        d.settings["title"] = "Renamed Site"
        d.write_config()
        d.signal(signal.SIGHUP)
        d.wait_for(lambda: ET.fromstring(d.body("/feed.atom")).find(ATOM + "title").text
                   == "Renamed Site", 5, "good config not applied")
        assert atom_titles(d) == ["First post"]


def test_corrupt_state_file_is_reported_and_rebuilt():
    d = Daemon(files=BASE)
    with open(d.settings["state_file"], "w") as f:
        f.write('{"entries": {"news/first.md": {"hash": ')
    with d:
        assert atom_titles(d) == ["First post"]
        log = d.read_log()
        assert "corrupt" in log and d.settings["state_file"] in log, log
    # (The `with` removed the folder; run again to check the rewritten file.)
    d = Daemon(files=BASE)
    with open(d.settings["state_file"], "w") as f:
        f.write("not json at all\n")
    try:
        d.start()
        assert atom_titles(d) == ["First post"]
        assert d.stop() == 0
        with open(d.settings["state_file"]) as f:
            state = json.load(f)
        assert isinstance(state.get("entries"), dict) and "news/first.md" in state["entries"], state
    finally:
        d.cleanup()


def test_dotfiles_and_editor_temp_files_are_ignored():
    with Daemon(files=BASE) as d:
        temps = {"news/.hidden.md": "Hidden post", "news/backup.md~": "Backup post",
                 "news/.first.md.swp": "Swap post", "news/draft.md.tmp": "Tmp post",
                 "news/#autosave.md#": "Autosave post", "news/4913": "Probe post",
                 ".dotdir/inside.md": "Dot folder post"}
        for rel, title in temps.items():
            d.write(rel, post(title))
        d.write("news/barrier.md", post("Barrier post"))
        wait_titles(d, ["First post", "Barrier post"])
        time.sleep(0.2)
        assert sorted(atom_titles(d)) == ["Barrier post", "First post"]
        assert sorted(f["path"] for f in d.status()["files"]) == ["news/barrier.md",
                                                                   "news/first.md"]
