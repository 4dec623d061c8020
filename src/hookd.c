/* hookd.c -- see hookd.h. */
#include "hookd.h"
#include "hook.h"
#include "db.h"
#include "util.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CLAIM_SECS 60       /* a delivery a sender holds (its timeout is well inside) */
#define SEND_TIMEOUT 15L
#define AT_RISK_EVERY 60    /* seconds between looks for work orders newly at risk */

static pthread_t thread;
static volatile int running;
static char path[1024];

/* 1 when the socket address A is on this machine or a private network: a
 * partner's endpoint must not reach into the operator's own network (its
 * name may resolve anywhere), unless loopback endpoints are allowed for
 * tests and development. */
static int
private_address(const struct sockaddr *a)
{
	if (a->sa_family == AF_INET) {
		uint32_t ip = ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr);
		return (ip >> 24) == 127 || (ip >> 24) == 10 || (ip >> 24) == 0 || (ip >> 20) == 0xac1 ||
		    (ip >> 16) == 0xc0a8 || (ip >> 16) == 0xa9fe || (ip >> 22) == (100u << 2 | 1);   /* 100.64/10 */
	}
	if (a->sa_family == AF_INET6) {
		const unsigned char *b = ((const struct sockaddr_in6 *)a)->sin6_addr.s6_addr;
		static const unsigned char loop[16] = { [15] = 1 }, any[16] = { 0 };
		if (!memcmp(b, loop, 16) || !memcmp(b, any, 16) || (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80))
			return 1;
		static const unsigned char v4[12] = { [10] = 0xff, [11] = 0xff };
		if (!memcmp(b, v4, 12)) {   /* ::ffff:a.b.c.d */
			struct sockaddr_in in = { .sin_family = AF_INET };
			memcpy(&in.sin_addr, b + 12, 4);
			return private_address((const struct sockaddr *)&in);
		}
		return 0;
	}
	return 1;
}

static int allow_loopback;
static int refused_private;   /* the sender's one thread: the last connection refused */

/* libcurl asks for each connection's socket here: refused for a private
 * address (the delivery then fails as "could not connect"). */
static curl_socket_t
open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	(void)arg;
	(void)purpose;
	if (private_address(&a->addr)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)&a->addr;
		int loop = a->addr.sa_family == AF_INET && (ntohl(in->sin_addr.s_addr) >> 24) == 127;
		if (!(allow_loopback && loop)) {
			refused_private = 1;
			return CURL_SOCKET_BAD;
		}
	}
	return socket(a->family, a->socktype, a->protocol);
}

/* The receiver's answer is read and dropped (its code is what counts). */
static size_t
drop(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* POSTs BODY to URL, signed with SECRET.  Returns the HTTP code, or 0
 * with ERR when there was no answer. */
static int
send_one(const char *url, const char *secret, const char *event, int64_t id, const char *body, char *err,
    size_t errlen)
{
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, errlen, "cannot start a request");
		return 0;
	}
	char sig[100], h_sig[140], h_event[120], h_id[64];
	hook_sign(secret, now_utc(), body, strlen(body), sig);
	snprintf(h_sig, sizeof(h_sig), "Fieldwork-Signature: %s", sig);
	snprintf(h_event, sizeof(h_event), "Fieldwork-Event: %s", event);
	snprintf(h_id, sizeof(h_id), "Fieldwork-Delivery: %lld", (long long)id);
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	h = curl_slist_append(h, "User-Agent: Fieldwork-Webhooks/1");
	h = curl_slist_append(h, h_sig);
	h = curl_slist_append(h, h_event);
	h = curl_slist_append(h, h_id);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, drop);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, SEND_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);   /* a redirect is not an answer */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	long code = 0;
	refused_private = 0;
	CURLcode rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	else if (refused_private)
		snprintf(err, errlen, "not sent: the endpoint's address is on this machine or a private network");
	else
		snprintf(err, errlen, "%s", curl_easy_strerror(rc));
	if (rc == CURLE_OK && (code < 200 || code > 299))
		snprintf(err, errlen, "the endpoint answered %ld", code);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return (int)code;
}

static void *
run(void *arg)
{
	(void)arg;
	db_t *db;
	char err[256];
	if (db_open(path, &db, err, sizeof(err)) != 0) {
		log_msg(LOG_ERR, "webhooks: %s", err);
		return NULL;
	}
	int64_t risk_at = 0;
	while (running) {
		if (now_utc() >= risk_at + AT_RISK_EVERY) {
			risk_at = now_utc();
			if (hook_scan_at_risk(db, risk_at) < 0)
				log_msg(LOG_WARN, "webhooks: the SLA At Risk look failed; trying again");
		}
		int64_t id = 0;
		char url[HOOK_URL_MAX + 1], secret[HOOK_SECRET_LEN], event[64];
		char *body = NULL;
		int got = hook_claim(db, CLAIM_SECS, &id, url, sizeof(url), secret, sizeof(secret), &body, event, sizeof(event));
		if (got != 1) {
			free(body);
			for (int i = 0; i < 3 && running; i++)
				usleep(100 * 1000);
			continue;
		}
		err[0] = '\0';
		int code = send_one(url, secret, event, id, body, err, sizeof(err));
		free(body);
		hook_done(db, id, code, err);
		if (code < 200 || code > 299)
			log_msg(LOG_INFO, "webhook delivery %lld to %s: %s", (long long)id, url, err);
	}
	db_close(db);
	return NULL;
}

int
hookd_start(const char *db_path, int loopback)
{
	allow_loopback = loopback;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return -1;
	str_copy(path, db_path, sizeof(path));
	running = 1;
	if (pthread_create(&thread, NULL, run, NULL) != 0) {
		running = 0;
		return -1;
	}
	return 0;
}

void
hookd_stop(void)
{
	if (!running)
		return;
	running = 0;
	pthread_join(thread, NULL);
	curl_global_cleanup();
}
