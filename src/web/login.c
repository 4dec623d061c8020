/* login.c -- the guide's chapter 1: Log in, Forgot password?, Sign Up, the
 * reset link's page, and Log out.  Domain: auth.c. */
#include "handlers.h"
#include "auth.h"
#include "user.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
login_get(struct ctx *c)
{
	if (c->authed)
		return page_redirect(c, "/");
	c->tmpl = "login";
	c->title = "Log in";
	const char *next = http_query(c->r, "next");
	page_str(c, "next", page_safe_next(next) ? next : "");
	const char *reset = http_query(c->r, "reset");
	if (reset && !strcmp(reset, "1"))
		page_str(c, "notice", "Your password has been changed. Log in with your new password.");
	return 200;
}

int
login_post(struct ctx *c)
{
	char email[256];
	page_form_trim(c, "email", email, sizeof(email));
	const char *pw = page_form(c, "password");
	const char *next = page_form(c, "next");
	c->tmpl = "login";
	c->title = "Log in";
	page_str(c, "email", email);
	page_str(c, "next", page_safe_next(next) ? next : "");
	if (!*email || !*pw) {
		page_str(c, "error", "Enter your username and password.");
		return 400;
	}
	char token[AUTH_TOKEN_LEN];
	int retry = 0;
	switch (auth_login(c->db, email, pw, c->r->addr, token, &retry)) {
	case AUTH_OK:
		page_set_cookie(c, AUTH_COOKIE, token, AUTH_SESSION_MAX);
		page_set_cookie(c, AUTH_PRE_COOKIE, "", 0);
		sodium_memzero(token, sizeof(token));
		return page_redirect(c, page_safe_next(next) ? next : "/");
	case AUTH_BAD:
		page_str(c, "error", "Your login attempt has failed. Make sure the username and password are correct.");
		return 401;
	case AUTH_LOCKED: {
		char msg[160], ra[16];
		int mins = (retry + 59) / 60;
		snprintf(msg, sizeof(msg), "Too many failed login attempts. Try again in %d minute%s.", mins, mins == 1 ? "" : "s");
		snprintf(ra, sizeof(ra), "%d", retry > 0 ? retry : 1);
		http_add_header(c->r, "Retry-After", ra);
		page_str(c, "error", msg);
		return 429;
	}
	default:
		return page_fail(c, 503, "The login service is unavailable; try again in a moment.");
	}
}

int
login_logout(struct ctx *c)
{
	auth_logout(c->db, http_cookie(c->r, AUTH_COOKIE));
	page_set_cookie(c, AUTH_COOKIE, "", 0);
	return page_redirect(c, "/login");
}

int
login_forgot(struct ctx *c)
{
	int post = page_is_post(c);
	c->tmpl = "forgot";
	c->title = "Forgot password?";
	if (!post)
		return 200;
	char email[256];
	page_form_trim(c, "email", email, sizeof(email));
	page_str(c, "email", email);
	if (!user_email_ok(email)) {
		page_str(c, "error", "Enter the email address you log in with.");
		return 422;
	}
	if (auth_reset_request(c->db, email) != 0)
		return page_fail(c, 503, "The request could not be saved; try again.");
	page_set(c, "sent", json_true());
	return 200;
}

int
login_signup(struct ctx *c)
{
	int post = page_is_post(c);
	c->tmpl = "signup";
	c->title = "Sign Up";
	if (!post)
		return 200;
	static const char *fields[] = { "name", "email", "company", "phone", "message" };
	char v[5][2048];
	for (int i = 0; i < 5; i++) {
		page_form_trim(c, fields[i], v[i], sizeof(v[i]));
		page_str(c, fields[i], v[i]);
	}
	char err[256];
	if (auth_signup_add(c->db, v[0], v[1], v[2], v[3], v[4], err, sizeof(err)) != 0) {
		char *colon = strchr(err, ':');
		char key[32];
		snprintf(key, sizeof(key), "error_%.*s", colon ? (int)(colon - err) : 0, err);
		page_str(c, "error", colon ? colon + 1 : err);
		if (colon && colon > err)
			page_str(c, key, colon + 1);
		return colon && colon > err ? 422 : 503;
	}
	page_set(c, "sent", json_true());
	return 200;
}

int
login_reset(struct ctx *c)
{
	const char *token = c->seg[0];
	int post = page_is_post(c);
	c->tmpl = "reset";
	c->title = "Set a new password";
	int64_t uid;
	int rc = auth_reset_check(c->db, token, &uid);
	if (rc < 0)
		return page_fail(c, 503, "The database is busy; try again.");
	if (rc == 1)
		return page_fail(c, 404, "This reset link is not valid any more. Ask your administrator for a new one.");
	page_str(c, "token", token);
	if (!post)
		return 200;
	const char *pw = page_form(c, "password"), *pw2 = page_form(c, "confirm");
	if (strcmp(pw, pw2) != 0) {
		page_str(c, "error", "The two passwords do not match.");
		return 422;
	}
	char err[256];
	if (auth_reset_use(c->db, token, pw, err, sizeof(err)) != 0) {
		page_str(c, "error", err);
		return 422;
	}
	return page_redirect(c, "/login?reset=1");
}
