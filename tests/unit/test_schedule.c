/*
 * test_schedule.c -- schedule lines in post bodies: the written forms,
 * the sections around them, the warnings about them, and anchors.
 *
 * The fixtures are written here in the shape of real meetup posts (a
 * table of dates, a heading per talk, bold labels); none is copied.
 */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdtext.h"
#include "schedule.h"
#include "utf8.h"
#include "util.h"

struct run {
	struct schedule	s;
	struct diags	d;
};

static void
run(struct run *r, const char *body, int first_line, int year)
{
	diags_init(&r->d);
	schedule_extract(body, strlen(body), first_line, year, &r->s, &r->d);
}

static void
done(struct run *r)
{
	schedule_free(&r->s);
	diags_free(&r->d);
	assert_null(r->s.items);
	assert_int_equal(r->s.nitems, 0);
}

/* "2020-05-06 19:00", so failures print what was found. */
static void
assert_dt(const struct datetime *dt, const char *want)
{
	char got[64];

	snprintf(got, sizeof got, "%04d-%02d-%02d %02d:%02d", dt->year,
	    dt->month, dt->day, dt->hour, dt->minute);
	assert_string_equal(got, want);
	assert_int_equal(dt->has_time, 1);
	assert_int_equal(dt->has_offset, 0);
	assert_int_equal(dt->second, 0);
}

static void
assert_item(const struct schedule_item *it, const char *start,
    const char *end, int line)
{
	assert_dt(&it->start, start);
	assert_dt(&it->end, end);
	assert_int_equal(it->line, line);
}

/* A body of one line gives one event, without a word of warning. */
static void
one(const char *line, int year, const char *start, const char *end)
{
	struct run r;

	run(&r, line, 1, year);
	if (r.s.nitems != 1 || r.d.n != 0)
		print_error("line: %s\n", line);
	assert_int_equal(r.d.n, 0);
	assert_int_equal(r.s.nitems, 1);
	assert_item(&r.s.items[0], start, end, 1);
	done(&r);
}

/* A body of one line gives no event and no warning. */
static void
none(const char *line)
{
	struct run r;

	run(&r, line, 1, 2020);
	if (r.s.nitems != 0 || r.d.n != 0)
		print_error("line: %s\n", line);
	assert_int_equal(r.s.nitems, 0);
	assert_int_equal(r.d.n, 0);
	done(&r);
}

/* A body of one line gives no event and exactly this warning. */
static void
warns(const char *line, const char *message)
{
	struct run r;

	run(&r, line, 7, 2020);
	assert_int_equal(r.s.nitems, 0);
	assert_int_equal(r.d.n, 1);
	assert_int_equal(r.d.v[0].level, DIAG_WARNING);
	assert_int_equal(r.d.v[0].line, 7);
	assert_string_equal(r.d.v[0].message, message);
	done(&r);
}

static void
test_anchorize(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "Apache SkyWalking 在 Service Mesh 中的可观察性应用",
		  "apache-skywalking-在-service-mesh-中的可观察性应用" },
		{ "Hello, World!", "hello-world" },
		{ "C++ & Go", "c--go" },
		{ "What's new in v2.0?", "whats-new-in-v20" },
		{ "snake_case and-dash", "snake_case-and-dash" },
		{ "陌陌的 Service Mesh 实践（上）", "陌陌的-service-mesh-实践上" },
		{ "第 1 期：开场、致辞", "第-1-期开场致辞" },
		{ "「引号」与《书名》", "引号与书名" },
		{ "Café Ünïcode", "café-ünïcode" },
		{ "Emoji 🎉 time", "emoji--time" },
		{ "a — b", "a--b" },
		{ "ＦＵＬＬ width", "ｆｕｌｌ-width" },
		{ "", "section" },
		{ "!!! ???", "-" },
		{ "!?.", "section" },
		{ "bad \xff byte", "bad--byte" },
	};
	size_t i;
	char *a;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		a = mdtext_anchor(cases[i].in);
		assert_string_equal(a, cases[i].out);
		free(a);
	}
	a = mdtext_anchor(NULL);
	assert_string_equal(a, "section");
	free(a);
}

static void
test_cjk_forms(void **state)
{
	(void)state;
	one("- **时间：**2020/5/6（周三） 19:00-20:00", 1999,
	    "2020-05-06 19:00", "2020-05-06 20:00");
	one("**时间**：2020-05-06 19:00-20:00", 1999,
	    "2020-05-06 19:00", "2020-05-06 20:00");
	one("时间: 2020.5.6 19:00-20:00", 1999,
	    "2020-05-06 19:00", "2020-05-06 20:00");
	one("日期：2020年5月6日 周三 19:30 - 21:00", 1999,
	    "2020-05-06 19:30", "2020-05-06 21:00");
	one("* 时间：2020 年 5 月 6 日（星期三）19:00—20:00", 1999,
	    "2020-05-06 19:00", "2020-05-06 20:00");
	one("1. **活动时间：** 5月6日(周三) 14:00~17:30", 2020,
	    "2020-05-06 14:00", "2020-05-06 17:30");
	one("> 时间：5 月 6 日 礼拜三 9:00 至 12:00", 2020,
	    "2020-05-06 09:00", "2020-05-06 12:00");
	one("时间：2020年5月6日（周三）晚上 7:00-9:00", 1999,
	    "2020-05-06 19:00", "2020-05-06 21:00");
	one("时间：2020年5月6日 下午2点到5点半", 1999,
	    "2020-05-06 14:00", "2020-05-06 17:30");
	one("时间：2020年5月6日 中午 12:00-1:30", 1999,
	    "2020-05-06 12:00", "2020-05-06 13:30");
	one("时间：5月6号 19点30分-21点", 2020,
	    "2020-05-06 19:30", "2020-05-06 21:00");
	one("时间：2020/5/6 19：00-20：00", 1999,
	    "2020-05-06 19:00", "2020-05-06 20:00");
	one("时间：2020/5/6 19:00:00-20:00:00", 1999,
	    "2020-05-06 19:00", "2020-05-06 20:00");
	one("时间：2020/5/6 `19:00-20:00`", 1999,
	    "2020-05-06 19:00", "2020-05-06 20:00");
}

static void
test_english_forms(void **state)
{
	(void)state;
	one("**Time**: May 6, 2020 19:00-20:00", 1999,
	    "2020-05-06 19:00", "2020-05-06 20:00");
	one("**When:** Wed, May 6, 2020, 7:00pm-8:30pm", 1999,
	    "2020-05-06 19:00", "2020-05-06 20:30");
	one("When: 6 May 2020 (Wednesday) 7pm - 9pm", 1999,
	    "2020-05-06 19:00", "2020-05-06 21:00");
	one("- date: may 6 from 10:00 to 11:30", 2020,
	    "2020-05-06 10:00", "2020-05-06 11:30");
	one("DATE: SEPT 6TH, 2021 AT 9AM-5PM", 1999,
	    "2021-09-06 09:00", "2021-09-06 17:00");
	one("Date and time: Wednesday, 6th of May 2020, 7-9pm", 1999,
	    "2020-05-06 19:00", "2020-05-06 21:00");
	one("When: Sep. 6, 2021 (Mon.) 11-1pm", 1999,
	    "2021-09-06 11:00", "2021-09-06 13:00");
	one("When: February 29, 2024 11:30am - 12:30pm", 1999,
	    "2024-02-29 11:30", "2024-02-29 12:30");
	one("When: Feb 29, 2024 9 a.m. to 10:15 a.m.", 1999,
	    "2024-02-29 09:00", "2024-02-29 10:15");
	one("When: Thursday Feb 29 2024 12pm-2pm", 1999,
	    "2024-02-29 12:00", "2024-02-29 14:00");
	one("*When*: Thurs. Feb 29, 2024 @ 10pm - 2am", 1999,
	    "2024-02-29 22:00", "2024-03-01 02:00");
}

