"""Issue 16: identity bodies kept within body_cache_size (src/build/bodycache.c).

Once a document's gzip body is made its identity body is only cached: past
the budget the least recently asked are dropped, and one asked for again is
made again from the gzip body.  Checked on the wire, against /metrics and
/status:

- a dropped post page and a dropped per-event calendar, asked for again,
  are the same bytes with the same ETag, and cost exactly one render each;
  their gzip bodies inflate to those bytes;
- a conditional request and a HEAD for a dropped document are answered
  without making it (304 / the right Content-Length, no render counted);
- sixteen concurrent requests for the same dropped page, over two serving
  loops, make it once and all get the same bytes;
- the bodies held stay within the budget, /status and /metrics agree;
- with the budget off (0, after a reload) every document is the same bytes
  and ETag as under the small budget: replicas with other budgets agree.
"""
import gzip
import re
import signal

from harness import Daemon, SLOW

POSTS = 24
BUDGET = 24 * 1024      # room for a few pages of ~6 KB


def post(i):
    para = " ".join("word%d-%d" % (i, k) for k in range(120))
    event = ("events:\n  - title: Session %d\n    start: 2027-03-%02dT18:30\n"
             "    duration: 90m\n    location: Hall %d\n" % (i, i % 28 + 1, i)
             if i % 3 == 0 else "")
    return ("---\ntitle: \"Cached post %d\"\ndate: 2026-02-%02dT09:00:00Z\n"
            "tags: [cache, t%d]\n%s---\nMarker P%02d.\n\n%s\n\n%s\n"
            % (i, i % 28 + 1, i % 4, event, i, para, para.upper()))


FILES = {"notes/post-%02d.md" % i: post(i) for i in range(POSTS)}
PAGES = ["/notes/post-%02d/" % i for i in range(POSTS)]


def cache_metrics(d):
    text = d.body("/metrics").decode()
    return {m.group(1): int(m.group(2)) for m in re.finditer(
        r"^crier_cache_(\w+) (\d+)$", text, re.M)}


def fetch_all(d, paths):
    """{path: (etag, body)} fetched without gzip, in order."""
    out = {}
    for p in paths:
        status, h, body = d.get(p)
        assert status == 200, (p, status)
        assert "content-encoding" not in h
        out[p] = (h["etag"], body)
    return out


def event_calendars(d):
    """The per-event .ics paths the post pages link to."""
    paths = []
    for p in PAGES:
        paths += re.findall(r'href="[^"]*?(/events/[^"]+\.ics)"',
                            d.body(p).decode())
    assert paths, "no per-event calendar linked"
    return sorted(set(paths))


def evict(d, keep_out):
    """Asks for every other page until keep_out is dropped."""
    before = cache_metrics(d)["evictions_total"]
    for p in PAGES:
        if p != keep_out:
            d.get(p)
    assert cache_metrics(d)["evictions_total"] > before


