/* integrations.c -- the Settings page's API tokens (make, list, revoke)
 * and, for the API's readers, the OpenAPI description and its page.
 * Domain: token.c. */
#include "handlers.h"
#include "hook.h"
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
	if (!hook_may_manage(&c->u))
		return;
	json_t *h = hook_list(c->db, &c->u, c->z);
	page_set(c, "webhooks", h ? h : json_object());
	json_t *ev = json_array();
	for (size_t i = 0; i < FW_ARRAY_LEN(hook_events); i++) {
		char id[64];
		str_copy(id, hook_events[i], sizeof(id));
		for (char *p = id; *p; p++)
			if (*p == '.')
				*p = '-';   /* an id has no dots */
		json_array_append_new(ev, json_pack("{s:s, s:s}", "value", hook_events[i], "id", id));
	}
	page_set(c, "hook_events", ev);
	page_set(c, "hook_scope", json_string(user_is_operator(&c->u) ? "every work order of the network"
	    : "your company's work orders"));
}

/* POST /settings/webhooks: a new endpoint; its signing secret shown once. */
int
integrations_webhook_new(struct ctx *c)
{
	const char *ev[FW_ARRAY_LEN(hook_events)];
	size_t n = http_form_all(c->r, "events", ev, FW_ARRAY_LEN(ev));
	char secret[HOOK_SECRET_LEN], msg[256] = "";
	int rc = hook_add(c->db, &c->u, page_form(c, "url"), ev, n, secret, msg, sizeof(msg));
	if (rc == HOOK_ERROR)
		return page_fail(c, 500, "The endpoint could not be saved.");
	if (rc != HOOK_OK) {
		if (!hook_may_manage(&c->u))
			return page_fail(c, 403, msg);
		home_settings_view(c);
		page_str(c, "hook_error", msg);
		page_str(c, "hook_url", page_form(c, "url"));
		return 422;
	}
	c->tmpl = "link_issued";
	c->title = "Webhook";
	c->created = 1;
	page_set(c, "webhook", json_true());
	page_str(c, "link", secret);
	page_str(c, "secret", secret);
	page_str(c, "name", page_form(c, "url"));
	sodium_memzero(secret, sizeof(secret));
	return 200;
}

/* POST /settings/webhooks/{id}/delete */
int
integrations_webhook_delete(struct ctx *c)
{
	int rc = hook_remove(c->db, &c->u, c->id[0]);
	if (rc == HOOK_NOT_FOUND)
		return page_fail(c, 404, "No such endpoint.");
	if (rc != HOOK_OK)
		return page_fail(c, 500, "The endpoint could not be removed.");
	return page_redirect(c, "/settings?done=webhook-removed");
}

/* POST /settings/webhook-deliveries/{id}/resend */
int
integrations_webhook_resend(struct ctx *c)
{
	int rc = hook_resend(c->db, &c->u, c->id[0]);
	if (rc == HOOK_NOT_FOUND)
		return page_fail(c, 404, "No such delivery.");
	if (rc != HOOK_OK)
		return page_fail(c, 500, "The delivery could not be queued again.");
	return page_redirect(c, "/settings?done=webhook-resent");
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
