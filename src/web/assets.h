/* assets.h -- the static files (CSS, JavaScript, icons) compiled into the
 * binary: served with an ETag, and cached for a year when the address
 * carries the version of them all (?v=), which the layout adds.  Owns the
 * table of them, built once at start. */
#ifndef FW_ASSETS_H
#define FW_ASSETS_H

#include "http.h"

/* Builds the table from the embedded files.  Can't fail. */
void assets_load(void);
/* Answers R (a path under /static/): the file, 304, or 404.  Can't fail. */
void assets_serve(struct req *r);
/* The version of all of them together (hex).  Can't fail. */
const char *assets_version(void);

#endif
