/* db_pg.c -- see db_pg.h. */
#include "db_pg.h"
#include "db.h"
#include "util.h"

#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PG_MAX_PARAMS 128

struct db_pg {
	PGconn *h;
	unsigned next_name;      /* prepared statements are named s1, s2 ... */
	int changes;
	int copy_pending;        /* a COPY sent whose result is still unread */
	int copy_failed;         /* ... and it failed */
};

struct db_pg_stmt {
	struct db_pg *c;
	char name[16];
	char *sql;               /* the $N text, for messages */
	int nparams;
	char *vals[PG_MAX_PARAMS];
	int lens[PG_MAX_PARAMS];
	int fmts[PG_MAX_PARAMS];
	PGresult *res;
	int row, nrows;
	unsigned char *blob;     /* the last bytea column read, unescaped */
	/* a bulk insert (db_pg_prepare_copy): rows kept in COPY's text
	 * format, sent in one COPY when BUFCAP is reached or at the flush */
	char *copy_sql;
	char *buf;
	size_t len;
};

#define COPY_BUF_CAP (4u << 20)   /* sent in pieces of about this size */

static int copy_wait(struct db_pg *c);

int
db_pg_is_uri(const char *path)
{
	return path && (!strncmp(path, "postgresql://", 13) || !strncmp(path, "postgres://", 11));
}

int
db_pg_open(const char *uri, struct db_pg **out, char *err, size_t errlen)
{
	*out = NULL;
	struct db_pg *c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	c->h = PQconnectdb(uri);
	if (!c->h || PQstatus(c->h) != CONNECTION_OK) {
		/* libpq's message names host and database, never the password */
		snprintf(err, errlen, "cannot connect to PostgreSQL: %s", c->h ? PQerrorMessage(c->h) : "out of memory");
		char *nl = strrchr(err, '\n');
		if (nl && !nl[1])
			*nl = '\0';
		PQfinish(c->h);
		free(c);
		return -1;
	}
	/* random_page_cost: a random read costs little more than a sequential
	 * one on SSDs or with the data in memory; at the stock 4 the planner
	 * walked the primary key past tens of thousands of rows of other
	 * classes rather than read a list page from its keyset index */
	PGresult *r = PQexec(c->h, "SET client_min_messages = warning; SET TIME ZONE 'UTC'; SET random_page_cost = 1.1");
	PQclear(r);
	*out = c;
	return 0;
}

void
db_pg_close(struct db_pg *c)
{
	if (!c)
		return;
	PQfinish(c->h);
	free(c);
}

/* SQLite's names for what PostgreSQL spells otherwise, outside quotes: the
 * one place the domain's SQL is translated word for word (functions, the
 * temporary schema, LIKE's case).  "INDEXED BY name" (a plan hint) is
 * dropped.  Returns the bytes written, or -1 when
 * OUT is too small. */