static void
test_separators(void **state)
{
	static const char *seps[] = {
		"-", " - ", "\xe2\x80\x93", " \xe2\x80\x93 ", "\xe2\x80\x94",
		"——", "~", " ~ ", "\xef\xbd\x9e", "\xe3\x80\x9c", "－", "至",
		" 至 ", "到", " to ", " until ", "--",
	};
	char line[128];
	size_t i;

	(void)state;
	for (i = 0; i < nitems(seps); i++) {
		snprintf(line, sizeof line, "时间：2020/5/6 19:00%s20:15",
		    seps[i]);
		one(line, 1999, "2020-05-06 19:00", "2020-05-06 20:15");
		snprintf(line, sizeof line, "When: May 6, 2020 7pm%s8:15pm",
		    seps[i]);
		one(line, 1999, "2020-05-06 19:00", "2020-05-06 20:15");
	}
	/* Two times with no range between them: said, not guessed. */
	warns("时间：2020/5/6 19:00 / 20:00",
	    "schedule: cannot read a time in \"19:00 / 20:00\"");
	warns("时间：2020/5/6 19:00, 20:00",
	    "schedule: cannot read a time in \"19:00, 20:00\"");
}

static void
test_default_year(void **state)
{
	(void)state;
	one("时间：5月6日（周三）19:00-20:00", 2020,
	    "2020-05-06 19:00", "2020-05-06 20:00");
	one("时间：5 月 7 日 19:00-20:00", 2031,
	    "2031-05-07 19:00", "2031-05-07 20:00");
	one("When: May 6 7pm-8pm", 2020,
	    "2020-05-06 19:00", "2020-05-06 20:00");
	one("When: 6 May, 19:00-20:00", 2020,
	    "2020-05-06 19:00", "2020-05-06 20:00");
	/* A written year wins over the default. */
	one("When: May 6, 2019 19:00-20:00", 2020,
	    "2019-05-06 19:00", "2019-05-06 20:00");
}

static void
test_weekday_forms(void **state)
{
	static const char *forms[] = {
		"（周三）", "(周三)", "（星期三）", "(星期三)", "礼拜三",
		"周三", "(Wed)", "(Wednesday)", "( wed )", "Wed,", "WEDNESDAY",
	};
	static const char *sunday[] = {
		"周日", "周天", "星期日", "星期天", "礼拜天", "(Sun)",
		"(Sunday)",
	};
	char line[128];
	size_t i;

	(void)state;
	for (i = 0; i < nitems(forms); i++) {
		snprintf(line, sizeof line, "时间：2020/5/6 %s 19:00-20:00",
		    forms[i]);
		one(line, 1999, "2020-05-06 19:00", "2020-05-06 20:00");
	}
	for (i = 0; i < nitems(sunday); i++) {
		snprintf(line, sizeof line, "时间：2020/5/10%s19:00-20:00",
		    sunday[i]);
		one(line, 1999, "2020-05-10 19:00", "2020-05-10 20:00");
	}
	one("When: Wed, May 6, 2020, 19:00-20:00", 1999,
	    "2020-05-06 19:00", "2020-05-06 20:00");
	one("时间：周三 5月6日 19:00-20:00", 2020,
	    "2020-05-06 19:00", "2020-05-06 20:00");
}

static void
test_weekday_mismatch(void **state)
{
	struct run r;

	(void)state;
	run(&r, "intro\n\n### Talk\n\n- **时间：**2020/5/7（周三） 19:00-20:00\n",
	    40, 1999);
	assert_int_equal(r.s.nitems, 1);
	assert_item(&r.s.items[0], "2020-05-07 19:00", "2020-05-07 20:00", 44);
	assert_int_equal(r.d.n, 1);
	assert_int_equal(r.d.v[0].level, DIAG_WARNING);
	assert_int_equal(r.d.v[0].line, 44);
	assert_string_equal(r.d.v[0].message, "schedule: 2020/5/7 is a "
	    "Thursday, but the text says 周三 (Wednesday); the nearest Wednesday "
	    "is 2020-05-06");
	done(&r);

	run(&r, "When: Wed, May 7, 2020, 7pm-8pm", 3, 1999);
	assert_int_equal(r.s.nitems, 1);
	assert_int_equal(r.d.n, 1);
	assert_int_equal(r.d.v[0].line, 3);
	assert_string_equal(r.d.v[0].message, "schedule: May 7, 2020 is a "
	    "Thursday, but the text says Wed (Wednesday); the nearest Wednesday "
	    "is 2020-05-06");
	done(&r);

	run(&r, "When: May 7 (wednesday) 7pm-8pm", 3, 2020);
	assert_int_equal(r.s.nitems, 1);
	assert_int_equal(r.d.n, 1);
	assert_string_equal(r.d.v[0].message, "schedule: May 7 (in 2020) is "
	    "a Thursday, but the text says wednesday; the nearest Wednesday is "
	    "2020-05-06");
	done(&r);

	/* The nearest such day may be in another month or year. */
	run(&r, "时间：2021/1/1（周二）9:00-10:00\n时间：2020/12/30（周六）"
	    "9:00-10:00", 1, 1999);
	assert_int_equal(r.s.nitems, 2);
	assert_int_equal(r.d.n, 2);
	assert_string_equal(r.d.v[0].message, "schedule: 2021/1/1 is a "
	    "Friday, but the text says 周二 (Tuesday); the nearest Tuesday is "
	    "2020-12-29");
	assert_int_equal(r.d.v[1].line, 2);
	assert_string_equal(r.d.v[1].message, "schedule: 2020/12/30 is a "
	    "Wednesday, but the text says 周六 (Saturday); the nearest "
	    "Saturday is 2021-01-02");
	done(&r);

	/* The same weekday is right in another year. */
	run(&r, "时间：5月6日（周三）19:00-20:00", 1, 2021);
	assert_int_equal(r.s.nitems, 1);
	assert_int_equal(r.d.n, 1);
	assert_string_equal(r.d.v[0].message, "schedule: 5月6日 (in 2021) is "
	    "a Thursday, but the text says 周三 (Wednesday); the nearest "
	    "Wednesday is 2021-05-05");
	done(&r);
}

