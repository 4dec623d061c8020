/* wo_list.c -- the Work Orders list: the guide's chapters 2 and 3 (list views,
 * pin, sort, Search this list..., paging) and its CSV export.  Domain: wo.c
 * (the list) and export.c (the CSV). */
#include "handlers.h"
#include "export.h"
#include "search.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
list_href(buf_t *b, const char *view, const char *sort, const char *dir, const char *q, const char *anchor_key,
    int64_t anchor)
{
	buf_puts(b, "/work-orders?view=");
	buf_urlenc(b, view);
	if (sort) {
		buf_puts(b, "&sort=");
		buf_urlenc(b, sort);
		buf_puts(b, "&dir=");
		buf_puts(b, dir);
	}
	if (q && *q) {
		buf_puts(b, "&q=");
		buf_urlenc(b, q);
	}
	if (anchor_key) {
		buf_putc(b, '&');
		buf_puts(b, anchor_key);
		buf_putc(b, '=');
		buf_i64(b, anchor);
	}
}

/* B's text (a URL this page built: ASCII) as a JSON string; B emptied. */
static json_t *
jstr_buf(buf_t *b)
{
	json_t *s = json_string_nocheck(b->data ? b->data : "");
	buf_reset(b);
	return s;
}

/* V = the text S.  0, or -1 past the rowset's cap. */
static int
rs_lit(struct rowset *rs, struct rs_val *v, const char *s)
{
	return rowset_str(rs, v, s, strlen(s));
}

static int
parse_anchor(const char *v, int64_t *out)
{
	if (!v)
		return 0;
	*out = str_to_id(v, 12);
	return *out > 0 ? 0 : -1;
}

/* Reads the list parameters (view, sort, dir, q, newest, after, before, size)
 * into Q.  0, or a 4xx status with c->err. */
static int
list_query(struct ctx *c, struct wo_query *qp)
{
	struct req *r = c->r;
	const char *vk = http_query(r, "view");
	if (!vk || !*vk)
		vk = c->u.default_view[0] && wo_view_find(c->u.default_view) >= 0 ? c->u.default_view : "my-open";
	struct wo_query q = { .limit = WO_PAGE_DEFAULT };
	q.view = wo_view_find(vk);
	if (q.view < 0) {
		snprintf(c->err, sizeof(c->err), "There is no list view \"%.60s\". Choose one of the Work Orders list views.", vk);
		return 400;
	}
	const struct wo_view_def *v = &wo_views[q.view];
	const char *sk = http_query(r, "sort"), *dir = http_query(r, "dir");
	q.sort = sk && *sk ? wo_col_find(sk) : v->sort;
	if (q.sort < 0 || !wo_view_has_col(q.view, q.sort)) {
		snprintf(c->err, sizeof(c->err), "This list cannot be sorted by \"%.60s\".", sk);
		return 400;
	}
	if (dir && *dir && strcmp(dir, "asc") && strcmp(dir, "desc"))
		return page_fail(c, 400, "The sort direction must be asc or desc.");
	q.desc = dir && *dir ? !strcmp(dir, "desc") : (q.sort == v->sort ? v->desc : 0);
	q.search = http_query(r, "q");
	char match[WO_SEARCH_MAX * 3 + 64];
	if (q.search && (strlen(q.search) > WO_SEARCH_MAX || search_expr(q.search, match, sizeof(match)) < 0)) {
		/* checked here, before an export starts streaming its 200 */
		snprintf(c->err, sizeof(c->err), "Search is limited to %d characters and 16 words.", WO_SEARCH_MAX);
		return 400;
	}
	const char *newest = http_query(r, "newest");
	q.newest = newest && !strcmp(newest, "1");
	if (parse_anchor(http_query(r, "after"), &q.after) || parse_anchor(http_query(r, "before"), &q.before))
		return page_fail(c, 400, "The page position is not a work order number.");
	const char *size = http_query(r, "size");
	if (size) {
		int64_t n = str_to_id(size, 4);
		if (n < 1 || n > WO_PAGE_MAX) {
			snprintf(c->err, sizeof(c->err), "Page size must be between 1 and %d.", WO_PAGE_MAX);
			return 400;
		}
		q.limit = (int)n;
	}
	*qp = q;
	return 0;
}

