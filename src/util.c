/* util.c -- see util.h. */
#include "util.h"
#include "embed.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

int log_level = LOG_INFO;

void
buf_init(buf_t *b, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->cap = cap;
}

int
buf_reserve(buf_t *b, size_t n)
{
	if (b->len + n > b->cap)
		return -1;
	if (b->len + n + 1 <= b->size)
		return 0;
	/* grow geometrically (amortized O(1) appends), never past the cap */
	size_t want = b->len + n + 1, size = b->size ? b->size : 256;
	while (size < want)
		size *= 2;
	if (size > b->cap + 1)
		size = b->cap + 1;
	char *d = realloc(b->data, size);
	if (!d)
		return -1;
	if (!b->data)
		d[0] = '\0';
	b->data = d;
	b->size = size;
	return 0;
}

int
buf_append_grow(buf_t *b, const void *p, size_t n)
{
	if (b->overflow)
		return -1;
	if (n > b->cap || b->len + n > b->cap) {
		b->overflow = 1;
		return -1;
	}
	if (b->len + n + 1 > b->size) {
		size_t nsize = b->size ? b->size : 256;
		while (nsize < b->len + n + 1)
			nsize *= 2;
		if (nsize > b->cap + 1)
			nsize = b->cap + 1;
		char *d = realloc(b->data, nsize);
		if (!d) {
			b->overflow = 1;
			return -1;
		}
		b->data = d;
		b->size = nsize;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_puts(buf_t *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int
buf_printf(buf_t *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(tmp))
		return buf_append(b, tmp, (size_t)n);
	char *big = malloc((size_t)n + 1);
	if (!big)
		return -1;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	int rc = buf_append(b, big, (size_t)n);
	free(big);
	return rc;
}

/* The first byte of S[0..n) that HTML escapes, or N: sixteen bytes at a
 * time (GCC's vector extension, SSE2 on x86-64). */
/* Which characters a scan looks for: a constant at every call, so each
 * scanner below is compiled with its own set. */
enum special_set { SPECIAL_HTML, SPECIAL_JSON };

static inline __attribute__((always_inline)) int
special_byte(unsigned char c, enum special_set set)
{
	if (set == SPECIAL_HTML)
		return c == '&' || c == '<' || c == '>' || c == '"' || c == '\'';
	return c < 0x20 || c == '"' || c == '\\';
}

typedef unsigned char v16 __attribute__((vector_size(16)));

/* The bytes of SET among the sixteen at P: 0xff where one is. */
static inline __attribute__((always_inline)) v16
special_block(const char *p, enum special_set set)
{
	v16 v;
	memcpy(&v, p, 16);
	/* & (0x26) and ' (0x27) are the bytes that are 0x27 with bit 0 set;
	 * < (0x3c) and > (0x3e) those that are 0x3e with bit 1 set */
	if (set == SPECIAL_HTML)
		return (v16)(((v | 1) == (v16){ 0 } + '\'') | ((v | 2) == (v16){ 0 } + '>') | (v == (v16){ 0 } + '"'));
	return (v16)((v < (v16){ 0 } + 0x20) | (v == (v16){ 0 } + '"') | (v == (v16){ 0 } + '\\'));
}

static inline __attribute__((always_inline)) int
special_any(v16 hit)
{
#ifdef __SSE2__
	return _mm_movemask_epi8((__m128i)hit) != 0;
#else
	uint64_t lo, hi;
	memcpy(&lo, &hit, 8);
	memcpy(&hi, (const char *)&hit + 8, 8);
	return (lo | hi) != 0;
#endif
}

/* The offset of S[0..N)'s first byte of SET, or N.
 * Blocks of sixteen, the last one ending at N (overlapping the one
 * before); only from a block with a hit on is it looked at byte by byte.
 * A text shorter than a block is looked at byte by byte: a partial load
 * would go through memory and stall the vector load after it. */
static inline __attribute__((always_inline)) size_t
special_scan(const char *s, size_t n, enum special_set set)
{
	size_t i = 0;
	if (n >= 16) {
		/* two blocks a step, one test of both */
		for (; i + 32 <= n; i += 32)
			if (special_any(special_block(s + i, set) | special_block(s + i + 16, set)))
				goto bytes;
		if (i + 16 <= n) {
			if (special_any(special_block(s + i, set)))
				goto bytes;
			i += 16;
		}
		if (i == n || !special_any(special_block(s + n - 16, set)))
			return n;
	}
bytes:
	for (; i < n; i++)
		if (special_byte((unsigned char)s[i], set))
			return i;
	return n;
}

size_t
str_html_special(const char *s, size_t n)
{
	return special_scan(s, n, SPECIAL_HTML);
}

size_t
str_json_special(const char *s, size_t n)
{
	return special_scan(s, n, SPECIAL_JSON);
}

int
buf_html(buf_t *b, const char *s, size_t n)
{
	/* most text has nothing to escape: find runs, copy each run in one
	 * append */
	size_t start = 0;
	for (;;) {
		size_t i = start + str_html_special(s + start, n - start);
		if (i == n)
			return buf_append(b, s + start, n - start);
		const char *rep;
		size_t rn;
		switch (s[i]) {
		case '&': rep = "&amp;"; rn = 5; break;
		case '<': rep = "&lt;"; rn = 4; break;
		case '>': rep = "&gt;"; rn = 4; break;
		case '"': rep = "&quot;"; rn = 6; break;
		default: rep = "&#39;"; rn = 5; break;
		}
		if (buf_append(b, s + start, i - start) || buf_append(b, rep, rn))
			return -1;
		start = i + 1;
	}
}

int
buf_i64(buf_t *b, int64_t v)
{
	/* two digits a step: a list page writes two numbers a row */
	static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				    "8081828384858687888990919293949596979899";
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	while (u >= 100) {
		p -= 2;
		memcpy(p, pairs + u % 100 * 2, 2);
		u /= 100;
	}
	if (u >= 10) {
		p -= 2;
		memcpy(p, pairs + u * 2, 2);
	} else {
		*--p = (char)('0' + u);
	}
	if (v < 0)
		*--p = '-';
	return buf_append(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

int
buf_urlenc(buf_t *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
			if (buf_putc(b, (char)c))
				return -1;
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			if (buf_append(b, e, 3))
				return -1;
		}
	}
	return 0;
}

void
buf_reset(buf_t *b)
{
	b->len = 0;
	b->overflow = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
buf_free(buf_t *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->size = 0;
	b->overflow = 0;
}

char *
buf_detach(buf_t *b, size_t *len)
{
	char *d = b->data;
	if (len)
		*len = b->len;
	if (!d)
		d = calloc(1, 1);
	b->data = NULL;
	b->len = b->size = 0;
	return d;
}

int
utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				return 0;
			if (c == 0x7f)
				return 0;
			i++;
			continue;
		}
		unsigned need, min;
		unsigned cp;
		if ((c & 0xe0) == 0xc0) { need = 1; cp = c & 0x1f; min = 0x80; }
		else if ((c & 0xf0) == 0xe0) { need = 2; cp = c & 0x0f; min = 0x800; }
		else if ((c & 0xf8) == 0xf0) { need = 3; cp = c & 0x07; min = 0x10000; }
		else return 0;
		for (unsigned k = 1; k <= need; k++) {
			if (i + k >= n || (s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

long
url_decode(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			s[o++] = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= n)
				return -1;
			int h = hexval((unsigned char)s[i + 1]), l = hexval((unsigned char)s[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			s[o++] = (char)(h * 16 + l);
			i += 2;
		} else {
			s[o++] = s[i];
		}
	}
	s[o] = '\0';
	return (long)o;
}

size_t
str_copy(char *dst, const char *src, size_t dstlen)
{
	size_t n = strlen(src);
	if (dstlen) {
		size_t c = n < dstlen - 1 ? n : dstlen - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

void
str_like(const char *in, int anywhere, char *out, size_t n)
{
	size_t o = 0;
	if (n < 3) {
		if (n)
			out[0] = '\0';
		return;
	}
	if (anywhere)
		out[o++] = '%';
	for (const char *p = in ? in : ""; *p && o + 3 < n; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			out[o++] = '\\';
		out[o++] = *p;
	}
	out[o++] = '%';
	out[o] = '\0';
}

char *
str_trim(char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

int
str_is_digits(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int64_t
str_to_id(const char *s, int maxdigits)
{
	if (!str_is_digits(s) || (int)strlen(s) > maxdigits)
		return -1;
	int64_t v = 0;
	for (; *s; s++)
		v = v * 10 + (*s - '0');
	return v;
}

int64_t
now_utc(void)
{
	return (int64_t)time(NULL);
}

void
log_msg(int level, const char *fmt, ...)
{
	static const char *names[] = { "error", "warn", "info", "debug" };
	if (level > log_level)
		return;
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "fieldwork: %s: %s\n", names[level], line);
}

const struct embed_file *
embed_find(const char *name)
{
	for (const struct embed_file *f = embed_files; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

size_t
utf8_chars(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xc0) != 0x80;
	return n;
}

int
str_is_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

int
str_to_cents(const char *s, int64_t *cents)
{
	if (!*s)
		return 1;
	int64_t whole = 0;
	int digits = 0, frac = 0, fdigits = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (++digits > 9)
			return -1;
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (++fdigits > 2)
				return -1;
			frac = frac * 10 + (*p - '0');
		}
		if (fdigits == 0)
			return -1;
		if (fdigits == 1)
			frac *= 10;
	}
	if (*p || digits == 0)
		return -1;
	*cents = whole * 100 + frac;
	return 0;
}

void
str_from_cents(int64_t cents, char out[24])
{
	snprintf(out, 24, "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
}
