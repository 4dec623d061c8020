/* openapi.c -- the API's OpenAPI 3.1 description, made from the route
 * table the server dispatches with (and the lifecycle's action table for
 * /work-orders/{n}/{action}), so that the two cannot drift; and its page,
 * /api/docs.  Domain: lifecycle.c (the actions and their fields). */
#include "openapi.h"
#include "hook.h"
#include "library.h"
#include "lifecycle.h"
#include "tech.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD_MAX 64

/* The fields that take one of a fixed list, by the path they are sent to
 * (NULL: any path): the description says which values. */
static const struct { const char *path, *field; const char *const *list; size_t n; } choices[] = {
	{ "/work-orders/{n}/could-not-complete", "reason", lc_could_not_reasons, FW_ARRAY_LEN(lc_could_not_reasons) },
	{ "/work-orders/{n}/cancel", "reason", lc_cancel_reasons, FW_ARRAY_LEN(lc_cancel_reasons) },
	{ NULL, "delay_reason", lc_delay_reasons, FW_ARRAY_LEN(lc_delay_reasons) },
	{ NULL, "override_reason", tech_override_reasons, FW_ARRAY_LEN(tech_override_reasons) },
	{ "/library", "category", lib_categories, FW_ARRAY_LEN(lib_categories) },
	{ NULL, "events", hook_events, FW_ARRAY_LEN(hook_events) },
};
static const char *const scopes[] = { "read", "write" };
static const char *const dirs[] = { "asc", "desc" };

/* Adds the enum of PATH's FIELD to SCHEMA when it has one. */
static void
add_enum(const char *path, const char *field, json_t *schema)
{
	const char *const *list = NULL;
	size_t n = 0;
	for (size_t i = 0; i < FW_ARRAY_LEN(choices) && !list; i++)
		if (!strcmp(choices[i].field, field) && (!choices[i].path || !strcmp(choices[i].path, path)))
			list = choices[i].list, n = choices[i].n;
	if (!list && !strcmp(field, "scope"))
		list = scopes, n = 2;
	if (!list && !strcmp(field, "dir"))
		list = dirs, n = 2;
	if (!list)
		return;
	json_t *e = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(e, json_string(list[i]));
	json_object_del(schema, "maxLength");
	if (!strcmp(field, "events")) {   /* several: an array of them */
		json_t *items = json_object();
		json_object_set_new(items, "type", json_string("string"));
		json_object_set_new(items, "enum", e);
		json_object_set_new(schema, "type", json_string("array"));
		json_object_set_new(schema, "items", items);
	} else {
		json_object_set_new(schema, "enum", e);
	}
}

/* The schema of one field of a spec ("name*:d"): into NAME and *REQUIRED. */
static json_t *
field_schema(const char *spec, size_t n, char name[FIELD_MAX], int *required)
{
	const char *colon = memchr(spec, ':', n);
	size_t nl = colon ? (size_t)(colon - spec) : n;
	*required = nl && spec[nl - 1] == '*';
	if (*required)
		nl--;
	if (nl >= FIELD_MAX)
		nl = FIELD_MAX - 1;
	memcpy(name, spec, nl);
	name[nl] = '\0';
	char type = colon && colon + 1 < spec + n ? colon[1] : 's';
	json_t *o = json_object();
	switch (type) {
	case 'b':
		json_object_set_new(o, "type", json_string("boolean"));
		json_object_set_new(o, "description", json_string("A checkbox: true when ticked (a form sends \"on\")."));
		break;
	case 'd':
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "format", json_string("date"));
		break;
	case 't':
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "pattern", json_string("^[0-2][0-9]:[0-5][0-9]$"));
		json_object_set_new(o, "description", json_string("A time of day, HH:MM, in the user's time zone."));
		break;
	case 'n':
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "pattern", json_string("^[0-9]+(\\.[0-9]{1,2})?$"));
		break;
	default:
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "maxLength", json_integer(lc_field_max(name)));
	}
	return o;
}

