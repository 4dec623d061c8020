/* sla.h -- the Target SLA Date: business days after the estimated delivery
 * (parts needed) or after the WO Assigned Date (no parts), by the
 * entitlement, skipping weekends and the operator's holiday calendar.
 * Days are counted in the portal's business time zone.  Owns the SLA
 * settings: the holiday and entitlement tables. */
#ifndef FW_SLA_H
#define FW_SLA_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "tz.h"

#define SLA_MAX_HOLIDAYS 512

struct sla_calendar {
	int64_t days[SLA_MAX_HOLIDAYS];   /* holiday day numbers, ascending */
	size_t n;
};

/* 0 = Sunday ... 6 = Saturday.  This function can't fail. */
int sla_weekday(int64_t day);
/* 1 when DAY is a Saturday, a Sunday or a holiday of CAL (may be NULL). */
int sla_is_closed(const struct sla_calendar *cal, int64_t day);
/* The day N business days after DAY (days since 1970-01-01): "one business
 * day after a Friday" is the Monday.  This function can't fail. */
int64_t sla_add_business_days(const struct sla_calendar *cal, int64_t day, int n);
/* The business days after FROM up to and including TO (day numbers); 0
 * when TO is not after FROM.  This function can't fail. */
int sla_business_days_between(const struct sla_calendar *cal, int64_t from, int64_t to);
/* T moved later by N business days of CAL, at the same local time in Z.
 * This function can't fail. */
int64_t sla_shift(const struct sla_calendar *cal, const struct tz *z, int64_t t, int n);
/* The Target SLA Date for BASE (UTC): N business days after BASE's local
 * date in Z, at 11:59 PM local time.  This function can't fail. */
int64_t sla_target(const struct sla_calendar *cal, const struct tz *z, int64_t base, int n);
/* Reads the holiday table into CAL.  0 or -1. */
int sla_calendar_load(db_t *db, struct sla_calendar *cal);
/* Parses "YYYY-MM-DD" into a day number; -1 when malformed or impossible. */
int64_t sla_parse_day(const char *s);

/* "SLA At Risk", the one rule for the list view, Home and the Dashboard:
 * an open work order whose Target SLA Date is past or due within the
 * at-risk window, or whose appointment is after it.  An open work order
 * without an appointment counts once its target is within the window (one
 * due in ten days is not at risk yet).  P is the parameter number bound to
 * sla_at_risk_until(now); rows are "wo", the open class is the caller's. */
#define SLA_AT_RISK_SQL(p) \
	"(wo.target_sla_at > 0 AND (wo.target_sla_at <= ?" #p " OR wo.appointment_at > wo.target_sla_at))"
/* The window in hours (FIELDWORK_AT_RISK_HOURS; 24 unless set, 1-720). */
void sla_set_at_risk_hours(int hours);
int sla_at_risk_hours(void);
/* NOW plus the window.  This function can't fail. */
int64_t sla_at_risk_until(int64_t now);

enum { SLA_DUE_NONE = 0, SLA_DUE_OK, SLA_DUE_SOON, SLA_DUE_OVERDUE };
/* The countdown to TARGET at NOW as the user reads it in zone Z: "Overdue
 * 3 d", "Due today 5:00 PM", "Due in 2 d 4 h" into TEXT; returns its level
 * (SLA_DUE_NONE and "" when there is no target).  This function can't
 * fail. */
int sla_countdown(int64_t target, int64_t now, const struct tz *z, char *text, size_t n);
/* The level's name for styles and the API: "none", "ok", "soon", "overdue". */
const char *sla_due_name(int level);

enum { SLA_OK = 0, SLA_NOT_FOUND = 1, SLA_BAD = 3, SLA_ERROR = -1 };

/* The SLA settings page's data: entitlements, holidays and each partner's
 * covered miles.  The caller owns it; NULL on error. */
json_t *sla_settings(db_t *db);
/* Sets entitlement ID's business days ("0"-"30").  SLA_OK, SLA_BAD or
 * SLA_NOT_FOUND with MSG, or SLA_ERROR. */
int sla_set_entitlement_days(db_t *db, int64_t id, const char *days, char *msg, size_t msglen);
/* Adds (or renames) or removes the holiday DAY ("YYYY-MM-DD").  SLA_OK,
 * SLA_BAD with MSG, or SLA_ERROR. */
int sla_holiday(db_t *db, const char *day, const char *name, int remove, char *msg, size_t msglen);

#endif
