/* util.h -- bounded buffers, string helpers and logging shared by every
 * module.  Owns nothing global but the log level. */
#ifndef FW_UTIL_H
#define FW_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define FW_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A growable byte buffer with a hard cap (also the DoS limit).  Once an
 * append would pass the cap the buffer is marked overflowed, keeps what it
 * had and refuses further appends.  data is always NUL-terminated when
 * len > 0.  The owner frees it with buf_free(). */
typedef struct buf {
	char *data;
	size_t len;
	size_t size;
	size_t cap;
	int overflow;
} buf_t;

void buf_init(buf_t *b, size_t cap);
/* Makes room for N more bytes up front (no copies while a page grows).
 * 0 or -1 past the cap / out of memory. */
int buf_reserve(buf_t *b, size_t n);
/* Return 0, or -1 when the cap would be passed or memory ran out.  The
 * common case (room already there) is inline: a page is thousands of
 * small appends. */
int buf_append_grow(buf_t *b, const void *p, size_t n);
/* Copies N bytes to D from S (not overlapping).  The short copies a page
 * is made of (a template's text between two fields, a field) are done
 * here with a few unaligned moves: through memcpy each paid a call and
 * the library's dispatch, a third of a list page's time.  Can't fail. */
static inline void
buf_copy(char *d, const char *s, size_t n)
{
	if (n > 64) {
		__builtin_memcpy(d, s, n);
	} else if (n >= 16) {
		/* 16-byte moves, the last one ending at the last byte */
		for (size_t i = 0; i + 16 < n; i += 16)
			__builtin_memcpy(d + i, s + i, 16);
		__builtin_memcpy(d + n - 16, s + n - 16, 16);
	} else if (n >= 8) {
		uint64_t a, z;
		__builtin_memcpy(&a, s, 8);
		__builtin_memcpy(&z, s + n - 8, 8);
		__builtin_memcpy(d, &a, 8);
		__builtin_memcpy(d + n - 8, &z, 8);
	} else if (n >= 4) {
		uint32_t a, z;
		__builtin_memcpy(&a, s, 4);
		__builtin_memcpy(&z, s + n - 4, 4);
		__builtin_memcpy(d, &a, 4);
		__builtin_memcpy(d + n - 4, &z, 4);
	} else if (n) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	}
}
static inline int
buf_append(buf_t *b, const void *p, size_t n)
{
	if (b->len + n + 1 <= b->size && b->len + n <= b->cap && !b->overflow) {
		buf_copy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return 0;
	}
	return buf_append_grow(b, p, n);
}
int buf_puts(buf_t *b, const char *s);
static inline int
buf_putc(buf_t *b, char c)
{
	return buf_append(b, &c, 1);
}
int buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends S with HTML special characters escaped. */
int buf_html(buf_t *b, const char *s, size_t n);
/* The offset of S[0..N)'s first character HTML escapes (& < > " '), or
 * N when it has none.  This function can't fail. */
size_t str_html_special(const char *s, size_t n);
/* The offset of S[0..N)'s first byte JSON escapes (a control character,
 * '"' or '\\'), or N.  This function can't fail. */
size_t str_json_special(const char *s, size_t n);
/* Appends V in decimal.  0 or -1 past the cap. */
int buf_i64(buf_t *b, int64_t v);
/* Appends S percent-encoded for a URL query value. */
int buf_urlenc(buf_t *b, const char *s);
void buf_reset(buf_t *b);
void buf_free(buf_t *b);
/* Hands the data to the caller (who frees it with free()); resets B. */
char *buf_detach(buf_t *b, size_t *len);

/* 1 when S[0..n) is well-formed UTF-8 without NUL or C0 controls other
 * than tab, CR and LF.  This function can't fail. */
int utf8_valid(const char *s, size_t n);
/* The characters (code points) of the UTF-8 text S, as a browser's
 * maxlength counts them (a character outside the BMP counts once here,
 * twice there: the server is never stricter).  This function can't fail. */
size_t utf8_chars(const char *s);
/* 1 when S holds nothing but ASCII whitespace.  This function can't fail. */
int str_is_blank(const char *s);
/* Decodes %XX and '+' in place; returns the new length or -1 on a bad
 * escape. */
long url_decode(char *s, size_t n);
/* Copies at most dstlen-1 bytes and terminates.  Returns strlen(src). */
size_t str_copy(char *dst, const char *src, size_t dstlen);
/* Writes into OUT (N bytes) a LIKE pattern, with '\\' as its escape
 * character, that matches IN literally: "%IN%" when ANYWHERE, "IN%" when
 * IN must start the value.  A long IN is cut, never mid-escape.  This
 * function can't fail. */
void str_like(const char *in, int anywhere, char *out, size_t n);
/* Strips leading and trailing ASCII whitespace in place. */
char *str_trim(char *s);
/* 1 when S is all decimal digits (and not empty). */
int str_is_digits(const char *s);
/* Parses a non-negative decimal integer of at most MAXDIGITS digits;
 * returns -1 on anything else. */
int64_t str_to_id(const char *s, int maxdigits);
/* Parses money or miles typed by a user, with up to two decimals
 * ("1,250.5" is refused; "1250.50" is 125050 hundredths).  Returns 0
 * with *CENTS, 1 for blank, -1 when malformed, negative or too large. */
int str_to_cents(const char *s, int64_t *cents);
/* CENTS as str_to_cents reads it back: "1250.50", "0.70".  This function
 * can't fail. */
void str_from_cents(int64_t cents, char out[24]);

int64_t now_utc(void);

enum { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };
extern int log_level;
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
