/* mail.c -- see mail.h.  Each message is tried up to five times; a
 * failure is kept in last_error for the operator to see. */
#include "mail.h"
#include "digest.h"
#include "notify.h"
#include "db.h"
#include "util.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIGEST_EVERY 5   /* seconds between looks for the daily digests due */
#include <unistd.h>

#define MAIL_TRIES 5

static pthread_t thread;
static volatile int running;
static char url[256], from[256], path[1024];

struct payload {
	const char *data;
	size_t len, off;
};

static size_t
read_cb(char *buf, size_t size, size_t n, void *cls)
{
	struct payload *p = cls;
	size_t room = size * n, left = p->len - p->off;
	size_t k = left < room ? left : room;
	memcpy(buf, p->data + p->off, k);
	p->off += k;
	return k;
}

/* Strips CR and LF so a header value cannot start another header. */
static void
header_safe(char *s)
{
	for (; *s; s++)
		if (*s == '\r' || *s == '\n')
			*s = ' ';
}

static int
send_one(const char *to, const char *subject, const char *body, char *err, size_t errlen)
{
	char subj[256], rcpt[256];
	str_copy(subj, subject, sizeof(subj));
	str_copy(rcpt, to, sizeof(rcpt));
	header_safe(subj);
	header_safe(rcpt);
	buf_t msg;
	buf_init(&msg, 1 << 20);
	buf_printf(&msg, "From: Partner Connect <%s>\r\nTo: <%s>\r\nSubject: %s\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", from, rcpt, subj, body);
	CURL *c = curl_easy_init();
	if (!c || msg.overflow) {
		buf_free(&msg);
		snprintf(err, errlen, "cannot build the message");
		if (c)
			curl_easy_cleanup(c);
		return -1;
	}
	struct payload p = { msg.data, msg.len, 0 };
	char mail_from[300];
	snprintf(mail_from, sizeof(mail_from), "<%s>", from);
	struct curl_slist *list = curl_slist_append(NULL, rcpt);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, list);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &p);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		snprintf(err, errlen, "%s", curl_easy_strerror(rc));
	curl_slist_free_all(list);
	curl_easy_cleanup(c);
	buf_free(&msg);
	return rc == CURLE_OK ? 0 : -1;
}

static void *
run(void *arg)
{
	(void)arg;
	db_t *db;
	char err[256];
	if (db_open(path, &db, err, sizeof(err)) != 0) {
		log_msg(LOG_ERR, "mail: %s", err);
		return NULL;
	}
	int64_t digests_at = 0;
	while (running) {
		/* the daily digests due, every few seconds (each is claimed) */
		if (now_utc() >= digests_at + DIGEST_EVERY) {
			digests_at = now_utc();
			if (digest_run(db, digests_at, notify_email_base()) < 0)
				log_msg(LOG_WARN, "mail: the daily digests could not be made; trying again");
		}
		int64_t id = 0;
		char to[256] = "", subject[256] = "";
		char *body = NULL;
		notify_outbox_next(db, MAIL_TRIES, &id, to, sizeof(to), subject, sizeof(subject), &body);
		if (!id || !body) {
			free(body);
			for (int i = 0; i < 5 && running; i++)
				usleep(100 * 1000);
			continue;
		}
		int ok = send_one(to, subject, body, err, sizeof(err)) == 0;
		free(body);
		notify_outbox_done(db, id, ok, err);
		if (!ok) {
			log_msg(LOG_WARN, "mail to %s: %s", to, err);
			sleep(1);
		}
	}
	db_close(db);
	return NULL;
}

int
mail_start(const char *smtp_url, const char *sender, const char *db_path)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return -1;
	str_copy(url, smtp_url, sizeof(url));
	str_copy(from, sender, sizeof(from));
	str_copy(path, db_path, sizeof(path));
	running = 1;
	if (pthread_create(&thread, NULL, run, NULL) != 0) {
		running = 0;
		return -1;
	}
	return 0;
}

void
mail_stop(void)
{
	if (!running)
		return;
	running = 0;
	pthread_join(thread, NULL);
	curl_global_cleanup();
}