static void
test_invalid_date(void **state)
{
	(void)state;
	warns("时间：2020/2/30 19:00-20:00",
	    "schedule: 2020/2/30 is not a valid date");
	warns("- **时间：**2021年2月29日（周一） 19:00-20:00",
	    "schedule: 2021年2月29日 is not a valid date");
	warns("When: 2020/13/1 7pm-8pm",
	    "schedule: 2020/13/1 is not a valid date");
	warns("When: April 31 7pm-8pm",
	    "schedule: April 31 (in 2020) is not a valid date");
	warns("时间：5月0日 19:00-20:00",
	    "schedule: 5月0日 (in 2020) is not a valid date");
	/* 2020 is a leap year: the default year decides. */
	one("时间：2月29日 19:00-20:00", 2020,
	    "2020-02-29 19:00", "2020-02-29 20:00");
}

static void
test_invalid_time(void **state)
{
	(void)state;
	warns("时间：2020/5/6 19:00-25:00",
	    "schedule: 25:00 is not a valid time of day");
	warns("时间：2020/5/6 24:00-25:00",
	    "schedule: 24:00 is not a valid time of day");
	warns("时间：2020/5/6 19:60-20:00",
	    "schedule: 19:60 is not a valid time of day");
	warns("When: May 6, 2020 13pm-2pm",
	    "schedule: 13pm is not a valid time of day");
}

static void
test_not_events(void **state)
{
	(void)state;
	/* A date alone, or with words after it: perhaps a time line next. */
	none("时间：2020/5/6（周三）");
	none("When: May 6, 2020");
	none("日期：2020年7月22日 第 3 期");
	none("时间：");
	/* No label, a wrong label, or no colon. */
	none("2020/5/6 19:00-20:00");
	none("本期于 2020/5/6 19:00-20:00 直播");
	none("Timeline: May 6, 2020 7pm-8pm");
	none("Whenever: May 6, 2020 7pm-8pm");
	none("Time May 6, 2020 7pm-8pm");
	none("# 时间：2020/5/6 19:00-20:00");
	/* Table rows, with or without times. */
	none("| 时间：2020/5/6 19:00-20:00 | 主题 |");
	none("| 5 月 6 日  | 第一讲 |");
	none("|时间|2020/5/6 19:00-20:00|");
	/* Not even a body. */
	none("");
}

static void
test_code_fences(void **state)
{
	struct run r;
	const char *body =
	    "## Real\n"					/* 10 */
	    "```markdown\n"
	    "## Fake heading\n"
	    "时间：2020/5/6 19:00-20:00\n"
	    "````\n"					/* longer: closes */
	    "时间：2020/5/7 19:00-20:00\n"		/* 15 */
	    "~~~\n"
	    "When: May 8, 2020 7pm-8pm\n"
	    "```\n"					/* other char: no */
	    "When: May 9, 2020 7pm-8pm\n"
	    "~~~\n"					/* 20 */
	    "- ```\n"
	    "  time: 2020/5/10 19:00-20:00\n"
	    "  ```\n"
	    "  time: 2020/5/11 19:00-20:00\n";

	(void)state;
	run(&r, body, 10, 1999);
	assert_int_equal(r.d.n, 0);
	assert_int_equal(r.s.nitems, 2);
	assert_item(&r.s.items[0], "2020-05-07 19:00", "2020-05-07 20:00", 15);
	assert_item(&r.s.items[1], "2020-05-11 19:00", "2020-05-11 20:00", 24);
	/* The fenced heading is no heading. */
	assert_string_equal(r.s.items[0].title, "Real");
	assert_string_equal(r.s.items[1].anchor, "real");
	done(&r);

	/* A fence never closed hides the rest of the body. */
	run(&r, "```\n时间：2020/5/7 19:00-20:00\n", 1, 1999);
	assert_int_equal(r.s.nitems, 0);
	done(&r);
}

static void
test_sections(void **state)
{
	struct run r;
	const char *body =
	    "Intro text.\n"				/* 1 */
	    "\n"
	    "## Day one {#day-1}\n"
	    "\n"
	    "### **Opening** `keynote` with [Ann](https://ann.example/)\n"
	    "\n"
	    "- **When:** May 6, 2020 9:00-10:00\n"	/* 7 */
	    "- **Where:** [Hall A](https://venue.example/a), 2F\n"
	    "- *Speaker*: Ann, who writes `snake_case` and __bold__.\n"
	    "\n"
	    "A second paragraph &amp; more.\n"
	    "\n"
	    "#### Q&A\n"
	    "\n"
	    "Questions ![photo](q.png) welcome.\n"	/* 15 */
	    "\n"
	    "### Opening keynote with Ann ###\n"
	    "\n"
	    "地点：二号厅\n"
	    "时间：2020/5/6 11:00-12:00\n"		/* 20 */
	    "\n"
	    "### Opening keynote with Ann\n"
	    "时间：2020/5/6 13:00-14:00\n"
	    "\n"
	    "## 第二天：圆桌\n"				/* 25 */
	    "- 时间：2020/5/7 9:00-10:00\n"
	    "- **地点：**  \n"
	    "---\n"
	    "Venue: Room 3 <br> east wing\n";

	(void)state;
	run(&r, body, 1, 1999);
	assert_int_equal(r.d.n, 0);
	assert_int_equal(r.s.nitems, 4);

	assert_item(&r.s.items[0], "2020-05-06 09:00", "2020-05-06 10:00", 7);
	assert_string_equal(r.s.items[0].title, "Opening keynote with Ann");
	/* Hugo 0.111 anchors the heading as written: the link's URL too. */
	assert_string_equal(r.s.items[0].anchor,
	    "opening-keynote-with-annhttpsannexample");
	assert_string_equal(r.s.items[0].location,
	    "Hall A (https://venue.example/a), 2F");
	assert_string_equal(r.s.items[0].description,
	    "When: May 6, 2020 9:00-10:00\n"
	    "Where: Hall A (https://venue.example/a), 2F\n"
	    "Speaker: Ann, who writes snake_case and bold.\n"
	    "\n"
	    "A second paragraph & more.\n"
	    "\n"
	    "Q&A\n"
	    "\n"
	    "Questions photo welcome.");

	/* Same heading text: Hugo's "-1", "-2". */
	assert_item(&r.s.items[1], "2020-05-06 11:00", "2020-05-06 12:00", 20);
	assert_string_equal(r.s.items[1].title, "Opening keynote with Ann");
	assert_string_equal(r.s.items[1].anchor, "opening-keynote-with-ann");
	assert_string_equal(r.s.items[1].location, "二号厅");
	assert_string_equal(r.s.items[1].description,
	    "地点：二号厅\n时间：2020/5/6 11:00-12:00");

	assert_string_equal(r.s.items[2].anchor, "opening-keynote-with-ann-1");
	assert_null(r.s.items[2].location);
	assert_string_equal(r.s.items[2].description,
	    "时间：2020/5/6 13:00-14:00");

	/* An empty 地点 is skipped for the next place line. */
	assert_item(&r.s.items[3], "2020-05-07 09:00", "2020-05-07 10:00", 26);
	assert_string_equal(r.s.items[3].title, "第二天：圆桌");
	assert_string_equal(r.s.items[3].anchor, "第二天圆桌");
	assert_string_equal(r.s.items[3].location, "Room 3  east wing");
	done(&r);

	/* The section of an outer heading holds its inner ones. */
	run(&r, "## Day {#d}\nWhen: May 6, 2020 9:00-17:00\n### Talk\nText.\n"
	    "## Next\nMore.\n", 1, 1999);
	assert_int_equal(r.s.nitems, 1);
	assert_string_equal(r.s.items[0].anchor, "d");
	assert_string_equal(r.s.items[0].title, "Day");
	assert_string_equal(r.s.items[0].description,
	    "When: May 6, 2020 9:00-17:00\nTalk\nText.");
	done(&r);
}

