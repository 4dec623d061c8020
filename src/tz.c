/* tz.c -- see tz.h.  Reads the 64-bit part of TZif v2+ files; the data
 * Debian ships lists transitions explicitly through 2037, past which the
 * last known offset is used. */
#include "tz.h"
#include "util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TZ_MAX_FILE (256 * 1024)

struct tz {
	struct tz *next;
	char name[64];
	int64_t *trans;      /* transition times, ascending */
	unsigned char *idx;  /* type index per transition */
	long *utoff;         /* per type */
	unsigned char *isdst;
	size_t ntrans, ntypes;
	long std_off;        /* standard (non-DST) offset in force lately */
	char label[160];     /* tz_label's text, made when the zone is loaded */
};

static void make_label(const struct tz *z, char *out, size_t n);

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tz *tz_list;
static long utc_off0;
static unsigned char utc_dst0;
static struct tz tz_utc_zone = { .name = "UTC", .utoff = &utc_off0, .isdst = &utc_dst0, .ntypes = 1 };

static const struct { const char *zone, *std; } tz_names[] = {
	{ "America/New_York", "Eastern Standard Time" },
	{ "America/Detroit", "Eastern Standard Time" },
	{ "America/Toronto", "Eastern Standard Time" },
	{ "America/Indiana/Indianapolis", "Eastern Standard Time" },
	{ "America/Chicago", "Central Standard Time" },
	{ "America/Winnipeg", "Central Standard Time" },
	{ "America/Denver", "Mountain Standard Time" },
	{ "America/Phoenix", "Mountain Standard Time" },
	{ "America/Edmonton", "Mountain Standard Time" },
	{ "America/Los_Angeles", "Pacific Standard Time" },
	{ "America/Vancouver", "Pacific Standard Time" },
	{ "America/Anchorage", "Alaska Standard Time" },
	{ "Pacific/Honolulu", "Hawaii-Aleutian Standard Time" },
	{ "America/Halifax", "Atlantic Standard Time" },
	{ "America/Puerto_Rico", "Atlantic Standard Time" },
	{ "Europe/London", "Greenwich Mean Time" },
	{ "Europe/Dublin", "Greenwich Mean Time" },
	{ "Europe/Berlin", "Central European Standard Time" },
	{ "Europe/Paris", "Central European Standard Time" },
	{ "Europe/Amsterdam", "Central European Standard Time" },
	{ "Asia/Kolkata", "India Standard Time" },
	{ "UTC", "Coordinated Universal Time" },
};

const char *
tz_offered(size_t i)
{
	return i < FW_ARRAY_LEN(tz_names) ? tz_names[i].zone : NULL;
}

static int
name_ok(const char *n)
{
	size_t len = strlen(n);
	if (len == 0 || len >= 64 || n[0] == '/' || strstr(n, ".."))
		return 0;
	for (const char *p = n; *p; p++) {
		char c = *p;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '/' || c == '_' || c == '-' || c == '+'))
			return 0;
	}
	return 1;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

static void
tz_destroy(struct tz *z)
{
	free(z->trans);
	free(z->idx);
	free(z->utoff);
	free(z->isdst);
	free(z);
}

/* Parses a TZif image; returns NULL when it is malformed. */
static struct tz *
tz_parse(const char *name, const unsigned char *d, size_t n)
{
	if (n < 44 || memcmp(d, "TZif", 4) != 0 || d[4] < '2')
		return NULL;
	/* skip the v1 block */
	uint32_t c[6];
	for (int i = 0; i < 6; i++)
		c[i] = be32(d + 20 + 4 * i);
	size_t v1 = (size_t)c[3] * 5 + (size_t)c[4] * 6 + c[5] + (size_t)c[2] * 8 + c[1] + c[0];
	size_t off = 44 + v1;
	if (off + 44 > n || memcmp(d + off, "TZif", 4) != 0)
		return NULL;
	for (int i = 0; i < 6; i++)
		c[i] = be32(d + off + 20 + 4 * i);
	size_t isut = c[0], isstd = c[1], leap = c[2], timecnt = c[3], typecnt = c[4], charcnt = c[5];
	off += 44;
	size_t need = timecnt * 9 + typecnt * 6 + charcnt + leap * 12 + isstd + isut;
	if (typecnt == 0 || typecnt > 256 || off + need > n)
		return NULL;
	struct tz *z = calloc(1, sizeof(*z));
	if (!z)
		return NULL;
	str_copy(z->name, name, sizeof(z->name));
	z->ntrans = timecnt;
	z->ntypes = typecnt;
	z->trans = calloc(timecnt + 1, sizeof(int64_t));
	z->idx = calloc(timecnt + 1, 1);
	z->utoff = calloc(typecnt, sizeof(long));
	z->isdst = calloc(typecnt, 1);
	if (!z->trans || !z->idx || !z->utoff || !z->isdst) {
		tz_destroy(z);
		return NULL;
	}
	const unsigned char *p = d + off;
	for (size_t i = 0; i < timecnt; i++)
		z->trans[i] = be64(p + 8 * i);
	p += 8 * timecnt;
	for (size_t i = 0; i < timecnt; i++) {
		if (p[i] >= typecnt) {
			tz_destroy(z);
			return NULL;
		}
		z->idx[i] = p[i];
	}
	p += timecnt;
	for (size_t i = 0; i < typecnt; i++) {
		z->utoff[i] = (long)(int32_t)be32(p + 6 * i);
		z->isdst[i] = p[6 * i + 4];
	}
	/* standard time is the smaller of the offsets of late (daylight time
	 * adds to it); the DST flag alone misleads where the data has
	 * "negative DST", as Europe/Dublin's does for its winter GMT */
	z->std_off = z->utoff[0];
	int64_t horizon = now_utc() + 366 * 86400;
	for (size_t i = timecnt, seen = 0; i-- > 0 && seen < 4;) {
		if (z->trans[i] > horizon)
			continue;   /* the data runs to 2037: today's rule is what counts */
		long u = z->utoff[z->idx[i]];
		if (seen++ == 0 || u < z->std_off)
			z->std_off = u;
	}
	return z;
}

