/*
 * test_toml.c -- TOML front matter: every value form in the model and with
 * its type tagged, line numbers, every error with its line, redefined keys
 * and tables, limits, and a "+++" Hugo page published exactly like its
 * YAML twin.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "site_fixture.h"

#include "dates.h"
#include "frontmatter.h"
#include "page.h"
#include "render.h"
#include "toml.h"
#include "util.h"

static json_t *
parse_as(const char *text, size_t len, enum toml_form form, json_t *lines,
    struct diags *d)
{
	diags_init(d);
	return toml_parse(text, len, 1, form, lines, d);
}

/* The model of text, which must be valid. */
static json_t *
model(const char *text)
{
	struct diags d;
	json_t *v = parse_as(text, strlen(text), TOML_MODEL, NULL, &d);

	if (v == NULL)
		fail_msg("rejected (line %d: %s): %s", d.v[0].line,
		    d.v[0].message, text);
	assert_int_equal(d.n, 0);
	diags_free(&d);
	return v;
}

static const char *
str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_string(v))
		fail_msg("'%s' is not a string", key);
	return json_string_value(v);
}

static long long
integer(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v))
		fail_msg("'%s' is not an integer", key);
	return json_integer_value(v);
}

static double
real(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_real(v))
		fail_msg("'%s' is not a real", key);
	return json_real_value(v);
}

/* text must be rejected, the error on line with message holding want. */
static void
assert_error(const char *text, size_t len, int line, const char *want)
{
	struct diags d;
	json_t *v = parse_as(text, len, TOML_MODEL, NULL, &d);

	if (v != NULL)
		fail_msg("accepted: %s", text);
	if (d.n != 1 || d.v[0].level != DIAG_ERROR)
		fail_msg("%zu messages for: %s", d.n, text);
	if (d.v[0].line != line || strstr(d.v[0].message, want) == NULL)
		fail_msg("for %s\ngot line %d: %s\nwant line %d: ...%s...",
		    text, d.v[0].line, d.v[0].message, line, want);
	diags_free(&d);
}

#define ERROR(text, line, want) assert_error(text, sizeof(text) - 1, line, want)

static void
strings(void **state)
{
	json_t *v = model(
	    "basic = \"tab\\there \\\"q\\\" \\\\ \\b\\f\\n\\r \\u00e9 "
	    "\\U0001F600\"\n"
	    "literal = 'C:\\path\\'\n"
	    "empty = \"\"\n"
	    "multi = \"\"\"\n"
	    "first line \\\n"
	    "     continued \\   \n"
	    "\n"
	    "   end\"\"\"\n"
	    "kept = \"\"\"a\n"
	    "b\"\"\"\n"
	    "raw = '''\n"
	    "raw \\n '' ok'''\n"
	    "quotes = \"\"\"two at the end\"\"\"\"\"\n"
	    "apostrophe = ''''one''''\n"
	    "nul = \"a\\u0000b\"\n"
	    "crlf = \"\"\"x\r\ny\"\"\"\n");

	(void)state;
	assert_string_equal(str(v, "basic"),
	    "tab\there \"q\" \\ \b\f\n\r \xc3\xa9 \xf0\x9f\x98\x80");
	assert_string_equal(str(v, "literal"), "C:\\path\\");
	assert_string_equal(str(v, "empty"), "");
	assert_string_equal(str(v, "multi"), "first line continued end");
	assert_string_equal(str(v, "kept"), "a\nb");
	assert_string_equal(str(v, "raw"), "raw \\n '' ok");
	assert_string_equal(str(v, "quotes"), "two at the end\"\"");
	assert_string_equal(str(v, "apostrophe"), "'one'");
	assert_int_equal(json_string_length(json_object_get(v, "nul")), 3);
	assert_memory_equal(str(v, "nul"), "a\0b", 3);
	assert_string_equal(str(v, "crlf"), "x\ny");
	json_decref(v);
}