def test_dropped_documents_come_back_identical_and_once():
    with Daemon(files=FILES, settings={"body_cache_size": BUDGET,
                                       "workers": 2}) as d:
        first = fetch_all(d, PAGES)
        ics = event_calendars(d)
        first.update(fetch_all(d, ics))
        m = cache_metrics(d)
        assert m["budget_bytes"] == BUDGET
        assert m["evictions_total"] > 0
        assert 0 < m["bytes"] <= BUDGET, m

        target = PAGES[0]
        for p in [target] + ics[:1]:
            evict(d, p)
            renders = cache_metrics(d)["renders_total"]
            status, h, body = d.get(p)
            assert status == 200
            assert (h["etag"], body) == first[p], p
            assert cache_metrics(d)["renders_total"] == renders + 1
            # The gzip body it was made from is the same bytes.
            status, hz, gz = d.get(p, {"Accept-Encoding": "gzip"})
            assert hz["content-encoding"] == "gzip"
            assert hz["etag"] == h["etag"][:-1] + '-gz"'
            assert gzip.decompress(gz) == body

        # 304 and HEAD for a dropped document: no render.
        evict(d, target)
        etag = first[target][0]
        renders = cache_metrics(d)["renders_total"]
        status, _, body = d.get(target, {"If-None-Match": etag})
        assert (status, body) == (304, b"")
        status, h, body = d.request("HEAD", target)
        assert status == 200 and body == b""
        assert int(h["content-length"]) == len(first[target][1])
        assert h["etag"] == etag
        assert cache_metrics(d)["renders_total"] == renders

        # Concurrent requests for the dropped page make it once.
        results = d.get_at_once(target, n=16)
        assert set(results) == {(200, None, etag, first[target][1])}
        assert cache_metrics(d)["renders_total"] == renders + 1

        # /status tells the same as /metrics.
        st = d.status()["body_cache"]
        m = cache_metrics(d)
        assert st["budget"] == BUDGET
        assert st["evictions"] == m["evictions_total"]
        assert st["renders"] == m["renders_total"]
        assert st["bytes"] == m["bytes"] <= BUDGET
        assert st["pinned_bytes"] == m["pinned_bytes"] == 0

        # The budget off: nothing is dropped, and every document is the
        # same bytes and ETag as under the small budget.
        d.settings["body_cache_size"] = 0
        d.write_config()
        rebuilds = d.status()["rebuilds"]["count"]
        d.signal(signal.SIGHUP)
        d.wait_for(lambda: d.status()["rebuilds"]["count"] > rebuilds and
                   d.status()["counts"]["gzip_pending"] == 0, 10,
                   "no rebuild after the reload")
        evictions = cache_metrics(d)["evictions_total"]
        again = fetch_all(d, PAGES + ics)
        assert again == first
        m = cache_metrics(d)
        assert m["budget_bytes"] == 0
        assert m["evictions_total"] == evictions
        assert m["bytes"] >= sum(len(b) for _, b in first.values())


def vevents(ics):
    return re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", ics, re.S)


def gzip_on_request(d):
    m = re.search(r"^crier_gzip_on_request_total (\d+)$",
                  d.body("/metrics").decode(), re.M)
    assert m, "no crier_gzip_on_request_total"
    return int(m.group(1))


def test_tag_calendar_compressed_when_asked_reads_like_the_site_calendar():
    """A tag's calendar large enough to be a rope is joins of the
    VEVENTs the site calendar shows (piece.h), compressed only when a
    client asks for gzip: an identity GET and a 304 compress nothing, the
    first gzip GET once; every VEVENT byte for byte the site calendar's,
    parsed by python-icalendar, the gzip body inflating to the identity
    bytes, the same ETag after being dropped and made again; after an
    edit, the same again for the new version."""
    from icalendar import Calendar

    def meetup(i, note):
        return ("---\ntitle: \"Meetup %d\"\ndate: 2026-01-%02dT09:00:00Z\n"
                "tags: [%s]\nevents:\n  - title: Evening %d\n"
                "    start: 2027-%02d-%02dT19:00\n    duration: 2h\n"
                "    location: Room %d, Riverside Library\n"
                "    description: %s\n---\nBody %d.\n"
                % (i, i % 28 + 1, "big, odd" if i % 2 else "big", i,
                   i % 12 + 1, i % 28 + 1, i, note * 40, i))

    files = {"meet/m%02d.md" % i: meetup(i, "notes ") for i in range(60)}
    with Daemon(files=files, settings={"body_cache_size": 4096}) as d:
        made = gzip_on_request(d)
        site = d.body("/calendar.ics")
        status, h, tag = d.get("/tags/big/calendar.ics")
        assert status == 200 and len(tag) > 16 * 1024
        site_events = set(vevents(site))
        tag_events = vevents(tag)
        assert len(tag_events) == 60
        assert set(tag_events) <= site_events
        cal = Calendar.from_ical(tag)
        assert len(cal.walk("VEVENT")) == 60
        assert gzip_on_request(d) == made, "identity compressed it"
        gz_tag = h["etag"][:-1] + '-gz"'
        status, _, _ = d.get("/tags/big/calendar.ics",
                             {"Accept-Encoding": "gzip",
                              "If-None-Match": gz_tag})
        assert status == 304
        assert gzip_on_request(d) == made, "a 304 compressed it"
        status, hz, gz = d.get("/tags/big/calendar.ics",
                               {"Accept-Encoding": "gzip"})
        assert hz.get("content-encoding") == "gzip"
        assert hz["etag"] == gz_tag
        assert gzip.decompress(gz) == tag
        assert gzip_on_request(d) == made + 1
        status, _, gz2 = d.get("/tags/big/calendar.ics",
                               {"Accept-Encoding": "gzip"})
        assert gz2 == gz and gzip_on_request(d) == made + 1
        # Dropped (the budget holds less than one) and made again.
        d.get("/tags/odd/calendar.ics")
        renders = cache_metrics(d)["renders_total"]
        status, h2, again = d.get("/tags/big/calendar.ics")
        assert (h2["etag"], again) == (h["etag"], tag)
        assert cache_metrics(d)["renders_total"] == renders + 1
        # A 304 needs no body.
        status, _, _ = d.get("/tags/big/calendar.ics",
                             {"If-None-Match": h["etag"]})
        assert status == 304
        assert cache_metrics(d)["renders_total"] == renders + 1

        # An edit: a new version, its chunks partly the old ones.
        d.write("meet/m30.md", meetup(30, "changed "))
        d.wait_for(lambda: b"changed changed" in
                   d.body("/tags/big/calendar.ics"), SLOW,
                   "the edit never reached the tag calendar")
        site = d.body("/calendar.ics")
        status, h3, tag3 = d.get("/tags/big/calendar.ics")
        assert h3["etag"] != h["etag"]
        assert set(vevents(tag3)) <= set(vevents(site))
        assert len(Calendar.from_ical(tag3).walk("VEVENT")) == 60
        status, hz3, gz3 = d.get("/tags/big/calendar.ics",
                                 {"Accept-Encoding": "gzip"})
        assert hz3.get("content-encoding") == "gzip"
        assert gzip.decompress(gz3) == tag3


