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
	if (page_uploads(c, up) != 1)
		return page_fail(c, 422, "Choose one file to upload.");
	int64_t id;
	int rc = lib_add(c->db, &c->u, page_form(c, "title"), page_form(c, "category"), page_form(c, "version"),
	    page_form(c, "date"), up[0].name, up[0].data, up[0].len, &id, msg, sizeof(msg));
	if (rc != LIB_OK)
		return page_fail(c, rc == LIB_BAD ? 422 : 500, msg[0] ? msg : "The document could not be saved.");
	return page_redirect(c, "/library?done=added");
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
