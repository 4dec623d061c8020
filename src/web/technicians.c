/* technicians.c -- the guide's chapters 7 and 12: the WO Assignment tab's search
 * and Assign To WO (with the Missing Skills override), and Field Technician
 * Management (search, Onboard, Offboard).  Domain: tech.c. */
#include "handlers.h"
#include "tech.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads the Advanced Search fields from the query (or the form, when
 * POSTED) into F and echoes them in the view-model.  0, or -1 with
 * c->err. */
static int
tech_filters(struct ctx *c, struct tech_filter *f, int posted)
{
	memset(f, 0, sizeof(*f));
	const char *(*get)(struct req *, const char *) = posted ? http_form : http_query;
	f->email = get(c->r, "email");
	f->postal_code = get(c->r, "postal_code");
	f->city = get(c->r, "city");
	const char *mo = get(c->r, "my_org");
	f->my_org = !mo || strcmp(mo, "no") != 0;
	if ((f->email && strlen(f->email) > 254) || (f->postal_code && strlen(f->postal_code) > 20) ||
	    (f->city && strlen(f->city) > 100)) {
		str_copy(c->err, "The search fields are too long.", sizeof(c->err));
		return -1;
	}
	const char *certs[TECH_MAX_CERT_FILTER];
	size_t n = posted ? 0 : http_query_all(c->r, "cert", certs, TECH_MAX_CERT_FILTER);
	if (posted)
		for (size_t i = 0; i < c->r->nform && n < TECH_MAX_CERT_FILTER; i++)
			if (!strcmp(c->r->form[i].key, "cert"))
				certs[n++] = c->r->form[i].val;
	for (size_t i = 0; i < n; i++) {
		int64_t id = str_to_id(certs[i], 9);
		if (id <= 0) {
			str_copy(c->err, "Choose certifications from the list.", sizeof(c->err));
			return -1;
		}
		f->certs[f->ncerts++] = id;
	}
	json_t *echo = json_object();
	json_object_set_new(echo, "email", json_string(f->email ? f->email : ""));
	json_object_set_new(echo, "postal_code", json_string(f->postal_code ? f->postal_code : ""));
	json_object_set_new(echo, "city", json_string(f->city ? f->city : ""));
	json_object_set_new(echo, "my_org_yes", json_boolean(f->my_org));
	page_set(c, "filters", echo);
	json_t *cat = tech_catalog(c->db);
	if (!cat)
		return -1;
	json_t *avail = json_array(), *sel = json_array();
	size_t i;
	json_t *cert;
	json_array_foreach(cat, i, cert) {
		int picked = 0;
		for (size_t k = 0; k < f->ncerts; k++)
			picked |= f->certs[k] == json_integer_value(json_object_get(cert, "id"));
		json_array_append(picked ? sel : avail, cert);
	}
	json_decref(cat);
	page_set(c, "certs_available", avail);
	page_set(c, "certs_selected", sel);
	return 0;
}

int
technicians_assignment_view(struct ctx *c, int64_t number)
{
	struct tech_filter f;
	if (tech_filters(c, &f, page_is_post(c)) != 0)
		return -1;
	json_t *res = tech_search(c->db, &c->u, &f, number, c->z);
	if (!res)
		return -1;
	page_set(c, "search", res);
	char action[64];
	snprintf(action, sizeof(action), "/work-orders/%lld/assignment", (long long)number);
	page_str(c, "search_action", action);
	page_set(c, "override_reasons", page_string_list(tech_override_reasons, FW_ARRAY_LEN(tech_override_reasons), NULL));
	return 0;
}

int
technicians_assign(struct ctx *c)
{
	int64_t number = c->id[0];
	if (!strcmp(c->u.role, "technician") || !page_can_see(c, number))
		return page_fail(c, 404, "Work order not found.");
	int64_t tech = str_to_id(page_form(c, "technician"), 12);
	char msg[512] = "Select a technician in the Field Technician list, then Assign To WO.";
	int rc = tech > 0 ? tech_assign(c->db, &c->u, number, tech, page_form(c, "override_reason"), c->z, msg, sizeof(msg))
	    : TECH_BAD;
	if (rc == TECH_OK) {
		char loc[96];
		snprintf(loc, sizeof(loc), "/work-orders/%lld?done=assigned", (long long)number);
		return page_redirect(c, loc);
	}
	if (rc != TECH_MISSING_SKILLS && rc != TECH_BAD) {
		page_set(c, "back", json_integer(number));
		return page_fail(c, rc == TECH_NOT_FOUND ? 404 : 500, msg);
	}
	/* the same tab again: the message beside the list, or the Missing
	 * Skills window with the override form */
	c->arg = "assignment";
	int status = wo_tabs_show(c);
	if (status != 200)
		return status;
	if (rc == TECH_BAD) {
		page_str(c, "assign_error", msg);
		page_set(c, "assign_choice", json_integer(tech));
		return 422;
	}
	json_t *dlg = json_object();
	json_object_set_new(dlg, "message", json_string(msg));
	json_object_set_new(dlg, "technician", json_integer(tech));
	page_set(c, "missing_skills", dlg);
	return 409;
}

