/* guard.h -- what the HTTP server checks before a handler sees anything:
 * the request line and header fields against their limits, bytes that
 * are not allowed there, the declared body, the trusted proxies, and each
 * connection's deadlines (a sweeper thread shuts connections too slow to
 * send their headers, or idle too long).  Owns the connection table and
 * the sweeper.  http.c hands it the library's callbacks. */
#ifndef FW_GUARD_H
#define FW_GUARD_H

#include <microhttpd.h>
#include <stddef.h>

#define GUARD_MAX_LINE 8192        /* request target bytes (414 past it) */
#define GUARD_MAX_FIELD 8192       /* bytes of one header field (431) */
#define GUARD_MAX_FIELDS 100       /* header fields (431) */
#define GUARD_HEADER_SECONDS 10    /* to send a request's line and headers */
#define GUARD_DRAIN_MAX (8u << 20) /* a refused body up to this is read and dropped first;
                                    * a larger one is refused at once, unread */

struct guard_limits {
	unsigned max_conns;        /* near it, idle keep-alive connections go first */
	unsigned timeout;          /* idle seconds of a keep-alive connection */
	size_t max_body;           /* a form's body */
	size_t max_upload;         /* a multipart body */
	const char *trusted_proxies;   /* "ADDR,ADDR" */
};

/* The limits in force (copied).  Can't fail. */
void guard_config(const struct guard_limits *l);
/* Starts and stops the sweeper.  0 or -1. */
int guard_start(void);
void guard_stop(void);

/* The library's connection callback (MHD_OPTION_NOTIFY_CONNECTION). */
void guard_on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode code);
/* The library's request-line callback (MHD_OPTION_URI_LOG_CALLBACK):
 * notes the target as sent; allocates nothing and returns NULL. */
void *guard_on_uri(void *cls, const char *uri, struct MHD_Connection *c);
/* C's request line arrived (2), its headers did (1), or its answer went
 * out (0).  Can't fail. */
void guard_mark(struct MHD_Connection *c, int what);

/* Checks a request's line and headers (and sets *DECLARED to the body's
 * announced length): 0, or the status to refuse it with and *WHY.
 * Can't fail. */
int guard_check(struct MHD_Connection *c, const char *method, const char *url, const char *version, int multipart,
    size_t *declared, const char **why);
/* 1 when ADDR is one of the configured trusted proxies. */
int guard_trusted(const char *addr);

#endif