static void
test_anchor_dedup(void **state)
{
	struct run r;
	const char *body =
	    "# Talk\n"
	    "## Talk\n"
	    "时间：2020/5/6 19:00-20:00\n"
	    "## Talk-1\n"				/* taken: next is -2 */
	    "## Talk\n"
	    "时间：2020/5/6 20:00-21:00\n"
	    "## Talk!\n"
	    "时间：2020/5/6 21:00-22:00\n"
	    "## Other {#talk-4}\n"
	    "## Talk\n"
	    "时间：2020/5/6 22:00-23:00\n";

	(void)state;
	run(&r, body, 1, 1999);
	assert_int_equal(r.s.nitems, 4);
	assert_string_equal(r.s.items[0].anchor, "talk-1");
	assert_string_equal(r.s.items[1].anchor, "talk-2");
	assert_string_equal(r.s.items[2].anchor, "talk-3");
	assert_string_equal(r.s.items[3].anchor, "talk-5");
	assert_string_equal(r.s.items[2].title, "Talk!");
	done(&r);
}

static void
test_no_heading(void **state)
{
	struct run r;

	(void)state;
	run(&r, "Our monthly call.\n\nWhen: May 6, 2020 7pm-8pm\nWhere: "
	    "online\n\n## Notes\n\nLater.\n", 1, 1999);
	assert_int_equal(r.s.nitems, 1);
	assert_null(r.s.items[0].title);
	assert_null(r.s.items[0].anchor);
	assert_string_equal(r.s.items[0].location, "online");
	assert_string_equal(r.s.items[0].description, "Our monthly call.\n\n"
	    "When: May 6, 2020 7pm-8pm\nWhere: online");
	done(&r);

	/* An empty heading has no title; its anchor is still usable. */
	run(&r, "##\n时间：2020/5/6 19:00-20:00\n", 1, 1999);
	assert_int_equal(r.s.nitems, 1);
	assert_null(r.s.items[0].title);
	assert_string_equal(r.s.items[0].anchor, "section");
	done(&r);
}

static void
test_meetup_fixture(void **state)
{
	/* Front matter took lines 1-17; the body starts on line 18. */
	const char *body =
	    "受场地所限，本季读书会改在线上进行，通过视频号直播。\n"	/* 18 */
	    "\n"
	    "本季共四讲，围绕云原生存储展开：从本地卷到分布式块存储，"
	    "再到对象存储与备份。2021 年 9 月 8 日开讲，每周三、周四晚上 "
	    "20:00-21:00 相约。\n"
	    "\n"
	    "### 直播信息\n"
	    "\n"
	    "- **直播地址**：https://live.example.org/room/42\n"
	    "- **资料下载**：[讲义仓库](https://git.example.org/slides)\n"
	    "\n"
	    "| 日期       | 主题                     | 讲者   |\n"		/* 27 */
	    "| ---------- | ------------------------ | ------ |\n"
	    "| 9 月 8 日  | 本地卷与 CSI 入门        | 林一   |\n"
	    "| 9 月 9 日  | 分布式块存储的一致性     | 周二   |\n"
	    "| 9 月 15 日 | 对象存储的冷热分层       | 吴三   |\n"
	    "| 9 月 16 日 | 备份、恢复与演练         | 郑四   |\n"
	    "\n"
	    "### 本地卷与 CSI 入门\n"					/* 34 */
	    "\n"
	    "- **时间：**2021/9/8（周三） 20:00-21:00\n"		/* 36 */
	    "- **讲者：**林一 某云存储工程师\n"
	    "- **简介：**从 hostPath 讲起，介绍 **CSI** 插件的生命周期。\n"
	    "- **回放**：https://video.example.org/v/1\n"
	    "\n"
	    "### 分布式块存储的一致性\n"				/* 41 */
	    "\n"
	    "- **时间：**2021/9/9（周四） 20:00-21:00\n"		/* 43 */
	    "- **讲者：**周二 某数据库公司架构师\n"
	    "- **地点**：线上 + 杭州办公室 3 楼\n"
	    "\n"
	    "### 对象存储的冷热分层\n"				/* 47 */
	    "\n"
	    "- **时间：**2021/9/15（周四） 20:00-21:00\n"		/* 49 */
	    "- **讲者：**吴三 开源对象存储维护者\n"
	    "\n"
	    "### 备份、恢复与演练\n"					/* 52 */
	    "\n"
	    "- **时间：**2021/9/16（周四） 20:00-21:00\n"		/* 54 */
	    "- **讲者：**郑四 SRE\n"
	    "- **简介：**备份不演练等于没有备份。\n";
	struct run r;

	(void)state;
	run(&r, body, 18, 2021);
	assert_int_equal(r.s.nitems, 4);
	assert_item(&r.s.items[0], "2021-09-08 20:00", "2021-09-08 21:00", 36);
	assert_item(&r.s.items[1], "2021-09-09 20:00", "2021-09-09 21:00", 43);
	assert_item(&r.s.items[2], "2021-09-15 20:00", "2021-09-15 21:00", 49);
	assert_item(&r.s.items[3], "2021-09-16 20:00", "2021-09-16 21:00", 54);

	assert_string_equal(r.s.items[0].title, "本地卷与 CSI 入门");
	assert_string_equal(r.s.items[0].anchor, "本地卷与-csi-入门");
	assert_null(r.s.items[0].location);
	assert_string_equal(r.s.items[0].description,
	    "时间：2021/9/8（周三） 20:00-21:00\n"
	    "讲者：林一 某云存储工程师\n"
	    "简介：从 hostPath 讲起，介绍 CSI 插件的生命周期。\n"
	    "回放：https://video.example.org/v/1");
	assert_string_equal(r.s.items[1].location, "线上 + 杭州办公室 3 楼");
	assert_string_equal(r.s.items[3].anchor, "备份恢复与演练");
	assert_string_equal(r.s.items[3].title, "备份、恢复与演练");

	/* Only the third talk's weekday is wrong: 2021/9/15 is a Wednesday. */
	assert_int_equal(r.d.n, 1);
	assert_int_equal(r.d.v[0].level, DIAG_WARNING);
	assert_int_equal(r.d.v[0].line, 49);
	assert_string_equal(r.d.v[0].message, "schedule: 2021/9/15 is a "
	    "Wednesday, but the text says 周四 (Thursday); the nearest Thursday "
	    "is 2021-09-16");
	done(&r);
}

