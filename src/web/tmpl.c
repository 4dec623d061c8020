/* tmpl.c -- see tmpl.h.  A template is compiled to a flat list of ops;
 * a section op knows where its end is, so rendering is a simple walk. */
#include "tmpl.h"
#include "embed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TMPL_MAX_DEPTH 32   /* nested sections and partials */
#define TMPL_MAX 128

enum { OP_TEXT, OP_VAR, OP_SECTION, OP_INVERTED, OP_PARTIAL, OP_END };

struct op {
	int type;
	const char *s;   /* text, key or partial name (not terminated) */
	size_t n;
	size_t end;      /* sections: index of the matching OP_END */
};

struct tmpl {
	char name[64];
	struct op *ops;
	size_t nops;
};

static struct tmpl registry[TMPL_MAX];
static size_t nregistry;

static const struct tmpl *
find(const char *name, size_t n)
{
	for (size_t i = 0; i < nregistry; i++)
		if (strlen(registry[i].name) == n && memcmp(registry[i].name, name, n) == 0)
			return &registry[i];
	return NULL;
}

static int
push_op(struct tmpl *t, size_t *cap, int type, const char *s, size_t n)
{
	if (t->nops == *cap) {
		size_t nc = *cap ? *cap * 2 : 32;
		struct op *o = realloc(t->ops, nc * sizeof(*o));
		if (!o)
			return -1;
		t->ops = o;
		*cap = nc;
	}
	t->ops[t->nops++] = (struct op){ type, s, n, 0 };
	return 0;
}

static void
trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

int
tmpl_add(const char *name, const char *src, char *err, size_t errlen)
{
	if (nregistry == TMPL_MAX || strlen(name) >= sizeof(registry[0].name)) {
		snprintf(err, errlen, "%s: too many templates or name too long", name);
		return -1;
	}
	struct tmpl t = { 0 };
	str_copy(t.name, name, sizeof(t.name));
	size_t cap = 0, stack[TMPL_MAX_DEPTH], depth = 0;
	const char *p = src;
	while (*p) {
		const char *open = strstr(p, "{{");
		if (!open) {
			if (push_op(&t, &cap, OP_TEXT, p, strlen(p)))
				goto nomem;
			break;
		}
		if (open > p && push_op(&t, &cap, OP_TEXT, p, (size_t)(open - p)))
			goto nomem;
		const char *close = strstr(open + 2, "}}");
		if (!close) {
			snprintf(err, errlen, "%s: unclosed {{ at offset %ld", name, (long)(open - src));
			goto fail;
		}
		const char *k = open + 2;
		size_t kn = (size_t)(close - k);
		char sigil = kn ? *k : 0;
		if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '>' || sigil == '!') {
			k++;
			kn--;
		}
		trim(&k, &kn);
		if (kn == 0 && sigil != '!') {
			snprintf(err, errlen, "%s: empty tag at offset %ld", name, (long)(open - src));
			goto fail;
		}
		switch (sigil) {
		case '!':
			break;
		case '#':
		case '^':
			if (depth == TMPL_MAX_DEPTH) {
				snprintf(err, errlen, "%s: sections nested too deep", name);
				goto fail;
			}
			stack[depth++] = t.nops;
			if (push_op(&t, &cap, sigil == '#' ? OP_SECTION : OP_INVERTED, k, kn))
				goto nomem;
			break;
		case '/': {
			if (depth == 0) {
				snprintf(err, errlen, "%s: {{/%.*s}} closes nothing", name, (int)kn, k);
				goto fail;
			}
			struct op *o = &t.ops[stack[--depth]];
			if (o->n != kn || memcmp(o->s, k, kn) != 0) {
				snprintf(err, errlen, "%s: {{/%.*s}} closes {{#%.*s}}", name, (int)kn, k, (int)o->n, o->s);
				goto fail;
			}
			o->end = t.nops;
			if (push_op(&t, &cap, OP_END, k, kn))
				goto nomem;
			break;
		}
		case '>':
			if (push_op(&t, &cap, OP_PARTIAL, k, kn))
				goto nomem;
			break;
		default:
			if (push_op(&t, &cap, OP_VAR, k, kn))
				goto nomem;
		}
		p = close + 2;
	}
	if (depth) {
		struct op *o = &t.ops[stack[depth - 1]];
		snprintf(err, errlen, "%s: {{#%.*s}} is never closed", name, (int)o->n, o->s);
		goto fail;
	}
	registry[nregistry++] = t;
	return 0;
nomem:
	snprintf(err, errlen, "%s: out of memory", name);
