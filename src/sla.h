/* sla.h -- business-day arithmetic behind the Target SLA Date.  Owns no
 * table yet; the holiday calendar and entitlement rules join it with the
 * work order lifecycle. */
#ifndef FW_SLA_H
#define FW_SLA_H

#include <stdint.h>

/* Day number (days since 1970-01-01) N business days after DAY, skipping
 * Saturdays and Sundays.  A DAY on a weekend counts from the next Monday.
 * This function can't fail. */
int64_t sla_add_business_days(int64_t day, int n);
/* 0 = Sunday ... 6 = Saturday.  This function can't fail. */
int sla_weekday(int64_t day);

#endif