static void
numbers_and_booleans(void **state)
{
	json_t *v = model(
	    "i1 = +99\n"
	    "i2 = -17\n"
	    "i3 = 1_000_000\n"
	    "i4 = 0xDEAD_beef\n"
	    "i5 = 0o755\n"
	    "i6 = 0b1101_0110\n"
	    "i7 = 9223372036854775807\n"
	    "i8 = -9223372036854775808\n"
	    "i9 = -0\n"
	    "f1 = 3.1415\n"
	    "f2 = -0.01\n"
	    "f3 = 5e+22\n"
	    "f4 = 6.626E-34\n"
	    "f5 = 224_617.445_991_228\n"
	    "f6 = -0.0\n"
	    "f7 = 1e400\n"
	    "f8 = 0e0\n"
	    "inf1 = inf\n"
	    "inf2 = -inf\n"
	    "inf3 = +inf\n"
	    "nan1 = nan\n"
	    "nan2 = -nan\n"
	    "yes = true\n"
	    "no = false\n");

	(void)state;
	assert_int_equal(integer(v, "i1"), 99);
	assert_int_equal(integer(v, "i2"), -17);
	assert_int_equal(integer(v, "i3"), 1000000);
	assert_int_equal(integer(v, "i4"), 0xdeadbeef);
	assert_int_equal(integer(v, "i5"), 0755);
	assert_int_equal(integer(v, "i6"), 0xd6);
	assert_true(integer(v, "i7") == INT64_MAX);
	assert_true(integer(v, "i8") == INT64_MIN);
	assert_int_equal(integer(v, "i9"), 0);
	assert_true(real(v, "f1") == 3.1415);
	assert_true(real(v, "f2") == -0.01);
	assert_true(real(v, "f3") == 5e22);
	assert_true(real(v, "f4") == 6.626e-34);
	assert_true(real(v, "f5") == 224617.445991228);
	assert_true(real(v, "f6") == 0 && signbit(real(v, "f6")));
	assert_true(real(v, "f8") == 0);
	/* JSON has no inf or nan: the model keeps them as text. */
	assert_string_equal(str(v, "f7"), "inf");
	assert_string_equal(str(v, "inf1"), "inf");
	assert_string_equal(str(v, "inf2"), "-inf");
	assert_string_equal(str(v, "inf3"), "inf");
	assert_string_equal(str(v, "nan1"), "nan");
	assert_string_equal(str(v, "nan2"), "nan");
	assert_true(json_is_true(json_object_get(v, "yes")));
	assert_true(json_is_false(json_object_get(v, "no")));
	json_decref(v);
}

/* Dates stay the text written, as YAML's do, and page.c reads them. */
static void
dates_and_times(void **state)
{
	static const char *const written[] = {
		"1979-05-27T07:32:00Z", "1979-05-27T00:32:00-07:00",
		"1979-05-27 07:32:00.999999+05:30", "1979-05-27t07:32:00z",
		"1979-05-27T07:32:00", "1979-05-27T00:32:00.123456789",
		"1979-05-27", "2024-02-29"
	};
	struct datetime dt;
	struct buf doc;
	char key[8];
	json_t *v;
	size_t i;

	(void)state;
	buf_init(&doc);
	for (i = 0; i < nitems(written); i++)
		buf_printf(&doc, "d%zu = %s\n", i, written[i]);
	buf_addstr(&doc, "t = 07:32:00\nt2 = 00:32:00.5\n");
	v = model(doc.data);
	for (i = 0; i < nitems(written); i++) {
		snprintf(key, sizeof key, "d%zu", i);
		assert_string_equal(str(v, key), written[i]);
		assert_int_equal(datetime_parse(str(v, key), &dt), 0);
	}
	assert_int_equal(datetime_parse(str(v, "d1"), &dt), 0);
	assert_true(dt.has_offset && dt.offset == -7 * 3600);
	assert_string_equal(str(v, "t"), "07:32:00");
	assert_string_equal(str(v, "t2"), "00:32:00.5");
	json_decref(v);
	buf_free(&doc);
}

