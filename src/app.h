/* app.h -- the application: routes, the view-model of every page, and the
 * choice between HTML (template) and JSON (the same view-model under
 * /api/).  Owns the process-wide settings of the web side. */
#ifndef FW_APP_H
#define FW_APP_H

#include "http.h"

struct app_config {
	const char *brand;        /* operator's name shown in the portal */
	int secure_cookies;       /* add Secure to cookies (behind HTTPS) */
};

/* Loads templates and static assets.  0, or -1 with ERR. */
int app_init(const struct app_config *cfg, char *err, size_t errlen);
/* The http_handler of the server.  This function can't fail: every
 * problem becomes an HTTP status and a message. */
void app_handle(struct req *r);
void app_shutdown(void);

#endif
