/* demo_wo.c -- one demo work order and its rows (stations, line items,
 * history, part orders, its assignment, its search entry), drawn from the
 * random stream along a status path that ends at its status today; and
 * the first week's scenarios made after the load (demo_int.h). */
#include "demo_int.h"
#include "sla.h"
#include "status.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* a hot insert, prepared once per generator (a bulk insert when C copies) */
#define PREP(c, slot, sql) ((c)->slot ? (c)->slot : \
	((c)->slot = (c)->copy ? db_prep_bulk((c)->db, sql) : db_prep((c)->db, sql)))

static const char *delay_reasons[] = {
	"Delay due to Unresponsive POC", "Delay due to POC Schedule Preference",
	"O&M Partner Work Order Management Performance", "Delay due to weather", "Technician Availability",
	"Delay due to Special On-Site Requirement", "Delay due to local Regulatory/Compliance",
	"Part delivery is later than expected delivery date", "Parts arrived damaged or are missing",
};

/* The statuses a work order passes through, in order, ending at its
 * current one. */
static int
status_path(const char *final, int parts, const char **out)
{
	static const char *with_parts[] = { "Assigned", "Ship-To Received", "Parts Ordered", "Shipping", "Shipped",
		"Parts Delivered", "In Progress", "Completed", "Closed" };
	static const char *without[] = { "Assigned", "In Progress", "Completed", "Closed" };
	const char **p = parts ? with_parts : without;
	int n = parts ? 9 : 4;
	int k = 0;
	const char *stop = final;
	if (!strcmp(final, "On Hold") || !strcmp(final, "Cannot Complete"))
		stop = "In Progress";
	else if (!strcmp(final, "Rejected"))
		stop = "Assigned";
	else if (!strcmp(final, "Cancelled"))
		stop = parts ? "Shipped" : "Assigned";
	for (int i = 0; i < n; i++) {
		out[k++] = p[i];
		if (!strcmp(p[i], stop))
			break;
	}
	if (strcmp(stop, final) != 0)
		out[k++] = final;
	return k;
}

static const char *
pick_status(int64_t age_days, int parts)
{
	struct w { const char *s; int w; };
	static const struct w old[] = { { "Closed", 70 }, { "Cancelled", 8 }, { "Cannot Complete", 5 },
		{ "Rejected", 3 }, { "Completed", 4 }, { "In Progress", 6 }, { "On Hold", 2 }, { "Shipped", 2 } };
	static const struct w mid[] = { { "Closed", 30 }, { "Completed", 15 }, { "In Progress", 20 }, { "Shipped", 6 },
		{ "On Hold", 6 }, { "Cancelled", 5 }, { "Cannot Complete", 4 }, { "Parts Delivered", 3 },
		{ "Shipping", 3 }, { "Rejected", 2 }, { "Assigned", 2 }, { "Parts Ordered", 2 }, { "Ship-To Received", 2 } };
	static const struct w fresh[] = { { "Assigned", 25 }, { "Ship-To Received", 12 }, { "Parts Ordered", 10 },
		{ "Shipping", 10 }, { "Shipped", 10 }, { "Parts Delivered", 5 }, { "In Progress", 18 }, { "On Hold", 3 },
		{ "Completed", 4 }, { "Rejected", 2 }, { "Cannot Complete", 1 } };
	const struct w *t = age_days > 45 ? old : age_days > 10 ? mid : fresh;
	int n = age_days > 45 ? (int)FW_ARRAY_LEN(old) : age_days > 10 ? (int)FW_ARRAY_LEN(mid) : (int)FW_ARRAY_LEN(fresh);
	int total = 0;
	for (int i = 0; i < n; i++)
		total += t[i].w;
	int x = demo_rn(total);
	const char *s = t[n - 1].s;
	for (int i = 0; i < n; i++) {
		if (x < t[i].w) {
			s = t[i].s;
			break;
		}
		x -= t[i].w;
	}
	if (!parts && (!strcmp(s, "Ship-To Received") || !strcmp(s, "Parts Ordered") || !strcmp(s, "Shipping") ||
	    !strcmp(s, "Shipped") || !strcmp(s, "Parts Delivered")))
		s = "In Progress";
	return s;
}

