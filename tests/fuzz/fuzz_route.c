/* libFuzzer: the route table's matcher (app.c) over any path: no input may
 * crash it, overrun its capture buffer, or capture a {n} that is not a
 * positive number. */
#include "web/app.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *patterns[] = { "/", "/work-orders/{n}", "/work-orders/{n}/collaborate/{id}/comment",
		"/calendar/{token}.ics", "/work-orders/{n}/{action}", "/reset/{token}", "/files/{id}/preview" };
	char path[2048];
	size_t n = size < sizeof(path) - 1 ? size : sizeof(path) - 1;
	memcpy(path, data, n);
	path[n] = '\0';
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		struct ctx c;
		memset(&c, 0, sizeof(c));
		char buf[600];
		if (app_match(patterns[i], path, &c, buf, sizeof(buf)) && strstr(patterns[i], "{n}") && c.id[0] <= 0)
			abort();
	}
	return 0;
}