static void
test_english_fixture(void **state)
{
	const char *body =
	    "Join us for a day of talks on observability.\r\n"	/* 1 */
	    "\r\n"
	    "| Date | Talk |\r\n"
	    "|------|------|\r\n"
	    "| March 2 | Keynote |\r\n"				/* 5 */
	    "\r\n"
	    "## Keynote: *Why traces?*\r\n"
	    "\r\n"
	    "* **When**: Tuesday, March 2, 2021, 9:00am - 10:00am\r\n"
	    "* **Where**: Main hall\r\n"				/* 10 */
	    "\r\n"
	    "## Workshop\r\n"
	    "\r\n"
	    "**Date:** March 3, 2021 (Wed)\r\n"
	    "**Time:** 1:30pm to 5pm\r\n"				/* 15 */
	    "\r\n"
	    "## Example config\r\n"
	    "\r\n"
	    "```yaml\r\n"
	    "When: March 4, 2021 9am-10am\r\n"			/* 20 */
	    "```\r\n"
	    "\r\n"
	    "## Time: none here\r\n"
	    "Time: 9am-10am\r\n"
	    "\r\n"							/* 25 */
	    "## Party\r\n"
	    "- When: Thu 4 March 2021, 10pm-1am\r\n";
	struct run r;

	(void)state;
	run(&r, body, 1, 2020);
	/* "Time: 9am-10am" under a heading of its own has no date. */
	assert_int_equal(r.d.n, 1);
	assert_int_equal(r.d.v[0].line, 24);
	assert_string_equal(r.d.v[0].message,
	    "schedule: cannot read a date in \"9am-10am\"");
	assert_int_equal(r.s.nitems, 3);
	assert_item(&r.s.items[0], "2021-03-02 09:00", "2021-03-02 10:00", 9);
	assert_string_equal(r.s.items[0].title, "Keynote: Why traces?");
	assert_string_equal(r.s.items[0].anchor, "keynote-why-traces");
	assert_string_equal(r.s.items[0].location, "Main hall");
	assert_string_equal(r.s.items[0].description,
	    "When: Tuesday, March 2, 2021, 9:00am - 10:00am\nWhere: Main hall");
	/* A date line, then a time line below it. */
	assert_item(&r.s.items[1], "2021-03-03 13:30", "2021-03-03 17:00", 15);
	assert_string_equal(r.s.items[1].anchor, "workshop");
	assert_item(&r.s.items[2], "2021-03-04 22:00", "2021-03-05 01:00", 27);
	assert_string_equal(r.s.items[2].title, "Party");
	done(&r);
}

static void
test_overnight(void **state)
{
	(void)state;
	one("时间：2020/5/6 23:00-01:00", 1999,
	    "2020-05-06 23:00", "2020-05-07 01:00");
	one("时间：2020/5/31 23:30-00:30", 1999,
	    "2020-05-31 23:30", "2020-06-01 00:30");
	one("时间：2020/12/31 22:00-02:00", 1999,
	    "2020-12-31 22:00", "2021-01-01 02:00");
	one("时间：2020/2/28 20:00-24:00", 1999,
	    "2020-02-28 20:00", "2020-02-29 00:00");
	one("时间：2021/2/28 20:00-24:00", 1999,
	    "2021-02-28 20:00", "2021-03-01 00:00");
	one("时间：2020/5/6 00:00-24:00", 1999,
	    "2020-05-06 00:00", "2020-05-07 00:00");
	/* A range that ends where it starts is a whole day's round. */
	one("时间：2020/5/6 19:00-19:00", 1999,
	    "2020-05-06 19:00", "2020-05-07 19:00");
	one("When: May 6, 2020 11pm-12:30am", 1999,
	    "2020-05-06 23:00", "2020-05-07 00:30");
}

static void
test_twelve_hour(void **state)
{
	(void)state;
	one("When: May 6, 2020 7:00pm-8:30pm", 1999,
	    "2020-05-06 19:00", "2020-05-06 20:30");
	one("When: May 6, 2020 7pm - 9pm", 1999,
	    "2020-05-06 19:00", "2020-05-06 21:00");
	one("When: May 6, 2020 7 PM - 9 PM", 1999,
	    "2020-05-06 19:00", "2020-05-06 21:00");
	one("When: May 6, 2020 12am-1am", 1999,
	    "2020-05-06 00:00", "2020-05-06 01:00");
	one("When: May 6, 2020 12pm-1pm", 1999,
	    "2020-05-06 12:00", "2020-05-06 13:00");
	one("When: May 6, 2020 10-11:30am", 1999,
	    "2020-05-06 10:00", "2020-05-06 11:30");
	one("When: May 6, 2020 11:30-12:30pm", 1999,
	    "2020-05-06 11:30", "2020-05-06 12:30");
	one("When: May 6, 2020 10am-2", 1999,
	    "2020-05-06 10:00", "2020-05-06 14:00");
	one("When: May 6, 2020 9am-17:00", 1999,
	    "2020-05-06 09:00", "2020-05-06 17:00");
}

static void
test_line_numbers(void **state)
{
	struct run r;

	(void)state;
	/* Line numbers count every line, blank or fenced. */
	run(&r, "\n\n```\n\n```\n\nWhen: May 6, 2020 7pm-8pm\n", 100, 1999);
	assert_int_equal(r.s.nitems, 1);
	assert_int_equal(r.s.items[0].line, 106);
	done(&r);

	/* len is obeyed: the body need not end in NUL. */
	diags_init(&r.d);
	schedule_extract("时间：2020/5/6 19:00-20:00时间：2020/5/7 19:00-20:00",
	    strlen("时间：2020/5/6 19:00-20:00"), 1, 1999, &r.s, &r.d);
	assert_int_equal(r.s.nitems, 1);
	assert_dt(&r.s.items[0].end, "2020-05-06 20:00");
	done(&r);

	diags_init(&r.d);
	schedule_extract("时间：2020/5/6 19:00-20:00", strlen("时间：2020/5/6 "
	    "19:00-2"), 1, 1999, &r.s, &r.d);
	assert_int_equal(r.s.nitems, 0);
	done(&r);

	diags_init(&r.d);
	schedule_extract(NULL, 0, 1, 1999, &r.s, &r.d);
	assert_int_equal(r.s.nitems, 0);
	done(&r);
}

static void
test_cap(void **state)
{
	struct buf b;
	struct run r;
	int i;

	(void)state;
	buf_init(&b);
	for (i = 0; i < 520; i++)
		buf_printf(&b, "## Talk %d\n时间：2020/5/6 19:00-20:00\n", i);
	run(&r, b.data, 1, 1999);
	assert_int_equal(r.s.nitems, 500);
	assert_string_equal(r.s.items[499].anchor, "talk-499");
	assert_int_equal(r.d.n, 1);
	assert_int_equal(r.d.v[0].line, 1002);
	assert_string_equal(r.d.v[0].message, "schedule: more than 500 events "
	    "in one page; the rest are ignored");
	done(&r);
	buf_free(&b);
}

