/* page.c -- see page.h. */
#include "page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
page_fail(struct ctx *c, int status, const char *msg)
{
	str_copy(c->err, msg, sizeof(c->err));
	return status;
}

int
page_redirect(struct ctx *c, const char *loc)
{
	str_copy(c->location, loc, sizeof(c->location));
	return 303;
}

void
page_set(struct ctx *c, const char *k, json_t *v)
{
	json_object_set_new_nocheck(c->vm, k, v);   /* keys are literals */
}

void
page_str(struct ctx *c, const char *k, const char *v)
{
	json_object_set_new_nocheck(c->vm, k, json_string(v ? v : ""));
}

void
page_lit(json_t *o, const char *k, const char *v)
{
	json_object_set_new_nocheck(o, k, json_string_nocheck(v ? v : ""));
}

struct rowset *
page_rows(struct ctx *c, const char *k)
{
	if (c->nrowsets == PAGE_ROWSETS)
		abort();
	struct rowset *rs = &c->rowsets[c->nrowsets];
	rowset_free(rs);   /* a slot an error page took back */
	c->named[c->nrowsets++] = (struct rowset_named){ k, rs };
	return rs;
}

const char *
page_form(struct ctx *c, const char *k)
{
	const char *v = http_form(c->r, k);
	return v ? v : "";
}

void
page_form_trim(struct ctx *c, const char *k, char *out, size_t n)
{
	str_copy(out, page_form(c, k), n);
	char *t = str_trim(out);
	if (t != out)
		memmove(out, t, strlen(t) + 1);
}

json_t *
page_posted(struct ctx *c)
{
	json_t *f = json_object();
	http_form(c->r, "csrf");   /* parses the body */
	for (size_t i = 0; i < c->r->nform; i++)
		if (strcmp(c->r->form[i].key, "csrf"))
			json_object_set_new(f, c->r->form[i].key, json_string(c->r->form[i].val));
	return f;
}

size_t
page_uploads(struct ctx *c, struct files_upload *out)
{
	for (size_t i = 0; i < c->r->nuploads; i++) {
		out[i].name = c->r->uploads[i].filename;
		out[i].data = c->r->uploads[i].data;
		out[i].len = c->r->uploads[i].len;
	}
	return c->r->nuploads;
}

long
page_uploads_held(struct ctx *c, struct files_upload *out, struct files_held *held)
{
	const char *v[FILES_MAX_HELD];
	int64_t ids[FILES_MAX_HELD];
	size_t nv = http_form_all(c->r, "held", v, FILES_MAX_HELD), nid = 0;
	for (size_t i = 0; i < nv; i++) {
		int64_t id = str_to_id(v[i], 18);
		if (id > 0)
			ids[nid++] = id;
	}
	memset(held, 0, sizeof(*held));
	if (nid && files_held_load(c->db, &c->u, ids, nid, held) != 0)
		return -1;
	size_t n = page_uploads(c, out);
	for (size_t i = 0; i < held->n && n < HTTP_MAX_UPLOADS; i++)
		out[n++] = held->up[i];
	return (long)n;
}

void
page_hold(struct ctx *c, const struct files_held *kept)
{
	struct files_upload up[HTTP_MAX_UPLOADS];
	size_t n = page_uploads(c, up);
	json_t *list = json_array();
	for (size_t i = 0; kept && i < kept->n; i++) {
		char size[24];
		files_size_label((int64_t)kept->up[i].len, size);
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(kept->id[i]));
		json_object_set_new(o, "name", json_string(kept->name[i]));
		json_object_set_new(o, "size", json_string(size));
		json_array_append_new(list, o);
	}
	json_t *now = n ? files_hold(c->db, &c->u, up, n) : NULL;
	if (now)
		json_array_extend(list, now);
	json_decref(now);
	page_set(c, "held_any", json_boolean(json_array_size(list) > 0));
	page_set(c, "held", list);
}

json_t *
page_string_list(const char *const *list, size_t n, const char *selected)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "value", json_string(list[i]));
		json_object_set_new(o, "selected", json_boolean(selected && !strcmp(selected, list[i])));
		json_array_append_new(a, o);
	}
	return a;
}

int
page_is_post(struct ctx *c)
{
	return !strcmp(c->method, "POST");   /* a followed redirect is a GET */
}

int
page_scope(struct ctx *c, struct wo_scope *sc)
{
	return wo_scope_of(c->db, &c->u, sc);
}

int
page_can_see(struct ctx *c, int64_t n)
{
	struct wo_scope sc;
	return page_scope(c, &sc) == 0 && wo_visible(c->db, &sc, n) == WO_OK;
}

void
page_set_cookie(struct ctx *c, const char *name, const char *value, long max_age)
{
	char h[256];
	const char *secure = c->cfg->secure_cookies ? "; Secure" : "";
	if (max_age >= 0)
		snprintf(h, sizeof(h), "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%ld%s", name, value, max_age, secure);
	else
		snprintf(h, sizeof(h), "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", name, value, secure);
	http_add_header(c->r, "Set-Cookie", h);
}

/* Browsers drop tabs and newlines from a URL and read a backslash as a
 * slash, so "/\t/evil.example" is "//evil.example", another site: a path
 * with any of them, or starting "//", is refused whole. */
int
page_safe_next(const char *n)
{
	if (!n || n[0] != '/' || n[1] == '/' || strlen(n) >= 512)
		return 0;
	for (const unsigned char *p = (const unsigned char *)n; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '\\')
			return 0;
	return 1;
}

void
page_link(struct ctx *c, const char *path, char *out, size_t n)
{
	const char *base = c->cfg->base_url;
	if (base && *base) {
		size_t bl = strlen(base);
		snprintf(out, n, "%.*s%s", (int)(bl && base[bl - 1] == '/' ? bl - 1 : bl), base, path);
		return;
	}
	const char *host = http_header(c->r, "Host");
	int host_ok = host && strlen(host) < 200 && !strpbrk(host, "/\\ \"<>");
	snprintf(out, n, "%s%s%s", host_ok ? "http://" : "", host_ok ? host : "", path);
}