/* What every Field Technician Management page shares; 0, or a status. */
static int
roster_page(struct ctx *c)
{
	if (!user_is_partner(&c->u) && !user_is_operator(&c->u))
		return page_fail(c, 403, "Field Technician Management is for partner dispatchers and admins.");
	c->tmpl = "technicians";
	c->title = "Field Technician Management";
	c->tab = "technicians";
	page_set(c, "is_admin", json_boolean(user_is_partner_admin(&c->u)));
	return 0;
}

/* The roster search, after an optional offboarding (STATUS so far). */
static int
roster(struct ctx *c, int status)
{
	const char *done = http_query(c->r, "done");
	if (done && !strcmp(done, "onboarded"))
		page_str(c, "notice", "The technician is onboarded: they now show with My Organization = Yes.");
	struct tech_filter f;
	if (tech_filters(c, &f, 0) != 0)
		return page_fail(c, 400, c->err);
	json_t *res = tech_search(c->db, &c->u, &f, 0, c->z);
	if (!res)
		return page_fail(c, 500, "The technicians could not be read.");
	page_set(c, "search", res);
	page_str(c, "search_action", "/technicians");
	return status;
}

int
technicians_get(struct ctx *c)
{
	int st = roster_page(c);
	return st ? st : roster(c, 200);
}

int
technicians_onboard(struct ctx *c)
{
	int st = roster_page(c), post = page_is_post(c);
	if (st)
		return st;
	char msg[512] = "";
	int64_t id = str_to_id(post ? page_form(c, "technician") : (http_query(c->r, "technician") ?
	    http_query(c->r, "technician") : ""), 12);
	if (id <= 0) {
		page_str(c, "roster_error", "Select a technician in Certification Information, then Onboard.");
		return roster(c, 422);
	}
	page_set(c, "onboard_id", json_integer(id));
	int status = 200;
	if (post) {
		const char *email = page_form(c, "corporate_email");
		page_str(c, "corporate_email", email);
		int rc = tech_onboard(c->db, &c->u, id, email, msg, sizeof(msg));
		if (rc == TECH_OK)
			return page_redirect(c, "/technicians?my_org=yes&done=onboarded");
		page_str(c, "error", msg);
		status = rc == TECH_NOT_FOUND ? 404 : rc == TECH_BAD ? 422 : 500;
	}
	c->tmpl = "onboard";
	return status;
}

/* POST /technicians/offboard: the confirmation naming the technician and
 * the work orders that will need someone else, then (confirm=yes) the
 * offboarding itself. */
int
technicians_offboard(struct ctx *c)
{
	int st = roster_page(c);
	if (st)
		return st;
	char msg[512] = "";
	int64_t id = str_to_id(page_form(c, "technician"), 12);
	if (id <= 0) {
		page_str(c, "roster_error", "Select the technician to offboard, then Offboard.");
		return roster(c, 422);
	}
	if (strcmp(page_form(c, "confirm"), "yes") != 0) {
		json_t *plan = tech_offboard_plan(c->db, &c->u, id, msg, sizeof(msg));
		if (!plan)
			return page_fail(c, strstr(msg, "No such") ? 404 : strstr(msg, "Only") ? 403 : 500, msg);
		page_set(c, "plan", plan);
		page_set(c, "plan_flags_any", json_boolean(json_array_size(json_object_get(plan, "work_orders")) > 0));
		c->tmpl = "offboard";
		c->title = "Offboard";
		return 200;
	}
	int rc = tech_offboard(c->db, &c->u, id, msg, sizeof(msg));
	if (rc != TECH_OK)
		return page_fail(c, rc == TECH_NOT_FOUND ? 404 : rc == TECH_BAD ? 403 : 500, msg);
	page_str(c, "notice", msg);
	return roster(c, 200);
}
