/* http.c -- see http.h.
 *
 * libmicrohttpd calls the access handler several times per request.  The
 * first call only creates the request context: a response queued there
 * makes the library close the connection after it, which would defeat
 * keep-alive.  The body arrives in the middle calls; the answer is queued
 * on the last one. */
#include "http.h"
#include <jansson.h>
#include "guard.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define REQ_POOL_CAP (4u << 20)

static http_handler app_handler;
static http_admit app_admit;
static const struct http_config *config;

/* The pages' policy; img-src gains the map tiles' origin when configured
 * (filled once by http_start). */
static char csp[512] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

static const char *security_headers[][2] = {
	{ "Content-Security-Policy", csp },
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "Referrer-Policy", "same-origin" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
};

const char *
http_reason(int s)
{
	switch (s) {
	case 200: return "OK";
	case 201: return "Created";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	default: return s >= 500 ? "Internal Server Error" : "Error";
	}
}

const char *
http_query(struct req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

struct all_ctx {
	const char *key;
	const char **out;
	size_t n, max;
};

static enum MHD_Result
collect(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct all_ctx *a = cls;
	if (value && !strcmp(key, a->key) && a->n < a->max)
		a->out[a->n++] = value;
	return MHD_YES;
}

size_t
http_query_all(struct req *r, const char *key, const char **out, size_t max)
{
	struct all_ctx a = { key, out, 0, max };
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect, &a);
	return a.n;
}

const char *
http_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *
http_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

struct uri_ctx {
	buf_t *b;
	int n;
};

static enum MHD_Result
add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct uri_ctx *u = cls;
	buf_putc(u->b, u->n++ ? '&' : '?');
	buf_urlenc(u->b, key);
	if (value) {
		buf_putc(u->b, '=');
		buf_urlenc(u->b, value);
	}
	return MHD_YES;
}

void
http_request_uri(struct req *r, buf_t *b)
{
	struct uri_ctx u = { b, 0 };
	buf_puts(b, r->url);
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, &u);
}

/* Adds a form field (copied into the pool); a non-UTF-8 one marks the
 * request bad. */
static void
form_add(struct req *r, const char *k, const char *v, size_t vn)
{
	if (!utf8_valid(k, strlen(k)) || !utf8_valid(v, vn)) {
		r->bad_input = 1;
		return;
	}
	if (r->nform == r->form_cap) {
		size_t cap = r->form_cap ? r->form_cap * 2 : 16;
		struct http_kv *f = pool_alloc(&r->pool, cap * sizeof(*f));
		if (!f)
			return;
		if (r->nform)
			memcpy(f, r->form, r->nform * sizeof(*f));
		r->form = f;
		r->form_cap = cap;
	}
	char *kk = pool_strdup(&r->pool, k), *vv = pool_strndup(&r->pool, v, vn);
	if (kk && vv)
		r->form[r->nform++] = (struct http_kv){ kk, vv };
}

/* Upload bytes in flight per user: one user's parallel uploads together
 * may hold at most twice one request's limit on disk. */
#define FLIGHT_SLOTS 256
static pthread_mutex_t flight_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { int64_t uid; size_t bytes; } flight[FLIGHT_SLOTS];

/* Reserves N more bytes for UID: 0, or -1 when over the cap (or no room
 * in the table, which then refuses rather than forgets). */
static int
flight_add(int64_t uid, size_t n)
{
	int rc = -1;
	pthread_mutex_lock(&flight_lock);
	size_t free_slot = FLIGHT_SLOTS;
	for (size_t i = 0; i < FLIGHT_SLOTS; i++) {
		if (flight[i].uid == uid) {
			if (flight[i].bytes + n <= config->max_upload * 2) {
				flight[i].bytes += n;
				rc = 0;
			}
			goto out;
		}
		if (!flight[i].uid && free_slot == FLIGHT_SLOTS)
			free_slot = i;
	}
	if (free_slot < FLIGHT_SLOTS && n <= config->max_upload * 2) {
		flight[free_slot].uid = uid;
		flight[free_slot].bytes = n;
		rc = 0;
	}
out:
	pthread_mutex_unlock(&flight_lock);
	return rc;
}

static void
flight_sub(int64_t uid, size_t n)
{
	pthread_mutex_lock(&flight_lock);
	for (size_t i = 0; i < FLIGHT_SLOTS; i++) {
		if (flight[i].uid == uid) {
			flight[i].bytes = flight[i].bytes > n ? flight[i].bytes - n : 0;
			if (!flight[i].bytes)
				flight[i].uid = 0;
			break;
		}
	}
	pthread_mutex_unlock(&flight_lock);
}

