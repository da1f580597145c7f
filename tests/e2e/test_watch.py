"""End-to-end tests of how crier reads changes (issue 13): with the shipped
defaults (no debounce) a change is rebuilt when inotify says the file is
complete, never half-written, and each way editors and tools save a file
ends as one rebuild of its final state.  Rebuilds are counted from /status;
nothing here measures time (change -> served latency is in bench/)."""
import os
import time

from harness import SLOW, Daemon
from test_live import atom_titles, file_status, post, wait_titles

BASE = {"news/first.md": post("First post", "2026-01-01T09:00:00Z")}


def rebuilds(d):
    return d.status()["rebuilds"]["count"]


def settled_rebuilds(d, before):
    """Rebuilds since `before`, once no more come for a while (a late extra
    rebuild would show here)."""
    last = rebuilds(d)
    while True:
        time.sleep(0.3 * SLOW)
        now = rebuilds(d)
        if now == last:
            return now - before
        last = now


def test_writer_in_several_writes_is_read_once_when_closed():
    """A file written in pieces with pauses is never parsed half-written
    (its first piece alone is broken YAML): no error ever shows, and the
    close gives exactly one rebuild."""
    text = post("Written slowly", "2026-02-01T10:00:00Z", "Body text.\n" * 50)
    pieces = [text[:12], text[12:40], text[40:]]
    with Daemon(files=BASE) as d:
        wait_titles(d, ["First post"])
        before = rebuilds(d)
        fd = os.open(d.path("news/slow.md"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        try:
            for piece in pieces:
                os.write(fd, piece.encode())
                time.sleep(0.25)
                st = file_status(d, "news/slow.md")
                assert st is None, "read while still open: %r" % st
                assert rebuilds(d) == before
        finally:
            os.close(fd)
        wait_titles(d, ["First post", "Written slowly"])
        assert settled_rebuilds(d, before) == 1
        assert d.status()["counts"]["errors"] == 0


def test_writer_that_never_closes_is_still_picked_up():
    with Daemon(files=BASE) as d:
        wait_titles(d, ["First post"])
        fd = os.open(d.path("news/open.md"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        try:
            os.write(fd, post("Left open", "2026-02-02T10:00:00Z").encode())
            wait_titles(d, ["First post", "Left open"], timeout=10)
        finally:
            os.close(fd)


def test_in_place_rewrite_is_one_rebuild():
    with Daemon(files=BASE) as d:
        wait_titles(d, ["First post"])
        before = rebuilds(d)
        d.write("news/first.md", post("First post, edited", "2026-01-01T09:00:00Z"))
        wait_titles(d, ["First post, edited"])
        assert settled_rebuilds(d, before) == 1


def test_temp_file_and_rename_is_one_rebuild():
    with Daemon(files=BASE) as d:
        wait_titles(d, ["First post"])
        before = rebuilds(d)
        d.write_like_editor("news/first.md", post("Saved by an editor", "2026-01-01T09:00:00Z"))
        wait_titles(d, ["Saved by an editor"])
        assert settled_rebuilds(d, before) == 1


def test_delete_then_create_is_one_rebuild():
    """rm + write of the same name: the post never leaves the feed in a
    rebuild of its own; one rebuild of the final state."""
    with Daemon(files=BASE) as d:
        wait_titles(d, ["First post"])
        before = rebuilds(d)
        d.remove("news/first.md")
        d.write("news/first.md", post("Recreated", "2026-01-01T09:00:00Z"))
        wait_titles(d, ["Recreated"])
        assert settled_rebuilds(d, before) == 1
        assert file_status(d, "news/first.md")["state"] == "ok"


def test_backup_rename_then_write_is_one_rebuild():
    """vim's default save: the file is renamed to a backup, a new file is
    written under the name, the backup removed."""
    with Daemon(files=BASE) as d:
        wait_titles(d, ["First post"])
        before = rebuilds(d)
        d.rename("news/first.md", "news/first.md~")
        fd = os.open(d.path("news/first.md"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.write(fd, b"---\ntitle: \"Saved by vim\"\n")
        time.sleep(0.1)
        os.write(fd, b"date: 2026-01-01T09:00:00Z\n---\n\nText.\n")
        os.close(fd)
        d.remove("news/first.md~")
        wait_titles(d, ["Saved by vim"])
        assert settled_rebuilds(d, before) == 1


def test_deletion_alone_is_applied():
    with Daemon(files=dict(BASE, **{"news/two.md": post("Second", "2026-01-02T09:00:00Z")})) as d:
        wait_titles(d, ["First post", "Second"])
        before = rebuilds(d)
        d.remove("news/two.md")
        wait_titles(d, ["First post"])
        assert settled_rebuilds(d, before) == 1


def test_checkout_of_many_files_never_parses_a_half_file():
    """200 files each rewritten in two write() calls, git-checkout style
    (unlink, create, write, write, close): a handful of rebuilds, no error
    from a half-written file ever recorded, every final title served."""
    files = dict(BASE)
    for i in range(200):
        files["news/p%03d.md" % i] = post("Old %03d" % i, "2025-06-01T10:%02d:00Z" % (i % 60))
    with Daemon(files=files, settings={"feed_entries": "500"}) as d:
        d.wait_for(lambda: d.status()["counts"]["entries"] == 201, 10)
        before = rebuilds(d)
        for i in range(200):
            p = d.path("news/p%03d.md" % i)
            os.remove(p)
            text = post("New %03d" % i, "2025-06-01T10:%02d:00Z" % (i % 60)).encode()
            fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            os.write(fd, text[:9])     # "---\ntitle": broken alone
            os.write(fd, text[9:])
            os.close(fd)
        want = {"First post"} | {"New %03d" % i for i in range(200)}
        d.wait_for(lambda: set(atom_titles(d)) == want, 20,
                   "not every file arrived")
        n = settled_rebuilds(d, before)
        assert 1 <= n <= (10 if SLOW == 1 else 50), "%d rebuilds" % n
        assert d.status()["counts"]["errors"] == 0
        assert "error" not in d.read_log().split("listening", 1)[-1].lower()
