/*
 * toml.c -- TOML 1.0 front matter ("+++"), read by hand.
 *
 * Debian 12 packages no C TOML library, so crier has its own, small and
 * strict.  What it accepts and rejects is what Python's tomllib (the
 * oracle tests/toml/differential.py compares it with) does, with the
 * limits crier puts on all front matter: integers must fit in 64 bits (the
 * spec asks for that; tomllib has big integers), and depth and the number
 * of values are bounded as for YAML.
 *
 * The text is read into a tree of nodes of our own first, not straight
 * into jansson: which table a later line may still add to ("[a]" twice,
 * dotted keys into a table a header defined, anything into an inline
 * table or array) depends on flags per table that a json_t has no room
 * for.  The rules are tomllib's: a table named by a header is "defined";
 * tables opened by dotted keys become defined at the next header; inline
 * tables and arrays are frozen.  Keys are found through one hash of
 * (table, key) for the whole document, so 20 000 keys cost no quadratic
 * search.  Once the whole text is read, the tree is written out as the
 * front-matter model (or with TOML's types tagged, for the differential
 * test).  Redefining a key is an error, as in TOML and Hugo, unlike YAML's
 * duplicated key: the page keeps its last good version.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "toml.h"
#include "utf8.h"
#include "util.h"

enum kind {
	K_TABLE, K_ARRAY, K_STRING, K_INTEGER, K_FLOAT, K_BOOL,
	K_DATETIME, K_DATETIME_LOCAL, K_DATE_LOCAL, K_TIME_LOCAL
};

struct node {
	enum kind	 kind;
	int		 line;
	int		 depth;		/* the root is 1, as for YAML */
	unsigned	 defined : 1;	/* named by a [table] or [[array]] */
	unsigned	 frozen : 1;	/* an inline table or array */
	int		 dotted;	/* section whose dotted keys opened it */
	struct node	**kids;		/* tables and arrays */
	char		**keys;		/* tables: the kids' keys, in order */
	size_t		*keylens;
	size_t		 n, cap;
	char		*text;		/* strings; dates and times as written */
	size_t		 len;
	long long	 integer;	/* integers and booleans */
	double		 real;
	char		 canon[40];	/* dates and times, for TOML_TAGGED */
};

/* A key of the hash: which table, which key. */
struct slot {
	const struct node *table;
	const char	*key;
	size_t		 len;
	struct node	*kid;
};

struct keypart {
	char		*s;
	size_t		 len;
	const char	*at;
};

struct key {
	struct keypart	*v;
	size_t		 n, cap;
};

struct reader {
	const char	*text, *p, *end;
	int		 first_line;
	const char	*mark;		/* line_at's cursor */
	int		 mark_line;
	struct node	*root;
	struct node	*table;		/* where key/value lines go */
	int		 section;	/* headers seen, + 1 */
	int		 nodes;
	struct node	**all;		/* every node, to free them */
	size_t		 nall, capall;
	struct slot	*slots;
	size_t		 nslots, used;
	struct diags	*diags;
	int		 failed;
};

static struct node *read_value(struct reader *, int);

static int
line_at(struct reader *r, const char *at)
{
	while (r->mark < at) {
		if (*r->mark++ == '\n')
			r->mark_line++;
	}
	while (r->mark > at) {
		if (*--r->mark == '\n')
			r->mark_line--;
	}
	return r->first_line + r->mark_line;
}

/* What is at `at`, for messages: "'x'", "a newline", "U+00A0". */
static void
describe(const struct reader *r, const char *at, char *out, size_t size)
{
	unsigned char c;
	uint32_t cp;
	int n;

	if (at >= r->end) {
		n = snprintf(out, size, "the end of the text");
	} else if ((c = (unsigned char)*at) == '\n') {
		n = snprintf(out, size, "the end of the line");
	} else if (c > 0x20 && c < 0x7f) {
		n = snprintf(out, size, "'%c'", c);
	} else if (utf8_decode((const unsigned char *)at,
	    (size_t)(r->end - at), &cp) > 0) {
		n = snprintf(out, size, "U+%04X", (unsigned)cp);
	} else
		n = snprintf(out, size, "byte 0x%02X", c);
	if (n < 0 && size > 0)
		out[0] = '\0';
}

/* A key for messages: at most 60 bytes, cut between characters. */
static void
shown(const char *key, size_t len, char *out, size_t size)
{
	size_t n = len < 60 ? len : 60, i;

	if (n >= size)
		n = size - 1;
	if (n < len)
		while (n > 0 && ((unsigned char)key[n] & 0xc0) == 0x80)
			n--;
	for (i = 0; i < n; i++)
		out[i] = (unsigned char)key[i] < 0x20 ? '?' : key[i];
	out[n] = '\0';
}

/* Reports the first problem only: the rest would follow from it. */
static int
fail(struct reader *r, const char *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	if (r->failed)
		return -1;
	r->failed = 1;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		strcpy(msg, "error");
	diags_add(r->diags, DIAG_ERROR, line_at(r, at), "front matter: TOML %s",
	    msg);
	return -1;
}

