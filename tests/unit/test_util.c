/* Unit tests of buffers, strings and the pool (util.c, pool.c). */
#include "unit.h"
#include "pool.h"
#include "util.h"

static void
test_buf_cap_is_a_hard_limit(void **state)
{
	buf_t b;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "12345678"), 0);
	assert_int_equal(buf_putc(&b, '9'), -1);
	assert_true(b.overflow);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	buf_free(&b);
}

/* An append copies every byte at every length the short copies handle
 * (0 to 64, the moves of 16 overlapping at the end) and past them, at
 * every offset into the buffer, and writes nothing after them but the
 * terminating NUL. */
static void
test_buf_append_copies_every_length(void **state)
{
	char src[160];
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (char)('!' + i % 90);
	for (size_t at = 0; at < 17; at++)
		for (size_t n = 0; n <= 130; n++) {
			buf_t b;
			buf_init(&b, 1024);
			assert_int_equal(buf_reserve(&b, 512), 0);
			memset(b.data, '#', 512);
			b.len = at;
			assert_int_equal(buf_append(&b, src, n), 0);
			assert_int_equal(b.len, at + n);
			assert_memory_equal(b.data + at, src, n);
			assert_int_equal(b.data[at + n], '\0');
			assert_int_equal(b.data[at + n + 1], '#');
			buf_free(&b);
		}
}

/* SCAN finds the first of SPECIALS (five of them) at every length up to
 * 40 (blocks of sixteen, an overlapping last block, a short text), a
 * second one after it, and none in a text of PLAIN bytes. */
static void
check_scan(size_t (*scan)(const char *, size_t), const char *specials, char plain)
{
	for (size_t n = 0; n <= 40; n++) {
		char in[41];
		memset(in, plain, n);
		assert_int_equal(scan(in, n), n);
		for (size_t pos = 0; pos < n; pos++) {
			memset(in, 'x', n);
			in[pos] = specials[pos % 5];
			if (pos + 3 < n)
				in[pos + 3] = specials[0];
			assert_int_equal(scan(in, n), pos);
			assert_int_equal(scan(in + pos + 1, n - pos - 1), pos + 3 < n ? 2 : n - pos - 1);
		}
	}
}

