/* hook.c -- see hook.h. */
#include "hook.h"
#include "sla.h"
#include "util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const hook_events[7] = {
	"work_order.created", "work_order.status_changed", "work_order.assigned", "work_order.scheduled",
	"work_order.completed", "post.added", "sla.at_risk",
};

static int allow_http, retry_base = 30;

void
hook_set_allow_http(int allow)
{
	allow_http = allow;
}

void
hook_set_retry_base(int seconds)
{
	retry_base = seconds > 0 ? seconds : 1;
}

int
hook_may_manage(const struct user *u)
{
	return user_is_operator(u) || user_is_partner_admin(u);
}

/* The scope U manages: 0 for the operator's network (org_id IS NULL), else
 * the company. */
static int64_t
scope_of(const struct user *u)
{
	return user_is_operator(u) ? 0 : u->org_id;
}

#define IN_SCOPE "((?1 = 0 AND h.org_id IS NULL) OR h.org_id = ?1)"

/* 1 when URL is an address deliveries may go to. */
static int
url_ok(const char *url, char *msg, size_t ml)
{
	size_t n = strlen(url);
	int https = !strncmp(url, "https://", 8);
	int local = !strncmp(url, "http://127.0.0.1:", 17) || !strncmp(url, "http://127.0.0.1/", 17) ||
	    !strncmp(url, "http://localhost:", 17) || !strncmp(url, "http://localhost/", 17);
	if (n > HOOK_URL_MAX || !utf8_valid(url, n) || strpbrk(url, " \t\r\n\"<>\\")) {
		snprintf(msg, ml, "Give the endpoint's address, at most %d characters.", HOOK_URL_MAX);
		return 0;
	}
	if (!https && !(allow_http && local)) {
		snprintf(msg, ml, "An endpoint must be an https:// address.");
		return 0;
	}
	if (n <= (size_t)(https ? 8 : 7) || url[https ? 8 : 7] == '/') {
		snprintf(msg, ml, "Give the endpoint's host, e.g. https://dispatch.example.com/fieldwork.");
		return 0;
	}
	return 1;
}