static long
dialect(const char *sql, char *out, size_t n)
{
	static const struct { const char *from, *to; } words[] = {
		{ "group_concat(", "string_agg(" },
		{ "instr(", "strpos(" },
		{ "temp.", "pg_temp." },
		{ "LIKE ", "ILIKE " },   /* SQLite's LIKE ignores ASCII case */
	};
	size_t o = 0;
	char quote = 0;
	for (const char *p = sql; *p;) {
		if (quote) {
			quote = *p == quote ? 0 : quote;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if ((p == sql || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z')))) {
			size_t w;
			for (w = 0; w < sizeof(words) / sizeof(words[0]); w++)
				if (!strncmp(p, words[w].from, strlen(words[w].from)))
					break;
			if (w < sizeof(words) / sizeof(words[0])) {
				size_t tl = strlen(words[w].to);
				if (o + tl >= n)
					return -1;
				memcpy(out + o, words[w].to, tl);
				o += tl;
				p += strlen(words[w].from);
				continue;
			}
			if (!strncmp(p, "INDEXED BY ", 11)) {
				p += 11;
				while (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
					p++;
				continue;
			}
		}
		if (o + 1 >= n)
			return -1;
		out[o++] = *p++;
	}
	out[o] = '\0';
	return (long)o;
}

int
db_pg_translate(const char *sql, char *out, size_t n)
{
	char *tmp = malloc(n);
	if (!tmp)
		return -1;
	int rc = dialect(sql, tmp, n) < 0 ? -1 : db_pg_placeholders(tmp, out, n);
	free(tmp);
	return rc;
}

int
db_pg_placeholders(const char *sql, char *out, size_t n)
{
	size_t o = 0;
	int max = 0;
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '?' && p[1] >= '0' && p[1] <= '9') {
			int v = 0;
			const char *q = p + 1;
			while (*q >= '0' && *q <= '9' && v < 1000)
				v = v * 10 + (*q++ - '0');
			if (v > max)
				max = v;
			if (o + 1 >= n)
				return -1;
			out[o++] = '$';
			continue;   /* the digits are copied as they are */
		}
		if (o + 1 >= n)
			return -1;
		out[o++] = *p;
	}
	out[o] = '\0';
	return max;
}

struct db_pg_stmt *
db_pg_prepare(struct db_pg *c, const char *sql)
{
	size_t n = strlen(sql) + 64;   /* string_agg is longer than group_concat */
	struct db_pg_stmt *s = calloc(1, sizeof(*s));
	char *text = malloc(n);
	if (!s || !text)
		goto fail;
	int np = db_pg_translate(sql, text, n);
	if (np < 0 || np > PG_MAX_PARAMS) {
		log_msg(LOG_ERR, "prepare: %d parameters (at most %d) in: %.200s", np, PG_MAX_PARAMS, sql);
		goto fail;
	}
	s->c = c;
	s->sql = text;
	s->nparams = np;
	snprintf(s->name, sizeof(s->name), "s%u", ++c->next_name);
	/* a number the text skips (the domain binds by fixed slots) must still
	 * have a type: text, which nothing reads */
	Oid types[PG_MAX_PARAMS] = { 0 };
	for (int i = 1; i <= np; i++) {
		char ref[16];   /* "$" and any int: no truncation for the compiler to warn of */
		snprintf(ref, sizeof(ref), "$%d", i);
		const char *at = text;
		int used = 0;
		while (!used && (at = strstr(at, ref))) {
			at += strlen(ref);
			used = !(*at >= '0' && *at <= '9');
		}
		if (!used)
			types[i - 1] = 25;   /* TEXTOID */
	}
	copy_wait(c);
	PGresult *r = PQprepare(c->h, s->name, text, np, types);
	int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		log_msg(LOG_ERR, "prepare: %s in: %.200s", r ? PQresultErrorMessage(r) : PQerrorMessage(c->h), text);
	PQclear(r);
	if (ok)
		return s;
fail:
	free(text);
	free(s);
	return NULL;
}

/* Reads "INSERT INTO name(cols) VALUES (?1, ?2, ... ?N)" with one ?K per
 * column, in order: the only shape a bulk insert takes.  Writes the COPY
 * statement for it into OUT.  Returns N, or -1. */
static int
copy_statement(const char *sql, char *out, size_t n)
{
	const char *p = sql, *name, *cols;
	if (strncmp(p, "INSERT INTO ", 12))
		return -1;
	name = p += 12;
	while (*p && *p != '(' && *p != ' ')
		p++;
	if (*p != '(' || p == name)
		return -1;
	int namelen = (int)(p - name);
	cols = ++p;
	int ncols = 1;
	for (; *p && *p != ')'; p++)
		if (*p == ',')
			ncols++;
	if (*p != ')')
		return -1;
	int colslen = (int)(p - cols);
	p++;
	if (strncmp(p, " VALUES (", 9))
		return -1;
	p += 9;
	for (int k = 1; k <= ncols; k++) {
		char *end;
		if (*p != '?' || strtol(p + 1, &end, 10) != k)
			return -1;
		p = end;
		if (k < ncols && strncmp(p, ", ", 2))
			return -1;
		if (k < ncols)
			p += 2;
	}
	if (strcmp(p, ")"))
		return -1;
	if ((size_t)snprintf(out, n, "COPY %.*s(%.*s) FROM STDIN", namelen, name, colslen, cols) >= n)
		return -1;
	return ncols;
}

struct db_pg_stmt *
db_pg_prepare_copy(struct db_pg *c, const char *sql)
{
	char copy[2048];
	int np = copy_statement(sql, copy, sizeof(copy));
	if (np < 1 || np > PG_MAX_PARAMS) {
		log_msg(LOG_ERR, "bulk insert: not INSERT INTO t(cols) VALUES (?1...?N): %.200s", sql);
		return NULL;
	}
	struct db_pg_stmt *s = calloc(1, sizeof(*s));
	if (!s || !(s->copy_sql = strdup(copy)) || !(s->sql = strdup(sql)) || !(s->buf = malloc(COPY_BUF_CAP + 4096))) {
		db_pg_finalize(s);
		return NULL;
	}
	s->c = c;
	s->nparams = np;
	return s;
}

/* Appends V in COPY's text format: backslash, tab, newline and carriage
 * return escaped, NULL as \N.  Returns 0, or -1 when the row outgrows the
 * buffer's slack. */
static int
copy_append(struct db_pg_stmt *s, const char *v, int len)
{
	size_t cap = COPY_BUF_CAP + 4096 - 1;   /* a byte kept for the delimiter */
	if (!v) {
		if (s->len + 3 > cap)
			return -1;
		memcpy(s->buf + s->len, "\\N", 2);
		s->len += 2;
		return 0;
	}
	for (int i = 0; i < len; i++) {
		if (s->len + 3 > cap)
			return -1;
		char ch = v[i];
		const char *esc = ch == '\\' ? "\\\\" : ch == '\t' ? "\\t" : ch == '\n' ? "\\n" : ch == '\r' ? "\\r" : NULL;
		if (esc) {
			memcpy(s->buf + s->len, esc, 2);
			s->len += 2;
		} else {
			s->buf[s->len++] = ch;
		}
	}
	return 0;
}

/* Reads the result of the COPY sent last, so that the connection can take
 * the next command.  0, or -1 (logged) when that COPY failed.  The server
 * works through one buffer while the program fills the next. */
static int
copy_wait(struct db_pg *c)
{
	PGresult *r;
	if (!c->copy_pending)
		return 0;
	c->copy_pending = 0;
	while ((r = PQgetResult(c->h))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			if (!c->copy_failed)
				log_msg(LOG_ERR, "copy: %s", PQresultErrorMessage(r));
			c->copy_failed = 1;
		}
		PQclear(r);
	}
	int rc = c->copy_failed ? -1 : 0;
	c->copy_failed = 0;
	return rc;
}

