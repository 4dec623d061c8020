/* wo_row.c -- see wo_row.h. */
#include "wo_row.h"
#include "sla.h"
#include "status.h"
#include "util.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The list row's columns, in LIST_ROW's order. */
enum { LR_CASE, LR_SUBJECT, LR_ACCOUNT, LR_TERRITORY, LR_STATUS, LR_ASSIGNED, LR_ENTITLEMENT, LR_APPOINTMENT,
	LR_WORK_TYPE, LR_TARGET, LR_COMPLETED, LR__COUNT };

/* Sets KEY (UTC, ISO 8601, or null) and KEY_local (the user's zone).
 * Keys are literals; values come from the database, whose text is checked
 * UTF-8 on the way in, so the list path skips jansson's checks. */
void
wo_json_time(json_t *o, const char *key, int64_t t, const struct tz *z)
{
	char iso[24], local[32], lkey[64];
	size_t kn = strlen(key);
	if (kn + 7 > sizeof(lkey))
		return;
	memcpy(lkey, key, kn);
	memcpy(lkey + kn, "_local", 7);
	tz_fmt_iso(t, iso);
	tz_fmt_datetime(z, t, local);
	json_object_set_new_nocheck(o, key, t ? json_string_nocheck(iso) : json_null());
	json_object_set_new_nocheck(o, lkey, json_string_nocheck(local));
}

const char *
wo_status_key(const char *status, char *out, size_t n)
{
	size_t o = 0;
	for (; *status && o + 1 < n; status++)
		out[o++] = *status == ' ' ? '-' : (char)(*status >= 'A' && *status <= 'Z' ? *status + 32 : *status);
	out[o] = '\0';
	return out;
}

/* The countdown chip of a work order in STATUS: its text into TEXT ("" when
 * the work order is not open) and its level's name.  Can't fail. */
static const char *
sla_due(int64_t target, int open, int64_t now, const struct tz *z, char *text, size_t n)
{
	text[0] = '\0';
	return sla_due_name(open ? sla_countdown(target, now, z, text, n) : SLA_DUE_NONE);
}

void
wo_json_sla(json_t *o, int64_t target, const char *status, int64_t now, const struct tz *z)
{
	char text[48];
	const char *level = sla_due(target, status_is_open(status), now, z, text, sizeof(text));
	wo_json_time(o, "target_sla_date", target, z);
	json_object_set_new_nocheck(o, "sla_due", json_string_nocheck(text));
	json_object_set_new_nocheck(o, "sla_due_level", json_string_nocheck(level));
}

/* A list row's fields, as wo.h names them: the view's own two last
 * (completed or last viewed), when it has them. */
#define LIST_FIELDS "number", "case", "subject", "account", "service_territory", "status", "status_key", \
	"wo_assigned_date", "wo_assigned_date_local", "entitlement", "appointment_date", "appointment_date_local", \
	"work_type", "sla_due", "sla_due_level", "target_sla_date", "target_sla_date_local"
static const char *const fields_done[] = { LIST_FIELDS, "completed_date", "completed_date_local" };
static const char *const fields_viewed[] = { LIST_FIELDS, "last_viewed", "last_viewed_local" };
enum { F_NUMBER, F_CASE, F_SUBJECT, F_ACCOUNT, F_TERRITORY, F_STATUS, F_STATUS_KEY, F_ASSIGNED, F_ENTITLEMENT = 9,
	F_APPOINTMENT, F_WORK_TYPE = 12, F_SLA_DUE, F_SLA_LEVEL, F_TARGET, F_OWN = 17, F__COUNT = 19 };

/* V: the time in UTC (ISO 8601; null for none), V + 1: in zone Z, as
 * wo_json_time writes them. */
