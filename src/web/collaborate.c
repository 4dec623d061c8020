/* collaborate.c -- the guide's chapter 6: the Collaborate tab's posts, comments,
 * likes and @mention suggestions, Follow, and the work order's Files
 * (upload, download, preview, delete).  Domain: feed.c, files.c, notify.c. */
#include "handlers.h"
#include "feed.h"
#include "files.h"
#include "lifecycle.h"
#include "notify.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The work order of the address, when the user may see it; else 0 with a 404. */
static int64_t
visible_wo(struct ctx *c)
{
	int64_t n = c->id[0];
	if (!page_can_see(c, n)) {
		page_fail(c, 404, "Work order not found.");
		return 0;
	}
	page_set(c, "back", json_integer(n));
	return n;
}

int
collaborate_follow(struct ctx *c)
{
	char loc[64];
	int64_t n = visible_wo(c);
	if (!n)
		return 404;
	if (notify_toggle_follow(c->db, c->u.id, n) < 0)
		return page_fail(c, 500, "Follow could not be changed.");
	snprintf(loc, sizeof(loc), "/work-orders/%lld", (long long)n);
	return page_redirect(c, loc);
}

/* A refused form of a work order's tab: the tab again with what was typed,
 * the files held for the retry (KEPT and those sent now), and MSG under
 * KEY beside the field; 422. */
static int
refused(struct ctx *c, const char *tab, const char *key, const char *msg, const struct files_held *kept)
{
	c->arg = tab;
	int st = wo_tabs_show(c);
	if (st != 200)
		return st;
	page_hold(c, kept);
	page_str(c, key, msg);
	return 422;
}

int
collaborate_files(struct ctx *c)
{
	char msg[512] = "", loc[96];
	int64_t n = visible_wo(c);
	if (!n)
		return 404;
	struct files_upload up[HTTP_MAX_UPLOADS];
	struct files_held held;
	long nup = page_uploads_held(c, up, &held);
	if (nup < 0)
		return page_fail(c, 500, "The held files could not be read.");
	int rc = nup ? files_add_all(c->db, &c->u, n, up, (size_t)nup, msg, sizeof(msg)) : FILES_BAD;
	int st = 0;
	if (rc == FILES_OK)
		files_held_drop(c->db, &held);
	else if (rc == FILES_BAD)
		st = refused(c, "related", "files_error", nup ? msg : "Choose one or more files to upload.", &held);
	else
		st = page_fail(c, 500, msg);
	files_held_free(&held);
	if (st)
		return st;
	snprintf(loc, sizeof(loc), "/work-orders/%lld/related?done=files", (long long)n);
	c->created = 1;
	return page_redirect(c, loc);
}

/* A refused comment: the Collaborate tab again, the text back in the
 * comment box of post PARENT with MSG beside it. */
static int
comment_refused(struct ctx *c, int64_t parent, const char *msg)
{
	int st = refused(c, "collaborate", "feed_error", msg, NULL);
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(c->vm, "feed"), i, p) {
		if (json_integer_value(json_object_get(p, "id")) == parent) {
			json_object_set_new(p, "comment_value", json_string(page_form(c, "comment")));
			json_object_set_new(p, "comment_error", json_string(msg));
			json_object_del(c->vm, "feed_error");
		}
	}
	return st;
}

/* A post (PARENT 0) or a comment on PARENT, or a like of PARENT. */
static int
feed_change(struct ctx *c, int64_t parent, int like)
{
	char msg[512] = "", loc[96];
	int64_t n = visible_wo(c);
	if (!n)
		return 404;
	int rc, st = 0;
	int64_t id = 0;
	struct files_held held = { 0 };
	if (like) {
		rc = feed_like(c->db, &c->u, n, parent);
	} else {
		struct files_upload up[HTTP_MAX_UPLOADS];
		long nup = parent ? 0 : page_uploads_held(c, up, &held);
		if (nup < 0)
			return page_fail(c, 500, "The held files could not be read.");
		rc = feed_add(c->db, &c->u, n, parent, page_form(c, parent ? "comment" : "body"), up, (size_t)nup, &id, msg,
		    sizeof(msg));
	}
	if (rc == FEED_OK) {
		files_held_drop(c->db, &held);
	} else if (rc == FEED_BAD && !like && parent) {
		st = comment_refused(c, parent, msg);
	} else if (rc == FEED_BAD && !like) {
		st = refused(c, "collaborate", "share_error", msg, &held);
		page_str(c, "share_body", page_form(c, "body"));
	} else if (rc == FEED_NOT_FOUND) {
		st = page_fail(c, 404, msg[0] ? msg : "There is no such post on this work order.");
	} else {
		st = page_fail(c, rc == FEED_BAD ? 422 : 500, msg[0] ? msg : "The feed could not be changed.");
	}
	files_held_free(&held);
	if (st)
		return st;
	snprintf(loc, sizeof(loc), "/work-orders/%lld/collaborate%s", (long long)n, like ? "" : "?done=posted");
	c->created = !like;
	return page_redirect(c, loc);
}