/* An unnamed temporary file for an upload, or -1. */
static int
temp_file(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/var/tmp";
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	char path[256];
	snprintf(path, sizeof(path), "%s/fieldwork-upload-XXXXXX", dir);
	fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	return fd;
}

/* Maps each finished upload's file for the handler to read.  0 or -1. */
static int
map_uploads(struct req *r)
{
	for (size_t i = 0; i < r->nuploads; i++) {
		struct http_upload *u = &r->uploads[i];
		if (!u->len || u->data)
			continue;
		void *m = mmap(NULL, u->len, PROT_READ, MAP_PRIVATE, u->fd, 0);
		if (m == MAP_FAILED)
			return -1;
		u->data = m;
	}
	return 0;
}

/* Multipart parts arrive in pieces: fields are short and collected into
 * the form, files grow a buffer of their own up to the per-file limit. */
static enum MHD_Result
on_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename, const char *ctype,
    const char *enc, const char *data, uint64_t off, size_t size)
{
	struct req *r = cls;
	if (!filename) {
		/* a field may come in several calls (the first can be empty):
		 * consecutive pieces of the same name are one value */
		if (!r->nform || strcmp(r->form[r->nform - 1].key, key) || (off == 0 && r->form[r->nform - 1].val[0])) {
			form_add(r, key, data, size);
		} else if (size) {
			struct http_kv *last = &r->form[r->nform - 1];
			size_t old = strlen(last->val);
			if (old + size > 64 * 1024) {
				r->upload_error = 413;
				return MHD_NO;
			}
			char *v = pool_alloc(&r->pool, old + size + 1);
			if (!v)
				return MHD_NO;
			memcpy(v, last->val, old);
			memcpy(v + old, data, size);
			v[old + size] = '\0';
			if (!utf8_valid(v, old + size))
				r->bad_input = 1;
			last->val = v;
		}
		return MHD_YES;
	}
	struct http_upload *u = r->nuploads ? &r->uploads[r->nuploads - 1] : NULL;
	if (off == 0 || !u || strcmp(u->field, key) || strcmp(u->filename, filename)) {
		if (!*filename && size == 0)
			return MHD_YES;   /* an empty file input */
		if (r->nuploads == HTTP_MAX_UPLOADS) {
			r->upload_error = 413;
			return MHD_NO;
		}
		u = &r->uploads[r->nuploads++];
		u->field = pool_strdup(&r->pool, key);
		u->filename = pool_strdup(&r->pool, filename);
		u->data = NULL;
		u->len = 0;
		u->fd = temp_file();
		if (!u->field || !u->filename || u->fd < 0)
			return MHD_NO;
	}
	if (u->len + size > config->max_file || r->upload_total + size > config->max_upload) {
		r->upload_error = 413;
		return MHD_NO;
	}
	if (size && r->uid && flight_add(r->uid, size) != 0) {
		r->upload_error = 413;
		return MHD_NO;
	}
	r->in_flight += size;
	/* files go to disk as they arrive: memory stays flat however big */
	for (size_t done = 0; done < size;) {
		ssize_t w = write(u->fd, data + done, size - done);
		if (w <= 0)
			return MHD_NO;
		done += (size_t)w;
	}
	u->len += size;
	r->upload_total += size;
	return MHD_YES;
}

size_t
http_parse_urlencoded(pool_t *pool, const char *data, size_t len, struct http_kv **out, int *bad)
{
	*out = NULL;
	size_t cap = 1, n = 0;
	for (size_t i = 0; i < len; i++)
		cap += data[i] == '&';
	struct http_kv *kv = pool_alloc(pool, cap * sizeof(*kv));
	char *copy = pool_strndup(pool, data, len);
	if (!kv || !copy)
		return 0;
	if (strlen(copy) != len)
		*bad = 1;   /* a NUL byte: the fields after it are not read */
	for (char *save = NULL, *part = strtok_r(copy, "&", &save); part; part = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(part, '=');
		char *v = eq ? eq + 1 : part + strlen(part);
		if (eq)
			*eq = '\0';
		long kn = url_decode(part, strlen(part)), vn = url_decode(v, strlen(v));
		if (kn < 0 || vn < 0 || !utf8_valid(part, (size_t)kn) || !utf8_valid(v, (size_t)vn) ||
		    strlen(part) != (size_t)kn || strlen(v) != (size_t)vn) {
			*bad = 1;   /* not UTF-8, or a %00 */
			continue;
		}
		kv[n++] = (struct http_kv){ part, v };
	}
	*out = kv;
	return n;
}