static int
fail_at(struct reader *r, const char *at, const char *what)
{
	char thing[32];

	describe(r, at, thing, sizeof thing);
	return fail(r, at, "%s, not %s", what, thing);
}

static int
fail_char(struct reader *r, const char *at, const char *where)
{
	char thing[32];

	describe(r, at, thing, sizeof thing);
	return fail(r, at, "%s is not allowed %s", thing, where);
}

static int
peek(const struct reader *r, size_t k)
{
	return (size_t)(r->end - r->p) > k ? (unsigned char)r->p[k] : -1;
}

static int
starts(const struct reader *r, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(r->end - r->p) >= n && memcmp(r->p, s, n) == 0;
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_hex(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int
is_bare(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    is_digit(c) || c == '-' || c == '_';
}

/* Control characters TOML allows nowhere but tab (and newlines, apart). */
static int
is_control(int c)
{
	return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f;
}

static void
skip_ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t'))
		r->p++;
}

static int
skip_comment(struct reader *r)
{
	if (peek(r, 0) != '#')
		return 0;
	for (r->p++; r->p < r->end && *r->p != '\n'; r->p++)
		if (is_control((unsigned char)*r->p))
			return fail_char(r, r->p, "in a comment");
	return 0;
}

/* Spaces, newlines and comments, as between the values of an array. */
static int
skip_array_space(struct reader *r)
{
	for (;;) {
		while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
		    *r->p == '\n'))
			r->p++;
		if (peek(r, 0) != '#')
			return 0;
		if (skip_comment(r) == -1)
			return -1;
	}
}

/* Nodes */

static struct node *
new_node(struct reader *r, enum kind kind, int depth, const char *at)
{
	struct node *n;

	if (depth > TOML_MAX_DEPTH || ++r->nodes > TOML_MAX_NODES) {
		fail(r, at, "nested deeper than %d levels or more than %d values",
		    TOML_MAX_DEPTH, TOML_MAX_NODES);
		return NULL;
	}
	n = xcalloc(1, sizeof *n);
	n->kind = kind;
	n->depth = depth;
	n->line = line_at(r, at);
	if (r->nall == r->capall) {
		r->capall = r->capall ? r->capall * 2 : 64;
		r->all = xreallocarray(r->all, r->capall, sizeof *r->all);
	}
	r->all[r->nall++] = n;
	return n;
}

static void
free_nodes(struct reader *r)
{
	struct node *n;
	size_t i, k;

	for (i = 0; i < r->nall; i++) {
		n = r->all[i];
		if (n->keys != NULL)
			for (k = 0; k < n->n; k++)
				free(n->keys[k]);
		free(n->keys);
		free(n->keylens);
		free(n->kids);
		free(n->text);
		free(n);
	}
	free(r->all);
	free(r->slots);
}

static size_t
slot_of(const struct reader *r, const struct node *table, const char *key,
    size_t len)
{
	uint64_t h = hash64(key, len) ^
	    ((uint64_t)(uintptr_t)table * 0x9e3779b97f4a7c15ULL);
	size_t i = (size_t)(h ^ (h >> 29)) & (r->nslots - 1);
	const struct slot *s;

	for (;; i = (i + 1) & (r->nslots - 1)) {
		s = &r->slots[i];
		if (s->table == NULL || (s->table == table && s->len == len &&
		    memcmp(s->key, key, len) == 0))
			return i;
	}
}

static struct node *
table_get(const struct reader *r, const struct node *table, const char *key,
    size_t len)
{
	if (r->nslots == 0)
		return NULL;
	return r->slots[slot_of(r, table, key, len)].kid;
}

static void
index_grow(struct reader *r)
{
	struct slot *old = r->slots;
	size_t n = r->nslots, i;

	r->nslots = n ? n * 2 : 256;
	r->slots = xcalloc(r->nslots, sizeof *r->slots);
	for (i = 0; i < n; i++)
		if (old[i].table != NULL)
			r->slots[slot_of(r, old[i].table, old[i].key,
			    old[i].len)] = old[i];
	free(old);
}

static void
add_kid(struct node *n, struct node *kid)
{
	if (n->n == n->cap) {
		n->cap = n->cap ? n->cap * 2 : 4;
		n->kids = xreallocarray(n->kids, n->cap, sizeof *n->kids);
		if (n->kind == K_TABLE) {
			n->keys = xreallocarray(n->keys, n->cap,
			    sizeof *n->keys);
			n->keylens = xreallocarray(n->keylens, n->cap,
			    sizeof *n->keylens);
		}
	}
	n->kids[n->n++] = kid;
}

static void
table_add(struct reader *r, struct node *table, const struct keypart *k,
    struct node *kid)
{
	struct slot *s;
	char *key = xmalloc(k->len + 1);

	memcpy(key, k->s, k->len);
	key[k->len] = '\0';
	add_kid(table, kid);
	table->keys[table->n - 1] = key;
	table->keylens[table->n - 1] = k->len;
	if ((r->used + 1) * 2 > r->nslots)
		index_grow(r);
	s = &r->slots[slot_of(r, table, key, k->len)];
	s->table = table;
	s->key = key;
	s->len = k->len;
	s->kid = kid;
	r->used++;
}

