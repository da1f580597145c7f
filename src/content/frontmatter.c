/*
 * frontmatter.c -- YAML (libyaml), TOML (toml.c) and JSON (jansson) front
 * matter.
 *
 * All forms become one jansson object, so the rest of crier reads a single
 * representation.  YAML is read with libyaml's event parser and built into
 * JSON values by hand here only because libyaml has no document model with
 * the two properties crier needs: a line number for every key (diagnostics
 * name lines) and tolerance of duplicated keys (Hugo accepts them; the
 * later one wins, and we warn).  Aliases are not expanded at all, which
 * removes the "billion laughs" expansion attack; depth and node count are
 * bounded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "frontmatter.h"
#include "toml.h"

_Static_assert(FM_MAX_DEPTH == TOML_MAX_DEPTH && FM_MAX_NODES == TOML_MAX_NODES,
    "TOML and YAML front matter have the same limits");
#include "util.h"

struct yaml_reader {
	yaml_parser_t	 parser;
	json_t		*lines;		/* may be NULL */
	struct diags	*diags;
	int		 first_line;	/* file line of the YAML's first line */
	int		 nodes;
	int		 failed;
};

static json_t *read_node(struct yaml_reader *, yaml_event_t *, int,
    const char *);

static int
event_line(struct yaml_reader *r, const yaml_event_t *ev)
{
	return r->first_line + (int)ev->start_mark.line;
}

static int
next_event(struct yaml_reader *r, yaml_event_t *ev)
{
	if (yaml_parser_parse(&r->parser, ev))
		return 0;
	diags_add(r->diags, DIAG_ERROR, r->first_line +
	    (int)r->parser.problem_mark.line, "front matter: YAML %s%s%s",
	    r->parser.problem ? r->parser.problem : "syntax error",
	    r->parser.context ? " " : "",
	    r->parser.context ? r->parser.context : "");
	r->failed = 1;
	return -1;
}

/* Plain YAML scalars get YAML 1.2 core-schema types; quoted ones stay text. */
static json_t *
scalar_value(const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	char *end;
	long long v;

	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_stringn_nocheck(s, n);
	if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 ||
	    strcmp(s, "TRUE") == 0)
		return json_true();
	if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 ||
	    strcmp(s, "FALSE") == 0)
		return json_false();
	if (n == 0 || strcmp(s, "~") == 0 || strcmp(s, "null") == 0)
		return json_null();
	if (n < 19 && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9'))) {
		v = strtoll(s, &end, 10);
		if (*end == '\0')
			return json_integer(v);
	}
	return json_stringn_nocheck(s, n);
}

static void
note_line(struct yaml_reader *r, const char *path, int line)
{
	json_t *v;

	if (r->lines == NULL)
		return;
	if ((v = json_integer(line)) == NULL ||
	    json_object_set_new(r->lines, path, v) == -1)
		r->failed = 1;
}

static json_t *
read_sequence(struct yaml_reader *r, int depth, const char *path)
{
	json_t *array = json_array(), *item;
	yaml_event_t ev;
	char *child;
	size_t i = 0;

	if (array == NULL)
		return NULL;
	for (;;) {
		if (next_event(r, &ev) == -1)
			break;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return array;
		}
		child = xasprintf("%s/%zu", path, i++);
		item = read_node(r, &ev, depth + 1, child);
		free(child);
		if (item == NULL || json_array_append_new(array, item) == -1)
			break;
	}
	json_decref(array);
	return NULL;
}

