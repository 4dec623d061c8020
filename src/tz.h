/* tz.h -- time zones from the system's TZif files (/usr/share/zoneinfo),
 * read once and kept for the life of the process.  Times are stored in
 * UTC everywhere; this module turns them into what a user in a given zone
 * reads, without touching the process-wide TZ (threads share it). */
#ifndef FW_TZ_H
#define FW_TZ_H

#include <stddef.h>
#include <stdint.h>

struct tz;

/* Returns the zone named NAME (e.g. "America/Chicago"), or NULL when the
 * name is malformed or unknown.  Thread-safe; the result lives until
 * tz_free_all(). */
const struct tz *tz_get(const char *name);
/* "UTC", always available.  This function can't fail. */
const struct tz *tz_utc(void);
/* A number that changes whenever zones are freed: a cache keyed by a
 * zone's address keeps it beside the address.  This function can't fail. */
unsigned tz_epoch(void);
void tz_free_all(void);

/* The I-th zone the portal offers users (those with a name for the
 * banner), or NULL past the end.  This function can't fail. */
const char *tz_offered(size_t i);

/* Seconds east of UTC in force at T.  This function can't fail. */
long tz_offset(const struct tz *z, int64_t t);
/* The local day of T in Z (days since 1970-01-01), and into *SECS (may be
 * NULL) the seconds since that day's local midnight.  Can't fail. */
int64_t tz_local_day(const struct tz *z, int64_t t, int64_t *secs);
/* The guide's banner text, e.g.
 * "(GMT-06:00) Central Standard Time (America/Chicago)". */
void tz_label(const struct tz *z, char *out, size_t n);
const char *tz_name(const struct tz *z);

/* "2/13/2026 2:55 PM" in zone Z; "" for T == 0 (no value). */
void tz_fmt_datetime(const struct tz *z, int64_t t, char out[32]);
/* "2/13/2026"; "" for T == 0. */
void tz_fmt_date(const struct tz *z, int64_t t, char out[16]);
/* A day stored as "YYYY-MM-DD" in the users' date format ("2/7/2026");
 * anything else is copied as it is.  This function can't fail. */
void tz_fmt_isoday(const char *iso, char out[16]);
/* Converts a local wall-clock time in Z to UTC.  Returns 0, or -1 when the
 * fields are out of range.  A time skipped by a DST change is read with the
 * offset before the change. */
int tz_local_to_utc(const struct tz *z, int y, int mon, int d, int h, int min, int64_t *out);

/* Days since 1970-01-01 of a civil date, and back.  These can't fail. */
int64_t tz_days_from_civil(int y, int m, int d);
void tz_civil_from_days(int64_t days, int *y, int *m, int *d);



/* T in zone Z as an HTML date input wants it ("2026-02-13") and as a time
 * input wants it ("14:55"); "" for T == 0.  These can't fail. */
void tz_fmt_input_date(const struct tz *z, int64_t t, char out[16]);
void tz_fmt_input_time(const struct tz *z, int64_t t, char out[8]);

/* "2026-02-13T20:55:00Z"; "" for T == 0.  This function can't fail. */
void tz_fmt_iso(int64_t t, char out[24]);
#endif