/* The tagged form tells the types apart, times in one canonical form. */
static void
tagged_types(void **state)
{
	const char *text =
	    "s = \"1979-05-27\"\n"
	    "i = 0x10\n"
	    "f = 1.5\n"
	    "n = -nan\n"
	    "b = true\n"
	    "odt = 1979-05-27 07:32:00.1234567z\n"
	    "minus_zero = 1979-05-27T07:32:00-00:00\n"
	    "ldt = 1979-05-27T07:32:00\n"
	    "ld = 1979-05-27\n"
	    "lt = 07:32:00.5\n"
	    "a = [1, 'x']\n";
	struct diags d;
	json_t *v = parse_as(text, strlen(text), TOML_TAGGED, NULL, &d);
	char *got;

	(void)state;
	assert_non_null(v);
	got = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(got,
	    "{\"a\":[{\"type\":\"integer\",\"value\":\"1\"},"
	    "{\"type\":\"string\",\"value\":\"x\"}],"
	    "\"b\":{\"type\":\"bool\",\"value\":\"true\"},"
	    "\"f\":{\"type\":\"float\",\"value\":\"1.5\"},"
	    "\"i\":{\"type\":\"integer\",\"value\":\"16\"},"
	    "\"ld\":{\"type\":\"date-local\",\"value\":\"1979-05-27\"},"
	    "\"ldt\":{\"type\":\"datetime-local\","
	    "\"value\":\"1979-05-27T07:32:00.000000\"},"
	    "\"lt\":{\"type\":\"time-local\",\"value\":\"07:32:00.500000\"},"
	    "\"minus_zero\":{\"type\":\"datetime\","
	    "\"value\":\"1979-05-27T07:32:00.000000+00:00\"},"
	    "\"n\":{\"type\":\"float\",\"value\":\"nan\"},"
	    "\"odt\":{\"type\":\"datetime\","
	    "\"value\":\"1979-05-27T07:32:00.123456+00:00\"},"
	    "\"s\":{\"type\":\"string\",\"value\":\"1979-05-27\"}}");
	free(got);
	json_decref(v);
	diags_free(&d);
}

static void
arrays_and_tables(void **state)
{
	json_t *v = model(
	    "nested = [[1, 2], ['a'], [], [{x = 1}]]\n"
	    "mixed = [1, 'two', 3.0, true, 1979-05-27]\n"
	    "long = [ # comment\n"
	    "  \"a\",   # one\n"
	    "\n"
	    "  \"b\",   # trailing comma\n"
	    "]\n"
	    "point = { x = 1, y.z = 2, \"q.k\" = 3 }\n"
	    "empty = {}\n"
	    "site.name = 'x'\n"
	    "site . \"owner\" . 'name' = 'y'\n"
	    "\"\" = 'empty key'\n"
	    "[server]\n"
	    "ip = '10.0.0.1'\n"
	    "[server.alpha]\n"
	    "role = 'front'\n"
	    "[ dog . \"tater.man\" ]\n"
	    "type.name = 'pug'\n"
	    "[[events]]\n"
	    "title = 'one'\n"
	    "[events.where]\n"
	    "room = 1\n"
	    "[[events]]\n"
	    "[[events.talks]]\n"
	    "t = 'a'\n"
	    "[[events.talks]]\n"
	    "t = 'b'\n"
	    "[a.b.c]\n"
	    "[a]\n"
	    "d = 1\n");
	json_t *events, *e1;

	(void)state;
	assert_int_equal(json_array_size(json_object_get(v, "nested")), 4);
	assert_int_equal(integer(json_array_get(json_array_get(
	    json_object_get(v, "nested"), 3), 0), "x"), 1);
	assert_int_equal(json_array_size(json_object_get(v, "mixed")), 5);
	assert_string_equal(json_string_value(json_array_get(json_object_get(v,
	    "long"), 1)), "b");
	assert_int_equal(json_array_size(json_object_get(v, "long")), 2);
	assert_int_equal(integer(json_object_get(json_object_get(v, "point"),
	    "y"), "z"), 2);
	assert_int_equal(integer(json_object_get(v, "point"), "q.k"), 3);
	assert_int_equal(json_object_size(json_object_get(v, "empty")), 0);
	assert_string_equal(str(json_object_get(json_object_get(v, "site"),
	    "owner"), "name"), "y");
	assert_string_equal(str(json_object_get(v, "site"), "name"), "x");
	assert_string_equal(str(v, ""), "empty key");
	assert_string_equal(str(json_object_get(json_object_get(v, "server"),
	    "alpha"), "role"), "front");
	assert_string_equal(str(json_object_get(json_object_get(
	    json_object_get(v, "dog"), "tater.man"), "type"), "name"), "pug");
	events = json_object_get(v, "events");
	assert_int_equal(json_array_size(events), 2);
	assert_string_equal(str(json_array_get(events, 0), "title"), "one");
	assert_int_equal(integer(json_object_get(json_array_get(events, 0),
	    "where"), "room"), 1);
	e1 = json_array_get(events, 1);
	assert_int_equal(json_array_size(json_object_get(e1, "talks")), 2);
	assert_string_equal(str(json_array_get(json_object_get(e1, "talks"), 1),
	    "t"), "b");
	assert_int_equal(integer(json_object_get(v, "a"), "d"), 1);
	assert_int_equal(json_object_size(json_object_get(json_object_get(v,
	    "a"), "b")), 1);
	json_decref(v);
}

