/* digest.c -- see digest.h. */
#include "digest.h"
#include "notify.h"
#include "sla.h"
#include "tz.h"
#include "user.h"
#include "util.h"
#include "wo.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DIGEST_ROWS 25   /* per section; "and N more" after */

/* Appends to TEXT (used O of N), cutting at the end.  Can't fail. */
static void
put(char *text, size_t n, size_t *o, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void
put(char *text, size_t n, size_t *o, const char *fmt, ...)
{
	if (*o >= n)
		return;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(text + *o, n - *o, fmt, ap);
	va_end(ap);
	*o = w < 0 ? *o : *o + (size_t)w > n ? n : *o + (size_t)w;
}

/* The scope's condition on wo w, bound to ?1 (company) and ?2 (technician). */
static const char *
scope_sql(const struct wo_scope *sc)
{
	return sc->all ? "?1 = ?1 AND ?2 = ?2" : sc->tech_id ? "?1 = ?1 AND wo.number IN (SELECT wo_number FROM"
	    " wo_assignment WHERE technician_id = ?2 AND active = 1)" : "wo.owner_org_id = ?1 AND ?2 = ?2";
}

int
digest_compose(db_t *db, int64_t user_id, int64_t now, const char *base_url, char *subject, size_t sn,
    char *text, size_t tn)
{
	struct user u;
	struct wo_scope sc;
	if (user_load(db, user_id, &u) || wo_scope_of(db, &u, &sc))
		return -1;
	const struct tz *z = tz_get(u.tz);
	z = z ? z : tz_utc();
	char sql[600], day[16];
	size_t o = 0;
	int64_t secs, start = now;
	int y, m, d;
	tz_civil_from_days(tz_local_day(z, now, &secs), &y, &m, &d);
	if (tz_local_to_utc(z, y, m, d, 0, 0, &start))
		start = now - secs;
	tz_fmt_date(z, now, day);
	put(text, tn, &o, "Your Partner Connect digest for %s, %s.\r\n", day, u.name);

	/* at risk, overdue first: sla.h's rule */
	snprintf(sql, sizeof(sql), "SELECT wo.number, wo.subject, wo.status, wo.target_sla_at FROM wo WHERE %s"
	    " AND wo.state_class = 0 AND " SLA_AT_RISK_SQL(3) " ORDER BY wo.target_sla_at LIMIT %d", scope_sql(&sc),
	    DIGEST_ROWS + 1);
	db_stmt *s = db_prep(db, sql);
	if (!s)
		return -1;
	db_bind_int(s, 1, sc.org_id);
	db_bind_int(s, 2, sc.tech_id);
	db_bind_int(s, 3, sla_at_risk_until(now));
	int risk = 0;
	put(text, tn, &o, "\r\nSLA at risk and overdue:\r\n");
	while (db_step(s) == DB_ROW) {
		if (++risk > DIGEST_ROWS) {
			put(text, tn, &o, "  and more: %s/work-orders?view=sla-at-risk\r\n", base_url);
			break;
		}
		char due[48];
		sla_countdown(db_col_int(s, 3), now, z, due, sizeof(due));
		put(text, tn, &o, "  %lld  %s  %s (%s)  %s/work-orders/%lld\r\n", (long long)db_col_int(s, 0), due,
		    db_col_text(s, 1), db_col_text(s, 2), base_url, (long long)db_col_int(s, 0));
	}
	db_done(s);
	if (!risk)
		put(text, tn, &o, "  None.\r\n");

	/* today's appointments, in the user's day */
	snprintf(sql, sizeof(sql), "SELECT wo.number, wo.subject, wo.appointment_at, wo.technician_label FROM wo WHERE %s"
	    " AND wo.state_class = 0 AND wo.appointment_at >= ?3 AND wo.appointment_at < ?4 ORDER BY wo.appointment_at"
	    " LIMIT %d", scope_sql(&sc), DIGEST_ROWS + 1);
	s = db_prep(db, sql);
	if (!s)
		return -1;
	db_bind_int(s, 1, sc.org_id);
	db_bind_int(s, 2, sc.tech_id);
	db_bind_int(s, 3, start);
	db_bind_int(s, 4, start + 86400);
	int appts = 0;
	put(text, tn, &o, "\r\nToday's appointments:\r\n");
	while (db_step(s) == DB_ROW && ++appts <= DIGEST_ROWS) {
		char at[32];
		tz_fmt_datetime(z, db_col_int(s, 2), at);
		const char *tech = db_col_text(s, 3);
		put(text, tn, &o, "  %s  %lld  %s%s%s\r\n", strchr(at, ' ') ? strchr(at, ' ') + 1 : at,
		    (long long)db_col_int(s, 0), db_col_text(s, 1), *tech ? ", " : "", tech);
	}
	db_done(s);
	if (!appts)
		put(text, tn, &o, "  None.\r\n");

	/* unread mentions */
	s = db_prep(db, "SELECT text FROM notification WHERE user_id = ?1 AND kind = 'mention' AND read_at = 0"
	    " ORDER BY created_at DESC LIMIT 26");
	if (!s)
		return -1;
	db_bind_int(s, 1, user_id);
	int mentions = 0;
	put(text, tn, &o, "\r\nUnread mentions:\r\n");
	while (db_step(s) == DB_ROW && ++mentions <= DIGEST_ROWS)
		put(text, tn, &o, "  %s\r\n", db_col_text(s, 0));
	db_done(s);
	if (!mentions)
		put(text, tn, &o, "  None.\r\n");
	put(text, tn, &o, "\r\nYou receive this digest once a day; change it in Settings: %s/settings\r\n", base_url);
	snprintf(subject, sn, "Your daily digest: %d%s at risk, %d%s appointments today, %d%s unread mentions",
	    risk > DIGEST_ROWS ? DIGEST_ROWS : risk, risk > DIGEST_ROWS ? "+" : "", appts > DIGEST_ROWS ? DIGEST_ROWS : appts,
	    appts > DIGEST_ROWS ? "+" : "", mentions > DIGEST_ROWS ? DIGEST_ROWS : mentions, mentions > DIGEST_ROWS ? "+" : "");
	return 0;
}

int
digest_run(db_t *db, int64_t now, const char *base_url)
{
	int64_t ids[256];
	int64_t days[256];
	size_t n = 0;
	db_stmt *s = db_prep(db, "SELECT d.user_id, d.hour, d.sent_day, u.time_zone FROM digest d JOIN users u"
	    " ON u.id = d.user_id WHERE u.disabled = 0 ORDER BY d.user_id");
	if (!s)
		return -1;
	while (db_step(s) == DB_ROW && n < FW_ARRAY_LEN(ids)) {
		const struct tz *z = tz_get(db_col_text(s, 3));
		int64_t secs, day = tz_local_day(z ? z : tz_utc(), now, &secs);
		/* due once the hour has come, and not sent today (a node that was
		 * down at that hour sends it late, not never) */
		if (secs / 3600 >= db_col_int(s, 1) && db_col_int(s, 2) < day) {
			ids[n] = db_col_int(s, 0);
			days[n++] = day;
		}
	}
	db_done(s);
	int queued = 0;
	static char text[32768];
	for (size_t i = 0; i < n; i++) {
		char subject[200];
		if (db_begin(db))
			return -1;
		int claimed = notify_digest_claim(db, ids[i], days[i]);
		if (claimed == 1 && !digest_compose(db, ids[i], now, base_url, subject, sizeof(subject), text, sizeof(text)) &&
		    !notify_email_direct(db, ids[i], subject, text) && !db_commit(db)) {
			queued++;
			continue;
		}
		db_rollback(db);
		if (claimed < 0)
			return -1;
	}
	return queued;
}
