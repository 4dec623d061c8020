/* files.h -- the Files of a work order (Related tab, Notes and
 * Attachments, Collaborate attachments): stored in the database, typed by
 * their content rather than their name, with sanitized names and limits
 * per file and per work order.  Owns the file table. */
#ifndef FW_FILES_H
#define FW_FILES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "user.h"

#define FILES_MAX_FILE (25u << 20)      /* default per-file limit */
#define FILES_MAX_PER_WO (200u << 20)   /* default per-work-order total */

/* The limits in force (bytes); settable at start.  These can't fail. */
void files_set_limits(size_t per_file, size_t per_wo);

enum { FILES_OK = 0, FILES_NOT_FOUND = 1, FILES_BAD = 2, FILES_ERROR = -1 };

/* The content type of DATA from its first bytes: image/png, image/jpeg,
 * image/gif, image/webp, application/pdf, application/zip (office
 * documents), text/plain (UTF-8 text), else NULL: a type the portal does
 * not take (programs, archives of other kinds, unknown binaries).  This
 * function can't fail. */
const char *files_sniff(const void *data, size_t len);
/* Copies NAME without directories, control characters, quotes, slashes
 * and leading dots into OUT (at most N-1 bytes, valid UTF-8); "file" when
 * nothing is left.  This function can't fail. */
void files_safe_name(const char *name, char *out, size_t n);

/* A file as it arrived with a form, under the name its sender gave it.
 * The bytes are borrowed: the caller owns them. */
struct files_upload {
	const char *name;
	const void *data;
	size_t len;
};

/* Stores a file on work order NUMBER for U (whose access the caller has
 * checked), optionally attached to POST_ID.  FILES_OK with *ID, or
 * FILES_BAD with MSG (empty, too big, over the work order's total). */
int files_add(db_t *db, const struct user *u, int64_t number, const char *name, const void *data, size_t len,
    int64_t post_id, int64_t *id, char *msg, size_t msglen);

/* Stores UP[0..N) on work order NUMBER for U in one transaction: all of
 * them or none.  FILES_OK, FILES_BAD with MSG, or FILES_ERROR with MSG. */
int files_add_all(db_t *db, const struct user *u, int64_t number, const struct files_upload *up, size_t n,
    char *msg, size_t msglen);

/* A stored file, for downloading. *DATA is malloc'd, the caller frees it. */
struct file_blob {
	int64_t id, wo_number, owner_user_id;
	char title[256];
	char mime[64];
	char *data;
	size_t len;
};
/* Loads file ID: FILES_OK, or FILES_NOT_FOUND. */
int files_get(db_t *db, int64_t id, struct file_blob *out);
/* Deletes file ID (the caller checked the work order); only its owner or
 * an operator may.  FILES_OK, FILES_NOT_FOUND, FILES_BAD (not allowed).
 * Runs in the caller's transaction (lc_file_delete's, with its history
 * row). */
int files_delete(db_t *db, const struct user *u, int64_t id, char *msg, size_t msglen);

/* Stores a file made by the portal (a service report) on NUMBER in place
 * of the earlier ones of the same NAME: one transaction, one copy kept.
 * FILES_OK with *ID, FILES_BAD or FILES_ERROR with MSG. */
int files_replace(db_t *db, const struct user *u, int64_t number, const char *name, const void *data, size_t len,
    int64_t *id, char *msg, size_t msglen);

/* N bytes for people: "512B", "14KB", "2.5MB".  This function can't fail. */
void files_size_label(int64_t n, char out[24]);

/* Files of a refused form, held for the user's retry so nothing has to be
 * sent again (the held_file table, which this module owns too).  A held
 * file belongs to the user who sent it and is dropped after a day. */
#define FILES_MAX_HELD 20
#define FILES_HOLD_SECS (24 * 3600)

/* Holds those of UP[0..N) the portal would take (not empty, within the
 * per-file limit, of a type it takes) for U.  Returns [{id, name, size}]
 * for the form to list (the caller owns it), or NULL on a database error
 * (then nothing is held).  Clears U's files held longer than a day. */
json_t *files_hold(db_t *db, const struct user *u, const struct files_upload *up, size_t n);

/* Held files loaded for a retry: UP[i] points into DATA[i] (malloc'd). */
struct files_held {
	size_t n;
	int64_t id[FILES_MAX_HELD];
	char name[FILES_MAX_HELD][256];
	char *data[FILES_MAX_HELD];
	struct files_upload up[FILES_MAX_HELD];
};
/* Loads the held files IDS[0..NID) that are U's into OUT (others' ids
 * and unknown ids are skipped).  0, or -1 on a database error (OUT empty).
 * The caller frees OUT with files_held_free. */
int files_held_load(db_t *db, const struct user *u, const int64_t *ids, size_t nid, struct files_held *out);
/* Frees OUT's bytes.  This function can't fail. */
void files_held_free(struct files_held *out);
/* Drops OUT's files once the form that held them went through.  Best
 * effort: a file left over expires with the day. */
void files_held_drop(db_t *db, const struct files_held *out);

#endif
