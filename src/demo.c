/* demo.c -- see demo.h.  Everything derives from one splitmix64 stream,
 * so a seed and an epoch day give the same data on any machine.  This
 * file runs a fill from start to end and makes the Library's documents;
 * the rest is in demo_ref.c, demo_wo.c and demo_bulk.c (demo_int.h). */
#include "demo_int.h"
#include "library.h"
#include "user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* one of a bulk load's threads writes the work orders, the other their
 * rows in other tables */
_Thread_local uint64_t demo_rng;

uint64_t
demo_rnd(void)
{
	uint64_t z = (demo_rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A million work orders take a while, and a silent terminal looks hung. */
void
demo_phase(const struct demo_ctx *c, const char *what)
{
	static double t0;
	struct timespec ts;
	if (c->o->work_orders <= DEMO_BULK_THRESHOLD)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	if (!t0)
		t0 = now;
	fprintf(stderr, "demo: %5.1f s  %s\n", now - t0, what);
}

int
demo_fail(struct demo_ctx *c, const char *what)
{
	snprintf(c->err, c->errlen, "demo: %s: %s", what, db_errmsg(c->db));
	return -1;
}

int
demo_step_done(struct demo_ctx *c, db_stmt *s, const char *what)
{
	int rc = s ? db_step(s) : DB_ERROR;
	db_done(s);
	return rc == DB_DONE ? 0 : demo_fail(c, what);
}

/* A one-page PDF of LINES (ASCII) into B: the Library's demo documents
 * open in any viewer.  This function can't fail but for B's cap. */
static void
tiny_pdf(buf_t *b, const char *const *lines, size_t n)
{
	buf_t text;
	buf_init(&text, 8192);
	buf_puts(&text, "BT /F1 12 Tf 72 740 Td 16 TL\n");
	for (size_t i = 0; i < n; i++)
		buf_printf(&text, "(%s) '\n", lines[i]);
	buf_puts(&text, "ET\n");
	size_t off[6];
	buf_puts(b, "%PDF-1.4\n");
	off[1] = b->len;
	buf_puts(b, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
	off[2] = b->len;
	buf_puts(b, "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n");
	off[3] = b->len;
	buf_puts(b, "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
	    " /Resources << /Font << /F1 5 0 R >> >> >> endobj\n");
	off[4] = b->len;
	buf_printf(b, "4 0 obj << /Length %zu >> stream\n%sendstream endobj\n", text.len, text.data);
	off[5] = b->len;
	buf_puts(b, "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n");
	size_t xref = b->len;
	buf_puts(b, "xref\n0 6\n0000000000 65535 f \n");
	for (int i = 1; i <= 5; i++)
		buf_printf(b, "%010zu 00000 n \n", off[i]);
	buf_printf(b, "trailer << /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
	buf_free(&text);
}

/* The Library's first documents, so that the Home page's cards lead
 * somewhere: a price list, an installation guide, the program document.
 * 0, or -1 with ERR. */
static int
make_library(struct demo_ctx *c)
{
	static const struct { const char *title, *category, *version, *file, *lines[6]; } docs[] = {
		{ "Partner Price List 2026", "Price List", "v3", "partner-price-list-2026.pdf",
		  { "Partner Price List 2026", "Dispatch, per work order: USD 145.00",
		    "Travel beyond the covered 50 miles: USD 0.70 per mile", "Head replacement, CT4000: USD 210.00",
		    "Power module replacement, Express 250: USD 380.00", NULL } },
		{ "Installation Guide: Express 250", "Guide", "v2", "express-250-installation-guide.pdf",
		  { "Express 250 installation guide", "1. Check the site survey and the utility service.",
		    "2. Set the pedestal on the pad; torque the anchors to spec.", "3. Land the AC feed; verify phase rotation.",
		    "4. Commission with the CPE250-INS checklist.", NULL } },
		{ "O&M Partner Program", "Program Document", "v1", "om-partner-program.pdf",
		  { "O&M Partner Program", "Service levels: Repair SLA Assure, 1 business day after parts.",
		    "Repair SLA NonAssure: 3 business days.", "Scorecard: SLA hit rate, first-time fix.", NULL } },
	};
	struct user op;
	if (user_load(c->db, c->cse[0], &op))
		return demo_fail(c, "library");
	int y, m, d;
	tz_civil_from_days(c->o->epoch_day - 20, &y, &m, &d);
	char day[16];
	snprintf(day, sizeof(day), "%04d-%02d-%02d", y, m, d);
	for (size_t i = 0; i < FW_ARRAY_LEN(docs); i++) {
		size_t n = 0;
		while (n < FW_ARRAY_LEN(docs[i].lines) && docs[i].lines[n])
			n++;
		buf_t pdf;
		buf_init(&pdf, 64 * 1024);
		tiny_pdf(&pdf, docs[i].lines, n);
		int64_t id;
		char msg[200];
		int rc = pdf.overflow ? LIB_ERROR : lib_add(c->db, &op, docs[i].title, docs[i].category, docs[i].version, day,
		    docs[i].file, pdf.data, pdf.len, &id, NULL, msg, sizeof(msg));
		buf_free(&pdf);
		if (rc != LIB_OK) {
			snprintf(c->err, c->errlen, "demo: library: %s", rc == LIB_BAD ? msg : db_errmsg(c->db));
			return -1;
		}
	}
	return 0;
}

int
demo_fill(db_t *db, const struct demo_opts *o, char *err, size_t errlen)
{
	struct demo_ctx c = { .db = db, .o = o, .err = err, .errlen = errlen, .emit = DEMO_EMIT_ALL };
	struct demo_loader *l = NULL;
	db_stmt *s = db_prep(db, "SELECT count(*) FROM org");
	if (!s)
		return demo_fail(&c, "org");
	int64_t orgs = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_done(s);
	if (orgs != 0) {
		snprintf(err, errlen, "the database already has data; demo data goes into a new database only");
		return -1;
	}
	const struct tz *central = tz_get("America/Chicago");
	if (!central)
		central = tz_utc();
	demo_rng = o->seed;
	/* A bulk load on SQLite writes the other tables in a second thread into
	 * a second file (record transfer); on PostgreSQL one thread generates
	 * the rows while the server takes them in with COPY. */
	int bulk = o->work_orders > DEMO_BULK_THRESHOLD;
	int pg = db_is_pg(db);
	struct demo_saved_sql sv = { 0 };
	/* A new database filled in one go: no journal to speak of is needed
	 * (a failure leaves a file to delete), a big cache keeps the index
	 * builds in memory, and the generator's rows are consistent by
	 * construction (small loads keep the foreign key checks as a test). */
	if (bulk && !pg && db_exec_script(db, "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF;"
	    " PRAGMA cache_size=-2000000; PRAGMA foreign_keys=OFF;", err, errlen))
		return -1;
	if (db_begin(db))
		return demo_fail(&c, "begin");
	demo_phase(&c, "start");
	if (demo_ref_people(&c) || demo_ref_reference(&c) || demo_ref_technicians(&c) || demo_ref_accounts(&c) || make_library(&c))
		goto fail;
	if (bulk && demo_bulk_drop(&c, &sv))
		goto fail;
	demo_phase(&c, "reference data, accounts and technicians");
	c.copy = bulk && pg;
	if (bulk && !pg && o->path) {
		l = calloc(1, sizeof(*l));
		if (!l || demo_bulk_loader_start(l, &c, central)) {
			if (!l)
				snprintf(err, errlen, "demo: out of memory");
			goto fail;
		}
	}
	for (long i = 0; i < o->work_orders; i++)
		if (demo_wo_make(&c, i, o->work_orders, central))
			goto fail;
	if (demo_bulk_end_copies(&c, 1) || (o->work_orders >= 30 && demo_wo_scenarios(&c, central)))
		goto fail;
	demo_phase(&c, "work orders");
	if (bulk && demo_bulk_restore(&c, &sv, l != NULL))
		goto fail;
	if (l && demo_bulk_loader_wait(l, &c))
		goto fail;
	if (db_commit(db))
		goto fail;
	demo_phase(&c, "commit");
	if (l && demo_bulk_loader_copy(l, &c))
		goto out;
	if (l)
		demo_phase(&c, "line items, history, part orders copied in");
	if (o->work_orders >= 30 && demo_wo_many_part_orders(&c))
		goto out;
	/* the technicians' loads, the days to accept and to complete and the
	 * missed SLAs, counted once over what every path of the load left (a
	 * bulk load turns triggers off or copies tables whole) */
	if (db_exec_script(db, "DELETE FROM tech_load; INSERT INTO tech_load(owner_org_id, technician_id, n)"
	    " SELECT w.owner_org_id, a.technician_id, count(*) FROM wo_assignment a JOIN wo w ON w.number = a.wo_number"
	    " WHERE a.active = 1 AND w.state_class = 0 GROUP BY 1, 2;"
	    " DELETE FROM wo_pace_day; INSERT INTO wo_pace_day(owner_org_id, day, accepted_n, accepted_s, completed_n,"
	    " completed_s) SELECT owner_org_id, assigned_at / 86400, count(NULLIF(accepted_at, 0)),"
	    " COALESCE(SUM(CASE WHEN accepted_at > 0 THEN accepted_at - assigned_at END), 0), count(NULLIF(completed_at, 0)),"
	    " COALESCE(SUM(CASE WHEN completed_at > 0 THEN completed_at - assigned_at END), 0)"
	    " FROM wo WHERE accepted_at > 0 OR completed_at > 0 GROUP BY 1, 2;"
	    " DELETE FROM wo_missed_count; INSERT INTO wo_missed_count(owner_org_id, delay_reason, n)"
	    " SELECT owner_org_id, delay_reason, count(*) FROM wo WHERE state_class = 1 AND target_sla_at > 0"
	    " AND completed_at > target_sla_at GROUP BY 1, 2", err, errlen))
		goto out;
	/* the search indexes merged into one segment each, as after any bulk
	 * load: a load leaves a dozen or more (automerge, migration 029), and
	 * a search looks each of its words up in every segment.  At a million
	 * work orders 3.5 s; the searches' median 15 % faster. */
	if (!pg && db_exec_script(db, "INSERT INTO wo_fts(wo_fts) VALUES ('optimize');"
	    " INSERT INTO wo_fts_org(wo_fts_org) VALUES ('optimize')", err, errlen))
		goto out;
	demo_phase(&c, "search indexes merged");
	/* statistics for the planner, from a sample on big tables */
	if (db_analyze(db, err, errlen))
		goto out;
	demo_phase(&c, "statistics");
	free(c.accts);
	free(l);
	return 0;
fail:
	demo_bulk_end_copies(&c, 0);
	db_rollback(db);
out:
	if (l)
		demo_bulk_loader_abandon(l);
	free(l);
	free(c.accts);
	return -1;
}