static struct tz *
tz_load(const char *name)
{
	char path[128];
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	unsigned char *d = malloc(TZ_MAX_FILE);
	size_t n = d ? fread(d, 1, TZ_MAX_FILE, f) : 0;
	fclose(f);
	struct tz *z = d ? tz_parse(name, d, n) : NULL;
	free(d);
	return z;
}

const struct tz *
tz_utc(void)
{
	return &tz_utc_zone;
}

const struct tz *
tz_get(const char *name)
{
	if (!name || !name_ok(name))
		return NULL;
	if (strcmp(name, "UTC") == 0)
		return &tz_utc_zone;
	pthread_mutex_lock(&tz_lock);
	struct tz *z;
	for (z = tz_list; z; z = z->next)
		if (strcmp(z->name, name) == 0)
			break;
	if (!z) {
		z = tz_load(name);
		if (z) {
			make_label(z, z->label, sizeof(z->label));
			z->next = tz_list;
			tz_list = z;
		}
	}
	pthread_mutex_unlock(&tz_lock);
	return z;
}

/* Bumped when zones are freed: tz_offset's per-thread memory of the last
 * interval then forgets a zone whose address may be reused. */
static _Atomic unsigned tz_generation;

unsigned
tz_epoch(void)
{
	return tz_generation;
}

void
tz_free_all(void)
{
	tz_generation++;
	pthread_mutex_lock(&tz_lock);
	while (tz_list) {
		struct tz *n = tz_list->next;
		tz_destroy(tz_list);
		tz_list = n;
	}
	pthread_mutex_unlock(&tz_lock);
}

long
tz_offset(const struct tz *z, int64_t t)
{
	if (z->ntrans == 0 || t < z->trans[0]) {
		/* before the first transition: the first non-DST type */
		for (size_t i = 0; i < z->ntypes; i++)
			if (!z->isdst[i])
				return z->utoff[i];
		return z->utoff[0];
	}
	/* a page formats many times of the same few months: the last
	 * transition interval found, per thread, answers most of them */
	static _Thread_local struct { const struct tz *z; unsigned gen; int64_t from, to; long off; } last;
	unsigned gen = tz_generation;
	if (last.z == z && last.gen == gen && t >= last.from && t < last.to)
		return last.off;
	size_t lo = 0, hi = z->ntrans;   /* find last trans <= t */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	last.z = z;
	last.gen = gen;
	last.from = z->trans[lo];
	last.to = lo + 1 < z->ntrans ? z->trans[lo + 1] : INT64_MAX;
	last.off = z->utoff[z->idx[lo]];
	return last.off;
}

const char *
tz_name(const struct tz *z)
{
	return z->name;
}

void
tz_label(const struct tz *z, char *out, size_t n)
{
	if (z->label[0]) {
		str_copy(out, z->label, n);
		return;
	}
	make_label(z, out, n);
}

static void
make_label(const struct tz *z, char *out, size_t n)
{
	const char *std = NULL;
	for (size_t i = 0; i < FW_ARRAY_LEN(tz_names); i++)
		if (strcmp(tz_names[i].zone, z->name) == 0)
			std = tz_names[i].std;
	long o = z->std_off;
	char sign = o < 0 ? '-' : '+';
	if (o < 0)
		o = -o;
	if (std)
		snprintf(out, n, "(GMT%c%02ld:%02ld) %s (%s)", sign, o / 3600, (o / 60) % 60, std, z->name);
	else
		snprintf(out, n, "(GMT%c%02ld:%02ld) %s", sign, o / 3600, (o / 60) % 60, z->name);
}

