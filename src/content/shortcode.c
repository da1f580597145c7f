/*
 * shortcode.c -- Hugo's shortcodes, so that none reaches a document.
 *
 * Run on the Markdown body before md4c.  Hugo's built-in shortcodes are
 * rendered as Hugo 0.111's own templates render them, but for feeds: a
 * figure as <figure>; youtube, vimeo, gist, tweet/x and instagram as a
 * link to the video or post, since feed readers drop iframes and scripts
 * (and crier's sanitiser would too); highlight as a fenced code block;
 * ref/relref as the URL path crier gives the target; param as the page's
 * front-matter value.  Any other shortcode keeps its inner text and loses
 * its tags, with a warning naming its line.  A shortcode commented out
 * (a slash and a star after "{{<", a star and a slash before ">}}") is
 * Hugo's way to write one as text: it comes out as {{< x >}}.
 *
 * What becomes HTML cannot go into the Markdown as HTML (raw HTML is left
 * out by default, rawhtml.c), so, as Hugo does, it goes in as a
 * placeholder word that shortcode_place swaps for the HTML after md4c; a
 * placeholder alone in a paragraph takes the paragraph's place.  Text
 * (ref, param, highlight's fence, an unknown shortcode's inner text)
 * goes straight into the Markdown.  Newlines inside a tag are kept after
 * it, so every line after a shortcode stays where it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shortcode.h"
#include "summary.h"
#include "urls.h"
#include "util.h"

#define PLACEHOLDER	"CRIERSHORTCODE%zuZ"
#define MAX_ARGS	16
#define MAX_NAME	64
#define MAX_TAG		8192	/* bytes from "{{<" to ">}}": bounds the
				   search for the end of each */

struct arg {
	char	*key;		/* NULL: positional */
	char	*value;
};

struct tag {
	const char	*start, *end;	/* the whole {{< ... >}} */
	char		 name[MAX_NAME];
	int		 closing;	/* {{< /name >}} */
	int		 markdown;	/* {{% %}} */
	struct arg	 args[MAX_ARGS];
	size_t		 nargs;
};

/*
 * Where the first ">}}" (kind 0) or "%}}" (kind 1) at or after s is:
 * remembered, as the scan only moves forward, so that a body of many
 * unclosed "{{<" is read once, not once for each.
 */
struct closers {
	const char	*found[2];	/* NULL: none after from[k] */
	const char	*from[2];
};

struct expander {
	struct shortcodes		*out;
	const struct shortcode_env	*env;
	struct diags			*diags;
	const char			*body;
	size_t				 len;
	struct buf			 md, text;
	const char			*mark;	/* <!--more-->, or NULL */
	const char			*line_at;	/* line_of's last */
	int				 line;
	int				 unclosed;	/* a highlight was */
	struct closers			 closers;
};

static void
html_escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<': buf_addstr(b, "&lt;"); break;
		case '>': buf_addstr(b, "&gt;"); break;
		case '&': buf_addstr(b, "&amp;"); break;
		case '"': buf_addstr(b, "&quot;"); break;
		default: buf_addc(b, *s);
		}
	}
}

/* Warnings come in order: the count goes on from the last one, so a
 * body of many shortcodes is read once. */
static int
line_of(struct expander *x, const char *at)
{
	const char *s;

	if (x->line_at == NULL || at < x->line_at) {
		x->line_at = x->body;
		x->line = x->env->first_line;
	}
	for (s = x->line_at; s < at; s++)
		if (*s == '\n')
			x->line++;
	x->line_at = at;
	return x->line;
}

