/* hookd.h -- sends the webhook deliveries (hook.c queues them) from a
 * thread of its own, so that no request waits on a receiver, and looks
 * for work orders newly at risk of their SLA.  Owns that thread and its
 * database connection. */
#ifndef FW_HOOKD_H
#define FW_HOOKD_H

/* Starts the sender on the database at DB_PATH.  Deliveries never connect
 * to this machine or a private network (whatever the endpoint's name
 * resolves to), but to 127.0.0.1 when LOOPBACK (tests, development).  0
 * or -1. */
int hookd_start(const char *db_path, int loopback);
/* Stops it (the delivery in flight ends first).  This function can't fail. */
void hookd_stop(void);

#endif