int
hook_add(db_t *db, const struct user *u, const char *url, const char *const *events, size_t nevents,
    char secret[HOOK_SECRET_LEN], char *msg, size_t ml)
{
	if (!hook_may_manage(u)) {
		snprintf(msg, ml, "Webhooks are set up by the operator and partner admins.");
		return HOOK_BAD;
	}
	if (!url_ok(url, msg, ml))
		return HOOK_BAD;
	char list[256] = ",";
	for (size_t i = 0; i < nevents; i++) {
		int known = 0;
		for (size_t k = 0; k < FW_ARRAY_LEN(hook_events); k++)
			known |= !strcmp(events[i], hook_events[k]);
		if (!known) {
			snprintf(msg, ml, "There is no event \"%.60s\".", events[i]);
			return HOOK_BAD;
		}
		if (!strstr(list, events[i]) && strlen(list) + strlen(events[i]) + 2 < sizeof(list))
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s,", events[i]);
	}
	if (!nevents) {
		snprintf(msg, ml, "Choose at least one event to send.");
		return HOOK_BAD;
	}
	db_stmt *s = db_prep(db, "SELECT count(*) FROM webhook h WHERE h.removed_at = 0 AND " IN_SCOPE);
	if (!s)
		return HOOK_ERROR;
	db_bind_int(s, 1, scope_of(u));
	int64_t have = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
	db_done(s);
	if (have >= HOOK_PER_SCOPE) {
		snprintf(msg, ml, "There are %d endpoints already; remove one first.", HOOK_PER_SCOPE);
		return HOOK_BAD;
	}
	unsigned char rnd[20];
	randombytes_buf(rnd, sizeof(rnd));
	char hex[41];
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	snprintf(secret, HOOK_SECRET_LEN, "whsec_%s", hex);
	s = db_prep(db, "INSERT INTO webhook(org_id, url, secret, events, created_by, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!s)
		return HOOK_ERROR;
	if (scope_of(u))
		db_bind_int(s, 1, scope_of(u));
	db_bind_text(s, 2, url);
	db_bind_text(s, 3, secret);
	db_bind_text(s, 4, list);
	db_bind_int(s, 5, u->id);
	db_bind_int(s, 6, now_utc());
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? HOOK_OK : HOOK_ERROR;
}

int
hook_remove(db_t *db, const struct user *u, int64_t id)
{
	if (!hook_may_manage(u))
		return HOOK_NOT_FOUND;
	if (db_begin(db))
		return HOOK_ERROR;
	db_stmt *s = db_prep(db, "UPDATE webhook SET removed_at = ?3 WHERE id = ?2 AND removed_at = 0 AND id IN"
	    " (SELECT h.id FROM webhook h WHERE " IN_SCOPE ")");
	int rc = DB_ERROR, n = 0;
	if (s) {
		db_bind_int(s, 1, scope_of(u));
		db_bind_int(s, 2, id);
		db_bind_int(s, 3, now_utc());
		rc = db_step(s);
		db_done(s);
		n = db_changes(db);
	}
	s = rc == DB_DONE && n == 1 ? db_prep(db, "UPDATE webhook_delivery SET status = 'failed', last_error ="
	    " 'The endpoint was removed.' WHERE webhook_id = ?1 AND status = 'pending'") : NULL;
	if (s) {
		db_bind_int(s, 1, id);
		rc = db_step(s);
		db_done(s);
	}
	if (rc != DB_DONE || db_commit(db)) {
		db_rollback(db);
		return HOOK_ERROR;
	}
	return n == 1 ? HOOK_OK : HOOK_NOT_FOUND;
}

json_t *
hook_list(db_t *db, const struct user *u, const struct tz *z)
{
	json_t *o = json_object(), *ends = json_array(), *dels = json_array();
	char when[32];
	db_stmt *s = db_prep(db, "SELECT h.id, h.url, h.events, h.created_at FROM webhook h WHERE h.removed_at = 0 AND "
	    IN_SCOPE " ORDER BY h.id");
	if (!s)
		goto fail;
	db_bind_int(s, 1, scope_of(u));
	while (db_step(s) == DB_ROW) {
		json_t *e = json_object();
		char ev[256];
		str_copy(ev, db_col_text(s, 2) + 1, sizeof(ev));   /* ",a,b," -> "a, b" */
		size_t n = strlen(ev);
		if (n)
			ev[n - 1] = '\0';
		for (char *p = ev; (p = strchr(p, ',')); p++)
			*p = ' ';
		tz_fmt_datetime(z, db_col_int(s, 3), when);
		json_object_set_new(e, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(e, "url", json_string(db_col_text(s, 1)));
		json_object_set_new(e, "events", json_string(ev));
		json_object_set_new(e, "created_local", json_string(when));
		json_array_append_new(ends, e);
	}
	db_done(s);
	s = db_prep(db, "SELECT d.id, h.url, d.event, d.status, d.attempts, d.last_code, d.last_error, d.created_at,"
	    " d.delivered_at FROM webhook_delivery d JOIN webhook h ON h.id = d.webhook_id WHERE " IN_SCOPE
	    " ORDER BY d.id DESC LIMIT 50");
	if (!s)
		goto fail;
	db_bind_int(s, 1, scope_of(u));
	while (db_step(s) == DB_ROW) {
		json_t *d = json_object();
		json_object_set_new(d, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(d, "endpoint", json_string(db_col_text(s, 1)));
		json_object_set_new(d, "event", json_string(db_col_text(s, 2)));
		json_object_set_new(d, "status", json_string(db_col_text(s, 3)));
		json_object_set_new(d, "attempts", json_integer(db_col_int(s, 4)));
		json_object_set_new(d, "last_code", json_integer(db_col_int(s, 5)));
		json_object_set_new(d, "last_error", json_string(db_col_text(s, 6)));
		tz_fmt_datetime(z, db_col_int(s, 7), when);
		json_object_set_new(d, "created_local", json_string(when));
		tz_fmt_datetime(z, db_col_int(s, 8), when);
		json_object_set_new(d, "delivered_local", json_string(when));
		json_array_append_new(dels, d);
	}
	db_done(s);
	json_object_set_new(o, "endpoints", ends);
	json_object_set_new(o, "deliveries", dels);
	return o;
fail:
	json_decref(ends);
	json_decref(dels);
	json_decref(o);
	return NULL;
}

int
hook_resend(db_t *db, const struct user *u, int64_t id)
{
	if (!hook_may_manage(u))
		return HOOK_NOT_FOUND;
	db_stmt *s = db_prep(db, "UPDATE webhook_delivery SET status = 'pending', next_at = ?3, claimed_until = 0,"
	    " created_at = ?3 WHERE id = ?2 AND webhook_id IN (SELECT h.id FROM webhook h WHERE h.removed_at = 0 AND "
	    IN_SCOPE ")");
	if (!s)
		return HOOK_ERROR;
	db_bind_int(s, 1, scope_of(u));
	db_bind_int(s, 2, id);
	db_bind_int(s, 3, now_utc());
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return HOOK_ERROR;
	return db_changes(db) == 1 ? HOOK_OK : HOOK_NOT_FOUND;
}

/* The work order part of every event's body: what a receiver needs to
 * act without asking back.  NULL when there is no such work order. */
static json_t *
summary(db_t *db, int64_t number, int64_t *owner)
{
	db_stmt *s = db_prep(db, "SELECT w.owner_org_id, o.name, w.case_number, w.subject, w.status, w.account_name,"
	    " w.work_type_name, w.target_sla_at, w.appointment_at FROM wo w JOIN org o ON o.id = w.owner_org_id"
	    " WHERE w.number = ?1");
	if (!s)
		return NULL;
	db_bind_int(s, 1, number);
	if (db_step(s) != DB_ROW) {
		db_done(s);
		return NULL;
	}
	json_t *w = json_object();
	char iso[24];
	*owner = db_col_int(s, 0);
	json_object_set_new(w, "number", json_integer(number));
	json_object_set_new(w, "owner", json_string(db_col_text(s, 1)));
	json_object_set_new(w, "case", json_string(db_col_text(s, 2)));
	json_object_set_new(w, "subject", json_string(db_col_text(s, 3)));
	json_object_set_new(w, "status", json_string(db_col_text(s, 4)));
	json_object_set_new(w, "account", json_string(db_col_text(s, 5)));
	json_object_set_new(w, "work_type", json_string(db_col_text(s, 6)));
	static const char *const k[2] = { "target_sla_date", "appointment_date" };
	for (int i = 0; i < 2; i++) {
		int64_t t = db_col_int(s, 7 + i);
		tz_fmt_iso(t, iso);
		json_object_set_new(w, k[i], t ? json_string(iso) : json_null());
	}
	db_done(s);
	return w;
}

int
hook_emit(db_t *db, const char *event, int64_t number, json_t *data)
{
	int64_t owner = 0;
	/* nothing to do (and nothing to build) where nobody listens */
	db_stmt *s = db_prep(db, "SELECT 1 FROM webhook h, wo w WHERE w.number = ?2 AND h.removed_at = 0"
	    " AND (h.org_id IS NULL OR h.org_id = w.owner_org_id) LIMIT 1");
	if (!s) {
		json_decref(data);
		return -1;
	}
	db_bind_int(s, 2, number);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_ROW) {
		json_decref(data);
		return rc == DB_DONE ? 0 : -1;
	}
	json_t *w = summary(db, number, &owner);
	if (!w) {
		json_decref(data);
		return 0;
	}
	unsigned char rnd[12];
	char hex[25], id[32], iso[24];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	snprintf(id, sizeof(id), "evt_%s", hex);
	int64_t now = now_utc();
	tz_fmt_iso(now, iso);
	json_t *p = json_object();
	json_object_set_new(p, "id", json_string(id));
	json_object_set_new(p, "event", json_string(event));
	json_object_set_new(p, "created_at", json_string(iso));
	json_object_set_new(p, "work_order", w);
	json_object_set_new(p, "data", data ? data : json_object());
	size_t need = json_dumpb(p, NULL, 0, JSON_COMPACT);
	char *body = need ? malloc(need + 1) : NULL;
	if (body) {
		json_dumpb(p, body, need, JSON_COMPACT);
		body[need] = '\0';
	}
	json_decref(p);
	if (!body)
		return -1;
	char like[80];
	snprintf(like, sizeof(like), ",%s,", event);
	char pat[200];
	str_like(like, 1, pat, sizeof(pat));
	s = db_prep(db, "INSERT INTO webhook_delivery(webhook_id, event, payload, created_at, next_at)"
	    " SELECT h.id, ?1, ?2, ?3, ?3 FROM webhook h WHERE h.removed_at = 0 AND (h.org_id IS NULL OR h.org_id = ?4)"
	    " AND h.events LIKE ?5 ESCAPE '\\' ORDER BY h.id");
	rc = DB_ERROR;
	if (s) {
		db_bind_text(s, 1, event);
		db_bind_text(s, 2, body);
		db_bind_int(s, 3, now);
		db_bind_int(s, 4, owner);
		db_bind_text(s, 5, pat);
		rc = db_step(s);
		db_done(s);
	}
	free(body);
	return rc == DB_DONE ? 0 : -1;
}

int
hook_claim(db_t *db, int claim_secs, int64_t *id, char *url, size_t urln, char *secret, size_t secretn, char **body,
    char *event, size_t eventn)
{
	int64_t now = now_utc();
	*body = NULL;
	/* the oldest waiting delivery of each endpoint goes first: events
	 * arrive in the order they happened, a retry holds back the later ones */
	db_stmt *s = db_prep(db, "SELECT d.id FROM webhook_delivery d WHERE d.status = 'pending' AND d.next_at <= ?1"
	    " AND d.claimed_until < ?1 AND NOT EXISTS (SELECT 1 FROM webhook_delivery e WHERE e.webhook_id = d.webhook_id"
	    " AND e.status = 'pending' AND e.id < d.id) ORDER BY d.id LIMIT 8");
	if (!s)
		return -1;
	db_bind_int(s, 1, now);
	int64_t cand[8];
	int n = 0;
	while (db_step(s) == DB_ROW && n < 8)
		cand[n++] = db_col_int(s, 0);
	db_done(s);
	for (int i = 0; i < n; i++) {
		/* the claim: one node (one sender) wins each delivery */
		s = db_prep(db, "UPDATE webhook_delivery SET claimed_until = ?2, attempts = attempts + 1 WHERE id = ?1"
		    " AND status = 'pending' AND claimed_until < ?3");
		if (!s)
			return -1;
		db_bind_int(s, 1, cand[i]);
		db_bind_int(s, 2, now + claim_secs);
		db_bind_int(s, 3, now);
		int rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE || db_changes(db) != 1)
			continue;
		s = db_prep(db, "SELECT h.url, h.secret, d.payload, d.event FROM webhook_delivery d JOIN webhook h"
		    " ON h.id = d.webhook_id WHERE d.id = ?1");
		if (!s)
			return -1;
		db_bind_int(s, 1, cand[i]);
		if (db_step(s) == DB_ROW) {
			str_copy(url, db_col_text(s, 0), urln);
			str_copy(secret, db_col_text(s, 1), secretn);
			*body = strdup(db_col_text(s, 2));
			str_copy(event, db_col_text(s, 3), eventn);
		}
		db_done(s);
		*id = cand[i];
		return *body ? 1 : -1;
	}
	return 0;
}

void
hook_done(db_t *db, int64_t id, int code, const char *err)
{
	int64_t now = now_utc(), attempts = 1, created = now;
	int ok = code >= 200 && code < 300;
	db_stmt *s = db_prep(db, "SELECT attempts, created_at FROM webhook_delivery WHERE id = ?1");
	if (!s)
		return;
	db_bind_int(s, 1, id);
	if (db_step(s) == DB_ROW) {
		attempts = db_col_int(s, 0);
		created = db_col_int(s, 1);
	}
	db_done(s);
	/* the wait doubles with each attempt; past a day it has failed */
	int64_t wait = (int64_t)retry_base << (attempts > 12 ? 12 : attempts > 0 ? attempts - 1 : 0);
	int failed = !ok && now + wait > created + HOOK_RETRY_FOR;
	s = db_prep(db, "UPDATE webhook_delivery SET status = ?2, delivered_at = ?3, last_code = ?4, last_error = ?5,"
	    " claimed_until = 0, next_at = ?6 WHERE id = ?1");
	if (!s)
		return;
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, ok ? "delivered" : failed ? "failed" : "pending");
	db_bind_int(s, 3, ok ? now : 0);
	db_bind_int(s, 4, code);
	db_bind_text(s, 5, ok ? "" : err ? err : "");
	db_bind_int(s, 6, now + wait);
	db_step(s);
	db_done(s);
}

