/* openapi.h -- the API's OpenAPI 3.1 description, made from the route
 * table (app.c hands it over) and the lifecycle's actions. */
#ifndef FW_OPENAPI_H
#define FW_OPENAPI_H

#include <jansson.h>
#include <stddef.h>

/* A route as the description needs it. */
struct openapi_route {
	const char *method;   /* "GET", "POST" or "*" */
	const char *pattern;  /* "/work-orders/{n}" */
	const char *summary;
	const char *fields;   /* app.c's field spec */
	const char *roles;    /* who may call it, in words */
	int login;
};

/* The OpenAPI 3.1 document of R[0..N); the caller owns it.  This function
 * can't fail but for memory. */
json_t *openapi_doc(const struct openapi_route *r, size_t n);

/* The document as the /api/docs page lists it: [{method, path, summary,
 * description, params: [{name, in, required, type}], fields: [{name,
 * required, type}]}].  The caller owns it. */
json_t *openapi_page(json_t *doc);

#endif