int
db_pg_copy_flush(struct db_pg_stmt *s, int wait)
{
	if (!s || !s->copy_sql)
		return 0;
	struct db_pg *c = s->c;
	if (!s->len)
		return wait ? copy_wait(c) : 0;
	if (copy_wait(c)) {
		s->len = 0;
		return -1;
	}
	PGresult *r = PQexec(c->h, s->copy_sql);
	int ok = r && PQresultStatus(r) == PGRES_COPY_IN;
	if (!ok)
		log_msg(LOG_ERR, "copy: %s in: %.200s", r ? PQresultErrorMessage(r) : PQerrorMessage(c->h), s->copy_sql);
	PQclear(r);
	s->len = ok ? s->len : 0;
	if (!ok)
		return -1;
	ok = PQputCopyData(c->h, s->buf, (int)s->len) == 1;
	s->len = 0;
	c->copy_pending = 1;
	c->copy_failed = !ok;
	if (PQputCopyEnd(c->h, ok ? NULL : "the rows could not be sent") != 1)
		c->copy_failed = 1;
	return wait || c->copy_failed ? copy_wait(c) : 0;
}

/* Appends the bound row to the buffer.  0, or -1 when it does not fit
 * (the buffer is left as it was). */
static int
copy_row(struct db_pg_stmt *s)
{
	size_t start = s->len;
	for (int i = 0; i < s->nparams; i++) {
		if (i)
			s->buf[s->len++] = '\t';   /* the slack always holds one byte */
		if (s->fmts[i] || copy_append(s, s->vals[i], s->lens[i])) {
			s->len = start;
			return -1;
		}
	}
	s->buf[s->len++] = '\n';
	return 0;
}