static void
parse_form(struct req *r)
{
	r->form_parsed = 1;
	if (r->multipart)
		return;   /* filled while the body arrived */
	const char *ct = http_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0 || !r->body.data)
		return;
	r->nform = http_parse_urlencoded(&r->pool, r->body.data, r->body.len, &r->form, &r->bad_input);
	r->form_cap = r->nform;
}

const char *
http_form(struct req *r, const char *key)
{
	if (!r->form_parsed)
		parse_form(r);
	for (size_t i = 0; i < r->nform; i++)
		if (strcmp(r->form[i].key, key) == 0)
			return r->form[i].val;
	return NULL;
}

/* Adds KEY = V (a JSON scalar) to R's form.  0, or -1 when V is not a
 * string, number or true (false and null are no field). */
static int
json_field(struct req *r, const char *key, json_t *v)
{
	char num[32];
	const char *text = NULL;
	if (json_is_string(v))
		text = json_string_value(v);
	else if (json_is_integer(v))
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v)), text = num;
	else if (json_is_real(v))
		snprintf(num, sizeof(num), "%.10g", json_real_value(v)), text = num;
	else if (json_is_true(v))
		text = "on";
	else if (json_is_false(v) || json_is_null(v))
		return 0;
	if (!text || r->nform == HTTP_JSON_FIELDS_MAX)
		return -1;
	r->form[r->nform++] = (struct http_kv){ pool_strdup(&r->pool, key), pool_strdup(&r->pool, text) };
	return 0;
}

int
http_form_from_json(struct req *r, char *err, size_t errlen)
{
	r->form_parsed = 1;
	r->nform = 0;
	json_error_t je;
	json_t *o = json_loadb(r->body.data ? r->body.data : "", r->body.len, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(o)) {
		snprintf(err, errlen, o ? "The body must be a JSON object of fields." : "The body is not JSON: %s (line %d).",
		    je.text, je.line);
		json_decref(o);
		return -1;
	}
	r->form = pool_alloc(&r->pool, HTTP_JSON_FIELDS_MAX * sizeof(*r->form));
	r->form_cap = HTTP_JSON_FIELDS_MAX;
	const char *k;
	json_t *v;
	int bad = !r->form;
	json_object_foreach(o, k, v) {
		if (bad)
			break;
		if (json_is_array(v)) {
			size_t i;
			json_t *x;
			json_array_foreach(v, i, x)
				bad |= json_is_array(x) || json_field(r, k, x) != 0;
		} else {
			bad |= json_field(r, k, v) != 0;
		}
		if (bad)
			snprintf(err, errlen, "The field \"%.60s\" must be a string, a number, true, or an array of them"
			    " (at most %d values in all).", k, HTTP_JSON_FIELDS_MAX);
	}
	json_decref(o);
	if (bad)
		r->nform = 0;
	return bad ? -1 : 0;
}

size_t
http_form_all(struct req *r, const char *key, const char **out, size_t max)
{
	size_t n = 0;
	if (!r->form_parsed)
		parse_form(r);
	for (size_t i = 0; i < r->nform && n < max; i++)
		if (strcmp(r->form[i].key, key) == 0)
			out[n++] = r->form[i].val;
	return n;
}

int
http_form_ok(struct req *r)
{
	if (!r->form_parsed)
		parse_form(r);
	return !r->bad_input;
}

int
http_add_header(struct req *r, const char *name, const char *value)
{
	if (r->nhdr == HTTP_MAX_HEADERS)
		return -1;
	const char *n = pool_strdup(&r->pool, name), *v = pool_strdup(&r->pool, value);
	if (!n || !v)
		return -1;
	r->hdr[r->nhdr].name = n;
	r->hdr[r->nhdr].value = v;
	r->nhdr++;
	return 0;
}

void
http_set_body(struct req *r, int status, const char *ctype, char *body, size_t len, int is_static)
{
	if (r->resp && !r->resp_static)
		free(r->resp);
	r->status = status;
	r->ctype = ctype;
	r->resp = body;
	r->resp_len = len;
	r->resp_static = is_static;
}

static enum MHD_Result
check_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct req *r = cls;
	if (!utf8_valid(key, strlen(key)) || (value && !utf8_valid(value, strlen(value)))) {
		r->bad_input = 1;
		return MHD_NO;
	}
	return MHD_YES;
}

