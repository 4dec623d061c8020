/* library.c -- the Library tab: the operator's documents (price lists, guides)
 * to search, download, and for the operator to add and remove.  Domain:
 * library.c. */
#include "handlers.h"
#include "library.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
library_get(struct ctx *c)
{
	const char *q = http_query(c->r, "q"), *cat = http_query(c->r, "category");
	if ((q && strlen(q) > 200) || (cat && strlen(cat) > 40))
		return page_fail(c, 400, "The search is too long.");
	json_t *docs = lib_list(c->db, q, cat);
	if (!docs)
		return page_fail(c, 500, "The Library could not be read.");
	c->tmpl = "library";
	c->title = "Library";
	c->tab = "library";
	page_set(c, "docs", docs);
	page_str(c, "q", q ? q : "");
	page_set(c, "categories", page_string_list(lib_categories, FW_ARRAY_LEN(lib_categories), cat));
	page_set(c, "is_operator", json_boolean(user_is_operator(&c->u)));
	if (http_query(c->r, "done"))
		page_str(c, "notice", "The document is in the Library.");
	return 200;
}

int
library_add(struct ctx *c)
{
	char msg[256] = "";
	struct files_upload up[HTTP_MAX_UPLOADS];
	struct files_held held;
	long nup = page_uploads_held(c, up, &held);
	if (nup < 0)
		return page_fail(c, 500, "The held file could not be read.");
	json_t *errs = json_object();
	int64_t id;
	int rc = LIB_BAD;
	if (nup > 1)
		json_object_set_new(errs, "file", json_string("Choose one file: a document is one file."));
	else
		rc = lib_add(c->db, &c->u, page_form(c, "title"), page_form(c, "category"), page_form(c, "version"),
		    page_form(c, "date"), nup ? up[0].name : "", nup ? up[0].data : "", nup ? up[0].len : 0, &id, errs, msg,
		    sizeof(msg));
	int st = 303;
	if (rc == LIB_OK) {
		files_held_drop(c->db, &held);
		page_redirect(c, "/library?done=added");
		c->created = 1;
	} else if (rc == LIB_BAD && json_object_size(errs)) {
		/* the form again: what was typed, the file held, each message beside its field */
		st = library_get(c);
		if (st == 200) {
			st = 422;
			page_hold(c, &held);
			json_t *v = page_posted(c);
			page_set(c, "values", v);
			page_set(c, "errors", json_incref(errs));
			const char *cat = page_form(c, "category");
			page_set(c, "categories", page_string_list(lib_categories, FW_ARRAY_LEN(lib_categories), cat));
		}
	} else {
		st = page_fail(c, rc == LIB_BAD ? 403 : 500, msg[0] ? msg : "The document could not be saved.");
	}
	json_decref(errs);
	files_held_free(&held);
	return st;
}

int
library_delete(struct ctx *c)
{
	int rc = lib_delete(c->db, &c->u, c->id[0]);
	if (rc == LIB_BAD)
		return page_fail(c, 403, "Only the operator removes documents from the Library.");
	if (rc != LIB_OK)
		return page_fail(c, rc == LIB_NOT_FOUND ? 404 : 500, "No such document.");
	return page_redirect(c, "/library");
}

int
library_download(struct ctx *c)
{
	int64_t id = c->id[0];
	char name[256], mime[64], *data;
	size_t len;
	if (lib_get(c->db, id, name, sizeof(name), mime, sizeof(mime), &data, &len) != LIB_OK)
		return page_fail(c, 404, "No such document.");
	char disp[400];
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	for (char *p = disp; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '_';
	http_add_header(c->r, "Content-Disposition", disp);
	http_add_header(c->r, "Content-Security-Policy", "default-src 'none'; sandbox");
	c->raw_ctype = !strcmp(mime, "text/plain") ? "text/plain; charset=utf-8" : !strcmp(mime, "application/pdf") ?
	    "application/pdf" : !strncmp(mime, "image/png", 9) ? "image/png" : !strncmp(mime, "image/jpeg", 10) ? "image/jpeg" :
	    "application/octet-stream";
	c->raw = data;
	c->raw_len = len;
	return 200;
}