static void
test_description_cap(void **state)
{
	struct buf b;
	struct run r;
	size_t len;
	int i;

	(void)state;
	buf_init(&b);
	buf_addstr(&b, "## 长\n时间：2020/5/6 19:00-20:00\n");
	for (i = 0; i < 3000; i++)
		buf_addstr(&b, "长文");
	buf_addstr(&b, "\n\xff\n");
	run(&r, b.data, 1, 1999);
	assert_int_equal(r.s.nitems, 1);
	len = strlen(r.s.items[0].description);
	assert_true(len <= 4000);
	assert_true(len > 3900);
	assert_true(utf8_valid(r.s.items[0].description, len));
	assert_string_equal(r.s.items[0].description + len - 3, "\xe2\x80\xa6");
	done(&r);

	/* Invalid bytes in a heading or a place become U+FFFD. */
	run(&r, "## a\xff" "b\nWhere: x\xc3\n时间：2020/5/6 19:00-20:00\n", 1,
	    1999);
	assert_int_equal(r.s.nitems, 1);
	assert_string_equal(r.s.items[0].title, "a\xef\xbf\xbd" "b");
	assert_string_equal(r.s.items[0].anchor, "ab");
	assert_string_equal(r.s.items[0].location, "x\xef\xbf\xbd");
	done(&r);
	buf_free(&b);
}

/* One line, one event, with the zone written on it: offset seconds. */
static void
one_zoned(const char *line, const char *start, const char *end, int offset)
{
	struct run r;
	char got[64];

	run(&r, line, 1, 2020);
	if (r.s.nitems != 1 || r.d.n != 0)
		print_error("line: %s\n", line);
	assert_int_equal(r.d.n, 0);
	assert_int_equal(r.s.nitems, 1);
	snprintf(got, sizeof got, "%04d-%02d-%02d %02d:%02d",
	    r.s.items[0].start.year, r.s.items[0].start.month,
	    r.s.items[0].start.day, r.s.items[0].start.hour,
	    r.s.items[0].start.minute);
	assert_string_equal(got, start);
	snprintf(got, sizeof got, "%04d-%02d-%02d %02d:%02d",
	    r.s.items[0].end.year, r.s.items[0].end.month,
	    r.s.items[0].end.day, r.s.items[0].end.hour,
	    r.s.items[0].end.minute);
	assert_string_equal(got, end);
	assert_int_equal(r.s.items[0].start.has_offset, 1);
	assert_int_equal(r.s.items[0].end.has_offset, 1);
	assert_int_equal(r.s.items[0].start.offset, offset);
	assert_int_equal(r.s.items[0].end.offset, offset);
	done(&r);
}

/* 晚 8 点 - 9 点, 下午 2:00-4:00: periods, 点/点半/时, spaces between. */
static void
test_spaced_cjk_forms(void **state)
{
	(void)state;
	one("时间：2020 年 7 月 22 日（周三）晚 8 点 - 9 点", 1999,
	    "2020-07-22 20:00", "2020-07-22 21:00");
	one("时间：2020年7月22日 下午 2:00-4:00", 1999,
	    "2020-07-22 14:00", "2020-07-22 16:00");
	one("时间：7 月 22 日 晚上 7 点半 - 9 点", 2020,
	    "2020-07-22 19:30", "2020-07-22 21:00");
	one("时间：2020年7月22日 上午 9 点 - 11 点半", 1999,
	    "2020-07-22 09:00", "2020-07-22 11:30");
	one("时间：2020年7月22日 下午 2 时至 4 时", 1999,
	    "2020-07-22 14:00", "2020-07-22 16:00");
	one("时间：2020年7月22日 下午2时30分-4时", 1999,
	    "2020-07-22 14:30", "2020-07-22 16:00");
	one("时间：2020年7月22日 19 时 30 分 - 21 时", 1999,
	    "2020-07-22 19:30", "2020-07-22 21:00");
	one("时间：2020年7月22日 上午 10 点 - 下午 1 点", 1999,
	    "2020-07-22 10:00", "2020-07-22 13:00");
	one("时间：2020年7月22日 19 点一刻 - 20 点三刻", 1999,
	    "2020-07-22 19:15", "2020-07-22 20:45");
	/* Twelve in the evening is midnight, the next day. */
	one("时间：2020年7月22日 晚上 10 点到 12 点", 1999,
	    "2020-07-22 22:00", "2020-07-23 00:00");
}

/* ２０２０年７月２２日, １９：００－２１：００ */
static void
test_fullwidth_forms(void **state)
{
	(void)state;
	one("时间：２０２０年７月２２日（周三）１９：００－２１：００", 1999,
	    "2020-07-22 19:00", "2020-07-22 21:00");
	one("时间：２０２０／７／２２　１９：３０～２１：００", 1999,
	    "2020-07-22 19:30", "2020-07-22 21:00");
	one("时间：２０２０－０７－２２ 晚 ８ 点 - ９ 点", 1999,
	    "2020-07-22 20:00", "2020-07-22 21:00");
	one("When: July ２２, ２０２０ ７pm-９pm", 1999,
	    "2020-07-22 19:00", "2020-07-22 21:00");
	/* Messages quote the digits as written. */
	warns("时间：２０２０/２/３０ 19:00-20:00",
	    "schedule: ２０２０/２/３０ is not a valid date");
	/* One date, one kind of separator. */
	warns("时间：2020/7-22 19:00-21:00",
	    "schedule: cannot read a date in \"2020/7-22 19:00-21:00\"");
}

/* 19:00 ~ 21:00 (GMT+8), UTC-05:00, 北京时间: the offset is kept. */
static void
test_zone_forms(void **state)
{
	struct run r;

	(void)state;
	one_zoned("时间：2020/7/22 19:00 ~ 21:00 (GMT+8)",
	    "2020-07-22 19:00", "2020-07-22 21:00", 8 * 3600);
	one_zoned("时间：2020/7/22 19:00-21:00（北京时间）",
	    "2020-07-22 19:00", "2020-07-22 21:00", 8 * 3600);
	one_zoned("时间：北京时间 2020年7月22日 19:00-21:00",
	    "2020-07-22 19:00", "2020-07-22 21:00", 8 * 3600);
	one_zoned("When: Wed, 22 July 2020, 7pm-9pm (UTC-05:00)",
	    "2020-07-22 19:00", "2020-07-22 21:00", -5 * 3600);
	one_zoned("When: July 22, 2020 7pm-9pm GMT+0530",
	    "2020-07-22 19:00", "2020-07-22 21:00", 5 * 3600 + 1800);
	one_zoned("Time: July 22, 2020 19:00-21:00 UTC",
	    "2020-07-22 19:00", "2020-07-22 21:00", 0);
	one_zoned("时间：2020/7/22 19:00 开始（GMT+8）",
	    "2020-07-22 19:00", "2020-07-22 20:00", 8 * 3600);
	/* Not a zone: inside a word, or an offset out of range. */
	run(&r, "When: July 22, 2020 7pm-9pm, see DEBUTC+3\n"
	    "When: July 22, 2020 7pm-9pm (GMT+15)", 1, 1999);
	assert_int_equal(r.d.n, 0);
	assert_int_equal(r.s.nitems, 2);
	assert_int_equal(r.s.items[0].start.has_offset, 0);
	assert_int_equal(r.s.items[1].start.has_offset, 0);
	done(&r);
}

