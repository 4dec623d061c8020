/* files.c -- see files.h. */
#include "files.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t max_file = FILES_MAX_FILE, max_per_wo = FILES_MAX_PER_WO;

void
files_set_limits(size_t per_file, size_t per_wo)
{
	max_file = per_file;
	max_per_wo = per_wo;
}

const char *
files_sniff(const void *p, size_t n)
{
	const unsigned char *d = p;
	if (n >= 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (n >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
		return "image/jpeg";
	if (n >= 6 && (!memcmp(d, "GIF87a", 6) || !memcmp(d, "GIF89a", 6)))
		return "image/gif";
	if (n >= 12 && !memcmp(d, "RIFF", 4) && !memcmp(d + 8, "WEBP", 4))
		return "image/webp";
	if (n >= 5 && !memcmp(d, "%PDF-", 5))
		return "application/pdf";
	if (n >= 4 && !memcmp(d, "PK\x03\x04", 4))
		return "application/zip";
	if (n > 0 && !memchr(d, 0, n < 8192 ? n : 8192) && utf8_valid((const char *)d, n < 8192 ? n : 8192))
		return "text/plain";
	return NULL;
}

void
files_safe_name(const char *name, char *out, size_t n)
{
	const char *base = name;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	while (*base == '.' || *base == ' ')
		base++;
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)base; *p && o + 1 < n; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == ':' || *p == '|' ||
		    *p == '?' || *p == '*' || *p == ';')
			out[o++] = '_';
		else
			out[o++] = (char)*p;
	}
	out[o] = '\0';
	/* do not cut a UTF-8 sequence in two */
	while (o && !utf8_valid(out, o))
		out[--o] = '\0';
	if (!o)
		str_copy(out, "file", n);
}

int
files_add(db_t *db, const struct user *u, int64_t number, const char *name, const void *data, size_t len,
    int64_t post_id, int64_t *id, char *msg, size_t ml)
{
	char title[256];
	files_safe_name(name, title, sizeof(title));
	if (len == 0) {
		snprintf(msg, ml, "%s is empty.", title);
		return FILES_BAD;
	}
	if (len > max_file) {
		snprintf(msg, ml, "%s is larger than %zu MB.", title, max_file >> 20);
		return FILES_BAD;
	}
	const char *mime = files_sniff(data, len);
	if (!mime) {
		snprintf(msg, ml, "%s is not a type the portal takes: send photos (PNG, JPEG, GIF, WebP), PDF, text"
		    " or office documents.", title);
		return FILES_BAD;
	}
	if (!strcmp(u->role, "technician") && strncmp(mime, "image/", 6) != 0) {
		snprintf(msg, ml, "%s is not a photo: a technician adds photos (PNG, JPEG, GIF, WebP); the dispatcher adds"
		    " other files.", title);
		return FILES_BAD;
	}
	db_stmt *s = db_prep(db, "SELECT COALESCE(SUM(size), 0) FROM file WHERE wo_number = ?1");
	if (!s)
		return FILES_ERROR;
	db_bind_int(s, 1, number);
	int64_t used = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
	db_done(s);
	if ((uint64_t)used + len > max_per_wo) {
		snprintf(msg, ml, "This work order's files would pass %zu MB in all; remove some first.", max_per_wo >> 20);
		return FILES_BAD;
	}
	char owner[200];
	snprintf(owner, sizeof(owner), "%s", user_is_operator(u) ? u->name : u->org_name);
	s = db_prep(db, "INSERT INTO file(wo_number, title, owner_label, owner_user_id, modified_at, size, mime, data, post_id)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	if (!s)
		return FILES_ERROR;
	db_bind_int(s, 1, number);
	db_bind_text(s, 2, title);
	db_bind_text(s, 3, owner);
	db_bind_int(s, 4, u->id);
	db_bind_int(s, 5, now_utc());
	db_bind_int(s, 6, (int64_t)len);
	db_bind_text(s, 7, mime);
	db_bind_blob(s, 8, data, len);
	if (post_id > 0)
		db_bind_int(s, 9, post_id);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return FILES_ERROR;
	*id = db_last_id(db);
	return FILES_OK;
}

int
files_get(db_t *db, int64_t id, struct file_blob *out)
{
	db_stmt *s = db_prep(db, "SELECT id, wo_number, COALESCE(owner_user_id, 0), title, mime, data FROM file WHERE id = ?1");
	if (!s)
		return FILES_ERROR;
	db_bind_int(s, 1, id);
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_done(s);
		return rc == DB_DONE ? FILES_NOT_FOUND : FILES_ERROR;
	}
	memset(out, 0, sizeof(*out));
	out->id = db_col_int(s, 0);
	out->wo_number = db_col_int(s, 1);
	out->owner_user_id = db_col_int(s, 2);
	str_copy(out->title, db_col_text(s, 3), sizeof(out->title));
	str_copy(out->mime, db_col_text(s, 4), sizeof(out->mime));
	size_t n;
	const void *d = db_col_blob(s, 5, &n);
	out->data = malloc(n ? n : 1);
	if (out->data && n)
		memcpy(out->data, d, n);
	out->len = n;
	db_done(s);
	return out->data ? FILES_OK : FILES_ERROR;
}

