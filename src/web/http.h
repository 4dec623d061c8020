/* http.h -- the HTTP server on libmicrohttpd: one request context per
 * request with its own memory pool, explicit limits, security headers on
 * every answer.  Owns the listening daemon.  Routing and pages are the
 * application's (app.c): this module hands it a parsed request and sends
 * back what it sets. */
#ifndef FW_HTTP_H
#define FW_HTTP_H

#include <signal.h>
#include <stddef.h>

#include "pool.h"
#include "util.h"

#define HTTP_MAX_HEADERS 12
#define HTTP_MAX_UPLOADS 20       /* files in one multipart request */

struct http_config {
	const char *addr;        /* "127.0.0.1" */
	int port;
	unsigned threads;        /* worker threads, each with its own db */
	unsigned max_conns;      /* connection cap */
	unsigned timeout;        /* idle seconds per connection */
	size_t max_body;         /* request body bytes (413 past it) */
	size_t max_header;       /* memory per connection for the header */
	size_t max_file;         /* bytes of one uploaded file */
	size_t max_upload;       /* bytes of one multipart request in all */
	unsigned max_per_addr;   /* connections from one client address */
	int hsts;                /* answers say Strict-Transport-Security (served over https) */
	const char *trusted_proxies; /* "ADDR,ADDR": their X-Forwarded-For names the client */
	const char *img_origin;  /* another origin pages may show images from (map tiles); NULL: none */
};

/* A file of a multipart/form-data request, kept in an unnamed temporary
 * file while it arrives and mapped (DATA) before the handler runs.  Owned
 * by the request. */
struct http_upload {
	char *field;
	char *filename;
	char *data;
	size_t len;
	int fd;
};

struct http_kv {
	char *key, *val;
};

struct req {
	void *conn;              /* struct MHD_Connection */
	pool_t pool;
	int started;             /* the access handler has seen the headers */
	size_t declared;         /* the body's Content-Length (chunked: GUARD_DRAIN_MAX) */
	int refuse;              /* a status to answer once the body is drained */
	const char *refuse_why;
	int64_t uid;             /* the user a body is admitted for (0: none) */
	size_t in_flight;        /* upload bytes counted against that user */
	const char *method;
	const char *url;         /* the path, percent-decoded */
	const char *addr;        /* client address */
	buf_t body;
	int body_too_big;
	int bad_input;           /* a query or form value is not UTF-8 */
	struct http_kv *form;    /* urlencoded body fields */
	size_t nform;
	int form_parsed;
	size_t form_cap;
	int multipart;
	void *pp;                /* struct MHD_PostProcessor */
	struct http_upload uploads[HTTP_MAX_UPLOADS];
	size_t nuploads;
	size_t upload_total;
	int upload_error;        /* 413: too big / too many files; 400: malformed */

	/* the answer */
	int status;
	const char *ctype;
	char *resp;              /* body, malloc'd unless resp_static */
	size_t resp_len;
	int resp_static;
	struct { const char *name, *value; } hdr[HTTP_MAX_HEADERS];
	size_t nhdr;

	/* a streamed answer: FN fills BUF (at most MAX bytes) and returns how
	 * many, 0 at the end or -1 on an error; FREE_FN releases CLS. */
	long (*stream_fn)(void *cls, char *buf, size_t max);
	void (*stream_free)(void *cls);
	void *stream_cls;
};

typedef void (*http_handler)(struct req *r);
/* Asked before a multipart body is read: 0 to read it, or an HTTP status
 * (with r->uid set on 0) to refuse it at once, unread. */
typedef int (*http_admit)(struct req *r);

/* Binds the address and starts serving with worker threads.  Returns the
 * server, or NULL when it could not start (message logged): only after a
 * non-NULL answer is the port taken. */
struct http_server *http_start(const struct http_config *cfg, http_handler h, http_admit admit);
/* Stops serving and waits for the workers.  This function can't fail. */
void http_stop(struct http_server *s);
/* How many requests the process has begun to answer (a server's quiet
 * moments show as no change).  This function can't fail. */
uint64_t http_requests(void);

/* Request accessors.  Strings live as long as the request; NULL when
 * absent. */
const char *http_query(struct req *r, const char *key);
/* Every value of a repeated query key, up to MAX; returns how many. */
size_t http_query_all(struct req *r, const char *key, const char **out, size_t max);
const char *http_header(struct req *r, const char *name);
const char *http_cookie(struct req *r, const char *name);
/* A field of an application/x-www-form-urlencoded body.  Returns NULL when
 * absent.  The body is parsed on first use. */
const char *http_form(struct req *r, const char *key);
/* Every value of a repeated form field, up to MAX; returns how many. */
size_t http_form_all(struct req *r, const char *key, const char **out, size_t max);
/* 1 when the body was urlencoded and parsed without error. */
int http_form_ok(struct req *r);

/* Parses an application/x-www-form-urlencoded body of LEN bytes into
 * *OUT (in POOL): returns the number of fields.  A field that is not
 * UTF-8 or holds a NUL is left out and sets *BAD.  This function can't
 * fail but for memory (then 0 fields). */
size_t http_parse_urlencoded(pool_t *pool, const char *data, size_t len, struct http_kv **out, int *bad);

/* Reads an application/json body (an object of fields: strings, numbers,
 * true, or arrays of them for a repeated field) as the request's form, so
 * that the API's writes reach the same handlers as the pages' forms.  0,
 * or -1 with ERR when it is not such an object (then the form is empty). */
#define HTTP_JSON_FIELDS_MAX 200
int http_form_from_json(struct req *r, char *err, size_t errlen);

/* Appends the request's path and query string (re-encoded) to B. */
void http_request_uri(struct req *r, buf_t *b);

/* Adds a response header (copied into the request pool).  0 or -1 when
 * there is no room. */
int http_add_header(struct req *r, const char *name, const char *value);
/* Sets the answer.  BODY is taken over (freed with free()) unless STATIC
 * is set.  This function can't fail. */
void http_set_body(struct req *r, int status, const char *ctype, char *body, size_t len, int is_static);

/* The reason phrase for STATUS ("Not Found").  This function can't fail. */
const char *http_reason(int status);

#endif
