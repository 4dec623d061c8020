/* dashboard.c -- the Dashboard tab (numbers for a partner, every partner side by
 * side for the operator) and Chargepoint University.  Domain: dash.c,
 * tech.c (the certification catalog). */
#include "handlers.h"
#include "dash.h"
#include "tech.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
dashboard_get(struct ctx *c)
{
	if (!user_is_partner(&c->u) && !user_is_operator(&c->u))
		return page_fail(c, 403, "The Dashboard is for partner dispatchers and admins, and the operator.");
	c->tmpl = "dashboard";
	c->title = "Dashboard";
	c->tab = "dashboard";
	int64_t now = now_utc();
	json_t *d = dash_numbers(c->db, user_is_operator(&c->u) ? 0 : c->u.org_id, now, c->z);
	if (!d)
		return page_fail(c, 500, "The dashboard could not be read.");
	page_set(c, "dash", d);
	if (user_is_operator(&c->u)) {
		json_t *p = dash_by_partner(c->db, now, c->z);
		if (!p)
			return page_fail(c, 500, "The dashboard could not be read.");
		page_set(c, "partners", p);
	}
	return 200;
}

int
dashboard_university(struct ctx *c)
{
	c->tmpl = "university";
	c->title = "Chargepoint University";
	c->tab = "university";
	json_t *u = tech_university(c->db, &c->u, now_utc());
	if (!u)
		return page_fail(c, 500, "The certification catalog could not be read.");
	page_set(c, "university", u);
	page_set(c, "show_held", json_boolean(!strcmp(c->u.role, "technician") ? 0 : 1));
	return 200;
}
