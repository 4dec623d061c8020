/* api.h -- what the JSON API adds to the pages' handlers: bearer tokens
 * (with their read/write scope and a rate limit per token), JSON bodies,
 * Idempotency-Key, writes answered with the resource instead of a
 * redirect, and the OpenAPI description generated from the route table. */
#ifndef FW_API_H
#define FW_API_H

#include "page.h"

/* Authenticates C by "Authorization: Bearer TOKEN" (AUTHZ): 0 with C's
 * user, or the status of the refusal (401 unknown token, 403 a read-only
 * token writing, 429 over the rate with Retry-After).  Cookies are not
 * read for such a request. */
int api_bearer(struct ctx *c, const char *authz);
/* Requests per token per minute (FIELDWORK_API_RATE); set at start. */
void api_set_rate(int per_minute);

/* The handler a followed redirect runs: app.c's router. */
typedef int (*api_router)(struct ctx *c);

/* Runs ROUTER for a POST under its Idempotency-Key when one is given, and
 * answers a successful API write with the resource its redirect names
 * (200, or 201 with Location when it made one).  Returns the status. */
int api_post(struct ctx *c, api_router router);

/* Claims the Idempotency-Key KEY of C's POST: 0 to go on (store the
 * answer with api_idem_store), else the status to answer with: the first
 * answer replayed (with Idempotent-Replayed), 409 when the key is in use
 * for another request or still running, 400 for a malformed key. */
int api_idem_claim(struct ctx *c, const char *key);
/* Keeps the answer C's request got (a server error frees the key for a
 * retry instead).  This function can't fail. */
void api_idem_store(struct ctx *c, const char *key, int status);

#endif
