"""Least privilege: `user` drops root after binding, and `make install`
puts the binary, man page, configuration and sandboxed unit in place."""
import os
import pwd
import subprocess
import tempfile

from harness import ROOT, Daemon, Skip

POST = {"a.md": "---\ntitle: Only post\ndate: 2026-01-01T00:00:00Z\n---\nHi.\n"}


def proc_ids(pid):
    ids = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("Uid", "Gid"):
                ids[key] = [int(v) for v in value.split()]
    return ids


def unprivileged_user(name):
    """The user to drop to; Skip when this run cannot drop privileges."""
    if os.geteuid() != 0:
        raise Skip("not root: nothing to drop")
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise Skip("no user %r on this machine" % name) from None


def test_drops_to_configured_user():
    nobody = unprivileged_user("nobody")
    d = Daemon(files=POST, settings={"user": "nobody", "state_file": ""})
    os.chmod(d.dir, 0o755)
    os.chmod(d.content, 0o755)
    with d:
        ids = proc_ids(d.proc.pid)
        assert ids["Uid"] == [nobody.pw_uid] * 4, ids
        assert ids["Gid"] == [nobody.pw_gid] * 4, ids
        assert b"Only post" in d.body("/feed.atom")
        # still watching, as the unprivileged user
        d.write("b.md", "---\ntitle: Second\ndate: 2026-01-02T00:00:00Z\n---\n")
        d.wait_for(lambda: b"Second" in d.body("/feed.atom"), 5, "not rebuilt after the drop")


def test_unknown_user_is_refused():
    d = Daemon(files=POST, settings={"user": "no-such-user-crier"})
    conf = d.write_config()
    r = subprocess.run([os.environ.get("CRIER", os.path.join(ROOT, "build", "crier")),
                        "-c", conf], capture_output=True, timeout=30)
    d.cleanup()
    assert r.returncode == 1 and b"no-such-user-crier" in r.stderr


def test_make_install_into_destdir():
    with tempfile.TemporaryDirectory() as dest:
        r = subprocess.run(["make", "-s", "-C", ROOT, "install", "DESTDIR=" + dest,
                            "PREFIX=/usr"], capture_output=True, timeout=600)
        assert r.returncode == 0, r.stderr.decode()
        assert os.access(os.path.join(dest, "usr/bin/crier"), os.X_OK)
        assert os.path.exists(os.path.join(dest, "usr/share/man/man8/crier.8"))
        with open(os.path.join(dest, "etc/crier/crier.conf")) as f:
            conf = f.read()
        assert 'content_dir = "/srv/crier"' in conf
        assert 'state_file = "/var/lib/crier/state.json"' in conf
        with open(os.path.join(dest, "lib/systemd/system/crier.service")) as f:
            unit = f.read()
        assert "ExecStart=/usr/bin/crier -c /etc/crier/crier.conf" in unit
        for line in ("NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
                     "PrivateTmp=yes", "SystemCallFilter=@system-service",
                     "ReadOnlyPaths=/srv/crier", "ExecReload=/bin/kill -HUP $MAINPID",
                     "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX"):
            assert line in unit, line
        # the installed configuration is valid as it stands
        r = subprocess.run([os.path.join(dest, "usr/bin/crier"), "--check", "-c",
                            os.path.join(dest, "etc/crier/crier.conf"), "/nonexistent"],
                           capture_output=True, timeout=30)
        assert b"content folder is missing" in r.stderr, r.stderr
