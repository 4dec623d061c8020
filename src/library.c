/* library.c -- see library.h. */
#include "library.h"
#include "files.h"
#include "sla.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const lib_categories[6] = {
	"Price List", "Program Document", "Brochure", "Guide", "Data Sheet", "Branding Guidelines",
};

int
lib_add(db_t *db, const struct user *u, const char *title, const char *category, const char *version,
    const char *date, const char *filename, const void *data, size_t len, int64_t *id, char *msg, size_t ml)
{
	if (!user_is_operator(u)) {
		snprintf(msg, ml, "Only the operator adds documents to the Library.");
		return LIB_BAD;
	}
	int known = 0;
	for (size_t i = 0; i < FW_ARRAY_LEN(lib_categories); i++)
		known |= !strcmp(category, lib_categories[i]);
	if (!*title || strlen(title) > 200) {
		snprintf(msg, ml, "Enter the document's title (at most 200 characters).");
		return LIB_BAD;
	}
	if (!known) {
		snprintf(msg, ml, "Choose the document's category.");
		return LIB_BAD;
	}
	if (strlen(version) > 40) {
		snprintf(msg, ml, "Keep the version under 40 characters.");
		return LIB_BAD;
	}
	if (sla_parse_day(date) < 0) {
		snprintf(msg, ml, "Enter the document's date.");
		return LIB_BAD;
	}
	if (!len) {
		snprintf(msg, ml, "Choose the file to upload.");
		return LIB_BAD;
	}
	const char *mime = files_sniff(data, len);
	if (!mime) {
		snprintf(msg, ml, "The file is not a type the Library takes: PDF, images, text or office documents.");
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
		if (n < 1024 * 1024)
			snprintf(size, sizeof(size), "%lldKB", (long long)((n + 1023) / 1024));
		else
			snprintf(size, sizeof(size), "%.1fMB", (double)n / 1048576.0);
		json_object_set_new(d, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(d, "title", json_string(db_col_text(s, 1)));
		json_object_set_new(d, "category", json_string(db_col_text(s, 2)));
		json_object_set_new(d, "version", json_string(db_col_text(s, 3)));
		json_object_set_new(d, "date", json_string(db_col_text(s, 4)));
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