/* 19:00 开始: a start alone lasts an hour. */
static void
test_open_ended(void **state)
{
	(void)state;
	one("时间：2020年7月22日 19:00 开始", 1999,
	    "2020-07-22 19:00", "2020-07-22 20:00");
	one("时间：2020/7/22（周三）晚 8 点开始", 1999,
	    "2020-07-22 20:00", "2020-07-22 21:00");
	one("时间：2020/7/22 19:00", 1999,
	    "2020-07-22 19:00", "2020-07-22 20:00");
	one("时间：2020/7/22 19:00 - 待定", 1999,
	    "2020-07-22 19:00", "2020-07-22 20:00");
	one("When: Wed, 22 July 2020, starting at 7pm", 1999,
	    "2020-07-22 19:00", "2020-07-22 20:00");
	one("When: July 22, 2020 7:30pm onwards", 1999,
	    "2020-07-22 19:30", "2020-07-22 20:30");
	one("时间：2020/7/22 23:30 起", 1999,
	    "2020-07-22 23:30", "2020-07-23 00:30");
	/* An hour alone could be a count: said, not guessed. */
	warns("When: July 22, 2020 at 7",
	    "schedule: cannot read a time in \"7\"");
	warns("时间：2020/7/22 19:00-2",
	    "schedule: cannot read a time in \"19:00-2\"");
}

/* 7–9pm, from 7pm to 9pm, Wed, 22 July 2020 */
static void
test_english_range_forms(void **state)
{
	struct run r;

	(void)state;
	one("When: Wed, 22 July 2020, 7\xe2\x80\x93" "9pm", 1999,
	    "2020-07-22 19:00", "2020-07-22 21:00");
	one("When: Wednesday, July 22, 2020 from 7pm to 9pm", 1999,
	    "2020-07-22 19:00", "2020-07-22 21:00");
	one("**When:** Wed, 22 July 2020 from 7 pm to 9:30 pm", 1999,
	    "2020-07-22 19:00", "2020-07-22 21:30");
	one("Date: Wed 22 Jul 2020, 7 \xe2\x80\x93 9 pm", 1999,
	    "2020-07-22 19:00", "2020-07-22 21:00");
	run(&r, "Date: Wed, 22 July 2020\nTime: from 7pm to 9pm\n", 1, 1999);
	assert_int_equal(r.d.n, 0);
	assert_int_equal(r.s.nitems, 1);
	assert_item(&r.s.items[0], "2020-07-22 19:00", "2020-07-22 21:00", 2);
	done(&r);
}

/* A labelled line whose date or time is not read is a warning. */
static void
test_unread_warnings(void **state)
{
	struct buf b;
	struct run r;
	size_t n;
	int i;

	(void)state;
	warns("时间：待定", "schedule: cannot read a date in \"待定\"");
	warns("- **时间：** 每周三晚上",
	    "schedule: cannot read a date in \"每周三晚上\"");
	warns("时间：19:00-20:00",
	    "schedule: cannot read a date in \"19:00-20:00\"");
	warns("When: soon, 7pm-8pm",
	    "schedule: cannot read a date in \"soon, 7pm-8pm\"");
	warns("时间：7/22 19:00-21:00",
	    "schedule: cannot read a date in \"7/22 19:00-21:00\"");
	warns("When: May 6, 2020, 7-9",
	    "schedule: cannot read a time in \"7-9\"");
	warns("日期：2020年7月22日 8 - 9",
	    "schedule: cannot read a time in \"8 - 9\"");

	/* A time line under a date line is there for its time. */
	run(&r, "Date: July 22, 2020\nTime: TBD\n", 1, 1999);
	assert_int_equal(r.s.nitems, 0);
	assert_int_equal(r.d.n, 1);
	assert_int_equal(r.d.v[0].line, 2);
	assert_string_equal(r.d.v[0].message,
	    "schedule: cannot read a time in \"TBD\"");
	done(&r);

	/* A long line is quoted in part, cut between characters. */
	buf_init(&b);
	buf_addstr(&b, "时间：");
	for (i = 0; i < 50; i++)
		buf_addstr(&b, "待定");
	run(&r, b.data, 1, 1999);
	assert_int_equal(r.d.n, 1);
	n = strlen(r.d.v[0].message);
	assert_true(utf8_valid(r.d.v[0].message, n));
	assert_string_equal(r.d.v[0].message + n - 4, "\xe2\x80\xa6\"");
	assert_true(n < 140);
	done(&r);
	buf_free(&b);
}

/* A 地址/直播/Live/Stream/Online line holding only a URL is online. */
static void
test_online_location(void **state)
{
	static const struct {
		const char *line, *online, *place;
	} cases[] = {
		{ "地址：https://live.example.com/000", "https://live.example.com/000",
		  NULL },
		{ "直播地址：https://live.example.com/1", "https://live.example.com/1",
		  NULL },
		{ "- **直播**：<https://example.org/live>",
		  "https://example.org/live", NULL },
		{ "Live: https://example.org/l?a=1&b=2",
		  "https://example.org/l?a=1&b=2", NULL },
		{ "* Stream: [our channel](https://video.example/c/x)",
		  "https://video.example/c/x", NULL },
		{ "**Online:** http://meet.example/j/42",
		  "http://meet.example/j/42", NULL },
		{ "Location: https://meet.example/j/7", "https://meet.example/j/7",
		  NULL },
		{ "地址：北京市海淀区某某路 1 号", NULL, "北京市海淀区某某路 1 号" },
		/* Words beside the URL: not only a URL, and no street. */
		{ "直播：视频号 https://live.example.com/2", NULL, NULL },
		{ "Online: https://a.example/ or https://b.example/", NULL, NULL },
		{ "直播：待定", NULL, NULL },
	};
	struct buf b;
	struct run r;
	size_t i;

	(void)state;
	buf_init(&b);
	for (i = 0; i < nitems(cases); i++) {
		buf_reset(&b);
		buf_printf(&b, "时间：2020 年 7 月 22 日（周三）晚 8 点 - 9 点\n"
		    "%s\n", cases[i].line);
		run(&r, b.data, 1, 1999);
		if (r.s.nitems != 1)
			print_error("line: %s\n", cases[i].line);
		assert_int_equal(r.d.n, 0);
		assert_int_equal(r.s.nitems, 1);
		if (cases[i].online == NULL)
			assert_null(r.s.items[0].online_url);
		else
			assert_string_equal(r.s.items[0].online_url,
			    cases[i].online);
		if (cases[i].place == NULL)
			assert_null(r.s.items[0].location);
		else
			assert_string_equal(r.s.items[0].location,
			    cases[i].place);
		done(&r);
	}
	buf_free(&b);

	/* A hall and a stream: both are kept, each in its field. */
	run(&r, "## Talk\n地点：三楼报告厅\n直播地址：https://live.example.com/9\n"
	    "时间：2020/7/22 19:00-20:00\n", 1, 1999);
	assert_int_equal(r.s.nitems, 1);
	assert_string_equal(r.s.items[0].location, "三楼报告厅");
	assert_string_equal(r.s.items[0].online_url,
	    "https://live.example.com/9");
	done(&r);
}