void
hook_sign(const char *secret, int64_t t, const char *body, size_t len, char out[100])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	char ts[24], hex[2 * crypto_auth_hmacsha256_BYTES + 1];
	snprintf(ts, sizeof(ts), "%lld.", (long long)t);
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	snprintf(out, 100, "t=%lld,v1=%s", (long long)t, hex);
}

int
hook_scan_at_risk(db_t *db, int64_t now)
{
	/* nobody listens (the usual case): no work at all, every minute */
	db_stmt *l = db_prep(db, "SELECT 1 FROM webhook WHERE removed_at = 0 AND events LIKE '%,sla.at\\_risk,%' ESCAPE '\\'"
	    " LIMIT 1");
	if (!l)
		return -1;
	int listened = db_step(l);
	db_done(l);
	if (listened != DB_ROW)
		return listened == DB_DONE ? 0 : -1;
	if (db_begin(db))
		return -1;
	/* those that left the rule may be told again when they come back */
	db_stmt *s = db_prep(db, "DELETE FROM sla_risk_told WHERE wo_number IN (SELECT t.wo_number FROM sla_risk_told t"
	    " JOIN wo ON wo.number = t.wo_number WHERE wo.state_class <> 0 OR NOT " SLA_AT_RISK_SQL(1) ")");
	int rc = DB_ERROR, told = 0;
	if (s) {
		db_bind_int(s, 1, sla_at_risk_until(now));
		rc = db_step(s);
		db_done(s);
	}
	/* only where someone listens for it */
	/* each company's open work orders from the (company, class, target,
	 * appointment) index: never a walk of the whole table */
	s = rc == DB_DONE ? db_prep(db, "SELECT wo.number FROM wo INDEXED BY wo_p_target"
	    " WHERE wo.owner_org_id IN (SELECT id FROM org) AND wo.state_class = 0 AND " SLA_AT_RISK_SQL(1)
	    " AND NOT EXISTS (SELECT 1 FROM sla_risk_told t WHERE t.wo_number = wo.number)"
	    " AND EXISTS (SELECT 1 FROM webhook h WHERE h.removed_at = 0 AND h.events LIKE '%,sla.at\\_risk,%' ESCAPE '\\'"
	    " AND (h.org_id IS NULL OR h.org_id = wo.owner_org_id)) ORDER BY wo.number LIMIT 200") : NULL;
	int64_t due[200];
	int n = 0;
	if (s) {
		db_bind_int(s, 1, sla_at_risk_until(now));
		while ((rc = db_step(s)) == DB_ROW && n < 200)
			due[n++] = db_col_int(s, 0);
		db_done(s);
		rc = rc == DB_ROW || rc == DB_DONE ? DB_DONE : rc;
	}
	for (int i = 0; i < n && rc == DB_DONE; i++) {
		s = db_prep(db, "INSERT INTO sla_risk_told(wo_number, told_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
		if (!s) {
			rc = DB_ERROR;
			break;
		}
		db_bind_int(s, 1, due[i]);
		db_bind_int(s, 2, now);
		rc = db_step(s);
		db_done(s);
		if (rc == DB_DONE && db_changes(db) == 1) {
			told++;
			if (hook_emit(db, "sla.at_risk", due[i], NULL))
				rc = DB_ERROR;
		}
	}
	if (rc != DB_DONE || db_commit(db)) {
		db_rollback(db);
		return -1;
	}
	return told;
}