/* A bulk insert's step: the bound row joins the buffer, which is sent
 * when full (and first, when the row does not fit behind what it holds). */
static int
copy_step(struct db_pg_stmt *s)
{
	if (copy_row(s) && (!s->len || db_pg_copy_flush(s, 0) || copy_row(s))) {
		log_msg(LOG_ERR, "copy: a row too long or binary in: %.200s", s->copy_sql);
		return DB_ERROR;
	}
	if (s->len >= COPY_BUF_CAP && db_pg_copy_flush(s, 0))
		return DB_ERROR;
	return DB_DONE;
}

void
db_pg_reset(struct db_pg_stmt *s)
{
	if (!s)
		return;
	PQclear(s->res);
	s->res = NULL;
	s->row = s->nrows = 0;
	for (int i = 0; i < s->nparams; i++) {
		free(s->vals[i]);
		s->vals[i] = NULL;
		s->lens[i] = s->fmts[i] = 0;
	}
	PQfreemem(s->blob);
	s->blob = NULL;
}

void
db_pg_finalize(struct db_pg_stmt *s)
{
	if (!s)
		return;
	db_pg_reset(s);
	if (s->copy_sql) {
		free(s->copy_sql);
		free(s->buf);
	} else if (s->c) {
		char sql[40];
		copy_wait(s->c);
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
		PQclear(PQexec(s->c->h, sql));
	}
	free(s->sql);
	free(s);
}

void
db_pg_bind(struct db_pg_stmt *s, int i, const char *v, long len, int binary)
{
	if (i < 1 || i > s->nparams)
		return;
	i--;
	free(s->vals[i]);
	s->vals[i] = NULL;
	if (!v)
		return;
	size_t n = len < 0 ? strlen(v) : (size_t)len;
	s->vals[i] = malloc(n + 1);
	if (!s->vals[i])
		return;
	memcpy(s->vals[i], v, n);
	s->vals[i][n] = '\0';
	s->lens[i] = (int)n;
	s->fmts[i] = binary;
}

static int
sqlstate_is_constraint(const char *st)
{
	return st && !strncmp(st, "23", 2);   /* integrity constraint violation */
}

int
db_pg_step(struct db_pg_stmt *s)
{
	if (s->copy_sql)
		return copy_step(s);
	if (!s->res) {
		if (copy_wait(s->c))
			return DB_ERROR;
		s->res = PQexecPrepared(s->c->h, s->name, s->nparams, (const char *const *)s->vals, s->lens, s->fmts, 0);
		ExecStatusType st = s->res ? PQresultStatus(s->res) : PGRES_FATAL_ERROR;
		if (st == PGRES_COMMAND_OK) {
			const char *n = PQcmdTuples(s->res);
			s->c->changes = *n ? atoi(n) : 0;
			return DB_DONE;
		}
		if (st != PGRES_TUPLES_OK) {
			const char *state = s->res ? PQresultErrorField(s->res, PG_DIAG_SQLSTATE) : NULL;
			if (sqlstate_is_constraint(state))
				return DB_CONSTRAINT;
			log_msg(LOG_ERR, "step: %s in: %.200s", s->res ? PQresultErrorMessage(s->res) :
			    PQerrorMessage(s->c->h), s->sql);
			return DB_ERROR;
		}
		const char *n = PQcmdTuples(s->res);
		s->c->changes = *n ? atoi(n) : 0;
		s->nrows = PQntuples(s->res);
		s->row = -1;
	}
	if (s->row + 1 >= s->nrows) {
		s->row = s->nrows;
		return DB_DONE;
	}
	s->row++;
	return DB_ROW;
}