int
files_delete(db_t *db, const struct user *u, int64_t id, char *msg, size_t ml)
{
	db_stmt *s = db_prep(db, "SELECT COALESCE(owner_user_id, 0) FROM file WHERE id = ?1");
	if (!s)
		return FILES_ERROR;
	db_bind_int(s, 1, id);
	int rc = db_step(s);
	int64_t owner = rc == DB_ROW ? db_col_int(s, 0) : -1;
	db_done(s);
	if (owner < 0)
		return FILES_NOT_FOUND;
	if (owner != u->id && !user_is_operator(u)) {
		snprintf(msg, ml, "Only the person who added a file, or the operator, can delete it.");
		return FILES_BAD;
	}
	s = db_prep(db, "DELETE FROM file WHERE id = ?1");
	if (!s)
		return FILES_ERROR;
	db_bind_int(s, 1, id);
	rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? FILES_OK : FILES_ERROR;
}

int
files_add_all(db_t *db, const struct user *u, int64_t number, const struct files_upload *up, size_t n,
    char *msg, size_t ml)
{
	if (db_begin(db)) {
		snprintf(msg, ml, "The database is busy; try again.");
		return FILES_ERROR;
	}
	for (size_t i = 0; i < n; i++) {
		int64_t id;
		int rc = files_add(db, u, number, up[i].name, up[i].data, up[i].len, 0, &id, msg, ml);
		if (rc != FILES_OK) {
			db_rollback(db);
			if (!msg[0])
				snprintf(msg, ml, "The files could not be saved.");
			return rc == FILES_BAD ? FILES_BAD : FILES_ERROR;
		}
	}
	if (db_commit(db)) {
		snprintf(msg, ml, "The files could not be saved; nothing was stored.");
		return FILES_ERROR;
	}
	return FILES_OK;
}

int
files_replace(db_t *db, const struct user *u, int64_t number, const char *name, const void *data, size_t len,
    int64_t *id, char *msg, size_t ml)
{
	if (db_begin(db)) {
		snprintf(msg, ml, "The database is busy; try again.");
		return FILES_ERROR;
	}
	db_stmt *s = db_prep(db, "DELETE FROM file WHERE wo_number = ?1 AND title = ?2");
	int rc = DB_ERROR;
	if (s) {
		db_bind_int(s, 1, number);
		db_bind_text(s, 2, name);
		rc = db_step(s);
		db_done(s);
	}
	int st = rc == DB_DONE ? files_add(db, u, number, name, data, len, 0, id, msg, ml) : FILES_ERROR;
	if (st != FILES_OK || db_commit(db)) {
		db_rollback(db);
		if (st == FILES_OK || !*msg)
			snprintf(msg, ml, "The file could not be stored.");
		return st == FILES_OK ? FILES_ERROR : st;
	}
	return FILES_OK;
}