/* Every value has a line, named by the path page.c asks for. */
static void
line_numbers(void **state)
{
	const char *text =
	    "title = 'x'\n"			/* 10 */
	    "tags = [\n"			/* 11 */
	    "  'a',\n"				/* 12 */
	    "  'b']\n"				/* 13 */
	    "site.owner = 'y'\n"		/* 14 */
	    "\n"				/* 15 */
	    "[[events]]\n"			/* 16 */
	    "title = 'one'\n"			/* 17 */
	    "start = 2026-12-03T19:00:00\n"	/* 18 */
	    "[[events]]\n"			/* 19 */
	    "start = 2026-12-05\n"		/* 20 */
	    "[more]\n"				/* 21 */
	    "x = \"\"\"\n"			/* 22 */
	    "\"\"\"\n"				/* 23 */
	    "y = 1\n";				/* 24 */
	json_t *lines = json_object(), *v;
	struct diags d;
	struct frontmatter fm;

	(void)state;
	diags_init(&d);
	v = toml_parse(text, strlen(text), 10, TOML_MODEL, lines, &d);
	assert_non_null(v);
	memset(&fm, 0, sizeof fm);
	fm.lines = lines;
	assert_int_equal(fm_line(&fm, "title"), 10);
	assert_int_equal(fm_line(&fm, "tags"), 11);
	assert_int_equal(fm_line(&fm, "tags/1"), 13);
	assert_int_equal(fm_line(&fm, "site"), 14);
	assert_int_equal(fm_line(&fm, "site/owner"), 14);
	assert_int_equal(fm_line(&fm, "events"), 16);
	assert_int_equal(fm_line(&fm, "events/0"), 16);
	assert_int_equal(fm_line(&fm, "events/0/start"), 18);
	assert_int_equal(fm_line(&fm, "events/1"), 19);
	assert_int_equal(fm_line(&fm, "events/1/start"), 20);
	assert_int_equal(fm_line(&fm, "more"), 21);
	assert_int_equal(fm_line(&fm, "more/y"), 24);
	json_decref(v);
	json_decref(lines);
	diags_free(&d);
}

