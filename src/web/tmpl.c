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
	int dot;         /* the key has a '.' (a path, or {{.}}) */
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
	t->ops[t->nops++] = (struct op){ type, s, n, 0, memchr(s, '.', n) != NULL };
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

/* A frame of the context stack: a JSON value, a row of the rowset, or
 * one field of a row (a section on a field: {{.}} is the field). */
struct frame {
	json_t *j;
	const struct rs_val *row;
	const struct rs_val *val;
	const struct rowset *rs;   /* of ROW or VAL */
};

/* A value found by name: JSON, a rowset field, or a rowset itself. */
struct val {
	json_t *j;
	const struct rs_val *rv;
	const struct rowset *rs;   /* RV's rowset, or the rowset found (RV NULL) */
};

struct ctx {
	struct frame stack[TMPL_MAX_DEPTH * 2];
	size_t depth;
	int partials;
	const struct rowset_named *rows;   /* the view-model's rowsets */
	size_t nrows;
};

static struct val
lookup(struct ctx *c, const struct tmpl *t, size_t op)
{
	const char *k = t->ops[op].s;
	size_t n = t->ops[op].n;
	struct val out = { 0 };
	if (n == 1 && *k == '.') {
		const struct frame *f = &c->stack[c->depth - 1];
		out.j = f->j;
		out.rv = f->val;
		out.rs = f->rs;
		return out;
	}
	const char *dot = t->ops[op].dot ? memchr(k, '.', n) : NULL;
	size_t first = dot ? (size_t)(dot - k) : n;
	json_t *v = NULL;
	for (size_t i = c->depth; i-- > 0;) {
		const struct frame *f = &c->stack[i];
		if (f->row) {
			int col = rowset_col(f->rs, k, first);
			if (col >= 0) {
				if (!dot) {
					out.rv = &f->row[col];
					out.rs = f->rs;
				}
				return out;
			}
			continue;
		}
		if (f->j && json_is_object(f->j) && (v = json_object_getn(f->j, k, first)))
			break;
	}
	for (size_t i = 0; !v && !dot && i < c->nrows; i++)
		if (strlen(c->rows[i].name) == n && !memcmp(c->rows[i].name, k, n)) {
			out.rs = c->rows[i].rs;
			return out;
		}
	while (v && dot) {
		const char *rest = dot + 1;
		size_t rn = n - (size_t)(rest - k);
		dot = memchr(rest, '.', rn);
		size_t seg = dot ? (size_t)(dot - rest) : rn;
		v = json_is_object(v) ? json_object_getn(v, rest, seg) : NULL;
	}
	out.j = v;
	return out;
}

/* A row's field: its value by reference (a struct passed by value
 * costs a store-forwarding stall per field in the rows' loop). */
static inline int
truthy_rv(const struct rs_val *v)
{
	return v->kind == RS_STR ? v->len > 0 : (v->kind == RS_INT || v->kind == RS_BOOL) && v->i != 0;
}

static inline int
emit_rv(buf_t *out, const struct rowset *rs, const struct rs_val *v)
{
	if (v->kind == RS_STR)
		return v->plain ? buf_append(out, rowset_bytes(rs, v), v->len) : buf_html(out, rowset_bytes(rs, v), v->len);
	if (v->kind == RS_BOOL)
		return v->i ? buf_puts(out, "true") : 0;
	return v->kind == RS_INT ? buf_i64(out, v->i) : 0;
}

