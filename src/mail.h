/* mail.h -- sends the email outbox through an SMTP server (libcurl), from
 * a thread of its own so that no request waits on the mail server.  Owns
 * that thread and its database connection. */
#ifndef FW_MAIL_H
#define FW_MAIL_H

/* Starts the sender for SMTP_URL (e.g. smtp://127.0.0.1:25) with FROM as
 * the sender address, reading the database at DB_PATH.  0 or -1. */
int mail_start(const char *smtp_url, const char *from, const char *db_path);
/* Stops it (sends nothing more).  This function can't fail. */
void mail_stop(void);

#endif
