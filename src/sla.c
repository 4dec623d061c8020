/* sla.c -- see sla.h. */
#include "sla.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

int
sla_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday */
	int64_t w = (day + 4) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

int
sla_is_closed(const struct sla_calendar *cal, int64_t day)
{
	int wd = sla_weekday(day);
	if (wd == 0 || wd == 6)
		return 1;
	if (!cal)
		return 0;
	size_t lo = 0, hi = cal->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cal->days[mid] == day)
			return 1;
		if (cal->days[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int64_t
sla_add_business_days(const struct sla_calendar *cal, int64_t day, int n)
{
	while (n > 0) {
		day++;
		if (!sla_is_closed(cal, day))
			n--;
	}
	return day;
}

int
sla_business_days_between(const struct sla_calendar *cal, int64_t from, int64_t to)
{
	int n = 0;
	for (int64_t d = from + 1; d <= to && n < 100000; d++)
		if (!sla_is_closed(cal, d))
			n++;
	return n;
}

int64_t
sla_shift(const struct sla_calendar *cal, const struct tz *z, int64_t t, int n)
{
	if (n <= 0 || !t)
		return t;
	int64_t secs, day = tz_local_day(z, t, &secs);
	int64_t to = sla_add_business_days(cal, day, n);
	int y, m, d;
	int64_t out;
	tz_civil_from_days(to, &y, &m, &d);
	if (tz_local_to_utc(z, y, m, d, (int)(secs / 3600), (int)(secs % 3600 / 60), &out) != 0)
		out = t + (to - day) * 86400;
	return out;
}

int64_t
sla_target(const struct sla_calendar *cal, const struct tz *z, int64_t base, int n)
{
	int64_t target = sla_add_business_days(cal, tz_local_day(z, base, NULL), n);
	int y, m, d;
	int64_t t;
	tz_civil_from_days(target, &y, &m, &d);
	if (tz_local_to_utc(z, y, m, d, 23, 59, &t) != 0)
		t = target * 86400 + 86399;
	return t;
}

int64_t
sla_parse_day(const char *s)
{
	int y, m, d;
	char extra;
	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3)
		return -1;
	if (y < 1971 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	int64_t day = tz_days_from_civil(y, m, d);
	int yy, mm, dd;
	tz_civil_from_days(day, &yy, &mm, &dd);
	return yy == y && mm == m && dd == d ? day : -1;
}

int
sla_calendar_load(db_t *db, struct sla_calendar *cal)
{
	cal->n = 0;
	db_stmt *s = db_prep(db, "SELECT day FROM holiday ORDER BY day");
	if (!s)
		return -1;
	int rc;
	while ((rc = db_step(s)) == DB_ROW && cal->n < SLA_MAX_HOLIDAYS) {
		int64_t d = sla_parse_day(db_col_text(s, 0));
		if (d >= 0)
			cal->days[cal->n++] = d;
	}
	db_done(s);
	return rc == DB_ERROR ? -1 : 0;
}

json_t *
sla_settings(db_t *db)
{
	json_t *o = json_object();
	db_stmt *s = db_prep(db, "SELECT id, name, business_days FROM entitlement ORDER BY name");
	if (!s) {
		json_decref(o);
		return NULL;
	}
	json_t *a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *e = json_object();
		json_object_set_new(e, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(e, "name", json_string(db_col_text(s, 1)));
		json_object_set_new(e, "business_days", json_integer(db_col_int(s, 2)));
		json_array_append_new(a, e);
	}
	db_done(s);
	json_object_set_new(o, "entitlements", a);
	s = db_prep(db, "SELECT day, name FROM holiday ORDER BY day");
	if (!s) {
		json_decref(o);
		return NULL;
	}
	a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *h = json_object();
		json_object_set_new(h, "day", json_string(db_col_text(s, 0)));
		char day[16];
		tz_fmt_isoday(db_col_text(s, 0), day);
		json_object_set_new(h, "day_local", json_string(day));
		json_object_set_new(h, "name", json_string(db_col_text(s, 1)));
		json_array_append_new(a, h);
	}
	db_done(s);
	json_object_set_new(o, "holidays", a);
	s = db_prep(db, "SELECT id, name, dispatch_covered_miles, travel_rate_cents FROM org WHERE kind = 'partner'"
	    " ORDER BY name");
	if (!s) {
		json_decref(o);
		return NULL;
	}
	a = json_array();
	while (db_step(s) == DB_ROW) {
		json_t *p = json_object();
		json_object_set_new(p, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(p, "name", json_string(db_col_text(s, 1)));
		json_object_set_new(p, "covered_miles", json_integer(db_col_int(s, 2)));
		int64_t rate = db_col_int(s, 3);
		char r[24] = "";
		if (rate)
			str_from_cents(rate, r);
		json_object_set_new(p, "travel_rate", json_string(r));
		json_array_append_new(a, p);
	}
	db_done(s);
	json_object_set_new(o, "partners", a);
	return o;
}

int
sla_set_entitlement_days(db_t *db, int64_t id, const char *days, char *msg, size_t ml)
{
	int64_t d = str_to_id(days, 2);
	if (d < 0 || d > 30) {
		snprintf(msg, ml, "Business days must be a whole number from 0 to 30.");
		return SLA_BAD;
	}
	db_stmt *s = db_prep(db, "UPDATE entitlement SET business_days = ?2 WHERE id = ?1");
	if (!s)
		return SLA_ERROR;
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, d);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return SLA_ERROR;
	if (db_changes(db) != 1) {
		snprintf(msg, ml, "No such entitlement.");
		return SLA_NOT_FOUND;
	}
	return SLA_OK;
}

int
sla_holiday(db_t *db, const char *day, const char *name, int remove, char *msg, size_t ml)
{
	if (sla_parse_day(day) < 0) {
		snprintf(msg, ml, "Enter the holiday's date.");
		return SLA_BAD;
	}
	if (!remove && (!*name || utf8_chars(name) > 100)) {
		snprintf(msg, ml, "Enter the holiday's name (at most 100 characters).");
		return SLA_BAD;
	}
	db_stmt *s = db_prep(db, remove ? "DELETE FROM holiday WHERE day = ?1"
	    : "INSERT INTO holiday(day, name) VALUES (?1, ?2) ON CONFLICT(day) DO UPDATE SET name = excluded.name");
	if (!s)
		return SLA_ERROR;
	db_bind_text(s, 1, day);
	if (!remove)
		db_bind_text(s, 2, name);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? SLA_OK : SLA_ERROR;
}

static int at_risk_hours = 24;

void
sla_set_at_risk_hours(int hours)
{
	if (hours >= 1 && hours <= 720)
		at_risk_hours = hours;
}

int
sla_at_risk_hours(void)
{
	return at_risk_hours;
}

int64_t
sla_at_risk_until(int64_t now)
{
	return now + (int64_t)at_risk_hours * 3600;
}

/* Appends S to TEXT (N bytes, L < N of them used), and X in decimal when
 * X >= 0: a list page writes a countdown per row, without printf.
 * Inline, so that each literal's length is known.  Returns the length.
 * Can't fail (cuts at N). */
static inline size_t
cat(char *text, size_t n, size_t l, const char *s, int64_t x)
{
	size_t k = strlen(s);
	if (k <= n - 1 - l) {
		memcpy(text + l, s, k);   /* a literal's length: a move or two */
		l += k;
	} else {
		memcpy(text + l, s, n - 1 - l);
		l = n - 1;
	}
	if (x >= 0) {
		char d[24], *e = d + sizeof(d);
		uint64_t u = (uint64_t)x;
		do
			*--e = (char)('0' + u % 10);
		while (u /= 10);
		for (; e < d + sizeof(d) && l + 1 < n; e++)
			text[l++] = *e;
	}
	text[l] = '\0';
	return l;
}

int
sla_countdown(int64_t target, int64_t now, const struct tz *z, char *text, size_t n)
{
	text[0] = '\0';
	if (target <= 0)
		return SLA_DUE_NONE;
	int64_t left = target - now;
	size_t l = 0;
	if (left <= 0) {
		int64_t late = -left;
		int days = late >= 86400, hours = !days && late >= 3600;
		l = cat(text, n, l, "Overdue ", days ? late / 86400 : hours ? late / 3600 : late / 60 + 1);
		cat(text, n, l, days ? " d" : hours ? " h" : " min", -1);
		return SLA_DUE_OVERDUE;
	}
	if (tz_local_day(z, target, NULL) == tz_local_day(z, now, NULL)) {   /* the same local date */
		char at[32];
		tz_fmt_datetime(z, target, at);
		const char *sp = strchr(at, ' ');
		l = cat(text, n, l, "Due today ", -1);
		cat(text, n, l, sp ? sp + 1 : at, -1);
	} else if (left >= 86400) {
		l = cat(text, n, l, "Due in ", left / 86400);
		l = cat(text, n, l, " d ", left % 86400 / 3600);
		cat(text, n, l, " h", -1);
	} else {
		l = cat(text, n, l, "Due in ", left / 3600);
		cat(text, n, l, " h", -1);
	}
	return target <= sla_at_risk_until(now) ? SLA_DUE_SOON : SLA_DUE_OK;
}

const char *
sla_due_name(int level)
{
	static const char *const names[] = { "none", "ok", "soon", "overdue" };
	return level >= 0 && level <= SLA_DUE_OVERDUE ? names[level] : "none";
}
