/* libFuzzer: the urlencoded form parser (http.c), the login form's
 * next= check (page.c), and the escaping helpers every page goes through
 * (util.c): no input may crash them, overrun, or yield a field that is not
 * UTF-8 or a next= that leaves the site. */
#include "web/http.h"
#include "web/page.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pool_t pool;
	pool_init(&pool, 1u << 20);
	struct http_kv *kv;
	int bad = 0;
	size_t n = http_parse_urlencoded(&pool, (const char *)data, size, &kv, &bad);
	buf_t b;
	buf_init(&b, 1u << 20);
	for (size_t i = 0; i < n; i++) {
		if (!utf8_valid(kv[i].key, strlen(kv[i].key)) || !utf8_valid(kv[i].val, strlen(kv[i].val)))
			abort();
		buf_html(&b, kv[i].val, strlen(kv[i].val));
		buf_urlenc(&b, kv[i].key);
		if (page_safe_next(kv[i].val) && (kv[i].val[0] != '/' || kv[i].val[1] == '/' || strchr(kv[i].val, '\\')))
			abort();
	}
	buf_free(&b);
	pool_clear(&pool);
	return 0;
}