def test_pages_and_event_calendars_rendered_only_when_asked():
    """Post pages and events' own calendars keep no bytes
    (document_render_on_request): none is rendered until a client asks
    for it, a gzip request renders it once and makes its gzip body from
    that, a HEAD makes it too, and a reload's new settings and an edit
    give new bytes (the page held by reference, the settings copied),
    never the old ones under a new ETag."""
    with Daemon(files=FILES, settings={"workers": 2}) as d:
        d.body("/")
        d.body("/feed.atom")
        assert cache_metrics(d)["renders_total"] == 0
        made = gzip_on_request(d)

        page = PAGES[1]
        status, hz, gz = d.get(page, {"Accept-Encoding": "gzip"})
        assert status == 200 and hz["content-encoding"] == "gzip"
        assert b"Marker P01." in gzip.decompress(gz)
        assert cache_metrics(d)["renders_total"] == 1
        assert gzip_on_request(d) == made + 1
        status, h, body = d.get(page)
        assert body == gzip.decompress(gz)
        assert h["etag"] == hz["etag"].replace("-gz", "")
        assert cache_metrics(d)["renders_total"] == 1   # cached

        ics = event_calendars(d)[0]     # reads every page
        renders = cache_metrics(d)["renders_total"]
        assert renders == len(PAGES)
        status, hh, _ = d.request("HEAD", ics, {"Accept-Encoding": "gzip"})
        assert status == 200 and hh["content-encoding"] == "gzip"
        assert cache_metrics(d)["renders_total"] == renders + 1
        status, hz2, gz2 = d.get(ics, {"Accept-Encoding": "gzip"})
        assert int(hh["content-length"]) == len(gz2)
        assert b"BEGIN:VEVENT" in gzip.decompress(gz2)
        assert cache_metrics(d)["renders_total"] == renders + 1

        # New settings: new bytes and a new ETag.
        d.settings["title"] = "Renamed Site"
        d.write_config()
        rebuilds = d.status()["rebuilds"]["count"]
        d.signal(signal.SIGHUP)
        d.wait_for(lambda: d.status()["rebuilds"]["count"] > rebuilds, 10,
                   "no rebuild after the reload")
        status, h2, body2 = d.get(page)
        assert b"Renamed Site" in body2 and h2["etag"] != h["etag"]

        # An edit: the new page's bytes.
        d.write("notes/post-01.md", post(1).replace("Marker P01.",
                                                      "Marker Q01."))
        d.wait_for(lambda: b"Marker Q01." in d.body(page), 10 * SLOW,
                   "the edit never reached the page")
        status, h3, gz3 = d.get(page, {"Accept-Encoding": "gzip"})
        assert b"Marker Q01." in gzip.decompress(gz3)
        assert h3["etag"] != hz["etag"]
