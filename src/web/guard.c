/* guard.c -- see guard.h. */
#include "guard.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct guard_limits limits;

void
guard_config(const struct guard_limits *l)
{
	limits = *l;
}

/* ---------- connection deadlines ----------
 *
 * The library's timeout restarts on every byte, so a client sending one
 * byte every few seconds would hold a connection for ever.  Each
 * connection is tracked here with what it is doing since when; a sweeper
 * shuts the socket (the library then closes it) when a connection took
 * longer than GUARD_HEADER_SECONDS for a request line or its headers, or
 * was idle past the keep-alive timeout, and shuts idle keep-alive
 * connections first when the connection cap nears. */

enum { PH_OPENED, PH_IDLE, PH_HEADERS, PH_BUSY };

struct conn_track {
	int fd;
	int phase;
	time_t since;
	int shut;
	size_t uri_len;           /* the request target as sent, for check_request */
	int uri_bad;              /* it holds a control byte or a space */
	struct conn_track *prev, *next;
};

static pthread_mutex_t track_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn_track *tracks;
static size_t ntracks;
static pthread_t sweeper;
static volatile int sweeping;

void
guard_on_connection(void *cls, struct MHD_Connection *c, void **socket_context, enum MHD_ConnectionNotificationCode code)
{
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		struct conn_track *t = calloc(1, sizeof(*t));
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!t || !ci) {
			free(t);
			return;
		}
		t->fd = ci->connect_fd;
		t->since = time(NULL);
		pthread_mutex_lock(&track_lock);
		t->next = tracks;
		if (tracks)
			tracks->prev = t;
		tracks = t;
		ntracks++;
		pthread_mutex_unlock(&track_lock);
		*socket_context = t;
		return;
	}
	struct conn_track *t = *socket_context;
	if (!t)
		return;
	/* the library closes the socket after this returns: the sweeper,
	 * which holds the lock while it shuts sockets, never sees a reused fd */
	pthread_mutex_lock(&track_lock);
	if (t->prev)
		t->prev->next = t->next;
	else
		tracks = t->next;
	if (t->next)
		t->next->prev = t->prev;
	ntracks--;
	pthread_mutex_unlock(&track_lock);
	free(t);
	*socket_context = NULL;
}

static struct conn_track *
track_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* C's request line arrived (2), its headers did (1), or its answer went
 * out (0). */
void
guard_mark(struct MHD_Connection *c, int what)
{
	struct conn_track *t = track_of(c);
	if (!t)
		return;
	pthread_mutex_lock(&track_lock);
	t->phase = what == 2 ? PH_HEADERS : what == 1 ? PH_BUSY : PH_IDLE;
	t->since = time(NULL);
	pthread_mutex_unlock(&track_lock);
}

static void *
sweep(void *arg)
{
	while (sweeping) {
		usleep(250 * 1000);
		time_t now = time(NULL);
		pthread_mutex_lock(&track_lock);
		int crowded = ntracks * 10 > (size_t)limits.max_conns * 9;
		for (struct conn_track *t = tracks; t; t = t->next) {
			long age = (long)(now - t->since);
			int late = (t->phase == PH_OPENED || t->phase == PH_HEADERS) ? age >= GUARD_HEADER_SECONDS
			    : t->phase == PH_IDLE ? age >= (long)limits.timeout || crowded : 0;
			if (late && !t->shut) {
				/* a request begun but not finished in time is told so
				 * (the library writes nothing while headers arrive) */
				static const char timeout_408[] = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
				    "Content-Length: 0\r\n\r\n";
				if (t->phase == PH_HEADERS)
					(void)!send(t->fd, timeout_408, sizeof(timeout_408) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
				shutdown(t->fd, SHUT_RDWR);
				t->shut = 1;
			}
		}
		pthread_mutex_unlock(&track_lock);
	}
	return NULL;
}

int
guard_start(void)
{
	sweeping = 1;
	if (pthread_create(&sweeper, NULL, sweep, NULL) != 0) {
		sweeping = 0;
		return -1;
	}
	return 0;
}

void
guard_stop(void)
{
	if (!sweeping)
		return;
	sweeping = 0;
	pthread_join(sweeper, NULL);
}

/* 1 when ADDR is one of the configured trusted proxies. */
int
guard_trusted(const char *addr)
{
	const char *p = limits.trusted_proxies;
	size_t n = strlen(addr);
	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len && *p == ' ')
			p++, len--;
		while (len && p[len - 1] == ' ')
			len--;
		if (len == n && !strncmp(p, addr, n))
			return 1;
		p = end ? end + 1 : NULL;
	}
	return 0;
}