static json_t *
read_mapping(struct yaml_reader *r, int depth, const char *path)
{
	json_t *object = json_object(), *value;
	yaml_event_t ev;
	char *key, *child;
	int line;

	if (object == NULL)
		return NULL;
	for (;;) {
		if (next_event(r, &ev) == -1)
			break;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return object;
		}
		line = event_line(r, &ev);
		if (ev.type != YAML_SCALAR_EVENT) {
			diags_add(r->diags, DIAG_ERROR, line, "front matter: "
			    "a key must be plain text");
			r->failed = 1;
			yaml_event_delete(&ev);
			break;
		}
		key = xstrndup((const char *)ev.data.scalar.value,
		    ev.data.scalar.length);
		yaml_event_delete(&ev);
		if (json_object_get(object, key) != NULL)
			diags_add(r->diags, DIAG_WARNING, line, "front matter: "
			    "duplicated key '%s': the later value is used", key);
		child = path[0] ? xasprintf("%s/%s", path, key) : xstrdup(key);
		note_line(r, child, line);
		if (next_event(r, &ev) == -1) {
			free(key);
			free(child);
			break;
		}
		value = read_node(r, &ev, depth + 1, child);
		free(child);
		if (value == NULL || json_object_set_new(object, key, value)) {
			free(key);
			break;
		}
		free(key);
	}
	json_decref(object);
	return NULL;
}

/* Consumes ev (and, for collections, their contents). */
static json_t *
read_node(struct yaml_reader *r, yaml_event_t *ev, int depth,
    const char *path)
{
	yaml_event_type_t type = ev->type;
	int line = event_line(r, ev);
	json_t *v = NULL;

	if (++r->nodes > FM_MAX_NODES || depth > FM_MAX_DEPTH) {
		diags_add(r->diags, DIAG_ERROR, line, "front matter: nested "
		    "deeper than %d levels or more than %d values",
		    FM_MAX_DEPTH, FM_MAX_NODES);
		r->failed = 1;
		yaml_event_delete(ev);
		return NULL;
	}
	if (type == YAML_SCALAR_EVENT)
		v = scalar_value(ev);
	else if (type == YAML_ALIAS_EVENT) {
		diags_add(r->diags, DIAG_WARNING, line, "front matter: YAML "
		    "aliases are not expanded; the value is empty");
		v = json_null();
	}
	yaml_event_delete(ev);
	if (type == YAML_SEQUENCE_START_EVENT)
		v = read_sequence(r, depth, path);
	else if (type == YAML_MAPPING_START_EVENT)
		v = read_mapping(r, depth, path);
	else if (v == NULL && !r->failed) {
		diags_add(r->diags, DIAG_ERROR, line, "front matter: "
		    "unexpected YAML structure");
		r->failed = 1;
	}
	return v;
}

json_t *
frontmatter_parse_yaml(const char *text, size_t len, int first_line, json_t *lines,
    struct diags *diags)
{
	struct yaml_reader r;
	yaml_event_t ev;
	json_t *root = NULL;

