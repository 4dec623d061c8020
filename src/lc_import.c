/* lc_import.c -- the operator's CSV import of new work orders: each row
 * read by its column names (the export's, where they apply), names mapped
 * to the reference data, every row checked, then all made or none.  Part
 * of the lifecycle module (lifecycle.h). */
#include "lc_int.h"
#include "util.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The columns, the form field each fills, and the lookup of a name (NULL:
 * the text as it is). */
static const struct { const char *column, *field, *lookup, *what; int required; } cols[] = {
	{ "Case", "case", NULL, NULL, 1 },
	{ "Subject", "subject", NULL, NULL, 1 },
	{ "Account", "account_id", "SELECT id FROM account WHERE lower(name) = lower(?1)", "account", 1 },
	{ "Station", "station_id", "SELECT id FROM station WHERE account_id = ?2 AND (serial = ?1 OR lower(name) = lower(?1))"
	  " ORDER BY id LIMIT 1", "station of this account (its serial number or name)", 1 },
	{ "Service Territory", "territory_id", "SELECT id FROM territory WHERE lower(name) = lower(?1)", "service territory", 1 },
	{ "Entitlement", "entitlement_id", "SELECT id FROM entitlement WHERE lower(name) = lower(?1)", "entitlement", 0 },
	{ "Work Type", "work_type_id", "SELECT id FROM work_type WHERE lower(name) = lower(?1)", "work type", 1 },
	{ "Owner", "owner_id", "SELECT id FROM org WHERE kind = 'partner' AND lower(name) = lower(?1)", "partner company", 1 },
	{ "Parts Needed", "parts_needed", NULL, NULL, 0 },
	{ "Line Items", "line_items", NULL, NULL, 1 },
};

/* ROW's value of COLUMN, its header matched without regard to case. */
static const char *
cell(json_t *row, const char *column)
{
	const char *k;
	json_t *v;
	json_object_foreach(row, k, v) {
		char t[80];
		str_copy(t, k, sizeof(t));
		if (!strcasecmp(str_trim(t), column))
			return json_string_value(v);
	}
	return "";
}

/* The id NAME looks up by SQL (bound with ACCOUNT as ?2), 0 when none,
 * -1 on error. */
static int64_t
lookup(db_t *db, const char *sql, const char *name, int64_t account)
{
	db_stmt *s = db_prep(db, sql);
	if (!s)
		return -1;
	db_bind_text(s, 1, name);
	if (strstr(sql, "?2"))
		db_bind_int(s, 2, account);
	int rc = db_step(s);
	int64_t id = rc == DB_ROW ? db_col_int(s, 0) : rc == DB_DONE ? 0 : -1;
	db_done(s);
	return id;
}

/* ROW as the New Work Order form, or the errors per column in ERRS. */
static json_t *
row_form(db_t *db, json_t *row, json_t *errs, int *failed)
{
	json_t *f = json_object();
	int64_t account = 0;
	for (size_t i = 0; i < FW_ARRAY_LEN(cols); i++) {
		char v[512];   /* a name to look up or a yes/no; longer text goes as it is */
		str_copy(v, cell(row, cols[i].column), sizeof(v));
		str_trim(v);
		if (!cols[i].lookup) {
			if (strcmp(cols[i].field, "parts_needed")) {
				json_object_set_new(f, cols[i].field, json_string(cell(row, cols[i].column)));
			} else {
				if (*v && strcasecmp(v, "yes") && strcasecmp(v, "no") && strcasecmp(v, "true") && strcasecmp(v, "false"))
					json_object_set_new(errs, cols[i].column, json_string("Write Yes or No."));
				else if (!strcasecmp(v, "yes") || !strcasecmp(v, "true"))
					json_object_set_new(f, "parts_needed", json_string("on"));
			}
			continue;
		}
		if (!*v) {
			if (cols[i].required)
				json_object_set_new(errs, cols[i].column, json_string("This column is needed."));
			continue;
		}
		int64_t id = lookup(db, cols[i].lookup, v, account);
		if (id < 0) {
			*failed = 1;
			break;
		}
		if (!id) {
			char m[300];
			snprintf(m, sizeof(m), "There is no %s \"%.100s\".", cols[i].what, v);
			json_object_set_new(errs, cols[i].column, json_string(m));
			continue;
		}
		if (!strcmp(cols[i].field, "account_id"))
			account = id;
		char num[24];
		snprintf(num, sizeof(num), "%lld", (long long)id);
		json_object_set_new(f, cols[i].field, json_string(num));
	}
	return f;
}

/* The column a form field came from, for the report. */
static const char *
column_of(const char *field)
{
	for (size_t i = 0; i < FW_ARRAY_LEN(cols); i++)
		if (!strcmp(cols[i].field, field))
			return cols[i].column;
	return field;
}

int
lc_import(db_t *db, const struct user *u, json_t *rows, json_t *report, char *msg, size_t ml)
{
	if (!user_is_operator(u)) {
		snprintf(msg, ml, "Only the operator imports work orders.");
		return LC_REFUSED;
	}
	if (!json_array_size(rows)) {
		snprintf(msg, ml, "The file has no work orders under its header line.");
		return LC_BAD_INPUT;
	}
	if (db_begin(db)) {
		snprintf(msg, ml, "The database is busy; try again.");
		return LC_ERROR;
	}
	json_t *bad = json_array(), *made = json_array();
	int failed = 0;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		json_t *errs = json_object();
		json_t *f = row_form(db, row, errs, &failed);
		int64_t n = 0, owner = 0;
		char m[256] = "";
		if (!failed && !json_object_size(errs)) {
			json_t *fe = json_object();
			int rc = lc_create_in(db, u, f, fe, m, sizeof(m), &n, &owner);
			const char *k;
			json_t *v;
			json_object_foreach(fe, k, v)
				json_object_set(errs, column_of(k), v);
			json_decref(fe);
			if (rc == LC_OK && lc_created(db, u, n, owner))
				rc = LC_ERROR;
			failed |= rc == LC_ERROR;
		}
		json_decref(f);
		if (json_object_size(errs)) {
			json_t *e = json_object();
			json_object_set_new(e, "line", json_integer((json_int_t)i + 2));   /* the header is line 1 */
			json_object_set_new(e, "errors", errs);
			json_array_append_new(bad, e);
		} else {
			json_decref(errs);
			json_array_append_new(made, json_integer(n));
		}
		if (failed)
			break;
	}
	if (failed || json_array_size(bad) || db_commit(db)) {
		db_rollback(db);
		json_object_set_new(report, "rows", bad);
		json_decref(made);
		snprintf(msg, ml, failed ? "The import could not be saved; nothing was made." :
		    "%zu of %zu rows need your attention; nothing was made.", json_array_size(json_object_get(report, "rows")),
		    json_array_size(rows));
		return failed ? LC_ERROR : LC_BAD_INPUT;
	}
	json_decref(bad);
	json_object_set_new(report, "created", made);
	snprintf(msg, ml, "%zu work orders are made.", json_array_size(made));
	return LC_OK;
}