static void
errors_name_their_line(void **state)
{
	(void)state;
	ERROR("a = 1\nb = \"open\n", 2, "must end on it");
	ERROR("a = 'open\n", 1, "must end on it");
	ERROR("\na = \"\"\"\nnever ends\n", 2, "string never ends");
	ERROR("a = '''\nnever\n", 1, "string never ends");
	ERROR("a = \"\\x41\"\n", 1, "unknown escape");
	ERROR("a = \"\\e\"\n", 1, "unknown escape");
	ERROR("a = \"\"\"x\\  y\"\"\"\n", 1, "must start an escape or end");
	ERROR("a = \"\\uD800\"\n", 1, "not a Unicode character");
	ERROR("a = \"\\U00110000\"\n", 1, "not a Unicode character");
	ERROR("a = \"\\u12\"\n", 1, "needs 4 hex digits");
	ERROR("a = \"ctl\x01\"\n", 1, "U+0001 is not allowed in a string");
	ERROR("a = '''\n\x7f'''\n", 2, "U+007F is not allowed in a string");
	ERROR("a = \"\"\"\n\rx\"\"\"\n", 2, "U+000D is not allowed");
	ERROR("a = 1 # \x1b\n", 1, "U+001B is not allowed in a comment");
	ERROR("a = 1\n\rb = 2\n", 2, "expected a key");
	ERROR("x = 1\ny = 0x\n", 2, "expected the end of the line, not 'x'");
	ERROR("a = 012\n", 1, "end of the line");
	ERROR("a = 1__2\n", 1, "end of the line");
	ERROR("a = 0X1F\n", 1, "end of the line");
	ERROR("a = 9223372036854775808\n", 1, "does not fit in 64 bits");
	ERROR("a = -9223372036854775809\n", 1, "does not fit in 64 bits");
	ERROR("a = 0x8000000000000000\n", 1, "does not fit in 64 bits");
	ERROR("a = .5\n", 1, "expected a value, not '.'");
	ERROR("a = 5.\n", 1, "end of the line, not '.'");
	ERROR("a = 1e_5\n", 1, "end of the line");
	ERROR("a = infinity\n", 1, "end of the line");
	ERROR("a = NaN\n", 1, "expected a value");
	ERROR("a = tru\n", 1, "expected a value");
	ERROR("a =\n", 1, "expected a value, not the end of the line");
	ERROR("\n\na = 2023-02-29\n", 3, "2023-02-29 is not a date");
	ERROR("a = 0000-01-01\n", 1, "is not a date");
	ERROR("a = 2024-01-01T07:32\n", 1, "end of the line, not 'T'");
	ERROR("a = 2024-01-01T24:00:00\n", 1, "end of the line");
	ERROR("a = 2024-01-01T07:32:00+24:00\n", 1, "end of the line");
	ERROR("a = 07:32\n", 1, "end of the line, not '7'");
	ERROR("a = [1,\n2\n3]\n", 3, "expected ',' or ']' in the array");
	ERROR("a = [,]\n", 1, "expected a value");
	ERROR("t = {a = 1,}\n", 1, "expected a key, not '}'");
	ERROR("t = {a = 1\n}\n", 1, "expected ',' or '}'");
	ERROR("\n\n[a\n", 3, "expected ']' after the table's name");
	ERROR("[[a]\n", 1, "expected ']]'");
	ERROR("[]\n", 1, "expected a key, not ']'");
	ERROR("a..b = 1\n", 1, "expected a key, not '.'");
	ERROR("a = 1\n= 2\n", 2, "expected a key, a [table] or a comment");
	ERROR("a b = 1\n", 1, "expected '=' after the key");
	ERROR("a = 1 2\n", 1, "expected the end of the line, not '2'");
	ERROR("\xef\xbb\xbf" "a = 1\n", 1, "U+FEFF");
	ERROR("a\xc2\xa0= 1\n", 1, "U+00A0");
	ERROR("a = 1\nb = \"\xff\"\n", 2, "invalid UTF-8");
	ERROR("a = 1\nb = \"\xed\xa0\x80\"\n", 2, "invalid UTF-8");
	ERROR("a = 1\n\nb = 2\x00\n", 3, "NUL character");
}