fail:
	free(t.ops);
	return -1;
}

int
tmpl_init(char *err, size_t errlen)
{
	for (const struct embed_file *f = embed_files; f->name; f++) {
		if (strncmp(f->name, "templates/", 10) != 0)
			continue;
		char name[64];
		str_copy(name, f->name + 10, sizeof(name));
		char *dot = strrchr(name, '.');
		if (dot)
			*dot = '\0';
		if (tmpl_add(name, f->data, err, errlen))
			return -1;
	}
	return 0;
}

void
tmpl_free_all(void)
{
	for (size_t i = 0; i < nregistry; i++)
		free(registry[i].ops);
	nregistry = 0;
}

struct ctx {
	json_t *stack[TMPL_MAX_DEPTH * 2];
	size_t depth;
	int partials;
};

static json_t *
lookup(struct ctx *c, const char *k, size_t n)
{
	if (n == 1 && *k == '.')
		return c->stack[c->depth - 1];
	const char *dot = memchr(k, '.', n);
	size_t first = dot ? (size_t)(dot - k) : n;
	json_t *v = NULL;
	for (size_t i = c->depth; i-- > 0;) {
		if (json_is_object(c->stack[i]) && (v = json_object_getn(c->stack[i], k, first)))
			break;
	}
	while (v && dot) {
		const char *rest = dot + 1;
		size_t rn = n - (size_t)(rest - k);
		dot = memchr(rest, '.', rn);
		size_t seg = dot ? (size_t)(dot - rest) : rn;
		v = json_is_object(v) ? json_object_getn(v, rest, seg) : NULL;
	}
	return v;
}

static int
truthy(json_t *v)
{
	if (!v || json_is_null(v) || json_is_false(v))
		return 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	return 1;
}

static int
emit(buf_t *out, json_t *v)
{
	if (!v)
		return 0;
	char num[32];
	switch (json_typeof(v)) {
	case JSON_STRING:
		return buf_html(out, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		return buf_i64(out, json_integer_value(v));
	case JSON_REAL:
		snprintf(num, sizeof(num), "%g", json_real_value(v));
		return buf_puts(out, num);
	case JSON_TRUE:
		return buf_puts(out, "true");
	default:
		return 0;
	}
}

static int render_ops(const struct tmpl *t, size_t from, size_t to, struct ctx *c, buf_t *out);

static int
render_section(const struct tmpl *t, size_t i, struct ctx *c, buf_t *out)
{
	const struct op *o = &t->ops[i];
	json_t *v = lookup(c, o->s, o->n);
	if (o->type == OP_INVERTED)
		return truthy(v) ? 0 : render_ops(t, i + 1, o->end, c, out);
	if (!truthy(v))
		return 0;
	if (c->depth == FW_ARRAY_LEN(c->stack))
		return -1;
	if (json_is_array(v)) {
		size_t k;
		json_t *item;
		json_array_foreach(v, k, item) {
			c->stack[c->depth++] = item;
			int rc = render_ops(t, i + 1, o->end, c, out);
			c->depth--;
			if (rc)
				return rc;
		}
		return 0;
	}
	c->stack[c->depth++] = v;
	int rc = render_ops(t, i + 1, o->end, c, out);
	c->depth--;
	return rc;
}

static int
render_ops(const struct tmpl *t, size_t from, size_t to, struct ctx *c, buf_t *out)
{
	for (size_t i = from; i < to; i++) {
		const struct op *o = &t->ops[i];
		int rc = 0;
		switch (o->type) {
		case OP_TEXT:
			rc = buf_append(out, o->s, o->n);
			break;
		case OP_VAR:
			rc = emit(out, lookup(c, o->s, o->n));
			break;
		case OP_SECTION:
		case OP_INVERTED:
			rc = render_section(t, i, c, out);
			i = o->end;
			break;
		case OP_PARTIAL: {
			const struct tmpl *p = find(o->s, o->n);
			if (!p || c->partials >= TMPL_MAX_DEPTH)
				return -1;
			c->partials++;
			rc = render_ops(p, 0, p->nops, c, out);
			c->partials--;
			break;
		}
		default:
			break;
		}
		if (rc)
			return -1;
	}
	return 0;
}

int
tmpl_render(const char *name, json_t *root, buf_t *out)
{
	const struct tmpl *t = find(name, strlen(name));
	if (!t)
		return -1;
	struct ctx c = { .depth = 1 };
	c.stack[0] = root;
	return render_ops(t, 0, t->nops, &c, out);
}
