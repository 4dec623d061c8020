/* users.c -- Users: the accounts an operator or a partner admin manages,
 * sign-up requests to approve or reject, reset links to hand out, and
 * disabling.  The route table lets only those two roles in.  Domain:
 * user.c, auth.c. */
#include "handlers.h"
#include "auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t
manage_scope(struct ctx *c)
{
	return user_is_operator(&c->u) ? 0 : c->u.org_id;
}

int
users_get(struct ctx *c)
{
	c->tmpl = "users";
	c->title = "Users";
	json_t *users = user_list(c->db, manage_scope(c));
	json_t *signups = auth_signup_pending(c->db, manage_scope(c), c->z);
	json_t *resets = auth_reset_pending(c->db, manage_scope(c), c->z);
	if (!users || !signups || !resets) {
		json_decref(users);
		json_decref(signups);
		json_decref(resets);
		return page_fail(c, 500, "The users could not be read.");
	}
	page_set(c, "users", users);
	page_set(c, "signups", signups);
	page_set(c, "resets", resets);
	page_set(c, "is_operator", json_boolean(user_is_operator(&c->u)));
	if (user_is_operator(&c->u))
		page_set(c, "companies", org_list_partners(c->db));
	return 200;
}

/* Users of the caller's scope only: others answer 404. */
static int
load_managed_user(struct ctx *c, int64_t uid, struct user *u)
{
	if (uid <= 0 || user_load(c->db, uid, u) != 0)
		return -1;
	if (!user_is_operator(&c->u) && u->org_id != c->u.org_id)
		return -1;
	return 0;
}

/* Shows LINK_PATH (a token's page) as the link to hand to user U. */
static int
link_issued(struct ctx *c, const char *title, const char *name, const char *email, const char *path,
    const char *what)
{
	char link[768];
	page_link(c, path, link, sizeof(link));
	c->tmpl = "link_issued";
	c->title = title;
	page_str(c, "name", name);
	page_str(c, "email", email);
	page_str(c, "link", link);
	page_str(c, "what", what);
	sodium_memzero(link, sizeof(link));
	return 200;
}

int
users_reset_link(struct ctx *c)
{
	struct user u;
	if (load_managed_user(c, c->id[0], &u) != 0)
		return page_fail(c, 404, "No such user.");
	char token[AUTH_TOKEN_LEN], path[AUTH_TOKEN_LEN + 16];
	if (auth_reset_issue(c->db, u.id, c->u.id, token) != 0)
		return page_fail(c, 500, "The reset link could not be issued.");
	snprintf(path, sizeof(path), "/reset/%s", token);
	sodium_memzero(token, sizeof(token));
	int st = link_issued(c, "Reset link", u.name, u.email, path, "password reset link");
	sodium_memzero(path, sizeof(path));
	return st;
}

/* POST /users/{id}/disable and /enable (the route's argument says which). */
int
users_set_disabled(struct ctx *c)
{
	struct user u;
	if (load_managed_user(c, c->id[0], &u) != 0)
		return page_fail(c, 404, "No such user.");
	if (u.id == c->u.id)
		return page_fail(c, 400, "You cannot disable your own account.");
	if (auth_set_disabled(c->db, u.id, !strcmp(c->arg, "disable")) != 0)
		return page_fail(c, 500, "The account could not be changed.");
	return page_redirect(c, "/users");
}

int
users_signup_reject(struct ctx *c)
{
	int rc = auth_signup_reject(c->db, &c->u, c->id[0]);
	if (rc == 1)
		return page_fail(c, 404, "No such sign-up request, or it was already decided.");
	if (rc)
		return page_fail(c, 500, "The request could not be updated.");
	return page_redirect(c, "/users");
}

/* The Users page again with ERR beside sign-up request RID's form and
 * what was chosen in it; 422. */
static int
signup_refused(struct ctx *c, int64_t rid, const char *err)
{
	int st = users_get(c);
	if (st != 200)
		return st;
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(c->vm, "signups"), i, r) {
		if (json_integer_value(json_object_get(r, "id")) != rid)
			continue;
		json_object_set_new(r, "error", json_string(err));
		json_object_set_new(r, "chose_admin", json_boolean(!strcmp(page_form(c, "role"), "admin")));
		json_object_set_new(r, "chose_technician", json_boolean(!strcmp(page_form(c, "role"), "technician")));
	}
	return 422;
}

int
users_signup_approve(struct ctx *c)
{
	int64_t rid = c->id[0];
	const char *org = page_form(c, "company_id");
	int64_t org_id = *org ? str_to_id(org, 12) : 0;
	char token[AUTH_TOKEN_LEN], email[256], err[256] = "Choose the company this person belongs to.";
	char path[AUTH_TOKEN_LEN + 16];
	int rc = org_id < 0 ? 2 : auth_signup_approve(c->db, &c->u, rid, org_id, page_form(c, "role"), token, email,
	    sizeof(email), err, sizeof(err));
	if (rc == 1)
		return page_fail(c, 404, "No such sign-up request, or it was already decided.");
	if (rc)
		return signup_refused(c, rid, err);
	snprintf(path, sizeof(path), "/reset/%s", token);
	sodium_memzero(token, sizeof(token));
	int st = link_issued(c, "Account created", email, email, path, "link to set a password");
	sodium_memzero(path, sizeof(path));
	return st;
}