/* Redefinition is an error in TOML (and Hugo), not a warning as in YAML. */
static void
redefinitions(void **state)
{
	(void)state;
	ERROR("title = 'a'\n\ntitle = 'b'\n", 3,
	    "'title' is defined twice (first on line 1)");
	ERROR("'title' = 1\n\"title\" = 2\n", 2, "defined twice");
	ERROR("[a]\nx = 1\n[a]\n", 3, "'a' is already defined (line 1)");
	ERROR("[a.b]\n[a]\n[a]\n", 3, "'a' is already defined (line 2)");
	ERROR("a.b = 1\n[a]\n", 2, "'a' is already defined (line 1)");
	ERROR("a = 1\n[a]\n", 2, "'a' is already a value (line 1)");
	ERROR("[a]\nb.c = 1\n[a.b]\n", 3, "'b' is already defined (line 2)");
	ERROR("[a.b]\n[a]\nb.c = 1\n", 3, "table 'b' was defined on line 1");
	ERROR("a.b = 1\na.b.c = 2\n", 2, "'b' is a value (line 1)");
	ERROR("a = {b = 1}\na.c = 2\n", 2, "'a' is an inline table (line 1)");
	ERROR("a = {b = 1}\n[a.c]\n", 2, "a header cannot add to it");
	ERROR("a = [{b = 1}]\n[a.c]\n", 2, "'a' is an array (line 1)");
	ERROR("a = [1]\n[[a]]\n", 2, "'a' is an array (line 1), not an array "
	    "of tables");
	ERROR("[[a]]\n[a]\n", 2, "'a' is already an array of tables (line 1)");
	ERROR("[a]\n[[a]]\n", 2, "'a' is a table (line 1), not an array of "
	    "tables");
	ERROR("a = {b = 1, b = 2}\n", 1, "'b' is defined twice");
	ERROR("a = {b.c = 1, b = 2}\n", 1, "'b' is defined twice");
	ERROR("a = {b = {c = 1}, b.d = 2}\n", 1, "inline table");
	ERROR("[[e]]\nx = 1\n[[e]]\nx = 1\nx = 2\n", 5,
	    "'x' is defined twice (first on line 4)");
	ERROR("[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n", 4, "defined on line 1");
}

/* What TOML allows that looks like a redefinition. */
static void
not_redefinitions(void **state)
{
	json_t *v;

	(void)state;
	v = model("[a.b]\nx = 1\n[a]\ny = 2\n");	/* super-table later */
	json_decref(v);
	v = model("[a]\nb.c = 1\nb.d = 2\n[a.b.e]\n");	/* sub-table of dotted */
	json_decref(v);
	v = model("[[e]]\n[e.x]\n[[e]]\n[e.x]\n");	/* one x per element */
	json_decref(v);
	v = model("a = {b.c = 1, b.d = 2}\n");
	json_decref(v);
}

static void
limits(void **state)
{
	struct buf b;
	json_t *v;
	int i;

	(void)state;
	/* x is at depth 2 (the root is 1); each '[' one more. */
	buf_init(&b);
	buf_addstr(&b, "x = ");
	for (i = 0; i < FM_MAX_DEPTH - 2; i++)
		buf_addc(&b, '[');
	for (i = 0; i < FM_MAX_DEPTH - 2; i++)
		buf_addc(&b, ']');
	json_decref(model(b.data));
	buf_reset(&b);
	buf_addstr(&b, "\nx = ");
	for (i = 0; i < 1000; i++)
		buf_addc(&b, '[');
	assert_error(b.data, b.len, 2, "nested deeper than 32 levels");
	buf_reset(&b);
	buf_addstr(&b, "k");
	for (i = 0; i < FM_MAX_DEPTH; i++)
		buf_addstr(&b, ".k");
	buf_addstr(&b, " = 1\n");
	assert_error(b.data, b.len, 1, "nested deeper");
	/* Values: the array and its items. */
	buf_reset(&b);
	buf_addstr(&b, "x = [1");
	for (i = 1; i < FM_MAX_NODES - 1; i++)
		buf_addstr(&b, ",1");
	buf_addstr(&b, "]\n");
	v = model(b.data);
	assert_int_equal(json_array_size(json_object_get(v, "x")),
	    FM_MAX_NODES - 1);
	json_decref(v);
	buf_reset(&b);
	buf_addstr(&b, "x = [1");
	for (i = 1; i < FM_MAX_NODES; i++)
		buf_addstr(&b, ",1");
	buf_addstr(&b, "]\n");
	assert_error(b.data, b.len, 1, "more than 20000 values");
	buf_reset(&b);
	for (i = 0; i <= FM_MAX_NODES; i++)
		buf_printf(&b, "k%d = 1\n", i);
	assert_error(b.data, b.len, FM_MAX_NODES + 1, "more than 20000");
	buf_free(&b);
}