static void
client_addr(struct req *r, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char buf[INET6_ADDRSTRLEN] = "?";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, sizeof(buf));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, sizeof(buf));
	}
	/* behind a trusted proxy the client is the last address it appended
	 * that is not itself a trusted proxy; anyone else's header is ignored */
	const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
	if (xff && guard_trusted(buf)) {
		char list[512];
		str_copy(list, xff, sizeof(list));
		for (;;) {
			char *comma = strrchr(list, ',');
			char *item = str_trim(comma ? comma + 1 : list);
			unsigned char bin[16];
			if (inet_pton(AF_INET, item, bin) != 1 && inet_pton(AF_INET6, item, bin) != 1)
				break;   /* not an address: keep the last good one */
			str_copy(buf, item, sizeof(buf));
			if (!guard_trusted(item) || !comma)
				break;
			*comma = '\0';
		}
	}
	r->addr = pool_strdup(&r->pool, buf);
}

/* A streamed answer belongs to the response, which may outlive the
 * request context. */
struct stream {
	long (*fn)(void *cls, char *buf, size_t max);
	void (*free_fn)(void *cls);
	void *cls;
};

static ssize_t
stream_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *st = cls;
	long n = st->fn(st->cls, buf, max);
	if (n == 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	return n < 0 ? MHD_CONTENT_READER_END_WITH_ERROR : (ssize_t)n;
}

static void
stream_done(void *cls)
{
	struct stream *st = cls;
	if (st->free_fn)
		st->free_fn(st->cls);
	free(st);
}

static enum MHD_Result
send_answer(struct MHD_Connection *c, struct req *r)
{
	struct MHD_Response *resp;
	if (r->stream_fn) {
		struct stream *st = malloc(sizeof(*st));
		if (!st)
			return MHD_NO;
		*st = (struct stream){ r->stream_fn, r->stream_free, r->stream_cls };
		r->stream_fn = NULL;
		r->stream_cls = NULL;
		resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_reader, st, stream_done);
		if (!resp) {
			stream_done(st);
			return MHD_NO;
		}
	} else if (r->resp_static)
		resp = MHD_create_response_from_buffer(r->resp_len, r->resp, MHD_RESPMEM_PERSISTENT);
	else
		resp = MHD_create_response_from_buffer(r->resp_len, r->resp ? r->resp : (char *)"",
		    r->resp ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	r->resp = NULL;   /* the response owns it now */
	for (size_t i = 0; i < FW_ARRAY_LEN(security_headers); i++)
		MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
	if (config->hsts)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	if (r->ctype)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype);
	for (size_t i = 0; i < r->nhdr; i++)
		MHD_add_response_header(resp, r->hdr[i].name, r->hdr[i].value);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void
plain_error(struct req *r, int status, const char *msg)
{
	buf_t b;
	buf_init(&b, 4096);
	buf_printf(&b, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>%d %s</title></head>"
	    "<body><h1>%d %s</h1><p>", status, http_reason(status), status, http_reason(status));
	buf_html(&b, msg, strlen(msg));
	buf_puts(&b, "</p></body></html>");
	size_t n;
	char *d = buf_detach(&b, &n);
	http_set_body(r, status, "text/html; charset=utf-8", d, n, 0);
}

static struct req *
req_new(void)
{
	struct req *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	pool_init(&r->pool, REQ_POOL_CAP);
	buf_init(&r->body, config->max_body);
	return r;
}

static _Atomic uint64_t requests_begun;   /* http_requests() */