int
collaborate_post(struct ctx *c)
{
	return feed_change(c, 0, 0);
}

int
collaborate_comment(struct ctx *c)
{
	return feed_change(c, c->id[1], 0);
}

int
collaborate_like(struct ctx *c)
{
	return feed_change(c, c->id[1], 1);
}

int
collaborate_file(struct ctx *c)
{
	const char *tail = c->arg ? c->arg : "";
	int post = page_is_post(c);
	int64_t id = c->id[0];
	struct file_blob f;
	if (id <= 0 || files_get(c->db, id, &f) != FILES_OK)
		return page_fail(c, 404, "File not found.");
	if (!page_can_see(c, f.wo_number)) {
		free(f.data);
		return page_fail(c, 404, "File not found.");
	}
	if (post) {
		free(f.data);
		if (strcmp(tail, "delete"))
			return page_fail(c, 404, "There is no page at this address.");
		char msg[256] = "";
		int rc = lc_file_delete(c->db, &c->u, f.wo_number, id, f.title, msg, sizeof(msg));
		if (rc == LC_REFUSED)
			return page_fail(c, 403, msg);
		if (rc == LC_NOT_FOUND)
			return page_fail(c, 404, "File not found.");
		if (rc != LC_OK)
			return page_fail(c, 500, "The file could not be deleted.");
		char loc[96];
		snprintf(loc, sizeof(loc), "/work-orders/%lld/related", (long long)f.wo_number);
		return page_redirect(c, loc);
	}
	if (*tail && strcmp(tail, "preview")) {
		free(f.data);
		return page_fail(c, 404, "There is no page at this address.");
	}
	/* Only raster images are ever shown inline; everything else downloads,
	 * and the sandbox keeps an uploaded page from running in the portal. */
	int image = !strncmp(f.mime, "image/", 6);
	char disp[600], ctype[96];
	char ascii[256];
	size_t o = 0;
	for (const char *p = f.title; *p && o + 1 < sizeof(ascii); p++)
		ascii[o++] = (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\') ? *p : '_';
	ascii[o] = '\0';
	buf_t enc;
	buf_init(&enc, 1024);
	buf_urlenc(&enc, f.title);
	snprintf(disp, sizeof(disp), "%s; filename=\"%s\"; filename*=UTF-8''%s", image && *tail ? "inline" : "attachment",
	    ascii, enc.overflow ? "file" : enc.data);
	buf_free(&enc);
	snprintf(ctype, sizeof(ctype), "%s%s", f.mime, !strcmp(f.mime, "text/plain") ? "; charset=utf-8" : "");
	http_add_header(c->r, "Content-Disposition", disp);
	http_add_header(c->r, "Content-Security-Policy", "default-src 'none'; sandbox");
	http_add_header(c->r, "Cache-Control", "private, no-store");
	c->raw_ctype = pool_strdup(&c->r->pool, ctype);   /* it must outlive this frame */
	c->raw = f.data;
	c->raw_len = f.len;
	return 200;
}

int
collaborate_mentions(struct ctx *c)
{
	int64_t n = c->id[0];
	if (n <= 0 || !page_can_see(c, n))
		return page_fail(c, 404, "Work order not found.");
	const char *q = http_query(c->r, "q");
	if (q && strlen(q) > 100)
		return page_fail(c, 400, "Type up to 100 characters of a name.");
	if (!c->api)
		return page_fail(c, 404, "Mention suggestions are part of the API: /api/mentions/N?q=.");
	page_set(c, "suggestions", feed_taggable(c->db, &c->u, n, q ? q : ""));
	return 200;
}