static void
tag_free(struct tag *t)
{
	size_t i;

	for (i = 0; i < t->nargs; i++) {
		free(t->args[i].key);
		free(t->args[i].value);
	}
	t->nargs = 0;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A quoted "value" (with \" escapes), a `raw` value, or a bare word. */
static const char *
read_value(const char *s, const char *end, char **value)
{
	struct buf b;
	char quote = *s;

	buf_init(&b);
	if (quote == '"' || quote == '`') {
		for (s++; s < end && *s != quote; s++) {
			if (quote == '"' && *s == '\\' && s + 1 < end)
				s++;
			buf_addc(&b, *s);
		}
		if (s < end)
			s++;
	} else {
		for (; s < end && !is_blank(*s) && *s != '='; s++)
			buf_addc(&b, *s);
	}
	if (b.data == NULL)
		buf_addstr(&b, "");
	*value = buf_steal(&b);
	return s;
}

/* Parses the inside of a tag: name, then arguments. */
static void
parse_inside(struct tag *t, const char *s, const char *end)
{
	size_t n = 0;
	char *word;

	while (s < end && is_blank(*s))
		s++;
	if (s < end && *s == '/') {
		t->closing = 1;
		s++;
		while (s < end && is_blank(*s))
			s++;
	}
	for (; s < end && !is_blank(*s) && n + 1 < sizeof t->name; s++)
		t->name[n++] = *s;
	t->name[n] = '\0';
	while (s < end && t->nargs < MAX_ARGS) {
		while (s < end && is_blank(*s))
			s++;
		if (s >= end)
			break;
		s = read_value(s, end, &word);
		if (s < end && *s == '=') {
			t->args[t->nargs].key = word;
			s = read_value(s + 1, end, &t->args[t->nargs].value);
		} else {
			t->args[t->nargs].key = NULL;
			t->args[t->nargs].value = word;
		}
		t->nargs++;
		if (s < end && !is_blank(*s))
			s++;		/* a stray character: skipped */
	}
}

static const char *
next_closer(struct closers *c, int kind, const char *s, const char *limit)
{
	const char *closer = kind == 0 ? ">}}" : "%}}";

	if (c->from[kind] != NULL && s >= c->from[kind] &&
	    (c->found[kind] == NULL || c->found[kind] >= s))
		return c->found[kind];
	c->from[kind] = s;
	c->found[kind] = memmem(s, (size_t)(limit - s), closer, 3);
	return c->found[kind];
}

/* The tag starting at s ("{{<" or "{{%"), or 0 when it is not one. */
static int
parse_tag(struct tag *t, const char *s, const char *limit,
    struct closers *closers)
{
	const char *close, *inside, *inside_end;
	char kind = s[2];

	memset(t, 0, sizeof *t);
	t->start = s;
	t->markdown = kind == '%';
	inside = s + 3;
	close = next_closer(closers, kind == '%', inside, limit);
	if (close == NULL || close - s > MAX_TAG)
		return 0;
	t->end = close + 3;
	inside_end = close;
	while (inside_end > inside && is_blank(inside_end[-1]))
		inside_end--;
	if (inside_end > inside && inside_end[-1] == '/')
		inside_end--;		/* self-closing */
	parse_inside(t, inside, inside_end);
	return t->name[0] != '\0';
}

static const char *
arg(const struct tag *t, const char *key, size_t position)
{
	size_t i;

	for (i = 0; i < t->nargs; i++)
		if (t->args[i].key != NULL && strcmp(t->args[i].key, key) == 0)
			return t->args[i].value;
	for (i = 0; i < t->nargs; i++)
		if (t->args[i].key == NULL && position-- == 0)
			return t->args[i].value;
	return NULL;
}

static const char *
named(const struct tag *t, const char *key)
{
	return arg(t, key, (size_t)-1);
}

/* Keeps the newlines of the tag, so later lines keep their numbers. */
static void
keep_newlines(struct expander *x, const struct tag *t)
{
	const char *s;

	for (s = t->start; s < t->end; s++)
		if (*s == '\n')
			buf_addc(&x->md, '\n');
}

static void
add_placeholder(struct expander *x, char *html, const char *text)
{
	struct shortcodes *o = x->out;

	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 8;
		o->html = xreallocarray(o->html, o->cap, sizeof *o->html);
	}
	o->html[o->n] = html;
	buf_printf(&x->md, PLACEHOLDER, o->n);
	o->n++;
	buf_addstr(&x->text, text);
}

/* Inline Markdown (a caption) as HTML without its paragraph. */
static void
add_inline_markdown(const struct expander *x, struct buf *b, const char *md)
{
	char *html = x->env->render_markdown(md, strlen(md));
	char *s = html;
	size_t n;

	n = strlen(s);
	while (n > 0 && s[n - 1] == '\n')
		n--;
	if (n >= 7 && strncmp(s, "<p>", 3) == 0 &&
	    strncmp(s + n - 4, "</p>", 4) == 0) {
		s += 3;
		n -= 7;
	}
	buf_add(b, s, n);
	free(html);
}

/* figure.html of Hugo 0.111, for a feed. */
static void
render_figure(struct expander *x, const struct tag *t)
{
	const char *src = named(t, "src"), *link = named(t, "link");
	const char *alt = named(t, "alt"), *title = named(t, "title");
	const char *caption = named(t, "caption"), *attr = named(t, "attr");
	const char *attrlink = named(t, "attrlink"), *v;
	struct buf b, text;

	buf_init(&b);
	buf_init(&text);
	buf_addstr(&b, "<figure>");
	if (link != NULL) {
		buf_addstr(&b, "<a href=\"");
		html_escape(&b, link);
		buf_addstr(&b, "\">");
	}
	buf_addstr(&b, "<img src=\"");
	html_escape(&b, src ? src : "");
	buf_addc(&b, '"');
	if ((v = alt ? alt : caption) != NULL) {
		buf_addstr(&b, " alt=\"");
		html_escape(&b, v);
		buf_addc(&b, '"');
	}
	if ((v = named(t, "width")) != NULL) {
		buf_addstr(&b, " width=\"");
		html_escape(&b, v);
		buf_addc(&b, '"');
	}
	if ((v = named(t, "height")) != NULL) {
		buf_addstr(&b, " height=\"");
		html_escape(&b, v);
		buf_addc(&b, '"');
	}
	buf_addstr(&b, ">");
	if (link != NULL)
		buf_addstr(&b, "</a>");
	if (title != NULL || caption != NULL || attr != NULL) {
		buf_addstr(&b, "<figcaption>");
		if (title != NULL) {
			buf_addstr(&b, "<h4>");
			html_escape(&b, title);
			buf_addstr(&b, "</h4>");
			buf_printf(&text, "%s ", title);
		}
		if (caption != NULL || attr != NULL) {
			buf_addstr(&b, "<p>");
			if (caption != NULL) {
				add_inline_markdown(x, &b, caption);
				buf_printf(&text, "%s ", caption);
			}
			if (attr != NULL) {
				if (attrlink != NULL) {
					buf_addstr(&b, "<a href=\"");
					html_escape(&b, attrlink);
					buf_addstr(&b, "\">");
				}
				add_inline_markdown(x, &b, attr);
				if (attrlink != NULL)
					buf_addstr(&b, "</a>");
			}
			buf_addstr(&b, "</p>");
		}
		buf_addstr(&b, "</figcaption>");
	}
	buf_addstr(&b, "</figure>");
	add_placeholder(x, buf_steal(&b), text.data ? text.data : "");
	buf_free(&text);
}

/* A video or post embedded by Hugo, as a link: feed readers drop
 * iframes and scripts. */
static void
render_link(struct expander *x, const char *url, const char *label)
{
	struct buf b;

	buf_init(&b);
	buf_addstr(&b, "<p><a href=\"");
	html_escape(&b, url);
	buf_addstr(&b, "\">");
	html_escape(&b, label);
	buf_addstr(&b, "</a></p>");
	add_placeholder(x, buf_steal(&b), label);
}

static void
render_embed(struct expander *x, const struct tag *t)
{
	const char *id = arg(t, "id", 0), *title = named(t, "title");
	const char *user = arg(t, "user", 0);
	char *url, *label;

	if (strcmp(t->name, "youtube") == 0) {
		url = xasprintf("https://www.youtube.com/watch?v=%s",
		    id ? id : "");
		label = xasprintf("%s", title ? title : "YouTube video");
	} else if (strncmp(t->name, "vimeo", 5) == 0) {
		url = xasprintf("https://vimeo.com/%s", id ? id : "");
		label = xasprintf("%s", title ? title : "Vimeo video");
	} else if (strcmp(t->name, "gist") == 0) {
		id = arg(t, "id", 1);
		url = xasprintf("https://gist.github.com/%s/%s", user ? user :
		    "", id ? id : "");
		label = xasprintf("Gist %s/%s", user ? user : "", id ? id :
		    "");
	} else if (strcmp(t->name, "instagram") == 0) {
		url = xasprintf("https://www.instagram.com/p/%s/", id ? id :
		    "");
		label = xasprintf("Instagram post");
	} else {			/* tweet, twitter, x */
		user = named(t, "user");
		id = named(t, "id");
		if (user == NULL && id == NULL) {
			user = arg(t, "user", 0);
			id = arg(t, "id", 1);
		}
		url = xasprintf("https://%s/%s/status/%s",
		    strcmp(t->name, "x") == 0 ? "x.com" : "twitter.com",
		    user ? user : "i", id ? id : "");
		label = xasprintf("Post by @%s", user ? user : "");
	}
	render_link(x, url, label);
	free(url);
	free(label);
}

/*
 * The path crier gives the page a reference names: "news/trip.md",
 * "/news/trip", "news/trip/index.md" are /news/trip/.  Without a section
 * ("trip.md") the path cannot be known: a warning.
 */
static void
render_ref(struct expander *x, const struct tag *t)
{
	const char *target = arg(t, "path", 0), *hash, *s;
	char *path, *slash;
	size_t n;
	struct buf b;

	if (target == NULL || *target == '\0') {
		diags_add(x->diags, DIAG_WARNING, line_of(x, t->start),
		    "shortcode '%s' names no page: removed", t->name);
		return;
	}
	hash = strchr(target, '#');
	n = hash ? (size_t)(hash - target) : strlen(target);
	while (n > 0 && *target == '/') {
		target++;
		n--;
	}
	path = xstrndup(target, n);
	if (str_has_suffix(path, ".md"))
		path[strlen(path) - 3] = '\0';
	else if (str_has_suffix(path, ".markdown"))
		path[strlen(path) - 9] = '\0';
	else if (str_has_suffix(path, ".mdown"))
		path[strlen(path) - 6] = '\0';
	n = strlen(path);
	while (n > 0 && path[n - 1] == '/')
		path[--n] = '\0';
	if ((slash = strrchr(path, '/')) != NULL &&
	    (strcmp(slash, "/index") == 0 || strcmp(slash, "/_index") == 0))
		*slash = '\0';
	if (strchr(path, '/') == NULL && *path != '\0')
		diags_add(x->diags, DIAG_WARNING, line_of(x, t->start),
		    "shortcode '%s \"%s\"' names no section: linked as /%s/; "
		    "write SECTION/%s.md", t->name, arg(t, "path", 0), path,
		    path);
	buf_init(&b);
	if (strcmp(t->name, "ref") == 0)
		buf_addstr(&b, x->env->base_url ? x->env->base_url : "");
	for (s = path; *s != '\0'; s = slash) {
		if ((slash = strchr(s, '/')) != NULL)
			*slash++ = '\0';
		else
			slash = (char *)s + strlen(s);
		if (*s == '\0')
			continue;
		buf_addc(&b, '/');
		urls_encode_segment(&b, s);
	}
	buf_addc(&b, '/');
	if (hash != NULL)
		buf_addstr(&b, hash);
	buf_add(&x->md, b.data, b.len);
	buf_free(&b);
	free(path);
}

static void
render_param(struct expander *x, const struct tag *t)
{
	const char *key = arg(t, "name", 0);
	json_t *v = key && x->env->params ? json_object_get(x->env->params,
	    key) : NULL;
	char number[64];

	if (json_is_string(v)) {
		buf_addstr(&x->md, json_string_value(v));
		buf_addstr(&x->text, json_string_value(v));
	} else if (json_is_integer(v) || json_is_real(v) ||
	    json_is_boolean(v)) {
		if (json_is_integer(v))
			snprintf(number, sizeof number, "%lld",
			    (long long)json_integer_value(v));
		else if (json_is_real(v))
			snprintf(number, sizeof number, "%g", json_real_value(v));
		else
			snprintf(number, sizeof number, "%s",
			    json_is_true(v) ? "true" : "false");
		buf_addstr(&x->md, number);
		buf_addstr(&x->text, number);
	} else
		diags_add(x->diags, DIAG_WARNING, line_of(x, t->start),
		    "shortcode 'param \"%s\"': the front matter has no such "
		    "value (site params are not read): removed",
		    key ? key : "");
}

/* {{< highlight LANG >}}code{{< /highlight >}} as a fenced block. */
static const char *
render_highlight(struct expander *x, const struct tag *t)
{
	const char *lang = arg(t, "lang", 0), *code = t->end, *s, *end;
	struct tag close;

	/* Once one is left open, no closing tag follows any later one. */
	for (s = x->unclosed ? NULL : code; s != NULL && (s = memmem(s,
	    (size_t)(x->body + x->len - s), "{{", 2)) != NULL; s += 2) {
		if (s + 3 > x->body + x->len || (s[2] != '<' && s[2] != '%'))
			continue;
		if (parse_tag(&close, s, x->body + x->len,
		    &x->closers) && close.closing &&
		    strcmp(close.name, "highlight") == 0)
			break;
		tag_free(&close);
	}
	end = s ? s : x->body + x->len;
	if (code < end && *code == '\n')
		code++;
	buf_addstr(&x->md, "\n```");
	buf_addstr(&x->md, lang ? lang : "");
	buf_addc(&x->md, '\n');
	buf_add(&x->md, code, (size_t)(end - code));
	if (end > code && end[-1] != '\n')
		buf_addc(&x->md, '\n');
	buf_addstr(&x->md, "```\n");
	buf_add(&x->text, code, (size_t)(end - code));
	if (s == NULL) {
		x->unclosed = 1;
		return end;
	}
	tag_free(&close);
	return close.end;
}

static int
is_embed(const char *name)
{
	static const char *const embeds[] = { "youtube", "vimeo",
	    "vimeo_simple", "gist", "tweet", "twitter", "twitter_simple", "x",
	    "instagram", NULL };
	const char *const *e;

	for (e = embeds; *e != NULL; e++)
		if (strcmp(name, *e) == 0)
			return 1;
	return 0;
}

/* Renders one tag; returns where the scan goes on. */
static const char *
expand_tag(struct expander *x, struct tag *t)
{
	const char *next = t->end;

	if (t->closing) {
		/* Built-ins take no inner text; others' inner text stays. */
	} else if (strcmp(t->name, "figure") == 0)
		render_figure(x, t);
	else if (is_embed(t->name))
		render_embed(x, t);
	else if (strcmp(t->name, "ref") == 0 || strcmp(t->name, "relref") ==
	    0)
		render_ref(x, t);
	else if (strcmp(t->name, "param") == 0)
		render_param(x, t);
	else if (strcmp(t->name, "highlight") == 0)
		next = render_highlight(x, t);
	else
		diags_add(x->diags, DIAG_WARNING, line_of(x, t->start),
		    "shortcode '%s' is not one of Hugo's built-in shortcodes: "
		    "its inner text is kept, the tag removed", t->name);
	keep_newlines(x, t);
	return next;
}

/* A commented-out shortcode is written out as {{< x >}}; returns NULL
 * when s does not start one. */
static const char *
expand_comment(struct expander *x, const char *s)
{
	const char *limit = x->body + x->len, *inside = s + 3, *close;
	char closer[6] = { '*', '/', s[2] == '<' ? '>' : '%', '}', '}', 0 };

	while (inside < limit && is_blank(*inside))
		inside++;
	if (limit - inside < 2 || inside[0] != '/' || inside[1] != '*')
		return NULL;
	if ((close = memmem(inside, (size_t)(limit - inside), closer, 5)) ==
	    NULL)
		return NULL;
	buf_add(&x->md, s, 3);
	buf_add(&x->md, inside + 2, (size_t)(close - inside - 2));
	buf_add(&x->md, close + 2, 3);
	buf_add(&x->text, s, 3);
	buf_add(&x->text, inside + 2, (size_t)(close - inside - 2));
	buf_add(&x->text, close + 2, 3);
	return close + 5;
}

/* Copies body text [s, at), noting where the mark lands. */
static void
copy_text(struct expander *x, const char *s, size_t n)
{
	if (x->mark != NULL && x->mark >= s && x->mark < s + n) {
		x->out->md_mark = x->md.len + (size_t)(x->mark - s);
		x->out->text_mark = x->text.len + (size_t)(x->mark - s);
	}
	buf_add(&x->md, s, n);
	buf_add(&x->text, s, n);
}

static int
expand(struct shortcodes *out, const char *body, size_t len,
    const struct shortcode_env *env, struct diags *diags, const char *mark)
{
	struct expander x = { out, env, diags, body, len, { 0 }, { 0 },
	    mark, NULL, 0, 0, { { NULL, NULL }, { NULL, NULL } } };
	const char *s = body, *end = body + len, *at, *next;
	struct tag t;

	memset(out, 0, sizeof *out);
	out->md_mark = out->text_mark = (size_t)-1;
	if (memmem(body, len, "{{<", 3) == NULL &&
	    memmem(body, len, "{{%", 3) == NULL)
		return 0;
	buf_init(&x.md);
	buf_init(&x.text);
	while ((at = memmem(s, (size_t)(end - s), "{{", 2)) != NULL) {
		copy_text(&x, s, (size_t)(at - s));
		if (at + 3 > end || (at[2] != '<' && at[2] != '%')) {
			copy_text(&x, at, 2);
			s = at + 2;
			continue;
		}
		if ((next = expand_comment(&x, at)) != NULL) {
			s = next;
			continue;
		}
		if (!parse_tag(&t, at, end, &x.closers)) {
			tag_free(&t);
			copy_text(&x, at, 3);
			s = at + 3;
			continue;
		}
		s = expand_tag(&x, &t);
		tag_free(&t);
	}
	copy_text(&x, s, (size_t)(end - s));
	out->len = x.md.len;
	out->markdown = buf_steal(&x.md);
	out->text_len = x.text.len;
	out->text = buf_steal(&x.text);
	return 1;
}

int
shortcode_expand(struct shortcodes *out, const char *body, size_t len,
    const struct shortcode_env *env, struct diags *diags)
{
	return expand(out, body, len, env, diags, NULL);
}

void
shortcode_prepare(struct prepared_body *b, const char *body, size_t len,
    const struct shortcode_env *env, struct diags *diags)
{
	const char *divider = summary_divider(body, len);
	size_t md_mark, text_mark;

	memset(b, 0, sizeof *b);
	b->divided = divider != NULL;
	if (expand(&b->sc, body, len, env, diags, divider)) {
		b->markdown = b->sc.markdown;
		b->len = b->sc.len;
		b->text = b->sc.text;
		b->text_len = b->sc.text_len;
		md_mark = b->sc.md_mark;
		text_mark = b->sc.text_mark;
	} else {
		b->markdown = body;
		b->len = len;
		b->text = body;
		b->text_len = len;
		md_mark = text_mark = divider ? (size_t)(divider - body) :
		    (size_t)-1;
	}
	if (md_mark != (size_t)-1) {
		b->owned = summary_without_divider(b->markdown, b->len,
		    b->markdown + md_mark);
		b->markdown = b->owned;
	}
	if (text_mark != (size_t)-1)
		b->text_len = text_mark;
}

void
shortcode_prepared_free(struct prepared_body *b)
{
	shortcodes_free(&b->sc);
	free(b->owned);
	memset(b, 0, sizeof *b);
}

char *
shortcode_place(const char *html, size_t len, const struct shortcodes *sc)
{
	struct buf b;
	const char *s = html, *end = html + len, *at;
	char word[64];
	size_t n, index;
	int wrapped;

	buf_init(&b);
	while ((at = memmem(s, (size_t)(end - s), "CRIERSHORTCODE", 14)) !=
	    NULL) {
		if (sscanf(at, PLACEHOLDER, &index) != 1 || index >= sc->n) {
			buf_add(&b, s, (size_t)(at + 14 - s));
			s = at + 14;
			continue;
		}
		n = (size_t)snprintf(word, sizeof word, PLACEHOLDER, index);
		/* Alone in a paragraph: the paragraph goes, as in Hugo. */
		wrapped = at - s >= 3 && strncmp(at - 3, "<p>", 3) == 0 &&
		    (size_t)(end - at) >= n + 4 &&
		    strncmp(at + n, "</p>", 4) == 0;
		buf_add(&b, s, (size_t)(at - s) - (wrapped ? 3 : 0));
		buf_addstr(&b, sc->html[index]);
		s = at + n + (wrapped ? 4 : 0);
	}
	buf_add(&b, s, (size_t)(end - s));
	if (b.data == NULL)
		buf_addstr(&b, "");
	return buf_steal(&b);
}

void
shortcodes_free(struct shortcodes *sc)
{
	size_t i;

	for (i = 0; i < sc->n; i++)
		free(sc->html[i]);
	free(sc->html);
	free(sc->markdown);
	free(sc->text);
	memset(sc, 0, sizeof *sc);
}
