/* library.c -- see library.h. */
#include "library.h"
#include "files.h"
#include "sla.h"
#include "tz.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const lib_categories[6] = {
	"Price List", "Program Document", "Brochure", "Guide", "Data Sheet", "Branding Guidelines",
};

/* Sets ERRS[FIELD] to MSG (when ERRS is given) and returns 1. */
static int
refuse(json_t *errs, const char *field, const char *msg)
{
	if (errs)
		json_object_set_new(errs, field, json_string(msg));
	return 1;
}

int
lib_add(db_t *db, const struct user *u, const char *title, const char *category, const char *version,
    const char *date, const char *filename, const void *data, size_t len, int64_t *id, json_t *errs, char *msg,
    size_t ml)
{
	if (!user_is_operator(u)) {
		snprintf(msg, ml, "Only the operator adds documents to the Library.");
		return LIB_BAD;
	}
	int known = 0, bad = 0;
	for (size_t i = 0; i < FW_ARRAY_LEN(lib_categories); i++)
		known |= !strcmp(category, lib_categories[i]);
	if (str_is_blank(title) || utf8_chars(title) > LIB_TITLE_MAX)
		bad = refuse(errs, "title", "Enter the document's title (at most 200 characters).");
	if (!known)
		bad = refuse(errs, "category", "Choose the document's category.");
	if (utf8_chars(version) > LIB_VERSION_MAX)
		bad = refuse(errs, "version", "The version is limited to 40 characters.");
	if (sla_parse_day(date) < 0)
		bad = refuse(errs, "date", "Enter the document's date.");
	const char *mime = len ? files_sniff(data, len) : NULL;
	if (!len)
		bad = refuse(errs, "file", "Choose the file to upload.");
	else if (!mime)
		bad = refuse(errs, "file", "The file is not a type the Library takes: PDF, images, text or office documents.");
	if (bad) {
		snprintf(msg, ml, "Some fields need your attention.");
		return LIB_BAD;
	}
	char name[256];
	files_safe_name(filename, name, sizeof(name));
	db_stmt *s = db_prep(db, "INSERT INTO library_doc(title, category, version, doc_date, filename, mime, size, data,"
	    " uploaded_by, uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	if (!s)
		return LIB_ERROR;
	db_bind_text(s, 1, title);
	db_bind_text(s, 2, category);
	db_bind_text(s, 3, version);
	db_bind_text(s, 4, date);
	db_bind_text(s, 5, name);
	db_bind_text(s, 6, mime);
	db_bind_int(s, 7, (int64_t)len);
	db_bind_blob(s, 8, data, len);
	db_bind_int(s, 9, u->id);
	db_bind_int(s, 10, now_utc());
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return LIB_ERROR;
	*id = db_last_id(db);
	return LIB_OK;
}

json_t *
lib_list(db_t *db, const char *q, const char *category)
{
	char like[260];
	str_like(q, 1, like, sizeof(like));
	db_stmt *s = db_prep(db, "SELECT id, title, category, version, doc_date, filename, size FROM library_doc"
	    " WHERE (title LIKE ?1 ESCAPE '\\' OR category LIKE ?1 ESCAPE '\\') AND (?2 = '' OR category = ?2)"
	    " ORDER BY category, doc_date DESC, id DESC LIMIT 500");
	if (!s)
		return NULL;
	db_bind_text(s, 1, like);
	db_bind_text(s, 2, category ? category : "");
	json_t *a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *d = json_object();
		char size[24];
		int64_t n = db_col_int(s, 6);
		files_size_label(n, size);
		json_object_set_new(d, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(d, "title", json_string(db_col_text(s, 1)));
		json_object_set_new(d, "category", json_string(db_col_text(s, 2)));
		json_object_set_new(d, "version", json_string(db_col_text(s, 3)));
		json_object_set_new(d, "date", json_string(db_col_text(s, 4)));
		char day[16];
		tz_fmt_isoday(db_col_text(s, 4), day);
		json_object_set_new(d, "date_local", json_string(day));
		json_object_set_new(d, "filename", json_string(db_col_text(s, 5)));
		json_object_set_new(d, "size", json_string(size));
		json_array_append_new(a, d);
	}
	db_done(s);
	return a;
}

int
lib_get(db_t *db, int64_t id, char *filename, size_t fn, char *mime, size_t mn, char **data, size_t *len)
{
	db_stmt *s = db_prep(db, "SELECT filename, mime, data FROM library_doc WHERE id = ?1");
	if (!s)
		return LIB_ERROR;
	db_bind_int(s, 1, id);
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_done(s);
		return rc == DB_DONE ? LIB_NOT_FOUND : LIB_ERROR;
	}
	str_copy(filename, db_col_text(s, 0), fn);
	str_copy(mime, db_col_text(s, 1), mn);
	size_t n;
	const void *p = db_col_blob(s, 2, &n);
	*data = malloc(n ? n : 1);
	if (*data && n)
		memcpy(*data, p, n);
	*len = n;
	db_done(s);
	return *data ? LIB_OK : LIB_ERROR;
}

int
lib_delete(db_t *db, const struct user *u, int64_t id)
{
	if (!user_is_operator(u))
		return LIB_BAD;
	db_stmt *s = db_prep(db, "DELETE FROM library_doc WHERE id = ?1");
	if (!s)
		return LIB_ERROR;
	db_bind_int(s, 1, id);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return LIB_ERROR;
	return db_changes(db) ? LIB_OK : LIB_NOT_FOUND;
}