/* A description starts with text, not with a banner's alt text. */
static void
test_description_images(void **state)
{
	struct run r;

	(void)state;
	run(&r, "![活动海报](poster.png)\n\n"
	    "[![logo](logo.png)](https://example.org/) ![二维码](qr.png) "
	    "欢迎参加第三期。\n\n时间：2020/7/22 19:00-20:00\n", 1, 1999);
	assert_int_equal(r.s.nitems, 1);
	assert_string_equal(r.s.items[0].description,
	    "欢迎参加第三期。\n\n时间：2020/7/22 19:00-20:00");
	done(&r);

	/* Further down, an image is part of the text: its alt is kept. */
	run(&r, "## Talk\n\nSlides: ![the slides](s.png)\n"
	    "When: July 22, 2020 7pm-8pm\n", 1, 1999);
	assert_int_equal(r.s.nitems, 1);
	assert_string_equal(r.s.items[0].description,
	    "Slides: the slides\nWhen: July 22, 2020 7pm-8pm");
	done(&r);
}

/* One line alone: what schedule_stream_url finds in it. */
static void
test_stream_lines(void **state)
{
	static const struct {
		const char *line, *url;
	} cases[] = {
		{ "直播地址：https://live.example.com/1",
		  "https://live.example.com/1" },
		{ "直播：https://live.bilibili.com/22", "https://live.bilibili.com/22" },
		{ "Live: <https://zoom.us/j/123>", "https://zoom.us/j/123" },
		{ "Stream: https://www.youtube.com/watch?v=x1",
		  "https://www.youtube.com/watch?v=x1" },
		{ "**Online:** https://meet.jit.si/crier", "https://meet.jit.si/crier" },
		{ "地址：https://example.org/room", "https://example.org/room" },
		/* A meeting service's URL among other words of an online line. */
		{ "直播：B站 https://live.bilibili.com/33。",
		  "https://live.bilibili.com/33" },
		{ "Live: on Zoom (https://us02web.zoom.us/j/9?pwd=Ab), come early",
		  "https://us02web.zoom.us/j/9?pwd=Ab" },
		{ "直播：视频号 https://live.example.com/2", NULL },
		/* A meeting service's URL alone on a line. */
		{ "https://meet.google.com/abc-defg-hij",
		  "https://meet.google.com/abc-defg-hij" },
		{ "- [Join in Teams](https://teams.microsoft.com/l/meetup/1)",
		  "https://teams.microsoft.com/l/meetup/1" },
		{ "https://example.org/slides", NULL },
		{ "See https://zoom.us/j/1 later", NULL },
		/* Not a service: a look-alike host, a user@host. */
		{ "https://notzoom.us/j/1", NULL },
		{ "https://zoom.us@evil.example/j/1", NULL },
		{ "Where: Room 1", NULL },
		{ "时间：2020/5/6 19:00", NULL },
	};
	size_t i;
	char *got;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		got = schedule_stream_url(cases[i].line, strlen(cases[i].line));
		if ((got == NULL) != (cases[i].url == NULL) ||
		    (got != NULL && strcmp(got, cases[i].url) != 0))
			print_error("line: %s -> %s\n", cases[i].line,
			    got ? got : "(none)");
		if (cases[i].url == NULL)
			assert_null(got);
		else
			assert_string_equal(got, cases[i].url);
		free(got);
	}
	assert_string_equal(schedule_meeting_service("https://zoom.us/j/1"),
	    "Zoom");
	assert_string_equal(schedule_meeting_service(
	    "https://US02WEB.ZOOM.US/j/1"), "Zoom");
	assert_string_equal(schedule_meeting_service("https://b23.tv/x"),
	    "Bilibili");
	assert_string_equal(schedule_meeting_service("https://youtu.be/x"),
	    "YouTube");
	assert_null(schedule_meeting_service("https://example.org/"));
	assert_null(schedule_meeting_service("ftp://zoom.us/"));
}

/* A stream line outside every event's section is the page's; one inside
 * an event's section is that event's only. */
static void
test_page_stream(void **state)
{
	const char *body =
	    "Intro.\n\n直播地址：https://live.bilibili.com/7\n\n"
	    "## One\n\n时间：2020/5/6 19:00-20:00\n\n"
	    "Live: https://zoom.us/j/1\n\n"
	    "## Two\n\n时间：2020/5/7 19:00-20:00\n\n"
	    "## Links\n\nhttps://www.youtube.com/watch?v=late\n";
	struct run r;

	(void)state;
	run(&r, body, 1, 2020);
	assert_int_equal(r.s.nitems, 2);
	assert_string_equal(r.s.items[0].online_url, "https://zoom.us/j/1");
	assert_null(r.s.items[1].online_url);
	assert_string_equal(r.s.online_url, "https://live.bilibili.com/7");
	done(&r);
	/* In a section of its own after the talks: still the page's. */
	run(&r, "## One\n\n时间：2020/5/6 19:00-20:00\n\n## 直播\n\n"
	    "直播：https://live.bilibili.com/8\n", 1, 2020);
	assert_int_equal(r.s.nitems, 1);
	assert_null(r.s.items[0].online_url);
	assert_string_equal(r.s.online_url, "https://live.bilibili.com/8");
	done(&r);
	/* No events: no page-wide address either. */
	run(&r, "直播：https://live.bilibili.com/9\n", 1, 2020);
	assert_null(r.s.online_url);
	done(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anchorize),
		cmocka_unit_test(test_cjk_forms),
		cmocka_unit_test(test_english_forms),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_default_year),
		cmocka_unit_test(test_weekday_forms),
		cmocka_unit_test(test_weekday_mismatch),
		cmocka_unit_test(test_invalid_date),
		cmocka_unit_test(test_invalid_time),
		cmocka_unit_test(test_not_events),
		cmocka_unit_test(test_code_fences),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_anchor_dedup),
		cmocka_unit_test(test_no_heading),
		cmocka_unit_test(test_meetup_fixture),
		cmocka_unit_test(test_english_fixture),
		cmocka_unit_test(test_overnight),
		cmocka_unit_test(test_twelve_hour),
		cmocka_unit_test(test_line_numbers),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_description_cap),
		cmocka_unit_test(test_spaced_cjk_forms),
		cmocka_unit_test(test_fullwidth_forms),
		cmocka_unit_test(test_zone_forms),
		cmocka_unit_test(test_open_ended),
		cmocka_unit_test(test_english_range_forms),
		cmocka_unit_test(test_unread_warnings),
		cmocka_unit_test(test_online_location),
		cmocka_unit_test(test_description_images),
		cmocka_unit_test(test_stream_lines),
		cmocka_unit_test(test_page_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
