/* export.c -- see export.h. */
#include "export.h"
#include "util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_PAGE 200

int
ex_csv_field(buf_t *out, const char *v)
{
	int formula = strchr("=+-@\t\r", v[0]) && v[0];
	int quote = formula || strpbrk(v, ",\"\r\n") != NULL;
	if (quote && buf_putc(out, '"'))
		return -1;
	if (formula && buf_putc(out, '\''))
		return -1;
	for (const char *p = v; *p; p++) {
		if (*p == '"' && buf_putc(out, '"'))
			return -1;
		if (buf_putc(out, *p))
			return -1;
	}
	return quote ? buf_putc(out, '"') : 0;
}

struct csv {
	struct wo_scope scope;
	struct wo_query q;
	char search[WO_SEARCH_MAX + 1];
	const struct tz *z;
	buf_t pending;      /* formatted, not yet sent */
	size_t sent;        /* of pending */
	int header_done, done;
};

static const struct { int col; const char *field; } csv_cols[] = {
	{ WC_NUMBER, "number" }, { WC_CASE, "case" }, { WC_SUBJECT, "subject" }, { WC_ACCOUNT, "account" },
	{ WC_TERRITORY, "service_territory" }, { WC_STATUS, "status" }, { WC_ASSIGNED, "wo_assigned_date_local" },
	{ WC_ENTITLEMENT, "entitlement" }, { WC_APPOINTMENT, "appointment_date_local" }, { WC_WORK_TYPE, "work_type" },
	{ WC_TARGET, "target_sla_date_local" },
	{ WC_COMPLETED, "completed_date_local" }, { WC_VIEWED, "last_viewed_local" },
};

void *
ex_csv_open(const struct wo_scope *scope, const struct wo_query *q, const struct tz *z)
{
	struct csv *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->scope = *scope;
	c->q = *q;
	c->q.limit = CSV_PAGE;
	c->q.before = 0;
	c->q.after = 0;
	c->q.exact = 1;   /* every match, in order */
	if (q->search) {
		str_copy(c->search, q->search, sizeof(c->search));
		c->q.search = c->search;
	}
	c->z = z;
	buf_init(&c->pending, 4u << 20);
	return c;
}

static int
fill(struct csv *c)
{
	buf_reset(&c->pending);
	c->sent = 0;
	if (!c->header_done) {
		/* UTF-8 byte order mark: spreadsheets then read the names right */
		buf_puts(&c->pending, "\xef\xbb\xbf");
		int first = 1;
		for (size_t i = 0; i < FW_ARRAY_LEN(csv_cols); i++) {
			if (!wo_view_has_col(c->q.view, csv_cols[i].col))
				continue;
			if (!first)
				buf_putc(&c->pending, ',');
			ex_csv_field(&c->pending, wo_cols[csv_cols[i].col].label);
			first = 0;
		}
		buf_puts(&c->pending, "\r\n");
		c->header_done = 1;
		return 0;
	}
	db_t *db = db_thread();
	struct rowset rows;
	int64_t total;
	int capped, next, prev;
	char err[256];
	if (!db || wo_list(db, &c->scope, &c->q, c->z, &rows, &total, &capped, &next, &prev, err, sizeof(err)) != WO_OK)
		return -1;
	int field[FW_ARRAY_LEN(csv_cols)];
	for (size_t k = 0; k < FW_ARRAY_LEN(csv_cols); k++)
		field[k] = wo_view_has_col(c->q.view, csv_cols[k].col) ? rowset_col(&rows, csv_cols[k].field,
		    strlen(csv_cols[k].field)) : -2;
	for (size_t i = 0; i < rows.nrows; i++) {
		int first = 1;
		for (size_t k = 0; k < FW_ARRAY_LEN(csv_cols); k++) {
			if (field[k] == -2)
				continue;
			if (!first)
				buf_putc(&c->pending, ',');
			const struct rs_val *v = field[k] >= 0 ? rowset_get(&rows, i, field[k]) : NULL;
			char text[8192];   /* a list field is at most a few hundred characters */
			if (v && v->kind == RS_INT)
				snprintf(text, sizeof(text), "%lld", (long long)v->i);
			else if (v && v->kind == RS_STR)
				snprintf(text, sizeof(text), "%.*s", (int)v->len, rowset_bytes(&rows, v));
			else
				text[0] = '\0';
			ex_csv_field(&c->pending, text);
			first = 0;
		}
		buf_puts(&c->pending, "\r\n");
	}
	if (rows.nrows)
		c->q.after = wo_list_number(&rows, rows.nrows - 1);
	if (!next || c->q.view == WV_RECENT)
		c->done = 1;
	rowset_free(&rows);
	return c->pending.overflow ? -1 : 0;
}

