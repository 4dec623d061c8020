/* Unit tests of the template renderer (src/tmpl.c). */
#include "unit.h"
#include "web/tmpl.h"
#include "web/jsonw.h"

static char *
render(const char *name, const char *json)
{
	json_t *ctx = json_loads(json, 0, NULL);
	assert_non_null(ctx);
	buf_t b;
	buf_init(&b, 1 << 16);
	int rc = tmpl_render(name, ctx, NULL, 0, &b);
	json_decref(ctx);
	if (rc != 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static void
test_escapes_by_default(void **state)
{
	char err[128];
	assert_int_equal(tmpl_add("t_esc", "<p>{{name}}</p>", err, sizeof(err)), 0);
	char *out = render("t_esc", "{\"name\": \"<script>alert('x')</script> & \\\"q\\\"\"}");
	assert_string_equal(out, "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;</p>");
	free(out);
}

static void
test_sections_iterate_and_nest(void **state)
{
	char err[128];
	assert_int_equal(tmpl_add("t_sec", "{{#rows}}[{{n}}:{{title}}]{{/rows}}{{^rows}}none{{/rows}}", err, sizeof(err)), 0);
	char *out = render("t_sec", "{\"title\": \"T\", \"rows\": [{\"n\": 1}, {\"n\": 2, \"title\": \"own\"}]}");
	assert_string_equal(out, "[1:T][2:own]");
	free(out);
	out = render("t_sec", "{\"rows\": []}");
	assert_string_equal(out, "none");
	free(out);
}

static void
test_truthiness_and_dotted_names(void **state)
{
	char err[128];
	assert_int_equal(tmpl_add("t_truth", "{{#a}}A{{/a}}{{#b}}B{{/b}}{{#c}}C{{/c}}{{#d}}D{{/d}}{{#o}}{{x.y}}{{/o}}|{{o.x.y}}",
	    err, sizeof(err)), 0);
	char *out = render("t_truth", "{\"a\": true, \"b\": 0, \"c\": \"\", \"d\": null, \"o\": {\"x\": {\"y\": 5}}}");
	assert_string_equal(out, "A5|5");
	free(out);
}

static void
test_partials_and_comments(void **state)
{
	char err[128];
	assert_int_equal(tmpl_add("t_part_inner", "<i>{{v}}</i>", err, sizeof(err)), 0);
	assert_int_equal(tmpl_add("t_part", "{{! a comment }}{{>t_part_inner}}!", err, sizeof(err)), 0);
	char *out = render("t_part", "{\"v\": \"x\"}");
	assert_string_equal(out, "<i>x</i>!");
	free(out);
}

static void
test_compile_errors_are_reported(void **state)
{
	char err[128];
	assert_int_equal(tmpl_add("t_bad1", "{{#a}}never closed", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "never closed"));
	assert_int_equal(tmpl_add("t_bad2", "{{#a}}x{{/b}}", err, sizeof(err)), -1);
	assert_int_equal(tmpl_add("t_bad3", "{{/a}}", err, sizeof(err)), -1);
	assert_int_equal(tmpl_add("t_bad4", "text {{ unclosed", err, sizeof(err)), -1);
}

static void
test_unknown_template_and_cap(void **state)
{
	char err[128];
	assert_null(render("no_such_template", "{}"));
	assert_int_equal(tmpl_add("t_big", "{{#r}}{{.}}{{/r}}", err, sizeof(err)), 0);
	json_t *ctx = json_pack("{s:[s,s,s]}", "r", "aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc");
	buf_t b;
	buf_init(&b, 15);
	assert_int_equal(tmpl_render("t_big", ctx, NULL, 0, &b), -1);
	assert_true(b.overflow);
	buf_free(&b);
	json_decref(ctx);
}

static void
test_embedded_templates_compile(void **state)
{
	char err[256];
	assert_int_equal(tmpl_init(err, sizeof(err)), 0);
	char *out = render("error", "{\"title\": \"T\", \"reason\": \"Not Found\", \"error\": \"<b>\"}");
	assert_non_null(out);
	assert_non_null(strstr(out, "&lt;b&gt;"));
	assert_non_null(strstr(out, "<!DOCTYPE html>"));
	free(out);
}

static void
test_json_writer_round_trips(void **state)
{
	const char *src = "{\"s\":\"a\\\"b\\\\c\\n\\u0001\\u00e9\\u2713\",\"n\":-42,\"r\":1.5,\"t\":true,"
	    "\"f\":false,\"z\":null,\"a\":[1,{\"k\":[]},{}],\"u\":\"</script>\"}";
	json_t *v = json_loads(src, 0, NULL);
	assert_non_null(v);
	buf_t b;
	buf_init(&b, 4096);
	assert_int_equal(jsonw_dump(v, NULL, 0, &b), 0);
	json_t *back = json_loads(b.data, 0, NULL);
	assert_non_null(back);
	assert_true(json_equal(v, back));
	assert_non_null(strstr(b.data, "\"s\":\"a\\\"b"));   /* keys keep their order */
	buf_free(&b);
	buf_init(&b, 8);
	assert_int_equal(jsonw_dump(v, NULL, 0, &b), -1);
	buf_free(&b);
	json_decref(back);
	json_decref(v);
	/* every length to 40 with a character to escape at every place (the
	 * scan goes sixteen bytes at a time), and none: the same string back */
	static const char esc[] = { '"', '\\', '\n', '\x01', '\x1f' };
	for (size_t n = 0; n <= 40; n++)
		for (size_t pos = 0; pos <= n; pos++) {
			char in[41];
			memset(in, 'x', n);
			if (pos < n)
				in[pos] = esc[pos % 5];
			json_t *str = json_stringn(in, n);
			buf_init(&b, 512);
			assert_int_equal(jsonw_dump(str, NULL, 0, &b), 0);
			json_t *again = json_loads(b.data, JSON_DECODE_ANY, NULL);
			assert_non_null(again);
			assert_true(json_equal(str, again));
			json_decref(again);
			json_decref(str);
			buf_free(&b);
		}
}

/* a rowset of two rows: n (int), name (escaped text), due (empty, null) */
static const char *const rs_cols[] = { "n", "name", "due" };

static void
fill_rowset(struct rowset *rs)
{
	assert_int_equal(rowset_init(rs, rs_cols, 3, 3, 1024), 0);
	struct rs_val *r = rowset_add(rs);
	rowset_int(&r[0], 7);
	assert_int_equal(rowset_str(rs, &r[1], "a<b", 3), 0);
	assert_int_equal(rowset_str(rs, &r[2], "soon", 4), 0);
	r = rowset_add(rs);
	rowset_int(&r[0], 8);
	assert_int_equal(rowset_str(rs, &r[1], "\"q\"", 3), 0);   /* due stays null */
}

static void
test_rowset_sections(void **state)
{
	char err[128];
	/* fields by name, a section on a field ({{.}} is it), a root key read
	 * from inside a row, an object pushed inside a row shadowing a field,
	 * the inverted section on the rowset */
	assert_int_equal(tmpl_add("t_rows", "{{#rows}}<{{n}} {{name}}{{#due}} due={{.}}{{/due}}{{^due}} -{{/due}}"
	    " {{title}}{{#o}} {{name}}{{/o}}>{{/rows}}{{^rows}}none{{/rows}}", err, sizeof(err)), 0);
	struct rowset rs;
	fill_rowset(&rs);
	struct rowset_named named[] = { { "rows", &rs } };
	json_t *vm = json_pack("{s:s, s:{s:s}}", "title", "T", "o", "name", "shadow");
	buf_t b;
	buf_init(&b, 4096);
	assert_int_equal(tmpl_render("t_rows", vm, named, 1, &b), 0);
	assert_string_equal(b.data, "<7 a&lt;b due=soon T shadow><8 &quot;q&quot; - T shadow>");
	buf_reset(&b);
	/* the page and its API twin: the same rows as a member of the object */
	assert_int_equal(jsonw_dump(vm, named, 1, &b), 0);
	assert_string_equal(b.data, "{\"title\":\"T\",\"o\":{\"name\":\"shadow\"},\"rows\":[{\"n\":7,\"name\":\"a<b\","
	    "\"due\":\"soon\"},{\"n\":8,\"name\":\"\\\"q\\\"\",\"due\":null}]}");
	buf_reset(&b);
	rowset_reverse(&rs);
	rowset_pop(&rs);
	assert_int_equal(rs.nrows, 1);
	assert_int_equal(rowset_get(&rs, 0, 0)->i, 8);
	rowset_pop(&rs);
	assert_int_equal(tmpl_render("t_rows", vm, named, 1, &b), 0);
	assert_string_equal(b.data, "none");
	buf_reset(&b);
	json_t *empty = json_object();
	assert_int_equal(jsonw_dump(empty, named, 1, &b), 0);
	assert_string_equal(b.data, "{\"rows\":[]}");
	json_decref(empty);
	buf_free(&b);
	json_decref(vm);
	rowset_free(&rs);
}

/* A rowset's section as the list renders it (compiled once for its rows):
 * fields, a field's section with {{.}}, inverted sections on fields, the
 * page's values read from inside a row (a text, a true and a false
 * section, a dotted name, a name nothing has), text joined to the field
 * after it but not across a section's end; and fields that are parts of
 * one copied text (rowset_text/rowset_span), escaped only when that text
 * had a character to escape. */
static void
test_rowset_sections_compiled(void **state)
{
	char err[128];
	assert_int_equal(tmpl_add("t_compiled", "{{#rows}}[{{n}}|{{name}}{{#due}}<{{.}}>{{/due}}{{^due}}-{{/due}}"
	    "|{{title}}{{#yes}}Y{{.}}{{/yes}}{{^yes}}N{{/yes}}{{#no}}x{{/no}}{{^no}}n{{/no}}|{{o.name}}{{nothing}}"
	    "{{#due}}d{{/due}}t{{name}}]{{/rows}}", err, sizeof(err)), 0);
	struct rowset rs;
	assert_int_equal(rowset_init(&rs, rs_cols, 3, 3, 1024), 0);
	struct rs_val *r = rowset_add(&rs);
	uint32_t at;
	int plain;
	assert_int_equal(rowset_text(&rs, "Kohl's|soon", 11, &at, &plain), 0);
	assert_false(plain);
	rowset_int(&r[0], 7);
	rowset_span(&rs, &r[1], at, 6, plain);        /* Kohl's: escaped */
	rowset_span(&rs, &r[2], at + 7, 4, plain);    /* soon: looked at, nothing to escape */
	assert_true(r[2].plain);
	assert_false(r[1].plain);
	r = rowset_add(&rs);
	assert_int_equal(rowset_text(&rs, "Assure", 6, &at, &plain), 0);
	assert_true(plain);
	rowset_int(&r[0], 8);
	rowset_span(&rs, &r[1], at, 6, plain);        /* due stays null */
	struct rowset_named named[] = { { "rows", &rs } };
	json_t *vm = json_pack("{s:s, s:b, s:b, s:{s:s}}", "title", "T<", "yes", 1, "no", 0, "o", "name", "on");
	buf_t b;
	buf_init(&b, 4096);
	assert_int_equal(tmpl_render("t_compiled", vm, named, 1, &b), 0);
	assert_string_equal(b.data, "[7|Kohl&#39;s<soon>|T&lt;Ytruen|ondtKohl&#39;s][8|Assure-|T&lt;Ytruen|ontAssure]");
	/* the same with a partial inside the rows, which only the op-by-op
	 * renderer takes: the same page */
	assert_int_equal(tmpl_add("t_nothing", "", err, sizeof(err)), 0);
	assert_int_equal(tmpl_add("t_by_op", "{{#rows}}[{{n}}|{{name}}{{#due}}<{{.}}>{{/due}}{{^due}}-{{/due}}"
	    "|{{title}}{{#yes}}Y{{.}}{{/yes}}{{^yes}}N{{/yes}}{{#no}}x{{/no}}{{^no}}n{{/no}}|{{o.name}}{{nothing}}"
	    "{{#due}}d{{/due}}t{{name}}]{{>t_nothing}}{{/rows}}", err, sizeof(err)), 0);
	buf_t again;
	buf_init(&again, 4096);
	assert_int_equal(tmpl_render("t_by_op", vm, named, 1, &again), 0);
	assert_string_equal(again.data, b.data);
	buf_free(&again);
	buf_reset(&b);
	/* the API twin writes the same values unescaped */
	json_t *root = json_object();
	assert_int_equal(jsonw_dump(root, named, 1, &b), 0);
	json_decref(root);
	assert_string_equal(b.data, "{\"rows\":[{\"n\":7,\"name\":\"Kohl's\",\"due\":\"soon\"},"
	    "{\"n\":8,\"name\":\"Assure\",\"due\":null}]}");
	buf_free(&b);
	json_decref(vm);
	rowset_free(&rs);
}

static void
test_two_rowsets_nested(void **state)
{
	char err[128];
	assert_int_equal(tmpl_add("t_two", "{{#a}}[{{n}}{{#on}}+{{/on}}{{#b}}({{n}}:{{name}}){{/b}}{{name}}]{{/a}}", err,
	    sizeof(err)), 0);
	static const char *const acols[] = { "n", "on" };
	struct rowset a, b;
	assert_int_equal(rowset_init(&a, acols, 2, 2, 64), 0);
	struct rs_val *r = rowset_add(&a);
	rowset_int(&r[0], 1);
	rowset_bool(&r[1], 1);
	r = rowset_add(&a);
	rowset_int(&r[0], 2);
	rowset_bool(&r[1], 0);
	fill_rowset(&b);
	struct rowset_named named[] = { { "a", &a }, { "b", &b } };
	json_t *vm = json_pack("{s:s}", "name", "root");
	buf_t out;
	buf_init(&out, 4096);
	/* inside b's section its own fields; back in a's, a's and the root's */
	assert_int_equal(tmpl_render("t_two", vm, named, 2, &out), 0);
	assert_string_equal(out.data, "[1+(7:a&lt;b)(8:&quot;q&quot;)root][2(7:a&lt;b)(8:&quot;q&quot;)root]");
	buf_reset(&out);
	assert_int_equal(jsonw_dump(vm, named, 2, &out), 0);
	assert_non_null(strstr(out.data, "\"a\":[{\"n\":1,\"on\":true},{\"n\":2,\"on\":false}],\"b\":[{\"n\":7,"));
	buf_free(&out);
	json_decref(vm);
	rowset_free(&a);
	rowset_free(&b);
}

static void
test_rowset_limits(void **state)
{
	struct rowset rs;
	assert_int_equal(rowset_init(&rs, rs_cols, 3, 1, 4), 0);
	struct rs_val *r = rowset_add(&rs);
	assert_non_null(r);
	assert_null(rowset_add(&rs));                      /* one row, no more */
	assert_int_equal(rowset_str(&rs, &r[1], "abcd", 4), 0);
	assert_int_equal(rowset_str(&rs, &r[2], "e", 1), -1);   /* past the text's cap */
	assert_int_equal(r[2].kind, RS_NULL);
	assert_int_equal(rowset_col(&rs, "name", 4), 1);
	assert_int_equal(rowset_col(&rs, "nam", 3), -1);
	rowset_free(&rs);
	rowset_free(&rs);   /* twice is harmless */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes_by_default),
		cmocka_unit_test(test_sections_iterate_and_nest),
		cmocka_unit_test(test_truthiness_and_dotted_names),
		cmocka_unit_test(test_partials_and_comments),
		cmocka_unit_test(test_compile_errors_are_reported),
		cmocka_unit_test(test_unknown_template_and_cap),
		cmocka_unit_test(test_embedded_templates_compile),
		cmocka_unit_test(test_json_writer_round_trips),
		cmocka_unit_test(test_rowset_sections),
		cmocka_unit_test(test_rowset_limits),
		cmocka_unit_test(test_two_rowsets_nested),
		cmocka_unit_test(test_rowset_sections_compiled),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tmpl_free_all();
	return rc;
}