/* Defined: named by a header, or opened by dotted keys before the last
 * header. */
static int
is_defined(const struct reader *r, const struct node *n)
{
	return n->defined || (n->dotted != 0 && n->dotted < r->section);
}

static const char *
kind_name(const struct node *n)
{
	switch (n->kind) {
	case K_TABLE:
		return n->frozen ? "an inline table" : "a table";
	case K_ARRAY:
		return n->frozen ? "an array" : "an array of tables";
	default:
		return "a value";
	}
}

/* Strings */

static void
add_utf8(struct buf *b, uint32_t c)
{
	char s[4];
	size_t n;

	if (c < 0x80) {
		s[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		s[0] = (char)(0xc0 | c >> 6);
		s[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		s[0] = (char)(0xe0 | c >> 12);
		s[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		s[0] = (char)(0xf0 | c >> 18);
		s[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	buf_add(b, s, n);
}

static int
read_unicode_escape(struct reader *r, struct buf *out, int digits)
{
	const char *at = r->p - 2;
	uint32_t c = 0;
	int i, d;

	for (i = 0; i < digits; i++) {
		if (!is_hex(d = peek(r, 0)))
			return fail(r, at, "\\%c needs %d hex digits",
			    digits == 4 ? 'u' : 'U', digits);
		c = c * 16 + (uint32_t)(is_digit(d) ? d - '0' :
		    (d | 0x20) - 'a' + 10);
		r->p++;
	}
	if ((c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return fail(r, at, "\\%c%0*X is not a Unicode character",
		    digits == 4 ? 'u' : 'U', digits, (unsigned)c);
	add_utf8(out, c);
	return 0;
}

/* r->p is at a backslash. */
static int
read_escape(struct reader *r, struct buf *out, int multiline)
{
	const char *at = r->p;
	int c = peek(r, 1);

	r->p += c == -1 ? 1 : 2;
	switch (c) {
	case 'b': buf_addc(out, '\b'); return 0;
	case 't': buf_addc(out, '\t'); return 0;
	case 'n': buf_addc(out, '\n'); return 0;
	case 'f': buf_addc(out, '\f'); return 0;
	case 'r': buf_addc(out, '\r'); return 0;
	case '"': buf_addc(out, '"'); return 0;
	case '\\': buf_addc(out, '\\'); return 0;
	case 'u': return read_unicode_escape(r, out, 4);
	case 'U': return read_unicode_escape(r, out, 8);
	}
	if (multiline && (c == ' ' || c == '\t' || c == '\n')) {
		/* A line-ending backslash: the newline and the spaces after
		 * it go. */
		if (c != '\n') {
			skip_ws(r);
			if (r->p >= r->end)
				return 0;	/* unterminated, said next */
			if (*r->p != '\n')
				return fail(r, at, "a backslash in a string "
				    "must start an escape or end the line");
		}
		while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
		    *r->p == '\n'))
			r->p++;
		return 0;
	}
	return fail(r, at, "unknown escape in a string (use \\\\ for a "
	    "backslash)");
}

/* After the opening quote(s): up to and past the closing ones. */
static int
read_basic(struct reader *r, struct buf *out, int multiline,
    const char *start)
{
	const char *run;
	int c;

	for (;;) {
		run = r->p;
		while (r->p < r->end && *r->p != '"' && *r->p != '\\' &&
		    !is_control((unsigned char)*r->p) && *r->p != '\n')
			r->p++;
		buf_add(out, run, (size_t)(r->p - run));
		if (r->p >= r->end)
			return fail(r, start, "string never ends");
		c = (unsigned char)*r->p;
		if (c == '"') {
			if (!multiline) {
				r->p++;
				return 0;
			}
			if (starts(r, "\"\"\"")) {
				r->p += 3;
				return 0;
			}
			buf_addc(out, '"');
			r->p++;
		} else if (c == '\\') {
			if (read_escape(r, out, multiline) == -1)
				return -1;
		} else if (c == '\n' && multiline) {
			buf_addc(out, '\n');
			r->p++;
		} else if (c == '\n')
			return fail(r, r->p, "a string on one line must end "
			    "on it");
		else
			return fail_char(r, r->p, "in a string");
	}
}

static int
read_literal(struct reader *r, struct buf *out, int multiline,
    const char *start)
{
	const char *run = r->p;
	int c;

	for (;;) {
		if (r->p >= r->end)
			return fail(r, start, "string never ends");
		c = (unsigned char)*r->p;
		if (c == '\'' && (!multiline || starts(r, "'''"))) {
			buf_add(out, run, (size_t)(r->p - run));
			r->p += multiline ? 3 : 1;
			return 0;
		}
		if (c == '\n' && !multiline)
			return fail(r, r->p, "a string on one line must end "
			    "on it");
		if (is_control(c) && c != '\n')
			return fail_char(r, r->p, "in a string");
		r->p++;
	}
}

/* One or two more quotes after the closing three belong to the string. */
static void
closing_quotes(struct reader *r, struct buf *out, char q)
{
	int i;

	for (i = 0; i < 2 && peek(r, 0) == q; i++) {
		buf_addc(out, q);
		r->p++;
	}
}

/* Any string; keys are only the one-line forms. */
static int
read_string(struct reader *r, struct buf *out, int key)
{
	const char *start = r->p;
	char q = *r->p;
	int rc;

	if (!key && (starts(r, "\"\"\"") || starts(r, "'''"))) {
		r->p += 3;
		if (peek(r, 0) == '\n')
			r->p++;
		rc = q == '"' ? read_basic(r, out, 1, start) :
		    read_literal(r, out, 1, start);
		if (rc == 0)
			closing_quotes(r, out, q);
		return rc;
	}
	r->p++;
	return q == '"' ? read_basic(r, out, 0, start) :
	    read_literal(r, out, 0, start);
}

/* Keys */

static void
key_free(struct key *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->v[i].s);
	free(k->v);
	memset(k, 0, sizeof *k);
}

static int
read_key_part(struct reader *r, struct key *k)
{
	struct keypart *part;
	struct buf b;
	const char *at = r->p;
	int c = peek(r, 0);

	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 4;
		k->v = xreallocarray(k->v, k->cap, sizeof *k->v);
	}
	part = &k->v[k->n];
	if (is_bare(c)) {
		while (is_bare(peek(r, 0)))
			r->p++;
		part->len = (size_t)(r->p - at);
		part->s = xstrndup(at, part->len);
	} else if (c == '"' || c == '\'') {
		buf_init(&b);
		if (read_string(r, &b, 1) == -1) {
			buf_free(&b);
			return -1;
		}
		part->len = b.len;
		part->s = buf_steal(&b);
	} else
		return fail_at(r, at, "expected a key");
	part->at = at;
	k->n++;
	return 0;
}

/* a, "a b", 'a'.b . c: whitespace around the dots is allowed. */
static int
read_key(struct reader *r, struct key *k)
{
	for (;;) {
		if (read_key_part(r, k) == -1)
			return -1;
		skip_ws(r);
		if (peek(r, 0) != '.')
			return 0;
		r->p++;
		skip_ws(r);
	}
}

/* The table a dotted key's part names, opened if new. */
static struct node *
dotted_step(struct reader *r, struct node *table, const struct keypart *k,
    int in_inline)
{
	struct node *kid = table_get(r, table, k->s, k->len);
	char name[64];

	shown(k->s, k->len, name, sizeof name);
	if (kid == NULL) {
		if ((kid = new_node(r, K_TABLE, table->depth + 1, k->at)) == NULL)
			return NULL;
		table_add(r, table, k, kid);
	} else if (kid->kind != K_TABLE || kid->frozen) {
		fail(r, k->at, "'%s' is %s (line %d): a dotted key cannot add "
		    "to it", name, kind_name(kid), kid->line);
		return NULL;
	} else if (!in_inline && is_defined(r, kid)) {
		fail(r, k->at, "table '%s' was defined on line %d: a dotted key "
		    "cannot add to it here", name, kid->line);
		return NULL;
	}
	if (!in_inline)
		kid->dotted = r->section;
	return kid;
}

/* key = value, into table (the current one, or an inline table). */
static int
read_keyval(struct reader *r, struct node *table, int in_inline)
{
	struct node *v, *old, *parent = table;
	const struct keypart *last;
	struct key k;
	char name[64];
	int line = line_at(r, r->p), rc = -1;
	size_t i;

	memset(&k, 0, sizeof k);
	if (read_key(r, &k) == -1)
		goto out;
	if (peek(r, 0) != '=') {
		fail_at(r, r->p, "expected '=' after the key");
		goto out;
	}
	r->p++;
	skip_ws(r);
	if ((v = read_value(r, table->depth + (int)k.n)) == NULL)
		goto out;
	for (i = 0; i + 1 < k.n; i++)
		if ((parent = dotted_step(r, parent, &k.v[i], in_inline)) ==
		    NULL)
			goto out;
	last = &k.v[k.n - 1];
	if ((old = table_get(r, parent, last->s, last->len)) != NULL) {
		shown(last->s, last->len, name, sizeof name);
		fail(r, last->at, "'%s' is defined twice (first on line %d)",
		    name, old->line);
		goto out;
	}
	v->line = line;
	table_add(r, parent, last, v);
	rc = 0;
out:
	key_free(&k);
	return rc;
}

/* Headers */

/* The table an intermediate part of a header names, opened if new. */
static struct node *
header_step(struct reader *r, struct node *table, const struct keypart *k,
    const char *at)
{
	struct node *kid = table_get(r, table, k->s, k->len);
	char name[64];

	if (kid == NULL) {
		if ((kid = new_node(r, K_TABLE, table->depth + 1, at)) == NULL)
			return NULL;
		table_add(r, table, k, kid);
		return kid;
	}
	if (kid->frozen || (kid->kind != K_TABLE && kid->kind != K_ARRAY)) {
		shown(k->s, k->len, name, sizeof name);
		fail(r, at, "'%s' is %s (line %d): a header cannot add to it",
		    name, kind_name(kid), kid->line);
		return NULL;
	}
	/* An array of tables: its newest table. */
	return kid->kind == K_ARRAY ? kid->kids[kid->n - 1] : kid;
}

static struct node *
open_table(struct reader *r, struct node *table, const struct keypart *k,
    const char *at)
{
	struct node *kid = table_get(r, table, k->s, k->len);
	char name[64];

	if (kid == NULL) {
		if ((kid = new_node(r, K_TABLE, table->depth + 1, at)) == NULL)
			return NULL;
		table_add(r, table, k, kid);
	} else if (kid->kind != K_TABLE || kid->frozen || is_defined(r, kid)) {
		shown(k->s, k->len, name, sizeof name);
		fail(r, at, "'%s' is already %s (line %d)", name,
		    kid->kind == K_TABLE && !kid->frozen ? "defined" :
		    kind_name(kid), kid->line);
		return NULL;
	}
	kid->defined = 1;
	kid->line = line_at(r, at);
	return kid;
}

static struct node *
append_table(struct reader *r, struct node *table, const struct keypart *k,
    const char *at)
{
	struct node *array = table_get(r, table, k->s, k->len), *t;
	char name[64];

	if (array == NULL) {
		if ((array = new_node(r, K_ARRAY, table->depth + 1, at)) == NULL)
			return NULL;
		array->defined = 1;
		table_add(r, table, k, array);
	} else if (array->kind != K_ARRAY || array->frozen) {
		shown(k->s, k->len, name, sizeof name);
		fail(r, at, "'%s' is %s (line %d), not an array of tables",
		    name, kind_name(array), array->line);
		return NULL;
	}
	if ((t = new_node(r, K_TABLE, array->depth + 1, at)) == NULL)
		return NULL;
	t->defined = 1;
	add_kid(array, t);
	return t;
}

/* [a.b] or [[a.b]]: the table later key/value lines go to. */
static int
read_header(struct reader *r)
{
	const char *at = r->p;
	int many = starts(r, "[["), rc = -1;
	struct node *t = r->root;
	struct key k;
	size_t i;

	memset(&k, 0, sizeof k);
	r->section++;
	r->p += many ? 2 : 1;
	skip_ws(r);
	if (read_key(r, &k) == -1)
		goto out;
	for (i = 0; i + 1 < k.n; i++)
		if ((t = header_step(r, t, &k.v[i], at)) == NULL)
			goto out;
	t = many ? append_table(r, t, &k.v[k.n - 1], at) :
	    open_table(r, t, &k.v[k.n - 1], at);
	if (t == NULL)
		goto out;
	if (!starts(r, many ? "]]" : "]")) {
		fail_at(r, r->p, many ? "expected ']]' after the array of "
		    "tables' name" : "expected ']' after the table's name");
		goto out;
	}
	r->p += many ? 2 : 1;
	r->table = t;
	rc = 0;
out:
	key_free(&k);
	return rc;
}

/* Values */

static int
is_base_digit(int c, int base)
{
	if (base == 16)
		return is_hex(c);
	return c >= '0' && c < '0' + base;
}

/* Length of [0-9](_?[0-9])* (with the digits of base) at s, or 0. */
static size_t
digit_run(const char *s, const char *end, int base)
{
	const char *q = s;

	if (q >= end || !is_base_digit((unsigned char)*q, base))
		return 0;
	for (q++; q < end; ) {
		if (is_base_digit((unsigned char)*q, base))
			q++;
		else if (*q == '_' && q + 1 < end &&
		    is_base_digit((unsigned char)q[1], base))
			q += 2;
		else
			break;
	}
	return (size_t)(q - s);
}

/* HH:MM:SS[.fraction] at s: its length, or 0.  Microseconds are kept. */
static size_t
match_time(const char *s, const char *end, int *h, int *m, int *sec,
    int *us)
{
	const char *q;
	int k;

	if (end - s < 8 || !is_digit(s[0]) || !is_digit(s[1]) || s[2] != ':' ||
	    !is_digit(s[3]) || !is_digit(s[4]) || s[5] != ':' ||
	    !is_digit(s[6]) || !is_digit(s[7]))
		return 0;
	*h = (s[0] - '0') * 10 + s[1] - '0';
	*m = (s[3] - '0') * 10 + s[4] - '0';
	*sec = (s[6] - '0') * 10 + s[7] - '0';
	if (*h > 23 || *m > 59 || *sec > 59)
		return 0;
	q = s + 8;
	*us = 0;
	if (end - q >= 2 && *q == '.' && is_digit(q[1])) {
		for (q++, k = 0; q < end && is_digit(*q); q++)
			if (k < 6) {
				*us = *us * 10 + *q - '0';
				k++;
			}
		for (; k < 6; k++)
			*us *= 10;
	}
	return (size_t)(q - s);
}

static int
two_digits(const char *s, int *v)
{
	if (!is_digit(s[0]) || !is_digit(s[1]))
		return 0;
	*v = (s[0] - '0') * 10 + s[1] - '0';
	return 1;
}

/*
 * A date, and maybe a time and an offset, at r->p: the node, or NULL and
 * *len 0 when there is none.
 */
static struct node *
read_datetime(struct reader *r, int depth, size_t *len)
{
	const char *s = r->p, *end = r->end, *q;
	int y, mo, d, h = 0, mi = 0, sec = 0, us = 0, oh = 0, om = 0;
	char sign = 0;
	enum kind kind = K_DATE_LOCAL;
	struct node *n;
	size_t k;

	*len = 0;
	if (end - s < 10 || !two_digits(s, &y) || !two_digits(s + 2, &d) ||
	    s[4] != '-' || !two_digits(s + 5, &mo) || s[7] != '-')
		return NULL;
	y = y * 100 + d;
	if (!two_digits(s + 8, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
		return NULL;
	q = s + 10;
	if (end - q > 1 && (*q == 'T' || *q == 't' || *q == ' ') &&
	    (k = match_time(q + 1, end, &h, &mi, &sec, &us)) > 0) {
		kind = K_DATETIME_LOCAL;
		q += 1 + k;
		if (q < end && (*q == 'Z' || *q == 'z')) {
			kind = K_DATETIME;
			sign = '+';
			q++;
		} else if (end - q >= 6 && (*q == '+' || *q == '-') &&
		    two_digits(q + 1, &oh) && q[3] == ':' &&
		    two_digits(q + 4, &om) && oh <= 23 && om <= 59) {
			kind = K_DATETIME;
			sign = oh == 0 && om == 0 ? '+' : *q;
			q += 6;
		}
	}
	*len = (size_t)(q - s);
	if (!dates_valid(y, mo, d)) {
		fail(r, s, "%.10s is not a date", s);
		return NULL;
	}
	if ((n = new_node(r, kind, depth, s)) == NULL)
		return NULL;
	if (kind == K_DATE_LOCAL)
		snprintf(n->canon, sizeof n->canon, "%04d-%02d-%02d", y, mo, d);
	else
		snprintf(n->canon, sizeof n->canon,
		    "%04d-%02d-%02dT%02d:%02d:%02d.%06d", y, mo, d, h, mi, sec,
		    us);
	if (kind == K_DATETIME)
		snprintf(n->canon + 26, sizeof n->canon - 26, "%c%02d:%02d",
		    sign, oh, om);
	return n;
}

/* Decimal, or 0x/0o/0b: the spec's 64 bits, or an error. */
static int
to_integer(const char *s, size_t len, int base, long long *out)
{
	unsigned long long v = 0, limit = INT64_MAX;
	size_t i = 0;
	int neg = 0, d;

	if (base != 10)
		i = 2;
	else if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i = 1;
	}
	if (neg)
		limit++;
	for (; i < len; i++) {
		if (s[i] == '_')
			continue;
		d = is_digit(s[i]) ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10;
		if (v > (limit - (unsigned)d) / (unsigned)base)
			return -1;
		v = v * (unsigned)base + (unsigned)d;
	}
	if (!neg)
		*out = (long long)v;
	else
		*out = v == (unsigned long long)INT64_MAX + 1 ? INT64_MIN :
		    -(long long)v;
	return 0;
}

/*
 * The length of an integer or float at s (tomllib's number pattern), or
 * 0; *base is 16, 8 or 2 for prefixed integers, 10 else; *real set for a
 * float.
 */
static size_t
match_number(const char *s, const char *end, int *base, int *real)
{
	const char *q = s, *t;
	size_t k;

	*real = 0;
	*base = 10;
	if (end - s >= 3 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' ||
	    s[1] == 'b')) {
		*base = s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2;
		if ((k = digit_run(s + 2, end, *base)) > 0)
			return 2 + k;
		*base = 10;
	}
	if (q < end && (*q == '+' || *q == '-'))
		q++;
	if (q < end && *q == '0')
		q++;
	else if (q < end && *q >= '1' && *q <= '9')
		q += digit_run(q, end, 10);
	else
		return 0;
	if (end - q >= 2 && *q == '.' && (k = digit_run(q + 1, end, 10)) > 0) {
		q += 1 + k;
		*real = 1;
	}
	if (q < end && (*q == 'e' || *q == 'E')) {
		t = q + 1;
		if (t < end && (*t == '+' || *t == '-'))
			t++;
		if ((k = digit_run(t, end, 10)) > 0) {
			q = t + k;
			*real = 1;
		}
	}
	return (size_t)(q - s);
}

static struct node *
read_number(struct reader *r, int depth)
{
	const char *s = r->p;
	struct node *n;
	struct buf b;
	size_t len, i;
	int base, real;
	long long v;
	char *end;

	if ((len = match_number(s, r->end, &base, &real)) == 0) {
		fail_at(r, s, "expected a value");
		return NULL;
	}
	if (!real && to_integer(s, len, base, &v) == -1) {
		fail(r, s, "%.*s does not fit in 64 bits", (int)len, s);
		return NULL;
	}
	if ((n = new_node(r, real ? K_FLOAT : K_INTEGER, depth, s)) == NULL)
		return NULL;
	r->p += len;
	if (!real) {
		n->integer = v;
		return n;
	}
	/* strtod in crier's C locale (it never calls setlocale), so '.'. */
	buf_init(&b);
	for (i = 0; i < len; i++)
		if (s[i] != '_')
			buf_addc(&b, s[i]);
	n->real = strtod(b.data, &end);
	if (*end != '\0')
		fail(r, s, "%.*s is not a number", (int)len, s);
	buf_free(&b);
	return r->failed ? NULL : n;
}

static struct node *
read_special_float(struct reader *r, int depth)
{
	static const char *names[] = {
		"inf", "nan", "+inf", "-inf", "+nan", "-nan"
	};
	struct node *n;
	size_t i;

	for (i = 0; i < nitems(names); i++)
		if (starts(r, names[i]))
			break;
	if (i == nitems(names))
		return read_number(r, depth);	/* to say what is wrong */
	if ((n = new_node(r, K_FLOAT, depth, r->p)) == NULL)
		return NULL;
	n->real = strstr(names[i], "nan") != NULL ? NAN : INFINITY;
	if (names[i][0] == '-')
		n->real = -n->real;
	r->p += strlen(names[i]);
	return n;
}

static struct node *
read_array(struct reader *r, int depth)
{
	struct node *a = new_node(r, K_ARRAY, depth, r->p), *v;
	int c;

	if (a == NULL)
		return NULL;
	r->p++;
	if (skip_array_space(r) == -1)
		return NULL;
	while (peek(r, 0) != ']') {
		if ((v = read_value(r, depth + 1)) == NULL)
			return NULL;
		add_kid(a, v);
		if (skip_array_space(r) == -1)
			return NULL;
		if ((c = peek(r, 0)) == ']')
			break;
		if (c != ',') {
			fail_at(r, r->p, "expected ',' or ']' in the array");
			return NULL;
		}
		r->p++;
		if (skip_array_space(r) == -1)
			return NULL;
	}
	r->p++;
	a->frozen = 1;
	return a;
}

/* { a = 1, b.c = 2 } on one line, no comma after the last. */
static struct node *
read_inline_table(struct reader *r, int depth)
{
	struct node *t = new_node(r, K_TABLE, depth, r->p);
	int c;

	if (t == NULL)
		return NULL;
	r->p++;
	skip_ws(r);
	if (peek(r, 0) == '}') {
		r->p++;
		t->frozen = 1;
		return t;
	}
	for (;;) {
		if (read_keyval(r, t, 1) == -1)
			return NULL;
		skip_ws(r);
		if ((c = peek(r, 0)) == '}')
			break;
		if (c != ',') {
			fail_at(r, r->p, "expected ',' or '}' in the inline "
			    "table");
			return NULL;
		}
		r->p++;
		skip_ws(r);
	}
	r->p++;
	t->frozen = 1;
	return t;
}

static struct node *
read_string_value(struct reader *r, int depth)
{
	struct node *n = new_node(r, K_STRING, depth, r->p);
	struct buf b;

	if (n == NULL)
		return NULL;
	buf_init(&b);
	if (read_string(r, &b, 0) == -1) {
		buf_free(&b);
		return NULL;
	}
	n->len = b.len;
	n->text = buf_steal(&b);
	return n;
}

static struct node *
read_value(struct reader *r, int depth)
{
	const char *s = r->p;
	struct node *n;
	int c = peek(r, 0), h, m, sec, us;
	size_t len;

	if (c == '"' || c == '\'')
		return read_string_value(r, depth);
	if (starts(r, "true") || starts(r, "false")) {
		if ((n = new_node(r, K_BOOL, depth, s)) == NULL)
			return NULL;
		n->integer = c == 't';
		r->p += n->integer ? 4 : 5;
		return n;
	}
	if (c == '[')
		return read_array(r, depth);
	if (c == '{')
		return read_inline_table(r, depth);
	n = read_datetime(r, depth, &len);
	if (n == NULL && (r->failed || len > 0))
		return NULL;
	if (n == NULL && (len = match_time(s, r->end, &h, &m, &sec, &us)) > 0) {
		if ((n = new_node(r, K_TIME_LOCAL, depth, s)) == NULL)
			return NULL;
		snprintf(n->canon, sizeof n->canon, "%02d:%02d:%02d.%06d", h, m,
		    sec, us);
	}
	if (n != NULL) {
		n->len = len;
		n->text = xstrndup(s, len);
		r->p += len;
		return n;
	}
	if (c == 'i' || c == 'n' || ((c == '+' || c == '-') &&
	    (peek(r, 1) == 'i' || peek(r, 1) == 'n')))
		return read_special_float(r, depth);
	return read_number(r, depth);
}

/* The document */

static int
read_document(struct reader *r)
{
	int c;

	for (;;) {
		skip_ws(r);
		if (r->p >= r->end)
			return 0;
		c = (unsigned char)*r->p;
		if (c == '\n') {
			r->p++;
			continue;
		}
		if (is_bare(c) || c == '"' || c == '\'') {
			if (read_keyval(r, r->table, 0) == -1)
				return -1;
		} else if (c == '[') {
			if (read_header(r) == -1)
				return -1;
		} else if (c != '#')
			return fail_at(r, r->p, "expected a key, a [table] or a "
			    "comment");
		skip_ws(r);
		if (skip_comment(r) == -1)
			return -1;
		if (r->p < r->end && *r->p != '\n')
			return fail_at(r, r->p, "expected the end of the line");
	}
}

/* Output */

static json_t *
tagged(const char *type, const char *value, size_t len)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	if (json_object_set_new(o, "type", json_string(type)) == -1 ||
	    json_object_set_new(o, "value", json_stringn(value, len)) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
float_value(const struct node *n, enum toml_form form)
{
	char s[40];
	int k;

	if (isnan(n->real))
		strcpy(s, "nan");
	else if (isinf(n->real))
		strcpy(s, n->real < 0 ? "-inf" : "inf");
	else if (form == TOML_MODEL)
		return json_real(n->real);
	else if ((k = snprintf(s, sizeof s, "%.17g", n->real)) < 0 ||
	    (size_t)k >= sizeof s)
		return NULL;
	return form == TOML_TAGGED ? tagged("float", s, strlen(s)) :
	    json_string(s);
}

static json_t *
scalar_value(const struct node *n, enum toml_form form)
{
	static const char *dates[] = {
		"datetime", "datetime-local", "date-local", "time-local"
	};
	char s[24];

	switch (n->kind) {
	case K_STRING:
		return form == TOML_TAGGED ? tagged("string", n->text, n->len) :
		    json_stringn(n->text, n->len);
	case K_INTEGER:
		if (form == TOML_MODEL)
			return json_integer(n->integer);
		if (snprintf(s, sizeof s, "%lld", n->integer) < 0)
			return NULL;
		return tagged("integer", s, strlen(s));
	case K_BOOL:
		if (form == TOML_MODEL)
			return json_boolean(n->integer);
		return tagged("bool", n->integer ? "true" : "false",
		    n->integer ? 4 : 5);
	case K_FLOAT:
		return float_value(n, form);
	default:
		if (form == TOML_MODEL)
			return json_stringn(n->text, n->len);
		return tagged(dates[n->kind - K_DATETIME], n->canon,
		    strlen(n->canon));
	}
}

static json_t *
to_json(const struct node *n, enum toml_form form, json_t *lines,
    struct buf *path)
{
	json_t *v, *kid, *line;
	size_t i, mark = path->len;
	char index[24];
	int k;

	if (n->kind != K_TABLE && n->kind != K_ARRAY)
		return scalar_value(n, form);
	if ((v = n->kind == K_TABLE ? json_object() : json_array()) == NULL)
		return NULL;
	for (i = 0; i < n->n; i++) {
		if (mark > 0)
			buf_addc(path, '/');
		if (n->kind == K_TABLE)
			buf_add(path, n->keys[i], n->keylens[i]);
		else if ((k = snprintf(index, sizeof index, "%zu", i)) > 0)
			buf_add(path, index, (size_t)k);
		if (lines != NULL && ((line = json_integer(n->kids[i]->line))
		    == NULL || json_object_setn_new(lines, path->data,
		    path->len, line) == -1))
			goto fail;
		kid = to_json(n->kids[i], form, lines, path);
		path->len = mark;
		path->data[mark] = '\0';
		if (kid == NULL)
			goto fail;
		if (n->kind == K_TABLE ? json_object_setn_new(v, n->keys[i],
		    n->keylens[i], kid) : json_array_append_new(v, kid))
			goto fail;
	}
	return v;
fail:
	json_decref(v);
	return NULL;
}

/* tomllib reads "\r\n" as "\n" everywhere, strings included; so do we. */
static char *
normalize_newlines(const char *text, size_t len, size_t *outlen)
{
	char *out = xmalloc(len + 1);
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (text[i] != '\r' || i + 1 >= len || text[i + 1] != '\n')
			out[n++] = text[i];
	out[n] = '\0';
	*outlen = n;
	return out;
}

/* NUL is allowed nowhere in TOML, and the text must be UTF-8. */
static int
check_text(struct reader *r)
{
	const char *p = r->text;
	uint32_t cp;
	size_t k;

	while (p < r->end) {
		if (*p == '\0')
			return fail(r, p, "NUL character");
		if ((k = utf8_decode((const unsigned char *)p,
		    (size_t)(r->end - p), &cp)) == 0)
			return fail(r, p, "invalid UTF-8");
		p += k;
	}
	return 0;
}

json_t *
toml_parse(const char *text, size_t len, int first_line,
    enum toml_form form, json_t *lines, struct diags *diags)
{
	struct reader r;
	struct buf path;
	json_t *out = NULL;
	char *norm;
	size_t n;

	memset(&r, 0, sizeof r);
	norm = normalize_newlines(text, len, &n);
	r.text = r.p = r.mark = norm;
	r.end = norm + n;
	r.first_line = first_line;
	r.diags = diags;
	r.section = 1;
	if ((r.root = new_node(&r, K_TABLE, 1, norm)) != NULL) {
		r.nodes = 0;	/* the root is no value */
		r.table = r.root;
		if (check_text(&r) == 0 && read_document(&r) == 0) {
			buf_init(&path);
			if ((out = to_json(r.root, form, lines, &path)) == NULL)
				fail(&r, norm, "cannot build the values");
			buf_free(&path);
		}
	}
	free_nodes(&r);
	free(norm);
	return out;
}