static void
front_matter(void **state)
{
	const char *text =
	    "\xef\xbb\xbf+++\r\n"
	    "title = \"TOML page\"\r\n"
	    "date = 2026-03-01T10:00:00+01:00\r\n"
	    "tags = [\"a\", \"b\"]\r\n"
	    "+++\r\n"
	    "Body\n";
	const char *bad = "+++\ntitle = 'x'\ntitle = 'y'\n+++\nBody\n";
	struct frontmatter fm;
	struct diags d;

	(void)state;
	diags_init(&d);
	assert_int_equal(fm_parse(text, strlen(text), &fm, &d), 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(str(fm.values, "title"), "TOML page");
	assert_string_equal(str(fm.values, "date"), "2026-03-01T10:00:00+01:00");
	assert_int_equal(json_array_size(json_object_get(fm.values, "tags")), 2);
	assert_int_equal(fm_line(&fm, "tags"), 4);
	assert_int_equal(fm.body_line, 6);
	assert_memory_equal(fm.body, "Body\n", 5);
	fm_free(&fm);
	/* A redefinition: an error naming the line, the page unusable. */
	assert_int_equal(fm_parse(bad, strlen(bad), &fm, &d), -1);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].level, DIAG_ERROR);
	assert_int_equal(d.v[0].line, 3);
	assert_non_null(strstr(d.v[0].message, "front matter: TOML 'title' "
	    "is defined twice (first on line 2)"));
	fm_free(&fm);
	diags_free(&d);
	diags_init(&d);
	assert_int_equal(fm_parse("+++\ntitle = 'x'\n", 16, &fm, &d), -1);
	assert_non_null(strstr(d.v[0].message, "no closing '+++' line"));
	fm_free(&fm);
	diags_free(&d);
}

static const struct channel channel = {
	"tag:example.org,2000-01-01:/feed.atom", "Site",
	"About us", "https://meet.example.org/feed.atom",
	"https://meet.example.org/", NULL, NULL
};

static char *
calendar_of(const struct page *p, size_t *len)
{
	struct ical_event evs[4];
	size_t i;

	assert_true(p->nevents <= nitems(evs));
	for (i = 0; i < p->nevents; i++) {
		evs[i].event = &p->events[i];
		evs[i].page = p;
		evs[i].sequence = 0;
		evs[i].last_modified = utc_timegm(2026, 1, 1, 0, 0, 0);
	}
	return calendar_render(NULL, &cfg, &channel, evs, p->nevents, len);
}

