/* libFuzzer: the "Search this list..." parser (search.c), which turns what a
 * user types into an FTS5 query: whatever comes in, what goes out is at
 * most 16 quoted prefix terms of word characters, never FTS5 syntax of
 * the user's own. */
#include "search.h"
#include "wo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[WO_SEARCH_MAX + 2], out[WO_SEARCH_MAX * 3 + 64];
	size_t n = size < sizeof(in) - 1 ? size : sizeof(in) - 1;
	memcpy(in, data, n);
	in[n] = '\0';
	if (search_expr(in, out, sizeof(out)) != 0)
		return 0;
	int terms = 0, quoted = 0;
	for (const char *p = out; *p; p++) {
		if (*p == '"') {
			quoted = !quoted;
			terms += quoted;
			continue;
		}
		if (quoted)
			continue;
		if (*p != ' ' && *p != '*')
			abort();   /* something outside the quotes: the user's syntax */
	}
	if (quoted || terms > 16)
		abort();
	return 0;
}