/* Calls FN for each field of SPEC ("a*,b:d,..."). */
static void
each_field(const char *spec, void (*fn)(void *, const char *, json_t *, int), void *arg)
{
	while (spec && *spec) {
		size_t n = strcspn(spec, ",");
		if (n) {
			char name[FIELD_MAX];
			int req;
			json_t *sc = field_schema(spec, n, name, &req);
			fn(arg, name, sc, req);
		}
		spec += n + (spec[n] == ',');
	}
}

struct body { json_t *props, *required; const char *path; };

static void
add_prop(void *arg, const char *name, json_t *schema, int req)
{
	struct body *b = arg;
	add_enum(b->path, name, schema);
	json_object_set_new(b->props, name, schema);
	if (req)
		json_array_append_new(b->required, json_string(name));
}

struct query { json_t *params; const char *path; };

static void
add_query(void *arg, const char *name, json_t *schema, int req)
{
	struct query *q = arg;
	add_enum(q->path, name, schema);
	json_t *p = json_object();
	json_object_set_new(p, "name", json_string(name));
	json_object_set_new(p, "in", json_string("query"));
	json_object_set_new(p, "required", json_boolean(req));
	json_object_set_new(p, "schema", schema);
	json_array_append_new(q->params, p);
}

static json_t *
ref(const char *where)
{
	json_t *o = json_object();
	json_object_set_new(o, "$ref", json_string(where));
	return o;
}

static json_t *
answer(const char *desc, const char *schema, const char *ctype)
{
	json_t *r = json_object(), *content = json_object(), *media = json_object();
	json_object_set_new(r, "description", json_string(desc));
	if (schema) {
		json_object_set_new(media, "schema", ref(schema));
		json_object_set_new(content, ctype ? ctype : "application/json", media);
		json_object_set_new(r, "content", content);
	} else {
		json_decref(media);
		json_decref(content);
	}
	return r;
}

/* The answers every operation may give, and those of POST. */
static json_t *
answers(int post, int creates, const char *ctype)
{
	json_t *r = json_object();
	if (post) {
		json_object_set_new(r, creates ? "201" : "200", answer(creates ? "Made: the new resource (its address in"
		    " Location)" : "Done: the resource after the change", "#/components/schemas/ViewModel", NULL));
		json_object_set_new(r, "422", answer("Bad fields: errors per field, and what was sent",
		    "#/components/schemas/Invalid", NULL));
		json_object_set_new(r, "409", answer("Refused: the status does not allow it, the work order changed since"
		    " (version), or the Idempotency-Key is in use", "#/components/schemas/Error", NULL));
	} else {
		json_object_set_new(r, "200", answer("The page's view-model", ctype ? NULL : "#/components/schemas/ViewModel",
		    NULL));
		if (ctype) {
			json_t *a = json_object_get(r, "200"), *c = json_object(), *m = json_object(), *sc = json_object();
			json_object_set_new(sc, "type", json_string("string"));
			json_object_set_new(m, "schema", sc);
			json_object_set_new(c, ctype, m);
			json_object_set_new(a, "content", c);
		}
	}
	json_object_set_new(r, "400", answer("A malformed request", "#/components/schemas/Error", NULL));
	json_object_set_new(r, "401", answer("Not logged in, or the token is not valid", "#/components/schemas/Error", NULL));
	json_object_set_new(r, "403", answer("The role or the token's scope does not allow it", "#/components/schemas/Error",
	    NULL));
	json_object_set_new(r, "404", answer("Not found, or not this user's to see", "#/components/schemas/Error", NULL));
	json_object_set_new(r, "429", answer("Too many requests with this token (Retry-After)", "#/components/schemas/Error",
	    NULL));
	return r;
}