static int
put_time(struct rowset *rs, struct rs_val *v, int64_t t, const struct tz *z)
{
	/* a page shows the same times again and again (targets at the same
	 * hour of the same days), and the pages a dispatcher goes back to
	 * theirs: the last ones formatted, per thread (a page's three or four
	 * times of fifty rows fit; 44 KiB), by minute; the two texts side by
	 * side, copied to the rowset at once */
	enum { MEMO = 512 };
	struct time_memo { const struct tz *z; unsigned epoch; int64_t t; char text[56]; uint8_t ni, nl; };
	static _Thread_local struct time_memo memo[MEMO];
	if (!t)
		return rowset_str_plain(rs, v + 1, "", 0);
	/* two ways a slot (a page's 150 times in 256 one-way slots met
	 * each other some twenty times a page): a new time goes first, the
	 * one it moves second */
	unsigned slot = (unsigned)(((uint64_t)t / 60 * 0x9E3779B97F4A7C15ULL) >> 56) * 2, epoch = tz_epoch();
	_Static_assert(MEMO == 2 << (64 - 56), "the slot is the hash's top bits");
	struct time_memo *m = &memo[slot];
	if (m->z != z || m->t != t || m->epoch != epoch) {
		m = &memo[slot + 1];
		if (m->z != z || m->t != t || m->epoch != epoch) {
			memo[slot + 1] = memo[slot];
			m = &memo[slot];
			char iso[24], local[32];
			tz_fmt_iso(t, iso);
			tz_fmt_datetime(z, t, local);
			size_t ni = strlen(iso), nl = strlen(local);
			_Static_assert(sizeof(iso) - 1 + sizeof(local) - 1 <= sizeof(m->text), "both texts fit");
			memcpy(m->text, iso, ni);
			memcpy(m->text + ni, local, nl);
			m->ni = (uint8_t)ni;
			m->nl = (uint8_t)nl;
			m->z = z;
			m->epoch = epoch;
			m->t = t;
		}
	}
	/* the zone's and ISO 8601's formats: digits, names, ':' and ',' */
	uint32_t at;
	if (rowset_copy(rs, m->text, (size_t)m->ni + m->nl, &at) != 0)
		return -1;
	if (m->ni)
		rowset_span(rs, v, at, m->ni, 1);
	rowset_span(rs, v + 1, at + m->ni, m->nl, 1);
	return 0;
}

/* Splits a list row (LIST_ROW's order) into its fields.  0, or -1 when
 * it does not have them all.  Can't fail otherwise. */
static int
split_row(const char *p, size_t n, const char *f[LR__COUNT], size_t len[LR__COUNT])
{
	/* the separators found eight bytes at a time: a byte equal to 31 is
	 * a zero byte of w ^ 0x1f1f..., and the high bit of each zero byte
	 * is set in z (exactly: no carry crosses bytes) */
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;
	size_t i = 0, start = 0;
	int k = 0;
#ifdef __SSE2__
	/* sixteen at a time where there is SSE2 (every x86-64) */
	const __m128i sep = _mm_set1_epi8(31);
	for (; i + 16 <= n && k + 1 < LR__COUNT; i += 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + i)), sep));
		while (m && k + 1 < LR__COUNT) {
			size_t at = i + (size_t)__builtin_ctz(m);
			f[k] = p + start;
			len[k++] = at - start;
			start = at + 1;
			m &= m - 1;
		}
	}
#endif
	for (; __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && i + 8 <= n && k + 1 < LR__COUNT; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		w ^= 0x1f1f1f1f1f1f1f1fULL;
		uint64_t z = ~(((w & low7) + low7) | w | low7);
		while (z && k + 1 < LR__COUNT) {
			size_t at = i + (size_t)(__builtin_ctzll(z) >> 3);
			f[k] = p + start;
			len[k++] = at - start;
			start = at + 1;
			z &= z - 1;
		}
	}
	for (; i < n && k + 1 < LR__COUNT; i++)
		if (p[i] == 31) {
			f[k] = p + start;
			len[k++] = i - start;
			start = i + 1;
		}
	if (k + 1 != LR__COUNT)
		return -1;
	f[k] = p + start;
	len[k] = n - start;
	return 0;
}

/* The integer at P[0..N): an optional '-', then digits up to the first
 * byte that is not one.  Can't fail. */
static int64_t
field_int(const char *p, size_t n)
{
	int64_t v = 0;
	int neg = n && *p == '-';
	size_t i = neg;
	/* a row's times are ten digits: eight of them in one step where all
	 * eight are digits (a byte is one when it is >= '0' and adding 0x46
	 * does not carry it past 0x7f) */
	if (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && n - i >= 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		uint64_t d = w - 0x3030303030303030ULL;
		if ((((w + 0x4646464646464646ULL) | d) & 0x8080808080808080ULL) == 0) {
			/* pairs, then fours, then the eight: the first byte is the most significant digit */
			d = (d * 10 + (d >> 8)) & 0x00ff00ff00ff00ffULL;
			d = (d * 100 + (d >> 16)) & 0x0000ffff0000ffffULL;
			v = (int64_t)((d * 10000 + (d >> 32)) & 0xffffffffULL);
			i += 8;
		}
	}
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++)
		v = v * 10 + (p[i] - '0');
	return neg ? -v : v;
}