/* A Hugo page in TOML is published exactly as its YAML twin. */
static void
hugo_page_like_yaml(void **state)
{
	const char *toml =
	    "+++\n"
	    "title = \"Spring meetup\"\n"
	    "date = 2026-03-01T10:00:00+01:00\n"
	    "lastmod = 2026-03-02\n"
	    "draft = false\n"
	    "tags = [\"rust\", \"meetup\"]\n"
	    "categories = ['news']\n"
	    "author = \"Ana\"\n"
	    "timezone = \"Europe/Berlin\"\n"
	    "description = \"\"\"Talks and \\\n"
	    "  a workshop\"\"\"\n"
	    "\n"
	    "[[events]]\n"
	    "title = \"Talk one\"\n"
	    "start = 2026-03-10T19:00:00\n"
	    "end = 2026-03-10T21:00:00\n"
	    "location = \"Room 1\"\n"
	    "\n"
	    "[[events]]\n"
	    "title = \"Workshop\"\n"
	    "start = 2026-03-12\n"
	    "rrule = \"FREQ=WEEKLY;COUNT=3\"\n"
	    "+++\n"
	    "Body with a [link](rel/).\n";
	const char *yaml =
	    "---\n"
	    "title: \"Spring meetup\"\n"
	    "date: 2026-03-01T10:00:00+01:00\n"
	    "lastmod: 2026-03-02\n"
	    "draft: false\n"
	    "tags: [rust, meetup]\n"
	    "categories: [news]\n"
	    "author: Ana\n"
	    "timezone: Europe/Berlin\n"
	    "description: Talks and a workshop\n"
	    "events:\n"
	    "  - title: Talk one\n"
	    "    start: 2026-03-10T19:00:00\n"
	    "    end: 2026-03-10T21:00:00\n"
	    "    location: Room 1\n"
	    "  - title: Workshop\n"
	    "    start: 2026-03-12\n"
	    "    rrule: FREQ=WEEKLY;COUNT=3\n"
	    "---\n"
	    "Body with a [link](rel/).\n";
	struct page *t = page_parse(&cfg, "news/spring.md", toml, strlen(toml));
	struct page *y = page_parse(&cfg, "news/spring.md", yaml, strlen(yaml));
	char *a, *b;
	size_t alen, blen, i;

	(void)state;
	for (i = 0; i < t->diags.n; i++)
		print_message("toml: line %d: %s\n", t->diags.v[i].line,
		    t->diags.v[i].message);
	assert_true(t->ok);
	assert_true(y->ok);
	assert_int_equal(t->diags.n, 0);
	assert_int_equal(t->ntags, 2);
	assert_int_equal(t->ncategories, 1);
	assert_int_equal(t->nevents, 2);
	assert_int_equal(t->published, utc_timegm(2026, 3, 1, 9, 0, 0));
	assert_string_equal(t->description, "Talks and a workshop");
	/* Berlin: 19:00 in March is 18:00 UTC. */
	assert_int_equal(t->events[0].start_utc,
	    utc_timegm(2026, 3, 10, 18, 0, 0));
	assert_true(t->events[1].all_day);
	a = render_atom(&cfg, &channel, &t, 1, &alen);
	b = render_atom(&cfg, &channel, &y, 1, &blen);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	free(a);
	free(b);
	a = render_rss(&cfg, &channel, &t, 1, &alen);
	b = render_rss(&cfg, &channel, &y, 1, &blen);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	free(a);
	free(b);
	a = calendar_of(t, &alen);
	b = calendar_of(y, &blen);
	assert_non_null(strstr(a, "RRULE:FREQ=WEEKLY;COUNT=3"));
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	for (i = 0; i < t->nevents; i++) {
		assert_string_equal(t->events[i].uid, y->events[i].uid);
		assert_true(t->events[i].hash == y->events[i].hash);
	}
	free(a);
	free(b);
	page_free(t);
	page_free(y);
}

/* A broken TOML page says where, and is not published from. */
static void
hugo_page_error(void **state)
{
	const char *text =
	    "+++\n"
	    "title = \"x\"\n"
	    "[[events]]\n"
	    "title = \"Talk\"\n"
	    "start = 2026-03-10 19:00\n"
	    "+++\n";
	struct page *p = page_parse(&cfg, "news/bad.md", text, strlen(text));

	(void)state;
	assert_false(p->ok);
	assert_int_equal(p->diags.n, 1);
	assert_int_equal(p->diags.v[0].line, 5);
	assert_non_null(strstr(p->diags.v[0].message, "TOML"));
	page_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strings),
		cmocka_unit_test(numbers_and_booleans),
		cmocka_unit_test(dates_and_times),
		cmocka_unit_test(tagged_types),
		cmocka_unit_test(arrays_and_tables),
		cmocka_unit_test(line_numbers),
		cmocka_unit_test(errors_name_their_line),
		cmocka_unit_test(redefinitions),
		cmocka_unit_test(not_redefinitions),
		cmocka_unit_test(limits),
		cmocka_unit_test(front_matter),
		cmocka_unit_test(hugo_page_like_yaml),
		cmocka_unit_test(hugo_page_error),
	};

	return cmocka_run_group_tests_name("toml", tests, setup_config,
	    teardown_config);
}