long
ex_csv_read(void *cls, char *buf, size_t max)
{
	struct csv *c = cls;
	while (c->sent >= c->pending.len) {
		if (c->done && c->header_done)
			return 0;
		if (fill(c) != 0)
			return -1;
		if (c->pending.len == 0 && c->done)
			return 0;
	}
	size_t n = c->pending.len - c->sent;
	if (n > max)
		n = max;
	memcpy(buf, c->pending.data + c->sent, n);
	c->sent += n;
	return (long)n;
}

void
ex_csv_free(void *cls)
{
	struct csv *c = cls;
	if (!c)
		return;
	buf_free(&c->pending);
	free(c);
}

/* ---------- calendar feeds ---------- */

static void
hash_token(const char *t, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)t, strlen(t), NULL, 0);
}

int
ex_cal_issue(db_t *db, const struct user *u, int64_t tech, char token[AUTH_TOKEN_LEN], char *msg, size_t ml)
{
	if (!user_is_partner(u)) {
		snprintf(msg, ml, "Calendar feeds are for partner companies and their technicians.");
		return EX_BAD;
	}
	if (tech) {
		if (!user_is_partner_admin(u)) {
			snprintf(msg, ml, "Only a partner admin makes a technician's calendar feed.");
			return EX_BAD;
		}
		db_stmt *s = db_prep(db, "SELECT 1 FROM technician WHERE id = ?1 AND org_id = ?2");
		if (!s)
			return EX_ERROR;
		db_bind_int(s, 1, tech);
		db_bind_int(s, 2, u->org_id);
		int rc = db_step(s);
		db_done(s);
		if (rc != DB_ROW) {
			snprintf(msg, ml, "No such technician in your organization.");
			return EX_NOT_FOUND;
		}
	}
	unsigned char h[32];
	auth_random_token(token);
	hash_token(token, h);
	db_stmt *s = db_prep(db, "INSERT INTO cal_token(token_hash, org_id, technician_id, created_by, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!s)
		return EX_ERROR;
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_int(s, 2, u->org_id);
	if (tech)
		db_bind_int(s, 3, tech);
	db_bind_int(s, 4, u->id);
	db_bind_int(s, 5, now_utc());
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? EX_OK : EX_ERROR;
}

json_t *
ex_cal_list(db_t *db, const struct user *u, const struct tz *z)
{
	db_stmt *s = db_prep(db, "SELECT c.id, COALESCE(t.name, ''), c.created_at FROM cal_token c"
	    " LEFT JOIN technician t ON t.id = c.technician_id WHERE c.org_id = ?1 AND c.revoked_at = 0 ORDER BY c.id");
	if (!s)
		return NULL;
	db_bind_int(s, 1, u->org_id);
	json_t *a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *o = json_object();
		char when[32];
		tz_fmt_datetime(z, db_col_int(s, 2), when);
		json_object_set_new(o, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(o, "technician", json_string(db_col_text(s, 1)));
		json_object_set_new(o, "created_local", json_string(when));
		json_array_append_new(a, o);
	}
	db_done(s);
	return a;
}

int
ex_cal_revoke(db_t *db, const struct user *u, int64_t id)
{
	db_stmt *s = db_prep(db, "UPDATE cal_token SET revoked_at = ?3 WHERE id = ?1 AND org_id = ?2 AND revoked_at = 0");
	if (!s)
		return EX_ERROR;
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, u->org_id);
	db_bind_int(s, 3, now_utc());
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return EX_ERROR;
	return db_changes(db) == 1 ? EX_OK : EX_NOT_FOUND;
}

/* Appends "NAME:VALUE" escaped (RFC 5545 3.3.11) and folded at 75 octets. */
static void
ical_line(buf_t *b, const char *name, const char *value)
{
	buf_t l;
	buf_init(&l, 64 * 1024);
	buf_puts(&l, name);
	buf_putc(&l, ':');
	for (const char *p = value; *p; p++) {
		if (*p == '\\' || *p == ';' || *p == ',')
			buf_putc(&l, '\\');
		if (*p == '\n') {
			buf_puts(&l, "\\n");
			continue;
		}
		if (*p == '\r')
			continue;
		buf_putc(&l, *p);
	}
	size_t col = 0;
	for (size_t i = 0; i < l.len; i++) {
		unsigned char ch = (unsigned char)l.data[i];
		/* fold before 75 octets, never inside a UTF-8 sequence */
		if (col >= 74 && (ch & 0xc0) != 0x80) {
			buf_puts(b, "\r\n ");
			col = 1;
		}
		buf_putc(b, (char)ch);
		col++;
	}
	buf_puts(b, "\r\n");
	buf_free(&l);
}