/* A status as a list row shows it: its name, key and whether it is open,
 * worked out once per thread for each of the few statuses there are. */
struct status_memo {
	char name[32], key[32];
	uint8_t n, nkey, open;
};

static const struct status_memo *
status_of(const char *s, size_t n)
{
	static _Thread_local struct status_memo memo[16];
	static _Thread_local size_t used;
	if (n >= sizeof(memo[0].name))
		n = sizeof(memo[0].name) - 1;
	for (size_t i = 0; i < used; i++)
		if (memo[i].n == n && memcmp(memo[i].name, s, n) == 0)
			return &memo[i];
	struct status_memo *m = &memo[used < FW_ARRAY_LEN(memo) ? used++ : FW_ARRAY_LEN(memo) - 1];
	memcpy(m->name, s, n);
	m->name[n] = '\0';
	m->n = (uint8_t)n;
	m->nkey = (uint8_t)strlen(wo_status_key(m->name, m->key, sizeof(m->key)));
	m->open = (uint8_t)status_is_open(m->name);
	return m;
}

int
wo_row_init(struct rowset *rs, int own, size_t max_rows, size_t max_bytes)
{
	return rowset_init(rs, own == WO_ROW_COMPLETED ? fields_done : fields_viewed, own ? F__COUNT : F_OWN, max_rows,
	    max_bytes);
}

/* The fields of LIST_FIELDS, straight from the statement's memory, no
 * object per row. */
int
wo_row_put(struct rowset *rs, db_stmt *s, int own, int64_t now, const struct tz *z)
{
	struct rs_val *r = rowset_add(rs);
	if (!r)
		return -1;
	const char *f[LR__COUNT];
	size_t len[LR__COUNT], n;
	const char *packed = db_col_textn(s, 1, &n);
	if (split_row(packed, n, f, len) != 0)
		return -1;
	const struct status_memo *st = status_of(f[LR_STATUS], len[LR_STATUS]);
	char due[48];
	int64_t target = field_int(f[LR_TARGET], len[LR_TARGET]);
	const char *lv = sla_due(target, st->open, now, z, due, sizeof(due));
	rowset_int(&r[F_NUMBER], db_col_int(s, 0));
	/* the row's text copied once; its fields are parts of it */
	uint32_t at;
	int plain;
	if (rowset_text(rs, packed, n, &at, &plain) != 0)
		return -1;
	static const struct { int field, lr; } spans[] = { { F_CASE, LR_CASE }, { F_SUBJECT, LR_SUBJECT },
		{ F_ACCOUNT, LR_ACCOUNT }, { F_TERRITORY, LR_TERRITORY }, { F_ENTITLEMENT, LR_ENTITLEMENT },
		{ F_WORK_TYPE, LR_WORK_TYPE }, { F_STATUS, LR_STATUS } };
	for (size_t i = 0; i < FW_ARRAY_LEN(spans); i++)
		rowset_span(rs, &r[spans[i].field], at + (uint32_t)(f[spans[i].lr] - packed), (uint32_t)len[spans[i].lr],
		    plain);
	/* the status key, the countdown and its level: this program's words */
	int rc = rowset_str_plain(rs, &r[F_STATUS_KEY], st->key, st->nkey) |
	    put_time(rs, &r[F_ASSIGNED], field_int(f[LR_ASSIGNED], len[LR_ASSIGNED]), z) |
	    put_time(rs, &r[F_APPOINTMENT], field_int(f[LR_APPOINTMENT], len[LR_APPOINTMENT]), z) |
	    rowset_str_plain(rs, &r[F_SLA_DUE], due, strlen(due)) | rowset_str_plain(rs, &r[F_SLA_LEVEL], lv, strlen(lv)) |
	    put_time(rs, &r[F_TARGET], target, z);
	if (own == WO_ROW_COMPLETED)
		rc |= put_time(rs, &r[F_OWN], field_int(f[LR_COMPLETED], len[LR_COMPLETED]), z);
	else if (own == WO_ROW_VIEWED)
		rc |= put_time(rs, &r[F_OWN], db_col_int(s, 3), z);
	return rc ? -1 : 0;
}


int64_t
wo_list_number(const struct rowset *rows, size_t i)
{
	return rowset_get(rows, i, F_NUMBER)->i;
}