static void
test_html_escape(void **state)
{
	buf_t b;
	buf_init(&b, 256);
	const char *s = "a<b>&\"'c";
	buf_html(&b, s, strlen(s));
	assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;&#39;c");
	buf_reset(&b);
	buf_html(&b, "plain text, no escapes", 22);
	buf_html(&b, "&&", 2);
	buf_html(&b, "caf\xc3\xa9<", 6);
	assert_string_equal(b.data, "plain text, no escapes&amp;&amp;caf\xc3\xa9&lt;");
	buf_free(&b);
	/* each special character at every position of a 40-byte text (the
	 * scan goes sixteen bytes at a time), against the plain rule */
	const char specials[] = "&<>\"'";
	const char *reps[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
	for (int k = 0; k < 5; k++)
		for (int pos = 0; pos < 40; pos++) {
			char in[41], want[64];
			memset(in, 'x', 40);
			in[40] = '\0';
			in[pos] = specials[k];
			snprintf(want, sizeof(want), "%.*s%s%s", pos, in, reps[k], in + pos + 1);
			buf_init(&b, 256);
			assert_int_equal(buf_html(&b, in, 40), 0);
			assert_string_equal(b.data, want);
			buf_free(&b);
		}
	check_scan(str_html_special, "&<>\"'", 'x');
	/* every byte value, in a block of sixteen and in a short text: only
	 * the five are found (the scan tests bits, not each byte alone) */
	for (int c = 0; c < 256; c++) {
		char blk[20];
		memset(blk, 'x', sizeof(blk));
		blk[17] = (char)c;
		size_t want = strchr("&<>\"'", c) && c ? 17 : 20;
		assert_int_equal(str_html_special(blk, 20), want);
		assert_int_equal(str_html_special(blk + 16, 4), want - 16);
	}
	/* the same for what JSON escapes; bytes past 0x7f are not control
	 * characters (an unsigned compare) */
	check_scan(str_json_special, "\"\\\n\x01\x1f", '\xc3');
}

static void
test_integers(void **state)
{
	buf_t b;
	buf_init(&b, 256);
	buf_i64(&b, 0);
	buf_putc(&b, ' ');
	buf_i64(&b, 20088123);
	buf_putc(&b, ' ');
	buf_i64(&b, -42);
	buf_putc(&b, ' ');
	buf_i64(&b, INT64_MIN);
	buf_putc(&b, ' ');
	buf_i64(&b, INT64_MAX);
	assert_string_equal(b.data, "0 20088123 -42 -9223372036854775808 9223372036854775807");
	buf_free(&b);
	/* every count of digits, odd and even, against printf */
	for (int k = 0; k < 19; k++) {
		int64_t v = 1;
		for (int i = 0; i < k; i++)
			v *= 10;   /* 10^k, up to 10^18 */
		int64_t xs[] = { v, v + 7, -v, v * 9 / 10 + (v > 1 ? v / 10 - 1 : 0) };
		for (size_t i = 0; i < 4; i++) {
			char want[32];
			snprintf(want, sizeof(want), "%lld", (long long)xs[i]);
			buf_reset(&b);
			assert_int_equal(buf_i64(&b, xs[i]), 0);
			assert_string_equal(b.data, want);
		}
	}
	buf_free(&b);
	buf_init(&b, 3);
	assert_int_equal(buf_i64(&b, 1234), -1);   /* the cap holds */
	buf_free(&b);
}

static void
test_utf8_validation(void **state)
{
	assert_true(utf8_valid("plain", 5));
	assert_true(utf8_valid("caf\xc3\xa9 \xe2\x9c\x93", 9));
	assert_false(utf8_valid("\xff", 1));
	assert_false(utf8_valid("\xc3", 1));              /* truncated */
	assert_false(utf8_valid("\xc0\xaf", 2));          /* overlong */
	assert_false(utf8_valid("\xed\xa0\x80", 3));      /* surrogate */
	assert_false(utf8_valid("a\x01z", 3));            /* control */
	assert_true(utf8_valid("tab\tnl\n", 7));
}

static void
test_url_decode(void **state)
{
	char s[32];
	strcpy(s, "a+b%20c%2Fd");
	assert_int_equal(url_decode(s, strlen(s)), 7);
	assert_string_equal(s, "a b c/d");
	strcpy(s, "bad%2");
	assert_int_equal(url_decode(s, strlen(s)), -1);
	strcpy(s, "bad%zz");
	assert_int_equal(url_decode(s, strlen(s)), -1);
}

static void
test_like_patterns_match_literally(void **state)
{
	char out[16];
	str_like("50%_off\\", 1, out, sizeof(out));
	assert_string_equal(out, "%50\\%\\_off\\\\%");
	str_like("Main", 0, out, sizeof(out));
	assert_string_equal(out, "Main%");
	str_like(NULL, 1, out, sizeof(out));
	assert_string_equal(out, "%%");
	str_like("abcdefghijklmnopqrstuvwxyz", 1, out, sizeof(out));
	assert_int_equal(strlen(out), 14);   /* cut, still closed with % */
	assert_int_equal(out[13], '%');
}

static void
test_ids(void **state)
{
	assert_int_equal(str_to_id("20090641", 12), 20090641);
	assert_int_equal(str_to_id("", 12), -1);
	assert_int_equal(str_to_id("12a", 12), -1);
	assert_int_equal(str_to_id("-1", 12), -1);
	assert_int_equal(str_to_id("1234567890123", 12), -1);
}

static void
test_pool(void **state)
{
	pool_t p;
	pool_init(&p, 1 << 16);
	char *a = pool_strdup(&p, "hello");
	char *b = pool_printf(&p, "%s-%d", a, 42);
	assert_string_equal(b, "hello-42");
	assert_non_null(pool_alloc(&p, 10000));   /* a chunk of its own */
	assert_null(pool_alloc(&p, 1 << 16));     /* past the cap */
	pool_clear(&p);
	assert_int_equal(p.total, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_cap_is_a_hard_limit),
		cmocka_unit_test(test_buf_append_copies_every_length),
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_utf8_validation),
		cmocka_unit_test(test_url_decode),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_like_patterns_match_literally),
		cmocka_unit_test(test_pool),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