static int
truthy(struct val x)
{
	if (x.rv)
		return truthy_rv(x.rv);
	if (x.rs)
		return x.rs->nrows > 0;
	json_t *v = x.j;
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
emit(buf_t *out, struct val x)
{
	if (x.rv)
		return emit_rv(out, x.rs, x.rv);
	json_t *v = x.j;
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
push(struct ctx *c, struct frame f)
{
	if (c->depth == FW_ARRAY_LEN(c->stack))
		return -1;
	c->stack[c->depth++] = f;
	return 0;
}

/* A rowset's section compiled for its rows: the names resolved once, the
 * values that are not the row's (the same for every row) looked up once,
 * so a row is a walk over steps of a text and then a field, a value or a
 * jump. */
enum { RP_NONE, RP_FIELD, RP_VALUE, RP_IF, RP_UNLESS };

struct rp {
	const char *s;        /* the text written first */
	uint32_t n;
	uint32_t next;        /* RP_IF, RP_UNLESS: the step after the section */
	int16_t arg;          /* the row's field; RP_VALUE: the value's index */
	uint8_t act;
};

#define ROWS_PROGRAM 256   /* a longer section is rendered op by op */
#define ROWS_VALUES 32

struct rows_program {
	struct rp p[ROWS_PROGRAM];
	size_t n, barrier;    /* steps before BARRIER end a section: nothing joins them */
	struct val v[ROWS_VALUES];
	size_t nv;
};

/* What {{.}} is inside the part being compiled: a field, a value, or the
 * row itself (not compiled). */
struct dot {
	int col;
	struct val v;
	int is_row;
};

/* Appends a step doing ACT with ARG, joined to the text before it when
 * that step only writes text.  0, or -1 when the program is full. */
static int
rp_push(struct rows_program *pr, const char *s, size_t n, int act, int arg)
{
	struct rp *last = pr->n > pr->barrier ? &pr->p[pr->n - 1] : NULL;
	if (last && last->act == RP_NONE && act != RP_NONE) {
		last->act = (uint8_t)act;
		last->arg = (int16_t)arg;
		return 0;
	}
	if (pr->n == ROWS_PROGRAM || n > UINT32_MAX)
		return -1;
	pr->p[pr->n++] = (struct rp){ .s = s, .n = (uint32_t)n, .act = (uint8_t)act, .arg = (int16_t)arg };
	return 0;
}

/* Compiles ops [FROM, TO) of T for the rows of RS, with {{.}} meaning D.
 * Names that are not RS's fields are found now, from the frames below the
 * rows (which do not change while they render).  0, or -1 when the part
 * has what only the op-by-op renderer does: partials, paths into a row's
 * field, objects or lists pushed inside a row. */
static int
rows_compile(const struct tmpl *t, size_t from, size_t to, const struct rowset *rs, struct ctx *c,
    struct dot d, struct rows_program *pr)
{
	for (size_t i = from; i < to; i++) {
		const struct op *o = &t->ops[i];
		if (o->type == OP_TEXT) {
			if (rp_push(pr, o->s, o->n, RP_NONE, 0))
				return -1;
			continue;
		}
		if (o->type != OP_VAR && o->type != OP_SECTION && o->type != OP_INVERTED)
			return -1;
		int is_dot = o->n == 1 && o->s[0] == '.';
		const char *dot = o->dot && !is_dot ? memchr(o->s, '.', o->n) : NULL;
		int col = is_dot ? d.col : rowset_col(rs, o->s, dot ? (size_t)(dot - o->s) : o->n);
		if ((dot && col >= 0) || (is_dot && d.is_row))
			return -1;
		struct val v = col < 0 ? (is_dot ? d.v : lookup(c, t, i)) : (struct val){ 0 };
		if (o->type == OP_VAR) {
			if (col >= 0) {
				if (rp_push(pr, "", 0, RP_FIELD, col))
					return -1;
			} else {
				if (pr->nv == ROWS_VALUES || rp_push(pr, "", 0, RP_VALUE, (int)pr->nv))
					return -1;
				pr->v[pr->nv++] = v;
			}
			continue;
		}
		if (col >= 0) {
			if (rp_push(pr, "", 0, o->type == OP_SECTION ? RP_IF : RP_UNLESS, col))
				return -1;
			size_t at = pr->n - 1;
			pr->barrier = pr->n;
			/* inside a section on a field, {{.}} is the field */
			struct dot inner = o->type == OP_SECTION ? (struct dot){ .col = col } : d;
			if (rows_compile(t, i + 1, o->end, rs, c, inner, pr))
				return -1;
			pr->p[at].next = (uint32_t)pr->n;
			pr->barrier = pr->n;
		} else if (o->type == OP_INVERTED) {
			if (!truthy(v) && rows_compile(t, i + 1, o->end, rs, c, d, pr))
				return -1;
		} else if (truthy(v)) {
			/* a list, a rowset or an object would be pushed inside each row */
			if (v.rs || (v.j && (json_is_array(v.j) || json_is_object(v.j))))
				return -1;
			if (rows_compile(t, i + 1, o->end, rs, c, (struct dot){ .col = -1, .v = v }, pr))
				return -1;
		}
		i = o->end;
	}
	return 0;
}

static int
rows_run(const struct rows_program *pr, const struct rowset *rs, const struct rs_val *row, buf_t *out)
{
	for (size_t k = 0; k < pr->n; k++) {
		const struct rp *x = &pr->p[k];
		if (buf_append(out, x->s, x->n))
			return -1;
		switch (x->act) {
		case RP_FIELD:
			if (emit_rv(out, rs, &row[x->arg]))
				return -1;
			break;
		case RP_VALUE:
			if (emit(out, pr->v[x->arg]))
				return -1;
			break;
		case RP_IF:
			if (!truthy_rv(&row[x->arg]))
				k = x->next - 1;
			break;
		case RP_UNLESS:
			if (truthy_rv(&row[x->arg]))
				k = x->next - 1;
			break;
		default:
			break;
		}
	}
	return 0;
}

/* The rowset's section, op I of T: compiled once for its rows when it
 * can be, else rendered op by op with each row pushed. */
static int
render_rows(const struct tmpl *t, size_t i, const struct rowset *rs, struct ctx *c, buf_t *out)
{
	const struct op *o = &t->ops[i];
	struct rows_program *pr = malloc(sizeof(*pr));
	if (!pr)
		return -1;
	pr->n = pr->barrier = pr->nv = 0;
	int compiled = rs->nrows > 0 && rows_compile(t, i + 1, o->end, rs, c, (struct dot){ .col = -1, .is_row = 1 }, pr) == 0;
	int rc = 0;
	for (size_t r = 0; r < rs->nrows && !rc; r++) {
		const struct rs_val *row = rowset_get(rs, r, 0);
		if (compiled) {
			rc = rows_run(pr, rs, row, out);
		} else if (push(c, (struct frame){ .row = row, .rs = rs })) {
			rc = -1;
		} else {
			rc = render_ops(t, i + 1, o->end, c, out);
			c->depth--;
		}
	}
	free(pr);
	return rc;
}

static int
render_section(const struct tmpl *t, size_t i, struct ctx *c, buf_t *out)
{
	const struct op *o = &t->ops[i];
	struct val v = lookup(c, t, i);
	if (o->type == OP_INVERTED)
		return truthy(v) ? 0 : render_ops(t, i + 1, o->end, c, out);
	if (!truthy(v))
		return 0;
	if (v.rs && !v.rv)
		return render_rows(t, i, v.rs, c, out);
	if (v.rv) {
		if (push(c, (struct frame){ .val = v.rv, .rs = v.rs }))
			return -1;
		int rc = render_ops(t, i + 1, o->end, c, out);
		c->depth--;
		return rc;
	}
	if (json_is_array(v.j)) {
		size_t k;
		json_t *item;
		json_array_foreach(v.j, k, item) {
			if (push(c, (struct frame){ .j = item }))
				return -1;
			int rc = render_ops(t, i + 1, o->end, c, out);
			c->depth--;
			if (rc)
				return rc;
		}
		return 0;
	}
	if (push(c, (struct frame){ .j = v.j }))
		return -1;
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
			rc = emit(out, lookup(c, t, i));
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
tmpl_render(const char *name, json_t *root, const struct rowset_named *rows, size_t nrows, buf_t *out)
{
	const struct tmpl *t = find(name, strlen(name));
	if (!t)
		return -1;
	struct ctx c = { .depth = 1, .rows = rows, .nrows = nrows };
	c.stack[0].j = root;
	return render_ops(t, 0, t->nops, &c, out);
}
