/* tech.h -- Field Technician Management (guide ch. 12) and the WO
 * Assignment tab (ch. 7): searching technicians by email, postal code,
 * city, organization and certifications; onboarding a certified
 * freelancer onto the company on its own email domain, offboarding; and
 * assigning a technician to a work order, with an override reason when
 * skills are missing.  A skill counts only while its certification has
 * not expired.  Owns the technician, technician_certification,
 * technician_membership, wo_assignment and tech_audit tables. */
#ifndef FW_TECH_H
#define FW_TECH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "tz.h"
#include "user.h"

#define TECH_MAX_CERT_FILTER 16

extern const char *const tech_override_reasons[5];

enum { TECH_OK = 0, TECH_NOT_FOUND = 1, TECH_BAD = 2, TECH_MISSING_SKILLS = 3, TECH_ERROR = -1 };

struct tech_filter {
	const char *email, *postal_code, *city;
	int my_org;                              /* 1: my company's; 0: freelancers */
	int64_t certs[TECH_MAX_CERT_FILTER];     /* must hold all of these */
	size_t ncerts;
};

/* Which of the certification names in HELD (valid ones) are missing from
 * REQUIRED: writes them, comma separated, into OUT and returns how many.
 * Pure: no database.  This function can't fail. */
int tech_missing(const char *const *required, size_t nreq, const char *const *held, size_t nheld,
    char *out, size_t outlen);

/* The certification catalog: [{id, name, kind, validity_months, description,
 * required_for: [work types]}].  NULL on error. */
json_t *tech_catalog(db_t *db);

/* Technicians matching F that U may see, with a cell per certification
 * (columns: REQUIRED of work order NUMBER first, marked; NUMBER 0: none).
 * Returns {"columns": [...], "rows": [...]}; NULL on error. */
json_t *tech_search(db_t *db, const struct user *u, const struct tech_filter *f, int64_t number, const struct tz *z);

/* Onboards freelancer TECH_ID onto U's company with CORPORATE_EMAIL, which
 * must be on the company's domain.  TECH_OK, TECH_NOT_FOUND, TECH_BAD
 * with MSG. */
int tech_onboard(db_t *db, const struct user *u, int64_t tech_id, const char *corporate_email, char *msg, size_t ml);
/* Offboards TECH_ID from U's company; its open work orders are flagged for
 * reassignment.  TECH_OK (MSG says how many were flagged), TECH_NOT_FOUND. */
int tech_offboard(db_t *db, const struct user *u, int64_t tech_id, char *msg, size_t ml);
/* What offboarding TECH_ID would do, for the confirmation: {id, name,
 * email, has_login, work_orders: [{number, subject, status}]} (the open
 * work orders that would be flagged).  NULL with MSG: not U's company's
 * technician (or U may not offboard), or a database error. */
json_t *tech_offboard_plan(db_t *db, const struct user *u, int64_t tech_id, char *msg, size_t ml);

/* Assigns TECH_ID to work order NUMBER (whose access the caller checked).
 * Without every required skill it needs REASON (one of
 * tech_override_reasons): TECH_MISSING_SKILLS with MSG naming them when
 * REASON is empty.  TECH_OK, TECH_NOT_FOUND, TECH_BAD. */
int tech_assign(db_t *db, const struct user *u, int64_t number, int64_t tech_id, const char *reason,
    const struct tz *z, char *msg, size_t ml);

/* Chargepoint University for U: the catalog, and for a partner which of
 * its technicians hold which certification, those expiring within 60 days
 * of NOW marked.  NULL on error. */
json_t *tech_university(db_t *db, const struct user *u, int64_t now);

#endif
