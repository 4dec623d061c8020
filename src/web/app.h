/* app.h -- the dispatcher: the route table (every address the portal
 * answers), the session and CSRF gate, the layout every page shares, the
 * answer as HTML (template) or JSON (the same view-model under /api/), and
 * the static files.  Owns the process-wide settings of the web side. */
#ifndef FW_APP_H
#define FW_APP_H

#include "http.h"
#include "page.h"


/* Loads templates and static assets.  0, or -1 with ERR. */
int app_init(const struct app_config *cfg, char *err, size_t errlen);
/* The http_handler of the server.  This function can't fail: every
 * problem becomes an HTTP status and a message. */
void app_handle(struct req *r);
/* Matches PATH against a route PATTERN ("/work-orders/{n}/{action}"),
 * capturing into C->id and C->seg (segments copied into BUF of N bytes;
 * {n} and {id} only as positive numbers).  1 on a match.  This function
 * can't fail. */
int app_match(const char *pattern, const char *path, struct ctx *c, char *buf, size_t n);
/* The http_admit of the server: a multipart body (files) is read only for
 * a logged-in user, so an anonymous one costs nothing.  0 or a status. */
int app_admit(struct req *r);
void app_shutdown(void);

#endif
