/* integrations.c -- the Settings page's API tokens (make, list, revoke)
 * and, for the API's readers, the OpenAPI description and its page.
 * Domain: token.c. */
#include "handlers.h"
#include "token.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tokens section of Settings: the list, whom one may be made for. */
void
integrations_tokens_view(struct ctx *c)
{
	json_t *list = token_list(c->db, &c->u, c->z);
	page_set(c, "tokens", list ? list : json_array());
	page_set(c, "token_users", token_users(c->db, &c->u));
	page_set(c, "token_for_others", json_boolean(user_is_partner_admin(&c->u) || user_is_operator(&c->u)));
}

/* POST /settings/tokens: a new token, shown once. */
int
integrations_token_new(struct ctx *c)
{
	char msg[256] = "", token[TOKEN_LEN];
	const char *for_user = page_form(c, "user"), *days = page_form(c, "expires_days");
	int64_t uid = *for_user ? str_to_id(for_user, 12) : c->u.id;
	int64_t d = *days ? str_to_id(days, 4) : 0;
	int rc = uid <= 0 || d < 0 ? TOKEN_BAD : token_issue(c->db, &c->u, uid, page_form(c, "name"),
	    !strcmp(page_form(c, "scope"), "write"), (int)d, token, msg, sizeof(msg));
	if (rc != TOKEN_OK) {
		if (rc == TOKEN_ERROR)
			return page_fail(c, 500, msg);
		home_settings_view(c);   /* the form again, what was typed kept */
		page_str(c, "token_error", msg[0] ? msg : "Choose whom the token is for, and its expiry in days (or none).");
		page_set(c, "token_values", page_posted(c));
		return 422;
	}
	c->tmpl = "link_issued";
	c->title = "API token";
	c->created = 1;
	page_set(c, "api_token", json_true());
	page_str(c, "link", token);
	page_str(c, "token", token);
	page_str(c, "name", page_form(c, "name"));
	sodium_memzero(token, sizeof(token));
	return 200;
}

/* POST /settings/tokens/{id}/revoke */
int
integrations_token_revoke(struct ctx *c)
{
	int rc = token_revoke(c->db, &c->u, c->id[0]);
	if (rc == TOKEN_NOT_FOUND)
		return page_fail(c, 404, "No such token, or it was already revoked.");
	if (rc != TOKEN_OK)
		return page_fail(c, 500, "The token could not be revoked.");
	return page_redirect(c, "/settings?done=token-revoked");
}
