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
/* The Target SLA Date for BASE (UTC): N business days after BASE's local
 * date in Z, at 11:59 PM local time.  This function can't fail. */
int64_t sla_target(const struct sla_calendar *cal, const struct tz *z, int64_t base, int n);
/* Reads the holiday table into CAL.  0 or -1. */
int sla_calendar_load(db_t *db, struct sla_calendar *cal);
/* Parses "YYYY-MM-DD" into a day number; -1 when malformed or impossible. */
int64_t sla_parse_day(const char *s);

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