/* The request line is in: its headers are due within GUARD_HEADER_SECONDS,
 * and its target is noted as sent (the handler sees it decoded).  Nothing
 * is allocated here: a request whose headers never come is not handed to
 * the handler, nor to on_completed. */
void *
guard_on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	guard_mark(c, 2);
	struct conn_track *t = track_of(c);
	if (t) {
		t->uri_len = strlen(uri);
		t->uri_bad = 0;
		for (const unsigned char *p = (const unsigned char *)uri; *p; p++)
			t->uri_bad |= *p <= 0x20 || *p == 0x7f;
	}
	return NULL;
}

struct hdr_check {
	size_t n, bytes;
	int bad_name, bad_value, too_long, n_length;
	const char *length, *te, *host;
};

static int
token_char(unsigned char ch)
{
	return ch > 0x20 && ch < 0x7f && !strchr("\"(),/:;<=>?@[\\]{}", ch);
}

static enum MHD_Result
check_field(void *cls, enum MHD_ValueKind kind, const char *key, size_t kn, const char *value, size_t vn)
{
	struct hdr_check *h = cls;
	h->n++;
	h->bytes += kn + vn + 4;   /* "K: V" and its CRLF, as a well-formed request sends it */
	if (kn + vn > GUARD_MAX_FIELD)
		h->too_long = 1;
	for (size_t i = 0; i < kn; i++)
		h->bad_name |= !token_char((unsigned char)key[i]);
	for (size_t i = 0; value && i < vn; i++)
		h->bad_value |= ((unsigned char)value[i] < 0x20 && value[i] != '\t') || value[i] == 0x7f;
	if (!strcasecmp(key, "Content-Length")) {
		h->n_length++;
		if (h->length && value && strcmp(h->length, value))
			h->bad_value = 1;   /* two lengths that disagree */
		h->length = value;
	} else if (!strcasecmp(key, "Transfer-Encoding")) {
		h->te = value;
	} else if (!strcasecmp(key, "Host")) {
		h->host = value;
	}
	return MHD_YES;
}

/* Checks what arrived before the body, as the trusted servers do: 0, or a
 * status with *WHY. */
int
guard_check(struct MHD_Connection *c, const char *method, const char *url, const char *version, int multipart,
    size_t *declared, const char **why)
{
	struct hdr_check h = { 0 };
	struct conn_track *t = track_of(c);
	size_t target = t ? t->uri_len : strlen(url);
	if (target > GUARD_MAX_LINE) {
		*why = "The address is longer than this server accepts.";
		return 414;
	}
	MHD_get_connection_values_n(c, MHD_HEADER_KIND, check_field, &h);
	if (h.n > GUARD_MAX_FIELDS || h.too_long) {
		*why = "The request has more header fields, or longer ones, than this server accepts.";
		return 431;
	}
	/* NUL and control bytes: the library ends a value or the target at a
	 * NUL, so they show as bytes of the header it did not hand over */
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	size_t shown = strlen(method) + target + strlen(version) + 4 + h.bytes + 2;
	h.bad_value |= t && t->uri_bad;
	if (h.bad_name || h.bad_value || (ci && ci->header_size > shown)) {
		*why = "The request contains bytes that are not allowed there (control characters, NUL, spaces in a"
		    " header name, or two different lengths).";
		return 400;
	}
	if (!strcmp(version, "HTTP/1.1") && !h.host) {
		*why = "An HTTP/1.1 request needs a Host header.";
		return 400;
	}
	if (h.te && h.length) {
		*why = "A request cannot have both Content-Length and Transfer-Encoding.";
		return 400;
	}
	if (h.te && strcasecmp(h.te, "chunked")) {
		*why = "This server accepts no transfer coding but chunked.";
		return 501;
	}
	*declared = h.te ? GUARD_DRAIN_MAX : 0;
	if (h.length) {
		char *end;
		unsigned long long n = strtoull(h.length, &end, 10);
		*declared = *end ? SIZE_MAX : (size_t)n;
		size_t cap = multipart ? limits.max_upload + 64 * 1024 : limits.max_body;
		if (*end || n > cap) {
			*why = multipart ? "The files are larger than this server accepts in one request."
			    : "The request body is larger than this server accepts.";
			return 413;
		}
	}
	return 0;
}
