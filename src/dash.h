/* dash.h -- the Dashboard: open work orders by status, SLA at risk, missed
 * SLAs by delay reason, days from assignment to acceptance and to
 * completion, and each technician's load; for the operator the same for
 * every partner side by side.  Reads only. */
#ifndef FW_DASH_H
#define FW_DASH_H

#include <jansson.h>
#include <stdint.h>

#include "db.h"
#include "tz.h"

/* The numbers of partner ORG_ID (0: every partner together) at NOW,
 * each company counted once (the network's numbers are their sum); with
 * PARTNERS, also what dash_by_partner gives, from the same counts.  NULL
 * on error; the caller owns the results. */
json_t *dash_numbers(db_t *db, int64_t org_id, int64_t now, const struct tz *z, json_t **partners);
/* Only the SLA-at-risk count of dash_numbers, from an index: cheap enough
 * for every Home page.  -1 on error. */
int64_t dash_at_risk(db_t *db, int64_t org_id, int64_t now);
/* For each partner company the numbers its row in the operator's table
 * shows (company, open, at_risk_count, missed_total, hit_rate,
 * first_time_fix, days_to_accept, days_to_complete; the scorecard's
 * months too), as an array.  NULL on error. */
json_t *dash_by_partner(db_t *db, int64_t now, const struct tz *z);

#endif
