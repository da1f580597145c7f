"""Pages that claim the same URL, alias or UID, files that vanish with their
folder, and links an organizer should not be able to plant."""
import os
import shutil

from harness import Daemon


def post(title, date, extra=""):
    return "---\ntitle: %s\ndate: %s\n%s---\nBody of %s.\n" % (title, date, extra, title)


ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
       "UID:gone-event@example.org\r\nDTSTAMP:20260101T120000Z\r\n"
       "DTSTART:20270101T100000Z\r\nDTEND:20270101T110000Z\r\nSUMMARY:Gone\r\n"
       "END:VEVENT\r\nEND:VCALENDAR\r\n")


def test_alias_takes_over_when_the_page_goes():
    files = {"news/old.md": post("Old page", "2026-01-01T00:00:00Z"),
             "news/new.md": post("New page", "2026-02-01T00:00:00Z",
                                 "aliases: [/news/old/]\n")}
    with Daemon(files=files) as d:
        assert b"Old page" in d.body("/news/old/")  # the real page wins
        d.remove("news/old.md")
        d.wait_for(lambda: d.get("/news/old/")[0] == 301, 5,
                   "the alias did not take over: %r" % (d.get("/news/old/")[0],))
        assert d.get("/news/old/")[1]["location"] == d.base + "/news/new/"


def test_two_files_one_url_smallest_path_wins_whatever_the_order():
    files = {"a.md": post("Flat file", "2026-01-01T00:00:00Z"),
             "a/index.md": post("Bundle", "2026-01-02T00:00:00Z")}
    with Daemon(files=files) as d:
        assert b"Flat file" in d.body("/a/")       # "a.md" < "a/index.md"
        d.write("a/index.md", post("Bundle edited", "2026-01-02T00:00:00Z"))
        d.wait_for(lambda: b"Bundle edited" in d.body("/feed.atom"), 5, "no rebuild")
        assert b"Flat file" in d.body("/a/")
        d.remove("a.md")
        d.wait_for(lambda: b"Bundle edited" in d.body("/a/"), 5,
                   "the other claimant did not take the URL")


def test_deleted_ics_file_withdraws_its_event_documents():
    with Daemon(files={"cal/x.ics": ICS}) as d:
        path = "/events/gone-event%40example.org.ics"
        assert d.get(path)[0] == 200
        d.remove("cal/x.ics")
        d.wait_for(lambda: d.get(path)[0] == 404, 5, "event document still served")


def test_duplicate_uid_does_not_bump_sequence_on_restart():
    ev = "events:\n  - title: Same\n    uid: same@example.org\n    start: 2027-01-01T10:00\n"
    files = {"a.md": post("A", "2026-01-01T00:00:00Z", ev),
             "b.md": post("B", "2026-01-02T00:00:00Z",
                          ev.replace("10:00", "12:00"))}
    with Daemon(files=files) as d:
        first = d.get("/calendar.ics")[1]["etag"]
        d.stop()
        d.start()
        d.stop()
        d.start()
        assert d.get("/calendar.ics")[1]["etag"] == first
        assert b"SEQUENCE:0" in d.body("/calendar.ics")
        assert b"SEQUENCE:1" not in d.body("/calendar.ics")


def test_content_folder_removed_keeps_last_documents():
    with Daemon(files={"a.md": post("Survivor", "2026-01-01T00:00:00Z")}) as d:
        saved = os.path.join(d.dir, "saved")
        shutil.copytree(d.content, saved)
        shutil.rmtree(d.content)
        import time
        time.sleep(0.5)
        assert b"Survivor" in d.body("/feed.atom")
        shutil.copytree(saved, d.content)
        d.write("b.md", post("After return", "2026-01-03T00:00:00Z"))
        d.wait_for(lambda: b"After return" in d.body("/feed.atom"), 10,
                   "not watching after the folder came back")


def test_javascript_urls_are_never_links():
    ev = ("events:\n  - title: Sneaky\n    start: 2030-01-01T10:00\n"
          "    url: \"javascript:alert(1)\"\n")
    with Daemon(files={"a.md": post("A", "2026-01-01T00:00:00Z", ev)}) as d:
        for path in ("/", "/a/", "/calendar.ics", "/feed.atom"):
            assert b"javascript:" not in d.body(path), path
        st = d.status()
        msgs = [m["message"] for f in st["files"] for m in f["messages"]]
        assert any("http:// or https://" in m for m in msgs), msgs


def test_if_modified_since_sees_a_removed_entry():
    files = {"n/a.md": post("Oldest", "2026-01-01T00:00:00Z"),
             "n/b.md": post("Middle", "2026-01-02T00:00:00Z"),
             "n/c.md": post("Newest", "2026-01-03T00:00:00Z")}
    with Daemon(files=files) as d:
        status, headers, _ = d.get("/feed.atom")
        since = headers["last-modified"]
        assert d.get("/feed.atom", {"If-Modified-Since": since})[0] == 304
        d.remove("n/a.md")
        d.wait_for(lambda: b"Oldest" not in d.body("/feed.atom"), 5, "not removed")
        status, headers, body = d.get("/feed.atom", {"If-Modified-Since": since})
        assert status == 200 and b"Oldest" not in body
        assert headers["last-modified"] != since


def test_nested_index_neither_entry_nor_section_title():
    files = {"talks/_index.md": "---\ntitle: Talks\n---\n",
             "talks/2026/_index.md": "---\ntitle: Talks of 2026\n---\n",
             "talks/2026/one.md": post("One", "2026-01-01T00:00:00Z")}
    with Daemon(files=files) as d:
        atom = d.body("/talks/feed.atom").decode()
        assert "<title>E2E Site: Talks</title>" in atom
        assert atom.count("<entry>") == 1
        d.remove("talks/2026/_index.md")
        d.write("talks/2026/two.md", post("Two", "2026-01-02T00:00:00Z"))
        d.wait_for(lambda: b"Two" in d.body("/talks/feed.atom"), 5, "no rebuild")
        assert b"<title>E2E Site: Talks</title>" in d.body("/talks/feed.atom")


def test_alias_naming_a_feed_never_replaces_it():
    files = {"other/post.md": post("Other post", "2026-01-01T00:00:00Z"),
             "news/p.md": post("Aliasing", "2026-01-02T00:00:00Z",
                               "aliases: [/other/feed.atom]\n")}
    with Daemon(files=files) as d:
        assert b"Other post" in d.body("/other/feed.atom")
        # an edit renders the page's aliases again: the feed stays
        d.write("news/p.md", post("Aliasing edited", "2026-01-02T00:00:00Z",
                                  "aliases: [/other/feed.atom]\n"))
        d.wait_for(lambda: b"Aliasing edited" in d.body("/feed.atom"), 5, "no rebuild")
        s, h, body = d.get("/other/feed.atom")
        assert s == 200 and b"Other post" in body, (s, h.get("location"))