static void
ical_time(int64_t t, char out[20])
{
	char iso[24];
	tz_fmt_iso(t, iso);   /* 2026-02-13T20:55:00Z */
	snprintf(out, 20, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", iso, iso + 5, iso + 8, iso + 11, iso + 14, iso + 17);
}

int
ex_cal_feed(db_t *db, const char *token, const char *brand, buf_t *out)
{
	if (!token || strlen(token) != AUTH_TOKEN_LEN - 1)
		return EX_NOT_FOUND;
	unsigned char h[32];
	hash_token(token, h);
	/* a feed lives while its maker may still log in and, for a technician's
	 * feed, while the technician still works for the company */
	db_stmt *s = db_prep(db, "SELECT c.org_id, COALESCE(c.technician_id, 0) FROM cal_token c"
	    " JOIN users u ON u.id = c.created_by AND u.disabled = 0 AND u.org_id = c.org_id"
	    " LEFT JOIN technician t ON t.id = c.technician_id"
	    " WHERE c.token_hash = ?1 AND c.revoked_at = 0 AND (c.technician_id IS NULL OR t.org_id = c.org_id)");
	if (!s)
		return EX_ERROR;
	db_bind_blob(s, 1, h, sizeof(h));
	int rc = db_step(s);
	int64_t org = rc == DB_ROW ? db_col_int(s, 0) : 0, tech = rc == DB_ROW ? db_col_int(s, 1) : 0;
	db_done(s);
	if (rc != DB_ROW)
		return rc == DB_DONE ? EX_NOT_FOUND : EX_ERROR;
	s = db_prep(db, "SELECT w.number, w.subject, w.status, w.appointment_at, w.site_street, w.site_city, w.site_state,"
	    " w.site_postal_code, w.account_name, w.updated_at, w.technician_label FROM wo w"
	    " WHERE w.owner_org_id = ?1 AND w.appointment_at > 0 AND w.state_class = 0"
	    " AND (?2 = 0 OR w.number IN (SELECT wo_number FROM wo_assignment WHERE technician_id = ?2 AND active = 1))"
	    " ORDER BY w.appointment_at LIMIT 2000");
	if (!s)
		return EX_ERROR;
	db_bind_int(s, 1, org);
	db_bind_int(s, 2, tech);
	buf_puts(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
	char prodid[160];
	snprintf(prodid, sizeof(prodid), "-//Fieldwork//%s Partner Connect//EN", brand);
	ical_line(out, "PRODID", prodid);
	ical_line(out, "X-WR-CALNAME", tech ? "Technician appointments" : "Company appointments");
	int64_t now = now_utc();
	while (db_step(s) == DB_ROW) {
		char uid[64], start[20], end[20], stamp[20], summary[400], loc[400], desc[400];
		int64_t number = db_col_int(s, 0), at = db_col_int(s, 3);
		snprintf(uid, sizeof(uid), "wo-%lld@fieldwork", (long long)number);
		ical_time(at, start);
		ical_time(at + 2 * 3600, end);
		ical_time(now, stamp);
		snprintf(summary, sizeof(summary), "WO %lld: %s", (long long)number, db_col_text(s, 1));
		snprintf(loc, sizeof(loc), "%s, %s, %s %s", db_col_text(s, 4), db_col_text(s, 5), db_col_text(s, 6),
		    db_col_text(s, 7));
		snprintf(desc, sizeof(desc), "%s\nStatus: %s\nTechnician: %s", db_col_text(s, 8), db_col_text(s, 2),
		    db_col_text(s, 10));
		buf_puts(out, "BEGIN:VEVENT\r\n");
		ical_line(out, "UID", uid);
		buf_printf(out, "DTSTAMP:%s\r\nDTSTART:%s\r\nDTEND:%s\r\n", stamp, start, end);
		ical_line(out, "SUMMARY", summary);
		ical_line(out, "LOCATION", loc);
		ical_line(out, "DESCRIPTION", desc);
		buf_puts(out, "END:VEVENT\r\n");
	}
	db_done(s);
	buf_puts(out, "END:VCALENDAR\r\n");
	return out->overflow ? EX_ERROR : EX_OK;
}