static int
is_after(const char *status, const char *path[], int n, const char *milestone)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(path[i], milestone))
			return 1;
	(void)status;
	return 0;
}

static int
history(struct demo_ctx *c, int64_t number, int seq, int64_t at, const char *field, const char *who, const char *o,
    const char *n)
{
	if (!(c->emit & DEMO_EMIT_CHILDREN))
		return 0;
	db_stmt *s = PREP(c, st_hist, "INSERT INTO wo_history(wo_number, seq, at, field, user_label, old_value, new_value)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!s)
		return demo_fail(c, "history");
	db_bind_int(s, 1, number);
	db_bind_int(s, 2, seq);
	db_bind_int(s, 3, at);
	db_bind_text_ref(s, 4, field);
	db_bind_text_ref(s, 5, who);
	db_bind_text_ref(s, 6, o);
	db_bind_text_ref(s, 7, n);
	return demo_step_done(c, s, "history");
}

/* Binds a work order's searched texts to S's ?1 (its number) to ?6.  This
 * function can't fail. */
static void
bind_search_texts(db_stmt *s, int64_t number, const char *case_no, const char *subject, const char *account,
    const char *territory, const char *work_type)
{
	db_bind_int(s, 1, number);
	db_bind_text_ref(s, 2, case_no);
	db_bind_text_ref(s, 3, subject);
	db_bind_text_ref(s, 4, account);
	db_bind_text_ref(s, 5, territory);
	db_bind_text_ref(s, 6, work_type);
}

/* The search index entry of a work order the other thread writes, and its
 * count by company and status (a bulk load's second thread does these
 * while the first builds the list indexes). */
static int
index_elsewhere(struct demo_ctx *c, int64_t number, const char *case_no, const char *subject, const char *account,
    const char *territory, const char *work_type, int64_t org, const char *status)
{
	char company[32];
	snprintf(company, sizeof(company), "fwcompany%lld", (long long)org);
	db_stmt *s = PREP(c, st_fts, "INSERT INTO wo_fts(rowid, number, case_number, subject, account_name,"
	    " territory_name, work_type_name, search_company) VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!s)
		return demo_fail(c, "search index");
	bind_search_texts(s, number, case_no, subject, account, territory, work_type);
	db_bind_text_ref(s, 7, company);
	if (demo_step_done(c, s, "search index"))
		return -1;
	s = PREP(c, st_fts_org, "INSERT INTO wo_fts_org(rowid, t) VALUES (?1, fw_scoped(?7, ?8, ?1, ?2, ?3, ?4, ?5, ?6))");
	if (!s)
		return demo_fail(c, "search index");
	bind_search_texts(s, number, case_no, subject, account, territory, work_type);
	db_bind_int(s, 7, org);
	db_bind_int(s, 8, status_class(status));
	if (demo_step_done(c, s, "search index"))
		return -1;
	/* as the wo_count_ins trigger would */
	s = PREP(c, st_count, "INSERT INTO wo_count(owner_org_id, status, n) VALUES (?1, ?2, 1)"
	    " ON CONFLICT(owner_org_id, status) DO UPDATE SET n = wo_count.n + 1");
	if (!s)
		return demo_fail(c, "counts");
	db_bind_int(s, 1, org);
	db_bind_text_ref(s, 2, status);
	return demo_step_done(c, s, "counts");
}

/* A work order's search words as PostgreSQL's search column holds them
 * (migrations/pg/016: its number, the texts split at every character that
 * is not a letter or digit, lowercased, and its company's token), in
 * tsvector's input form: 'word' 'word' ...  The demo's texts are ASCII.
 * This function can't fail: words past N are left out. */
static void
search_words(int64_t number, const char *const *parts, size_t nparts, int64_t org, char *out, size_t n)
{
	size_t o = (size_t)snprintf(out, n, "'%lld' 'fwcompany%lld'", (long long)number, (long long)org);
	for (size_t i = 0; i < nparts && o < n; i++) {
		for (const char *p = parts[i]; *p;) {
			if (!isalnum((unsigned char)*p)) {
				p++;
				continue;
			}
			if (o + 4 >= n)
				return;
			out[o++] = ' ';
			out[o++] = '\'';
			while (isalnum((unsigned char)*p) && o + 2 < n)
				out[o++] = (char)tolower((unsigned char)*p++);
			out[o++] = '\'';
			out[o] = '\0';
		}
	}
}

int
demo_wo_make(struct demo_ctx *c, long i, long n, const struct tz *central)
{
	const long span = 540;
	/* newer work orders are denser: the open ones cluster in recent weeks */
	double back = 1.0 - (double)i / (double)n;
	int64_t day = c->o->epoch_day - (int64_t)((double)span * back * back);
	int64_t age = c->o->epoch_day - day;
	int64_t number = 20088000 + i;
	struct demo_acct *a = &c->accts[demo_rn(c->naccounts)];
	int st = demo_rn(a->nstations);
	int fam = a->station_family[st];
	int wt;
	do
		wt = demo_rn((int)FW_ARRAY_LEN(demo_work_types));
	while (demo_work_types[wt].family != fam);
	const struct demo_wtype *w = &demo_work_types[wt];
	int parts = w->parts;
	int install = strstr(w->name, "Install") != NULL;
	int assure = !install && demo_rn(10) < 7;
	int64_t ent = install ? 0 : assure ? c->ent_assure : c->ent_nonassure;
	const char *ent_name = install ? "" : assure ? "Repair SLA Assure" : "Repair SLA NonAssure";
	int ent_days = assure ? 1 : 3;
	const char *status = pick_status(age, parts);
	const char *path[12];
	int np = status_path(status, parts, path);
	int64_t assigned = 0;
	{
		int y, m, d;
		tz_civil_from_days(day, &y, &m, &d);
		tz_local_to_utc(central, y, m, d, 7 + demo_rn(11), demo_rn(60), &assigned);
	}
	int partner = 0;
	for (size_t p = 0; p < FW_ARRAY_LEN(demo_partners); p++)
		if (!strcmp(demo_territories[a->terr].partner, demo_partners[p].name))
			partner = (int)p;
	const char *model = a->station_model[st];
	char subject[200];
	const char *prefix = install ? (fam == 1 ? "NACS" : "Multifamily") : "Assure";
	if (demo_rn(3) == 0)
		snprintf(subject, sizeof(subject), "%s - %s - %s (Ver %02d) - %lld", prefix, model, w->short_name,
		    1 + demo_rn(30), (long long)number);
	else
		snprintf(subject, sizeof(subject), "%s-%s-%s - %lld", prefix, model, w->short_name, (long long)number);
	char case_no[24];
	snprintf(case_no, sizeof(case_no), "%lld", (long long)(14500000 + i * 7 + demo_rn(7)));

	/* times along the path */
	int64_t t = assigned;
	int64_t est_delivery = 0, appointment = 0, arrive = 0, depart = 0, completed = 0, closed = 0;
	int64_t times[12];
	for (int k = 0; k < np; k++) {
		times[k] = t;
		t += 3600 * (2 + demo_rn(30));
	}
	int64_t target_day = 0;
	if (parts && is_after(status, path, np, "Parts Ordered")) {
		est_delivery = assigned + 86400 * (3 + demo_rn(4));
		target_day = sla_add_business_days(NULL, est_delivery / 86400, ent_days);
	} else if (!parts || !strcmp(status, "Assigned")) {
		target_day = sla_add_business_days(NULL, assigned / 86400, ent_days + (parts ? 5 : 2));
	}
	int64_t target = ent && target_day ? target_day * 86400 + 23 * 3600 : 0;
	int scheduled = is_after(status, path, np, "In Progress") || (parts && is_after(status, path, np, "Shipped") && demo_rn(2));
	char tech_label[64] = "", tech_name[64] = "", tech_phone[20] = "", sched[12] = "";
	const char *delay = "";
	int tech = -1;
	if (scheduled) {
		int64_t base = est_delivery ? est_delivery : assigned;
		int late = demo_rn(6) == 0;
		int64_t aday = base / 86400 + 1 + demo_rn(late ? 9 : 2);
		int y, m, d;
		tz_civil_from_days(aday, &y, &m, &d);
		tz_local_to_utc(central, y, m, d, 8 + demo_rn(7), demo_rn(2) * 30, &appointment);
		if (target && appointment > target)
			delay = delay_reasons[demo_rn((int)FW_ARRAY_LEN(delay_reasons))];
		tech = demo_rn(4);   /* drawn still, so the rest of the data stays as it was */
		tech = demo_tech_for_family[fam];
		str_copy(tech_label, demo_partners[partner].techs[tech], sizeof(tech_label));
		str_copy(tech_name, demo_partners[partner].techs[demo_rn(4)], sizeof(tech_name));
		snprintf(tech_phone, sizeof(tech_phone), "%d-%03d-%04d", 201 + demo_rn(700), demo_rn(1000), demo_rn(10000));
		tz_civil_from_days((base - 86400 * (1 + demo_rn(2))) / 86400 + 1, &y, &m, &d);
		snprintf(sched, sizeof(sched), "%04d-%02d-%02d", y, m, d);
	}
	if (is_after(status, path, np, "Completed")) {
		arrive = appointment + 60 * demo_rn(30);
		depart = arrive + 3600 * (1 + demo_rn(4));
		completed = depart + 3600 * (1 + demo_rn(20));
		for (int k = 0; k < np; k++) {
			if (!strcmp(path[k], "Completed"))
				times[k] = completed;
			if (!strcmp(path[k], "Closed"))
				times[k] = closed = completed + 86400 * (1 + demo_rn(5));
		}
		/* work is not finished in the future: such an order is still in progress */
		int64_t now = c->o->epoch_day * 86400 + 12 * 3600;
		if (completed > now || closed > now) {
			status = "In Progress";
			np = status_path(status, parts, path);
			arrive = depart = completed = closed = 0;
			if (appointment && appointment < now)
				appointment = 0;
		}
	}
	for (int k = 1; k < np; k++)   /* and no step of the history lies ahead */
		if (times[k] > c->o->epoch_day * 86400 + 12 * 3600)
			times[k] = times[k - 1] + 60;
	/* accepted when the partner first moved it on from Assigned */
	int64_t accepted = 0;
	for (int k = 1; k < np && !accepted; k++)
		if (!strcmp(path[k - 1], "Assigned") && (!strcmp(path[k], "Ship-To Received") || !strcmp(path[k], "In Progress")))
			accepted = times[k];
	const char *reason = "";
	if (!strcmp(status, "Rejected"))
		reason = "Mismatched Work Requirements";
	else if (!strcmp(status, "Cancelled"))
		reason = demo_rn(2) ? "Self-Resolved Issue" : "Customer Upgrades";
	else if (!strcmp(status, "Cannot Complete"))
		reason = (const char *[]){ "Wrong Equipment Shipped", "Physical Obstructions", "Incorrect Diagnosis" }[demo_rn(3)];
	int64_t cse = c->cse[demo_rn((int)FW_ARRAY_LEN(demo_operator_people))];

	int total_stations = a->nstations > 1 && demo_rn(3) == 0 ? a->nstations : 0;
	int site_validations = demo_rn(5) == 0;
	/* Each generator of a bulk load writes its own kind of rows, but both
	 * draw every random number, so they stay in step. */
	int children = c->emit & DEMO_EMIT_CHILDREN;
	db_stmt *s;
	if (c->emit & DEMO_EMIT_WO) {
#define WO_INSERT_COLS "number, case_number, subject, account_id, account_name, territory_id, territory_name," \
	" status, assigned_at, entitlement_id, entitlement_name, appointment_at, work_type_id, work_type_name," \
	" owner_org_id, cse_user_id, target_sla_at, parts_needed, contact_id, total_stations, site_validations," \
	" site_street, site_city, site_state, site_postal_code, site_country, technician_label, technician_name," \
	" technician_phone, scheduling_completed, delay_reason, arrive_at, depart_at, completed_at, closed_at," \
	" status_reason, created_at, updated_at, accepted_at"
#define WO_INSERT_VALUES "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19," \
	" ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39"
		/* PostgreSQL's COPY also brings the search words (the trigger
		 * that would compute them is off for the load) */
		/* ... and SQLite's the class, which a trigger would otherwise
		 * write a second time (PostgreSQL's is generated) */
		s = PREP(c, st_wo, c->copy ? "INSERT INTO wo(" WO_INSERT_COLS ", search) VALUES (" WO_INSERT_VALUES ", ?40)"
		    : db_is_pg(c->db) ? "INSERT INTO wo(" WO_INSERT_COLS ") VALUES (" WO_INSERT_VALUES ")"
		    : "INSERT INTO wo(" WO_INSERT_COLS ", state_class) VALUES (" WO_INSERT_VALUES ", ?40)");
		if (!s)
			return demo_fail(c, "work order");
		db_bind_int(s, 1, number);
		db_bind_text_ref(s, 2, case_no);
		db_bind_text_ref(s, 3, subject);
		db_bind_int(s, 4, a->id);
		db_bind_text_ref(s, 5, a->name);
		db_bind_int(s, 6, c->terr_id[a->terr]);
		db_bind_text_ref(s, 7, demo_territories[a->terr].name);
		db_bind_text_ref(s, 8, status);
		db_bind_int(s, 9, assigned);
		if (ent)
			db_bind_int(s, 10, ent);
		db_bind_text_ref(s, 11, ent_name);
		db_bind_int(s, 12, appointment);
		db_bind_int(s, 13, c->wtype_id[wt]);
		db_bind_text_ref(s, 14, w->name);
		db_bind_int(s, 15, c->org_partner[partner]);
		db_bind_int(s, 16, cse);
		db_bind_int(s, 17, target);
		db_bind_int(s, 18, parts);
		db_bind_int(s, 19, a->contact);
		db_bind_int(s, 20, total_stations);
		db_bind_int(s, 21, site_validations);
		db_bind_text_ref(s, 22, a->street);
		db_bind_text_ref(s, 23, a->city);
		db_bind_text_ref(s, 24, a->state);
		db_bind_text_ref(s, 25, a->zip);
		db_bind_text_ref(s, 26, "United States");
		db_bind_text_ref(s, 27, tech_label);
		db_bind_text_ref(s, 28, tech_name);
		db_bind_text_ref(s, 29, tech_phone);
		db_bind_text_ref(s, 30, sched);
		db_bind_text_ref(s, 31, delay);
		db_bind_int(s, 32, arrive);
		db_bind_int(s, 33, depart);
		db_bind_int(s, 34, completed);
		db_bind_int(s, 35, closed);
		db_bind_text_ref(s, 36, reason);
		db_bind_int(s, 37, assigned);
		db_bind_int(s, 38, times[np - 1]);
		db_bind_int(s, 39, accepted);
		char words[1024];
		if (c->copy) {
			const char *texts[] = { case_no, subject, a->name, demo_territories[a->terr].name, w->name };
			search_words(number, texts, FW_ARRAY_LEN(texts), c->org_partner[partner], words, sizeof(words));
			db_bind_text_ref(s, 40, words);
		} else if (!db_is_pg(c->db))
			db_bind_int(s, 40, status_class(status));
		if (demo_step_done(c, s, "work order"))
			return -1;
	}
	if ((c->emit & DEMO_EMIT_SEARCH) && index_elsewhere(c, number, case_no, subject, a->name, demo_territories[a->terr].name,
	    w->name, c->org_partner[partner], status))
		return -1;
	if (tech >= 0 && children) {   /* the technician named on the work order is its assignment */
		s = PREP(c, st_asg, "INSERT INTO wo_assignment(wo_number, technician_id, method, assigned_by, assigned_at)"
		    " VALUES (?1, ?2, ?3, ?4, ?5)");
		if (!s)
			return demo_fail(c, "assignment");
		db_bind_int(s, 1, number);
		db_bind_int(s, 2, c->tech_id[partner][tech]);
		db_bind_text_ref(s, 3, "Skills Match");
		db_bind_int(s, 4, c->partner_admin[partner]);
		db_bind_int(s, 5, assigned);
		if (demo_step_done(c, s, "assignment"))
			return -1;
	}

	int nlines = 1 + (demo_rn(4) == 0) + (demo_rn(20) == 0);
	int done_all = completed != 0;
	if (children) {
		s = PREP(c, st_wos, "INSERT INTO wo_station(wo_number, seq, station_id) VALUES (?1, ?2, ?3)");
		if (!s)
			return demo_fail(c, "wo station");
		db_bind_int(s, 1, number);
		db_bind_int(s, 2, 1);
		db_bind_int(s, 3, a->stations[st]);
		if (demo_step_done(c, s, "wo station"))
			return -1;
		for (int k = 1; k <= nlines; k++) {
			static const char *extra[] = { "Site Validation", "Firmware Update", "Cable Management Inspection" };
			s = PREP(c, st_woli, "INSERT INTO woli(wo_number, line_number, work_type, station_id, warranty_type,"
			    " description, status, completed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
			if (!s)
				return demo_fail(c, "woli");
			char desc[200];
			const char *lt = k == 1 ? w->name : extra[(k + i) % 3];
			snprintf(desc, sizeof(desc), "%s on %s. Follow the service guide for the %s.", lt, model, model);
			db_bind_int(s, 1, number);
			db_bind_int(s, 2, k);
			db_bind_text_ref(s, 3, lt);
			db_bind_int(s, 4, a->stations[st]);
			db_bind_text_ref(s, 5, assure ? "ChargePoint Assure" : "Standard Warranty");
			db_bind_text_ref(s, 6, desc);
			db_bind_text_ref(s, 7, done_all ? "Completed" : "New");
			db_bind_int(s, 8, done_all ? completed : 0);
			if (demo_step_done(c, s, "woli"))
				return -1;
		}
	}
	const char *partner_name = demo_partners[partner].name;
	const char *cse_name = demo_operator_people[demo_rn((int)FW_ARRAY_LEN(demo_operator_people))];
	int seq = 0;
	for (int k = 1; k < np; k++) {
		const char *who = !strcmp(path[k], "Ship-To Received") || (!strcmp(path[k], "In Progress") && !parts) ||
		    !strcmp(path[k], "Completed") || !strcmp(path[k], "Rejected") || !strcmp(path[k], "Cannot Complete")
		    ? partner_name : !strcmp(path[k], "Shipping") || !strcmp(path[k], "Shipped") ||
		    !strcmp(path[k], "Parts Ordered") ? "SVC Integration" : cse_name;
		if (!strcmp(path[k], "Ship-To Received") && history(c, number, ++seq, times[k], "Shipping Address", who, "",
		    a->street))
			return -1;
		if (history(c, number, ++seq, times[k], "Status", who, path[k - 1], path[k]))
			return -1;
	}
	if (parts && est_delivery) {
		char ord[24], trk[32];
		snprintf(ord, sizeof(ord), "%08lld", (long long)(287000 + i));
		int ups = demo_rn(2);
		if (ups)
			snprintf(trk, sizeof(trk), "1Z%03dX%02d%010d", demo_rn(1000), demo_rn(100), demo_rn(1000000000));
		else
			snprintf(trk, sizeof(trk), "7%011d", demo_rn(1000000000));
		int delivered = is_after(status, path, np, "Parts Delivered") || is_after(status, path, np, "In Progress");
		int64_t delivered_at = delivered ? est_delivery + 3600 * demo_rn(30) : 0;
		if (!children)
			return 0;
		s = PREP(c, st_po, "INSERT INTO part_order(wo_number, order_number, order_class, created_at, carrier,"
		    " tracking, status, est_delivery, delivered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
		if (!s)
			return demo_fail(c, "part order");
		db_bind_int(s, 1, number);
		db_bind_text_ref(s, 2, ord);
		db_bind_text_ref(s, 3, "Assure Fulfillment Sales Order");
		db_bind_int(s, 4, assigned + 3600 * 4);
		db_bind_text_ref(s, 5, ups ? "UPS" : "FedEx");
		db_bind_text_ref(s, 6, trk);
		db_bind_text_ref(s, 7, delivered ? "Delivered" : is_after(status, path, np, "Shipped") ? "Shipped" : "Pending Fulfillment");
		db_bind_int(s, 8, est_delivery);
		db_bind_int(s, 9, delivered_at);
		if (demo_step_done(c, s, "part order"))
			return -1;
	}
	return 0;
}

/* What every partner should find in its first week's demo: a work order
 * due today, one whose parts were delivered and that waits for an
 * appointment, On Hold ones whose clock stopped when they were held (and
 * overdue ones, which the generator makes).  A few rows changed after the
 * load.  0, or -1 with ERR. */
int
demo_wo_scenarios(struct demo_ctx *c, const struct tz *central)
{
	int y, m, d;
	int64_t due_today;
	tz_civil_from_days(c->o->epoch_day, &y, &m, &d);
	if (tz_local_to_utc(central, y, m, d, 23, 59, &due_today))
		due_today = c->o->epoch_day * 86400 + 86399;
	for (size_t p = 0; p < FW_ARRAY_LEN(demo_partners); p++) {
		db_stmt *s = db_prep(c->db, "UPDATE wo SET target_sla_at = ?2 WHERE number = (SELECT number FROM wo"
		    " WHERE owner_org_id = ?1 AND status = 'In Progress' AND target_sla_at > 0 AND appointment_at = 0"
		    " ORDER BY number DESC LIMIT 1)");
		if (!s)
			return demo_fail(c, "scenarios");
		db_bind_int(s, 1, c->org_partner[p]);
		db_bind_int(s, 2, due_today);
		if (demo_step_done(c, s, "due today"))
			return -1;
		s = db_prep(c->db, "UPDATE wo SET appointment_at = 0, delay_reason = '' WHERE number = (SELECT number FROM wo"
		    " WHERE owner_org_id = ?1 AND status = 'Parts Delivered' ORDER BY number DESC LIMIT 1)");
		if (!s)
			return demo_fail(c, "scenarios");
		db_bind_int(s, 1, c->org_partner[p]);
		if (demo_step_done(c, s, "awaiting an appointment"))
			return -1;
	}
	return db_exec_script(c->db, "UPDATE wo SET hold_since = updated_at WHERE status = 'On Hold' AND hold_since = 0",
	    c->err, c->errlen);
}

/* A site whose chargers each needed their own RMA: seven part orders, so
 * that Related RMA / FSO shows the latest and View All the rest.  Run once
 * the part orders are in (SQLite's second thread copies them after the
 * commit).  0, or -1 with ERR. */
int
demo_wo_many_part_orders(struct demo_ctx *c)
{
	db_stmt *s = db_prep(c->db, "INSERT INTO part_order(wo_number, order_number, order_class, created_at, carrier,"
	    " tracking, status, est_delivery, delivered_at) SELECT p.wo_number, p.order_number || '-' || v.column1,"
	    " p.order_class, p.created_at + v.column1 * 3600, p.carrier, p.tracking || v.column1, p.status, p.est_delivery,"
	    " p.delivered_at FROM part_order p, (VALUES (1), (2), (3), (4), (5), (6)) AS v WHERE p.id = (SELECT min(id)"
	    " FROM part_order WHERE wo_number = (SELECT max(w.number) FROM wo w WHERE w.owner_org_id = ?1"
	    " AND w.status = 'In Progress' AND w.parts_needed = 1 AND EXISTS (SELECT 1 FROM part_order x"
	    " WHERE x.wo_number = w.number)))");
	if (!s)
		return demo_fail(c, "scenarios");
	db_bind_int(s, 1, c->org_partner[0]);
	return demo_step_done(c, s, "part orders");
}