static int
has_cell(struct db_pg_stmt *s, int i)
{
	return s->res && s->row >= 0 && s->row < s->nrows && i >= 0 && i < PQnfields(s->res);
}

int64_t
db_pg_col_int(struct db_pg_stmt *s, int i)
{
	if (!has_cell(s, i) || PQgetisnull(s->res, s->row, i))
		return 0;
	const char *v = PQgetvalue(s->res, s->row, i);
	if (*v == 't' || *v == 'f')
		return *v == 't';   /* a boolean */
	return strtoll(v, NULL, 10);
}

const char *
db_pg_col_text(struct db_pg_stmt *s, int i)
{
	return has_cell(s, i) && !PQgetisnull(s->res, s->row, i) ? PQgetvalue(s->res, s->row, i) : "";
}

const void *
db_pg_col_blob(struct db_pg_stmt *s, int i, size_t *n)
{
	*n = 0;
	if (!has_cell(s, i) || PQgetisnull(s->res, s->row, i))
		return NULL;
	PQfreemem(s->blob);
	s->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, i), n);
	return s->blob;
}

int
db_pg_col_is_null(struct db_pg_stmt *s, int i)
{
	return !has_cell(s, i) || PQgetisnull(s->res, s->row, i);
}

int
db_pg_col_count(struct db_pg_stmt *s)
{
	return s->res ? PQnfields(s->res) : 0;
}

const char *
db_pg_col_name(struct db_pg_stmt *s, int i)
{
	const char *n = s->res && i >= 0 && i < PQnfields(s->res) ? PQfname(s->res, i) : NULL;
	return n ? n : "";
}

int
db_pg_col_type(struct db_pg_stmt *s, int i)
{
	if (db_pg_col_is_null(s, i))
		return DB_T_NULL;
	switch (PQftype(s->res, i)) {
	case 16: case 20: case 21: case 23: return DB_T_INT;   /* bool, int8, int2, int4 */
	case 17: return DB_T_BLOB;                          /* bytea */
	default: return DB_T_TEXT;
	}
}

int
db_pg_exec_script(struct db_pg *c, const char *sql, char *err, size_t errlen)
{
	if (copy_wait(c)) {
		snprintf(err, errlen, "a bulk copy failed (see the log)");
		return -1;
	}
	PGresult *r = PQexec(c->h, sql);
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
	if (!ok)
		snprintf(err, errlen, "%s", r ? PQresultErrorMessage(r) : PQerrorMessage(c->h));
	PQclear(r);
	return ok ? 0 : -1;
}

int
db_pg_begin_read(struct db_pg *c, uint64_t *version)
{
	if (copy_wait(c))
		return -1;
	/* one round trip for the transaction and its snapshot: xmin, xmax and
	 * the transactions in progress, which decide every row it sees */
	PGresult *r = PQexec(c->h, "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT pg_current_snapshot()::text");
	int ok = r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
	if (ok) {
		uint64_t h = 14695981039346656037u;   /* FNV-1a */
		for (const char *p = PQgetvalue(r, 0, 0); *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211u;
		*version = h ? h : 1;
	} else {
		log_msg(LOG_ERR, "begin: %s", r ? PQresultErrorMessage(r) : PQerrorMessage(c->h));
	}
	PQclear(r);
	return ok ? 0 : -1;
}

int
db_pg_in_txn(struct db_pg *c)
{
	copy_wait(c);
	PGTransactionStatusType t = PQtransactionStatus(c->h);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

int64_t
db_pg_last_id(struct db_pg *c)
{
	/* lastval(): the identity the last INSERT of this connection drew */
	copy_wait(c);
	PGresult *r = PQexec(c->h, "SELECT lastval()");
	int64_t id = r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
	PQclear(r);
	return id;
}

int
db_pg_changes(struct db_pg *c)
{
	return c->changes;
}

const char *
db_pg_errmsg(struct db_pg *c)
{
	return PQerrorMessage(c->h);
}