/* "/work-orders/{n}/collaborate/{id}" and its path parameters. */
static json_t *
path_params(const char *pattern)
{
	json_t *a = json_array();
	for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = strchr(p, '}');
		if (!e)
			break;
		char name[FIELD_MAX];
		snprintf(name, sizeof(name), "%.*s", (int)(e - p - 1), p + 1);
		json_t *o = json_object(), *sc = json_object();
		int num = !strcmp(name, "n") || !strcmp(name, "id");
		json_object_set_new(sc, "type", json_string(num ? "integer" : "string"));
		json_object_set_new(o, "name", json_string(name));
		json_object_set_new(o, "in", json_string("path"));
		json_object_set_new(o, "required", json_true());
		json_object_set_new(o, "schema", sc);
		if (!strcmp(name, "n"))
			json_object_set_new(o, "description", json_string("The Work Order Number"));
		json_array_append_new(a, o);
	}
	return a;
}

/* One operation: METHOD ("get", "post") of ROUTE at PATH with FIELDS. */
static void
operation(json_t *paths, const char *path, const char *method, const char *summary, const char *fields,
    const char *roles, int login)
{
	json_t *item = json_object_get(paths, path);
	if (!item) {
		item = json_object();
		json_object_set_new(paths, path, item);
	}
	int post = !strcmp(method, "post"), creates = fields && fields[0] == '+';
	if (creates)
		fields++;
	json_t *op = json_object(), *params = path_params(path);
	char id[300], *o = id;
	o += snprintf(id, sizeof(id), "%s", method);
	for (const char *p = path; *p && o < id + sizeof(id) - 2; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			*o++ = *p;
		else if (o[-1] != '_')
			*o++ = '_';
	*o = '\0';
	json_object_set_new(op, "operationId", json_string(id));
	json_object_set_new(op, "summary", json_string(summary));
	char desc[400];
	snprintf(desc, sizeof(desc), "%s%s", roles, login ? "" : " No login needed.");
	json_object_set_new(op, "description", json_string(desc));
	if (post) {
		json_t *h = json_object(), *sc = json_object();
		json_object_set_new(h, "$ref", json_string("#/components/parameters/IdempotencyKey"));
		json_array_append_new(params, h);
		json_decref(sc);
		struct body b = { json_object(), json_array(), path };
		each_field(fields, add_prop, &b);
		json_t *vs = json_object();
		json_object_set_new(vs, "type", json_string("string"));
		json_object_set_new(vs, "description", json_string("The work order's version the change was made from"
		    " (an action needs it)."));
		if (!json_object_get(b.props, "version") && strstr(path, "/work-orders/{n}/"))
			json_object_set_new(b.props, "version", vs);
		else
			json_decref(vs);
		json_t *schema = json_object(), *content = json_object(), *rb = json_object();
		json_object_set_new(schema, "type", json_string("object"));
		json_object_set_new(schema, "properties", b.props);
		if (json_array_size(b.required))
			json_object_set_new(schema, "required", b.required);
		else
			json_decref(b.required);
		static const char *const types[] = { "application/json", "application/x-www-form-urlencoded",
			"multipart/form-data" };
		for (int i = 0; i < 3; i++) {
			json_t *m = json_object();
			json_object_set(m, "schema", schema);
			json_object_set_new(content, types[i], m);
		}
		json_decref(schema);
		json_object_set_new(rb, "content", content);
		json_object_set_new(op, "requestBody", rb);
	} else {
		struct query q = { params, path };
		each_field(fields, add_query, &q);
	}
	if (json_array_size(params))
		json_object_set_new(op, "parameters", params);
	else
		json_decref(params);
	const char *ctype = strstr(path, ".csv") ? "text/csv" : strstr(path, ".ics") ? "text/calendar" : NULL;
	json_object_set_new(op, "responses", answers(post, creates, ctype));
	if (!login)
		json_object_set_new(op, "security", json_array());
	json_object_set_new(item, method, op);
}

/* Both halves of "QUERY|BODY", or FIELDS for the one method. */
static void
split_fields(const char *fields, const char *method, char *out, size_t n)
{
	const char *bar = strchr(fields, '|');
	if (!bar)
		snprintf(out, n, "%s", fields);
	else if (!strcmp(method, "get"))
		snprintf(out, n, "%.*s", (int)(bar - fields), fields);
	else
		snprintf(out, n, "%s", bar + 1);
}

static json_t *
components(void)
{
	const char *doc = "{"
	    "\"securitySchemes\": {"
	    "  \"bearer\": {\"type\": \"http\", \"scheme\": \"bearer\", \"description\": \"A personal access token from"
	    " Settings → API tokens, or fieldwork token: it acts as its user.\"},"
	    "  \"session\": {\"type\": \"apiKey\", \"in\": \"cookie\", \"name\": \"fw_session\", \"description\": \"The"
	    " pages' session; a POST then needs the X-CSRF-Token header (the csrf of any view-model).\"}},"
	    "\"parameters\": {\"IdempotencyKey\": {\"name\": \"Idempotency-Key\", \"in\": \"header\", \"required\": false,"
	    "  \"description\": \"A retried POST with the same key answers with the first answer (status, body and Location;"
	    " Idempotent-Replayed: true) instead of acting again (kept a day).\", \"schema\": {\"type\": \"string\", \"maxLength\": 200, \"pattern\": \"^[A-Za-z0-9._:-]+$\"}}},"
	    "\"schemas\": {"
	    "  \"ViewModel\": {\"type\": \"object\", \"description\": \"The page's view-model: the same data the page"
	    " shows, as JSON (lists carry rows and the next_href / prev_href cursors).\", \"additionalProperties\": true},"
	    "  \"Error\": {\"type\": \"object\", \"properties\": {\"error\": {\"type\": \"string\"}, \"status\":"
	    " {\"type\": \"integer\"}, \"reason\": {\"type\": \"string\"}}, \"required\": [\"error\"]},"
	    "  \"Invalid\": {\"type\": \"object\", \"properties\": {\"error\": {\"type\": \"string\"}, \"errors\":"
	    " {\"type\": \"object\", \"additionalProperties\": {\"type\": \"string\"}}, \"values\": {\"type\": \"object\"}},"
	    " \"additionalProperties\": true}}}";
	json_error_t e;
	return json_loads(doc, 0, &e);
}

json_t *
openapi_doc(const struct openapi_route *r, size_t n)
{
	json_t *doc = json_object(), *info = json_object(), *paths = json_object(), *servers = json_array();
	json_t *srv = json_object(), *sec = json_array(), *b = json_object(), *s = json_object();
	json_object_set_new(doc, "openapi", json_string("3.1.0"));
	json_object_set_new(info, "title", json_string("Fieldwork Partner Connect API"));
	json_object_set_new(info, "version", json_string("1"));
	json_object_set_new(info, "description", json_string("Every page of the portal has a JSON twin under /api, and"
	    " every form a POST that takes JSON, a form or multipart/form-data. Lists page with cursors (next_href,"
	    " prev_href). A write answers with the resource after it (201 when it made one), 422 with errors per"
	    " field, 409 with why."));
	json_object_set_new(doc, "info", info);
	json_object_set_new(srv, "url", json_string("/api"));
	json_array_append_new(servers, srv);
	json_object_set_new(doc, "servers", servers);
	json_object_set_new(b, "bearer", json_array());
	json_object_set_new(s, "session", json_array());
	json_array_append_new(sec, b);
	json_array_append_new(sec, s);
	json_object_set_new(doc, "security", sec);
	for (size_t i = 0; i < n; i++) {
		static const char *const methods[] = { "get", "post" };
		for (int m = 0; m < 2; m++) {
			if (strcmp(r[i].method, "*") && strcasecmp(r[i].method, methods[m]))
				continue;
			char fields[1024];
			split_fields(r[i].fields, methods[m], fields, sizeof(fields));
			if (!strstr(r[i].pattern, "{action}")) {
				operation(paths, r[i].pattern, methods[m], r[i].summary, fields, r[i].roles, r[i].login);
				continue;
			}
			/* the lifecycle's actions, each at its own address */
			for (int a = 0; a < LA__COUNT; a++) {
				const struct lc_action *la = &lc_actions[a];
				if (m == 0 && !la->title)
					continue;   /* a button: no form to GET */
				char path[128], summary[160];
				snprintf(path, sizeof(path), "/work-orders/{n}/%s", la->key);
				snprintf(summary, sizeof(summary), "%s: %s", m ? "Action" : "The form of", la->title ? la->title :
				    la->key);
				operation(paths, path, methods[m], summary, m ? la->fields : "", r[i].roles, r[i].login);
			}
		}
	}
	json_object_set_new(doc, "paths", paths);
	json_object_set_new(doc, "components", components());
	return doc;
}

/* The type of a schema for people: "string (date)", "integer" ... */
static void
type_of(json_t *sc, char *out, size_t n)
{
	const char *t = json_string_value(json_object_get(sc, "type"));
	const char *f = json_string_value(json_object_get(sc, "format"));
	const char *p = json_string_value(json_object_get(sc, "pattern"));
	json_t *e = json_object_get(sc, "enum") ? json_object_get(sc, "enum") : json_object_get(json_object_get(sc, "items"),
	    "enum");
	size_t o = (size_t)snprintf(out, n, "%s%s%s%s", t ? t : "object", f ? " (" : p ? " (" : "", f ? f : p ? p : "",
	    f || p ? ")" : "");
	size_t i;
	json_t *v;
	json_array_foreach(e, i, v)
		if (o < n)
			o += (size_t)snprintf(out + o, n - o, "%s%s", i ? ", " : ": one of ", json_string_value(v));
}

json_t *
openapi_page(json_t *doc)
{
	json_t *list = json_array();
	const char *path;
	json_t *item;
	json_object_foreach(json_object_get(doc, "paths"), path, item) {
		const char *method;
		json_t *op;
		json_object_foreach(item, method, op) {
			json_t *o = json_object(), *params = json_array(), *fields = json_array();
			char up[8], ty[600];
			snprintf(up, sizeof(up), "%s", method);
			for (char *c = up; *c; c++)
				*c = (char)(*c - 32 * (*c >= 'a' && *c <= 'z'));
			json_object_set_new(o, "method", json_string(up));
			json_object_set_new(o, "path", json_string(path));
			json_object_set_new(o, "anchor", json_object_get(op, "operationId") ? json_incref(json_object_get(op,
			    "operationId")) : json_string(""));
			json_object_set(o, "summary", json_object_get(op, "summary"));
			json_object_set(o, "description", json_object_get(op, "description"));
			size_t i;
			json_t *p;
			json_array_foreach(json_object_get(op, "parameters"), i, p) {
				if (!json_object_get(p, "name"))
					continue;   /* the Idempotency-Key reference */
				json_t *q = json_object();
				type_of(json_object_get(p, "schema"), ty, sizeof(ty));
				json_object_set(q, "name", json_object_get(p, "name"));
				json_object_set(q, "in", json_object_get(p, "in"));
				json_object_set(q, "required", json_object_get(p, "required"));
				json_object_set_new(q, "type", json_string(ty));
				json_array_append_new(params, q);
			}
			json_t *sc = json_object_get(json_object_get(json_object_get(json_object_get(op, "requestBody"), "content"),
			    "application/json"), "schema");
			const char *name;
			json_t *prop;
			json_object_foreach(json_object_get(sc, "properties"), name, prop) {
				json_t *f = json_object(), *req = json_object_get(sc, "required");
				int r = 0;
				json_array_foreach(req, i, p)
					r |= !strcmp(json_string_value(p), name);
				type_of(prop, ty, sizeof(ty));
				json_object_set_new(f, "name", json_string(name));
				json_object_set_new(f, "required", json_boolean(r));
				json_object_set_new(f, "type", json_string(ty));
				json_array_append_new(fields, f);
			}
			json_object_set_new(o, "params", params);
			json_object_set_new(o, "fields", fields);
			json_object_set_new(o, "has_params", json_boolean(json_array_size(params) > 0));
			json_object_set_new(o, "has_fields", json_boolean(json_array_size(fields) > 0));
			json_array_append_new(list, o);
		}
	}
	return list;
}