int64_t
tz_days_from_civil(int y, int m, int d)
{
	/* Howard Hinnant's algorithm */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
tz_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Writers for the hot list path: snprintf is a large share of a page's
 * cost when a page shows a few hundred times. */
static char *
put_uint(char *p, unsigned v)
{
	char tmp[12];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *
put2(char *p, unsigned v)
{
	*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

static void
split(const struct tz *z, int64_t t, int *y, int *mo, int *d, int *h, int *mi)
{
	int64_t l = t + tz_offset(z, t);
	int64_t days = l >= 0 ? l / 86400 : (l - 86399) / 86400;
	int64_t secs = l - days * 86400;
	tz_civil_from_days(days, y, mo, d);
	*h = (int)(secs / 3600);
	*mi = (int)(secs / 60 % 60);
}

/* "M/D/YYYY" at P; returns the end.  Years outside 0-9999 give NULL. */
static char *
put_date(char *p, int y, int mo, int d)
{
	if (y < 0 || y > 9999)
		return NULL;
	p = put_uint(p, (unsigned)mo);
	*p++ = '/';
	p = put_uint(p, (unsigned)d);
	*p++ = '/';
	return put_uint(p, (unsigned)y);
}

void
tz_fmt_datetime(const struct tz *z, int64_t t, char out[32])
{
	int y, mo, d, h, mi;
	char *p = NULL;
	if (t != 0) {
		split(z, t, &y, &mo, &d, &h, &mi);
		p = put_date(out, y, mo, d);
	}
	if (!p) {
		out[0] = '\0';
		return;
	}
	*p++ = ' ';
	p = put_uint(p, (unsigned)(h % 12 == 0 ? 12 : h % 12));
	*p++ = ':';
	p = put2(p, (unsigned)mi);
	memcpy(p, h < 12 ? " AM" : " PM", 4);
}

void
tz_fmt_date(const struct tz *z, int64_t t, char out[16])
{
	int y, mo, d, h, mi;
	char *p = NULL;
	if (t != 0) {
		split(z, t, &y, &mo, &d, &h, &mi);
		p = put_date(out, y, mo, d);
	}
	if (p)
		*p = '\0';
	else
		out[0] = '\0';
}

int
tz_local_to_utc(const struct tz *z, int y, int mon, int d, int h, int min, int64_t *out)
{
	if (y < 1900 || y > 9999 || mon < 1 || mon > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
	    min < 0 || min > 59)
		return -1;
	int yy, mm, dd;
	int64_t days = tz_days_from_civil(y, mon, d);
	tz_civil_from_days(days, &yy, &mm, &dd);
	if (yy != y || mm != mon || dd != d)
		return -1;   /* e.g. February 30th */
	int64_t local = days * 86400 + h * 3600 + min * 60;
	/* Try the offset in force a day before, then correct once. */
	long off = tz_offset(z, local - 86400);
	int64_t t = local - off;
	long off2 = tz_offset(z, t);
	if (off2 != off && tz_offset(z, local - off2) == off2)
		t = local - off2;
	*out = t;
	return 0;
}

void
tz_fmt_iso(int64_t t, char out[24])
{
	if (t == 0) {
		out[0] = '\0';
		return;
	}
	int y, mo, d, h, mi;
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t secs = t - days * 86400;
	tz_civil_from_days(days, &y, &mo, &d);
	h = (int)(secs / 3600);
	mi = (int)(secs / 60 % 60);
	if (y < 0 || y > 9999) {
		out[0] = '\0';
		return;
	}
	char *p = put2(out, (unsigned)y / 100);
	p = put2(p, (unsigned)y % 100);
	*p++ = '-';
	p = put2(p, (unsigned)mo);
	*p++ = '-';
	p = put2(p, (unsigned)d);
	*p++ = 'T';
	p = put2(p, (unsigned)h);
	*p++ = ':';
	p = put2(p, (unsigned)mi);
	*p++ = ':';
	p = put2(p, (unsigned)(secs % 60));
	*p++ = 'Z';
	*p = '\0';
}

void
tz_fmt_input_date(const struct tz *z, int64_t t, char out[16])
{
	int y, mo, d, h, mi;
	out[0] = '\0';
	if (t == 0)
		return;
	split(z, t, &y, &mo, &d, &h, &mi);
	if (y < 0 || y > 9999)
		return;
	char *p = put2(out, (unsigned)y / 100);
	p = put2(p, (unsigned)y % 100);
	*p++ = '-';
	p = put2(p, (unsigned)mo);
	*p++ = '-';
	p = put2(p, (unsigned)d);
	*p = '\0';
}

void
tz_fmt_input_time(const struct tz *z, int64_t t, char out[8])
{
	int y, mo, d, h, mi;
	out[0] = '\0';
	if (t == 0)
		return;
	split(z, t, &y, &mo, &d, &h, &mi);
	char *p = put2(out, (unsigned)h);
	*p++ = ':';
	p = put2(p, (unsigned)mi);
	*p = '\0';
}

int64_t
tz_local_day(const struct tz *z, int64_t t, int64_t *secs)
{
	int64_t local = t + tz_offset(z, t);
	int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	if (secs)
		*secs = local - day * 86400;
	return day;
}

void
tz_fmt_isoday(const char *iso, char out[16])
{
	int y, m, d;
	char end;
	if (sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3)
		snprintf(out, 16, "%d/%d/%d", m, d, y);
	else
		str_copy(out, iso, 16);
}