uint64_t
http_requests(void)
{
	return requests_begun;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct req *r = *con_cls;
	if (!r && !(r = req_new()))
		return MHD_NO;
	*con_cls = r;
	if (!r->started) {
		requests_begun++;
		r->started = 1;
		r->conn = c;
		r->method = method;
		r->url = url;
		client_addr(r, c);
		guard_mark(c, 1);
		const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
		r->multipart = ct && !strncasecmp(ct, "multipart/form-data", 19) && !strcmp(method, "POST");
		/* refusals here go out before any body is read, and close the connection */
		const char *why = NULL;
		int st = guard_check(c, method, url, version, r->multipart, &r->declared, &why);
		if (!st && r->multipart && app_admit && (st = app_admit(r)) != 0)
			why = st == 401 || st == 403 ? "Log in before sending files." : "The files cannot be taken now.";
		if (st && (st == 413 || st == 403) && r->declared <= GUARD_DRAIN_MAX) {
			/* a modest body is read and dropped before the refusal, so that
			 * a browser still sending it sees the answer, not a reset */
			r->refuse = st;
			r->refuse_why = why;
			return MHD_YES;
		}
		if (st) {
			plain_error(r, st, why);
			http_add_header(r, "Connection", "close");
			return send_answer(c, r);
		}
		return MHD_YES;   /* no answer on the first call: keeps the connection alive */
	}
	if (*upload_size && r->refuse) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->refuse) {
		plain_error(r, r->refuse, r->refuse_why);
		http_add_header(r, "Connection", "close");
		return send_answer(c, r);
	}
	if (*upload_size) {
		if (r->multipart) {
			if (!r->pp && !r->upload_error)
				r->pp = MHD_create_post_processor(c, 64 * 1024, on_part, r);
			if (!r->pp && !r->upload_error)
				r->upload_error = 400;
			if (!r->upload_error && MHD_post_process(r->pp, upload, *upload_size) != MHD_YES && !r->upload_error)
				r->upload_error = 400;
		} else if (!r->body_too_big && buf_append(&r->body, upload, *upload_size) != 0) {
			r->body_too_big = 1;
		}
		*upload_size = 0;
		/* over a limit half way, the rest is read and dropped (nothing more
		 * is stored): the library cannot answer before the body ends */
		return MHD_YES;
	}
	if (r->body_too_big || r->upload_error == 413) {
		plain_error(r, 413, r->upload_error ? "A file is larger than this server accepts, or there are too many."
		    : "The request body is larger than this server accepts.");
		return send_answer(c, r);
	}
	if (r->upload_error) {
		plain_error(r, 400, "The form could not be read.");
		return send_answer(c, r);
	}
	if (strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "POST")) {
		plain_error(r, 405, "This method is not supported.");
		http_add_header(r, "Allow", "GET, HEAD, POST");
		return send_answer(c, r);
	}
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, check_arg, r);
	if (!utf8_valid(url, strlen(url)))
		r->bad_input = 1;
	if (map_uploads(r) != 0) {
		plain_error(r, 500, "The files could not be read back.");
		return send_answer(c, r);
	}
	app_handler(r);
	if (!r->status)
		plain_error(r, 500, "The request could not be answered.");
	return send_answer(c, r);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct req *r = *con_cls;
	if (!r)
		return;
	if (r->resp && !r->resp_static)
		free(r->resp);
	if (r->stream_fn && r->stream_free)
		r->stream_free(r->stream_cls);
	if (r->pp)
		MHD_destroy_post_processor(r->pp);
	if (r->uid && r->in_flight)
		flight_sub(r->uid, r->in_flight);
	for (size_t i = 0; i < r->nuploads; i++) {
		if (r->uploads[i].data)
			munmap(r->uploads[i].data, r->uploads[i].len);
		if (r->uploads[i].fd >= 0)
			close(r->uploads[i].fd);
	}
	buf_free(&r->body);
	pool_clear(&r->pool);
	free(r);
	*con_cls = NULL;
	guard_mark(c, 0);
}

struct http_server *
http_start(const struct http_config *cfg, http_handler h, http_admit admit)
{
	app_handler = h;
	app_admit = admit;
	config = cfg;
	if (cfg->img_origin)
		snprintf(csp, sizeof(csp), "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: %s;"
		    " object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'", cfg->img_origin);
	struct guard_limits gl = { cfg->max_conns, cfg->timeout, cfg->max_body, cfg->max_upload, cfg->trusted_proxies };
	guard_config(&gl);
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->addr, &sa.sin_addr) != 1) {
		log_msg(LOG_ERR, "listen address %s is not an IPv4 address", cfg->addr);
		return NULL;
	}
	struct MHD_Daemon *d = MHD_start_daemon(
	    MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG,
	    (uint16_t)cfg->port, NULL, NULL, on_request, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
	    MHD_OPTION_CONNECTION_LIMIT, cfg->max_conns,
	    MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->max_header,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_per_addr ? cfg->max_per_addr : cfg->max_conns,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, 256,
	    MHD_OPTION_NOTIFY_CONNECTION, guard_on_connection, NULL,
	    MHD_OPTION_URI_LOG_CALLBACK, guard_on_uri, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_END);
	if (!d) {
		log_msg(LOG_ERR, "cannot listen on %s:%d (in use, or not allowed)", cfg->addr, cfg->port);
		return NULL;
	}
	if (guard_start() != 0) {
		MHD_stop_daemon(d);
		log_msg(LOG_ERR, "cannot start the connection sweeper");
		return NULL;
	}
	return (struct http_server *)d;
}

void
http_stop(struct http_server *s)
{
	if (!s)
		return;
	guard_stop();
	MHD_stop_daemon((struct MHD_Daemon *)s);
}
