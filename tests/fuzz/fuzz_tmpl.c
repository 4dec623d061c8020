/* libFuzzer: the template renderer (tmpl.c).  The input is a template,
 * then a NUL, then the JSON it is rendered with: no input may crash the
 * compiler or the renderer, and nothing it renders from the data may open
 * a tag (every value is escaped). */
#include "web/tmpl.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *src = malloc(size + 1);
	if (!src)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	size_t tl = strlen(src);
	json_t *vm = tl < size ? json_loads(src + tl + 1, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL) : NULL;
	if (!vm)
		vm = json_pack("{s:s, s:[s, {s:s}], s:b}", "a", "<script>&\"'", "list", "x<y", "b", "</p>", "t", 1);
	char err[256];
	if (tmpl_add("f", src, err, sizeof(err)) == 0) {
		buf_t out;
		buf_init(&out, 4u << 20);
		tmpl_render("f", vm, NULL, 0, &out);
		buf_free(&out);
	}
	tmpl_free_all();
	json_decref(vm);
	free(src);
	return 0;
}
