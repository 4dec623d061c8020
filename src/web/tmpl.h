/* tmpl.h -- a small logic-less template renderer (a Mustache subset) that
 * turns a page's view-model (a jansson value) into HTML.  Output is
 * HTML-escaped by default; there is no way to write unescaped data.
 *
 * Tags: {{key}} {{a.b}} {{.}} -- value, escaped
 *       {{#key}}...{{/key}}   -- section: once per array item, once with an
 *                                object pushed, once for a true value
 *       {{^key}}...{{/key}}   -- inverted: when missing, false, null, "",
 *                                0 or an empty array
 *       {{>name}}             -- partial
 *       a section over a rowset (rowset.h): once per row
 *       {{! comment}}
 * Owns the compiled templates, built once at start. */
#ifndef FW_TMPL_H
#define FW_TMPL_H

#include <jansson.h>
#include <stddef.h>

#include "rowset.h"
#include "util.h"

/* Compiles every templates/NAME.html compiled into the binary.  Returns 0,
 * or -1 with ERR naming the template and the problem. */
int tmpl_init(char *err, size_t errlen);
/* Compiles SRC (which must outlive the registry) under NAME. 0 or -1. */
int tmpl_add(const char *name, const char *src, char *err, size_t errlen);
/* Renders NAME with CTX, appending to OUT.  The NROWS ROWS are parts of
 * the view-model held outside it, each under its name: a section of that
 * name renders once per row, and inside it each field is found by its
 * name as an object's key would be.  Returns 0, or -1 when NAME is
 * unknown or OUT reached its cap. */
int tmpl_render(const char *name, json_t *ctx, const struct rowset_named *rows, size_t nrows, buf_t *out);
void tmpl_free_all(void);

#endif