void
files_size_label(int64_t n, char out[24])
{
	if (n < 1024)
		snprintf(out, 24, "%lldB", (long long)n);
	else if (n < 1024 * 1024)
		snprintf(out, 24, "%lldKB", (long long)((n + 512) / 1024));
	else
		snprintf(out, 24, "%.1fMB", (double)n / (1024.0 * 1024.0));
}

/* 1 when the portal would store UP (files_add's checks but the total). */
static int
holdable(const struct files_upload *up)
{
	return up->len > 0 && up->len <= max_file && files_sniff(up->data, up->len) != NULL;
}

json_t *
files_hold(db_t *db, const struct user *u, const struct files_upload *up, size_t n)
{
	json_t *a = json_array();
	if (db_begin(db))
		goto fail;
	db_stmt *s = db_prep(db, "DELETE FROM held_file WHERE user_id = ?1 AND created_at < ?2");
	if (!s)
		goto fail_tx;
	db_bind_int(s, 1, u->id);
	db_bind_int(s, 2, now_utc() - FILES_HOLD_SECS);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		goto fail_tx;
	for (size_t i = 0; i < n && json_array_size(a) < FILES_MAX_HELD; i++) {
		if (!holdable(&up[i]))
			continue;
		char name[256], size[24];
		files_safe_name(up[i].name, name, sizeof(name));
		s = db_prep(db, "INSERT INTO held_file(user_id, name, size, created_at, data) VALUES (?1, ?2, ?3, ?4, ?5)");
		if (!s)
			goto fail_tx;
		db_bind_int(s, 1, u->id);
		db_bind_text(s, 2, name);
		db_bind_int(s, 3, (int64_t)up[i].len);
		db_bind_int(s, 4, now_utc());
		db_bind_blob(s, 5, up[i].data, up[i].len);
		rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE)
			goto fail_tx;
		files_size_label((int64_t)up[i].len, size);
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(db_last_id(db)));
		json_object_set_new(o, "name", json_string(name));
		json_object_set_new(o, "size", json_string(size));
		json_array_append_new(a, o);
	}
	if (db_commit(db))
		goto fail_tx;
	return a;
fail_tx:
	db_rollback(db);
fail:
	json_decref(a);
	return NULL;
}

int
files_held_load(db_t *db, const struct user *u, const int64_t *ids, size_t nid, struct files_held *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < nid && out->n < FILES_MAX_HELD; i++) {
		db_stmt *s = db_prep(db, "SELECT name, data FROM held_file WHERE id = ?1 AND user_id = ?2 AND created_at >= ?3");
		if (!s)
			goto fail;
		db_bind_int(s, 1, ids[i]);
		db_bind_int(s, 2, u->id);
		db_bind_int(s, 3, now_utc() - FILES_HOLD_SECS);
		int rc = db_step(s);
		if (rc == DB_ROW) {
			size_t k = out->n, len;
			const void *d = db_col_blob(s, 1, &len);
			str_copy(out->name[k], db_col_text(s, 0), sizeof(out->name[k]));
			out->data[k] = malloc(len ? len : 1);
			if (!out->data[k]) {
				db_done(s);
				goto fail;
			}
			memcpy(out->data[k], d, len);
			out->id[k] = ids[i];
			out->up[k] = (struct files_upload){ out->name[k], out->data[k], len };
			out->n++;
		}
		db_done(s);
		if (rc != DB_ROW && rc != DB_DONE)
			goto fail;
	}
	return 0;
fail:
	files_held_free(out);
	return -1;
}

void
files_held_free(struct files_held *out)
{
	for (size_t i = 0; i < out->n; i++)
		free(out->data[i]);
	out->n = 0;
}

void
files_held_drop(db_t *db, const struct files_held *out)
{
	for (size_t i = 0; i < out->n; i++) {
		db_stmt *s = db_prep(db, "DELETE FROM held_file WHERE id = ?1");
		if (!s)
			return;
		db_bind_int(s, 1, out->id[i]);
		db_step(s);
		db_done(s);
	}
}