int
wo_list_get(struct ctx *c)
{
	struct wo_scope sc;
	if (page_scope(c, &sc) != 0)
		return page_fail(c, 403, "Your login is not linked to a technician record yet; ask your partner admin.");
	c->title = "Work Orders";
	c->tab = "work-orders";
	struct wo_query q;
	int st = list_query(c, &q);
	if (st)
		return st;
	const struct wo_view_def *v = &wo_views[q.view];
	struct rowset *rows = page_rows(c, "rows");
	int64_t total;
	int capped, has_next, has_prev;
	char err[256];
	int rc = wo_list(c->db, &sc, &q, c->z, rows, &total, &capped, &has_next, &has_prev, err, sizeof(err));
	if (rc == WO_BAD_INPUT)
		return page_fail(c, 400, err);
	if (rc != WO_OK)
		return page_fail(c, 500, "The work orders could not be read.");
	c->tmpl = "wo_list";

	const char *sortkey = wo_cols[q.sort].key, *dirs = q.desc ? "desc" : "asc";
	const char *search = q.search ? q.search : "";
	buf_t b;
	buf_init(&b, 4096);
	json_t *view = json_object();
	json_object_set_new(view, "key", json_string(v->key));
	json_object_set_new(view, "label", json_string(v->label));
	json_object_set_new(view, "pinned", json_boolean(!strcmp(c->u.default_view, v->key)));
	page_set(c, "view", view);
	/* the menu of views and the column headers: tables of the view-model */
	static const char *const view_fields[] = { "key", "label", "href", "current", "pinned" };
	static const char *const col_fields[] = { "key", "label", "sorted", "aria_sort", "arrow", "href" };
	struct rowset *views = page_rows(c, "views"), *cols = page_rows(c, "columns");
	int bad = rowset_init(views, view_fields, 5, WV__COUNT, 4096) || rowset_init(cols, col_fields, 6, WC__COUNT, 8192);
	for (int i = 0; i < WV__COUNT && !bad; i++) {
		struct rs_val *o = rowset_add(views);
		list_href(&b, wo_views[i].key, NULL, NULL, NULL, NULL, 0);
		bad |= rs_lit(views, &o[0], wo_views[i].key) | rs_lit(views, &o[1], wo_views[i].label) |
		    rs_lit(views, &o[2], b.data ? b.data : "");
		buf_reset(&b);
		rowset_bool(&o[3], i == q.view);
		rowset_bool(&o[4], !strcmp(c->u.default_view, wo_views[i].key));
	}
	for (int i = 0; i < WC__COUNT && !bad; i++) {
		if (!wo_view_has_col(q.view, i))
			continue;
		struct rs_val *o = rowset_add(cols);
		int sorted = i == q.sort;
		list_href(&b, v->key, wo_cols[i].key, sorted && !q.desc ? "desc" : "asc", search, NULL, 0);
		bad |= rs_lit(cols, &o[0], wo_cols[i].key) | rs_lit(cols, &o[1], wo_cols[i].label) |
		    rs_lit(cols, &o[3], sorted ? (q.desc ? "descending" : "ascending") : "none") |
		    rs_lit(cols, &o[4], sorted ? (q.desc ? "\xe2\x96\xbc" : "\xe2\x96\xb2") : "") |
		    rs_lit(cols, &o[5], b.data ? b.data : "") | b.overflow;
		buf_reset(&b);
		rowset_bool(&o[2], sorted);
	}
	if (bad) {
		buf_free(&b);
		c->tmpl = NULL;
		return page_fail(c, 500, "The list could not be shown.");
	}
	page_set(c, "has_completed", json_boolean(wo_view_has_col(q.view, WC_COMPLETED)));
	page_set(c, "has_viewed", json_boolean(wo_view_has_col(q.view, WC_VIEWED)));
	size_t nrows = rows->nrows;
	/* the pages of a list of the newest matches go on among them */
	const char *more = capped & WO_SORTED_NEWEST ? "&newest=1" : "";
	if (has_next && nrows) {
		list_href(&b, v->key, sortkey, dirs, search, "after", wo_list_number(rows, nrows - 1));
		buf_puts(&b, more);
		page_set(c, "next_href", jstr_buf(&b));
	}
	if (has_prev && nrows) {
		list_href(&b, v->key, sortkey, dirs, search, "before", wo_list_number(rows, 0));
		buf_puts(&b, more);
		page_set(c, "prev_href", jstr_buf(&b));
	}
	buf_free(&b);
	page_set(c, "total", json_integer(total));
	char summary[640], newest[160] = "";
	if (capped & WO_SORTED_NEWEST) {
		/* too many matches to sort and too rare in this order to find */
		snprintf(newest, sizeof(newest), " (the newest %d matches; refine the search to sort them all)",
		    WO_SORT_NEWEST);
		page_set(c, "sorted_newest", json_integer(WO_SORT_NEWEST));
	}
	snprintf(summary, sizeof(summary), "%lld%s item%s - Sorted by %s%s - Filtered by %s%s%s - Updated a few seconds ago",
	    (long long)total, capped & WO_COUNT_CAPPED ? "+" : "", total == 1 && !(capped & WO_COUNT_CAPPED) ? "" : "s",
	    wo_cols[q.sort].label, newest,
	    v->filter, *search ? " - Search: " : "", search);
	page_str(c, "summary", summary);
	list_href(&b, v->key, sortkey, dirs, search, NULL, 0);
	{
		/* the same list, every row, as a file */
		char *h = b.data ? b.data : (char *)"/work-orders?view=all";
		char exp[1200];
		snprintf(exp, sizeof(exp), "/work-orders/export.csv%s", strchr(h, '?') ? strchr(h, '?') : "");
		page_str(c, "export_href", exp);
		buf_free(&b);
	}
	page_str(c, "q", search);
	page_str(c, "sort", sortkey);
	page_str(c, "dir", dirs);
	return 200;
}

int
wo_list_pin(struct ctx *c)
{
	const char *vk = page_form(c, "view");
	if (wo_view_find(vk) < 0)
		return page_fail(c, 400, "Choose a list view to pin.");
	if (user_set_default_view(c->db, c->u.id, vk) != 0)
		return page_fail(c, 500, "The default view could not be saved.");
	char loc[128];
	snprintf(loc, sizeof(loc), "/work-orders?view=%s", vk);
	return page_redirect(c, loc);
}

int
wo_list_csv(struct ctx *c)
{
	struct wo_scope sc;
	if (page_scope(c, &sc) != 0)
		return page_fail(c, 403, "Your login has no work order list.");
	struct wo_query q;
	int st = list_query(c, &q);
	if (st)
		return st;
	q.after = q.before = 0;
	void *csv = ex_csv_open(&sc, &q, c->z);
	if (!csv)
		return page_fail(c, 500, "The export could not start.");
	char disp[128];
	snprintf(disp, sizeof(disp), "attachment; filename=\"work-orders-%s.csv\"", wo_views[q.view].key);
	http_add_header(c->r, "Content-Disposition", disp);
	c->r->stream_fn = ex_csv_read;
	c->r->stream_free = ex_csv_free;
	c->r->stream_cls = csv;
	c->raw_ctype = "text/csv; charset=utf-8";
	return 200;
}
