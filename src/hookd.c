/* hookd.c -- see hookd.h. */
#include "hookd.h"
#include "hook.h"
#include "db.h"
#include "util.h"

#include <curl/curl.h>
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
	long code = 0;
	CURLcode rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
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
hookd_start(const char *db_path)
{
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