	memset(&r, 0, sizeof r);
	r.lines = lines;
	r.diags = diags;
	r.first_line = first_line;
	if (!yaml_parser_initialize(&r.parser)) {
		diags_add(diags, DIAG_ERROR, first_line, "front matter: "
		    "cannot initialise the YAML parser");
		return NULL;
	}
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)text,
	    len);
	while (!r.failed && next_event(&r, &ev) == 0) {
		yaml_event_type_t type = ev.type;

		if (type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (type == YAML_MAPPING_START_EVENT && root == NULL) {
			yaml_event_delete(&ev);
			root = read_mapping(&r, 1, "");
			continue;
		}
		if (type == YAML_SCALAR_EVENT || type == YAML_SEQUENCE_START_EVENT
		    || (type == YAML_MAPPING_START_EVENT && root != NULL)) {
			diags_add(diags, DIAG_ERROR, event_line(&r, &ev),
			    "front matter: expected one mapping of keys to "
			    "values");
			r.failed = 1;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&r.parser);
	if (r.failed) {
		json_decref(root);
		return NULL;
	}
	return root != NULL ? root : json_object();
}

static json_t *
parse_json(const char *data, size_t len, size_t *used, struct diags *diags)
{
	json_error_t error;
	json_t *root;

	root = json_loadb(data, len, JSON_DISABLE_EOF_CHECK, &error);
	if (root == NULL) {
		diags_add(diags, DIAG_ERROR, error.line > 0 ? error.line : 1,
		    "front matter: JSON %s", error.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		diags_add(diags, DIAG_ERROR, 1, "front matter: JSON front "
		    "matter must be an object");
		json_decref(root);
		return NULL;
	}
	*used = (size_t)error.position;
	return root;
}

static int
count_lines(const char *p, size_t n)
{
	int lines = 0;

	while (n-- > 0)
		lines += *p++ == '\n';
	return lines;
}

/* Finds the line closing front matter that starts at p: the fence again
 * ("---" or "+++"); YAML may also end with "...". */
static const char *
fence_end(const char *p, const char *end, const char *fence,
    const char **after)
{
	const char *line = p, *nl;
	size_t n;

	while (line < end) {
		nl = memchr(line, '\n', (size_t)(end - line));
		n = (size_t)((nl ? nl : end) - line);
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n == 3 && (memcmp(line, fence, 3) == 0 || (*fence == '-' &&
		    memcmp(line, "...", 3) == 0))) {
			*after = nl ? nl + 1 : end;
			return line;
		}
		line = nl ? nl + 1 : end;
	}
	return NULL;
}

/* YAML between "---" lines, or TOML between "+++" lines. */
static int
split_fenced(const char *data, size_t len, const char *fence,
    struct frontmatter *fm, struct diags *diags)
{
	const char *end = data + len, *start, *close, *after;

	start = memchr(data, '\n', len);
	start = start ? start + 1 : end;
	if ((close = fence_end(start, end, fence, &after)) == NULL) {
		diags_add(diags, DIAG_ERROR, 1, "front matter: the opening "
		    "'%s' has no closing '%s' line", fence, fence);
		return -1;
	}
	if (*fence == '+')
		fm->values = toml_parse(start, (size_t)(close - start), 2,
		    TOML_MODEL, fm->lines, diags);
	else
		fm->values = frontmatter_parse_yaml(start, (size_t)(close - start), 2,
		    fm->lines, diags);
	fm->body = after;
	fm->body_len = (size_t)(end - after);
	fm->body_line = 1 + count_lines(data, (size_t)(after - data));
	return fm->values == NULL ? -1 : 0;
}

static int
split_json(const char *data, size_t len, struct frontmatter *fm,
    struct diags *diags)
{
	size_t used = 0;

	fm->values = parse_json(data, len, &used, diags);
	if (fm->values == NULL)
		return -1;
	while (used < len && data[used] != '\n')
		used++;
	if (used < len)
		used++;
	fm->body = data + used;
	fm->body_len = len - used;
	fm->body_line = 1 + count_lines(data, used);
	return 0;
}

int
frontmatter_parse(const char *data, size_t len, struct frontmatter *fm,
    struct diags *diags)
{
	int rc = 0;

	memset(fm, 0, sizeof *fm);
	if ((fm->lines = json_object()) == NULL)
		return -1;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (len >= 3 && (memcmp(data, "---", 3) == 0 ||
	    memcmp(data, "+++", 3) == 0) &&
	    (len == 3 || data[3] == '\n' || data[3] == '\r'))
		rc = split_fenced(data, len, data[0] == '+' ? "+++" : "---", fm,
		    diags);
	else if (len >= 1 && data[0] == '{')
		rc = split_json(data, len, fm, diags);
	else {
		diags_add(diags, DIAG_WARNING, 1, "no front matter: the page "
		    "has no title or date");
		fm->body = data;
		fm->body_len = len;
		fm->body_line = 1;
	}
	if (fm->values == NULL && (fm->values = json_object()) == NULL)
		return -1;
	return rc;
}

void
frontmatter_free(struct frontmatter *fm)
{
	json_decref(fm->values);
	json_decref(fm->lines);
	memset(fm, 0, sizeof *fm);
}

int
frontmatter_line(const struct frontmatter *fm, const char *path)
{
	json_t *v = json_object_get(fm->lines, path);

	return json_is_integer(v) ? (int)json_integer_value(v) : 0;
}
