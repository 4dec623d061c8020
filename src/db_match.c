/* db_match.c -- see db_match.h.  The tokens come from FTS5's own unicode61
 * tokenizer (one instance per connection, with the index's arguments), so
 * the test cannot drift from the index; text that is plain ASCII -- most
 * of it -- is split here instead, where unicode61 gives the same tokens:
 * runs of letters and digits, letters in lower case. */
#include "db_match.h"
#include "db.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MATCH_TERMS 16      /* search_expr's limit */
#define MATCH_TERM_MAX 256  /* bytes of one folded term */

#define HITS_CHUNK_BITS 16    /* numbers a chunk of the hit set covers: 2^16 */
#define HITS_CHUNKS_MAX 4096  /* chunks a hit set may span: 32 MiB at most */
#define CHUNK_WORDS ((1u << HITS_CHUNK_BITS) / 64)

/* The work orders fw_collect() gathered: a bitmap in chunks of 2^16
 * numbers, from the chunk of the first number on. */
struct hits {
	int64_t base;           /* chunk number of chunk[0] */
	size_t n;               /* chunks allocated in chunk[] */
	uint64_t **chunk;       /* NULL where no number fell */
	int over;               /* a number fell outside HITS_CHUNKS_MAX */
};

struct matcher {
	fts5_tokenizer api;
	Fts5Tokenizer *tok;
	struct hits hits;
};

/* The terms of one statement's TERMS argument, folded; kept by SQLite
 * with the statement's argument (auxdata) between rows. */
struct terms {
	int n;
	size_t len[MATCH_TERMS];
	char t[MATCH_TERMS][MATCH_TERM_MAX];
};

/* The state of one test of a row: which terms were seen. */
struct probe {
	const struct terms *terms;
	unsigned seen, all;
};

static void
probe_token(struct probe *p, const char *tok, size_t n)
{
	for (int i = 0; i < p->terms->n; i++) {
		unsigned bit = 1u << i;
		if (!(p->seen & bit) && n >= p->terms->len[i] && memcmp(tok, p->terms->t[i], p->terms->len[i]) == 0)
			p->seen |= bit;
	}
}

static int
probe_cb(void *ctx, int flags, const char *tok, int n, int start, int end)
{
	(void)flags, (void)start, (void)end;
	struct probe *p = ctx;
	probe_token(p, tok, (size_t)n);
	return p->seen == p->all ? SQLITE_DONE : SQLITE_OK;   /* DONE: stop early */
}

/* Each byte as unicode61 sees it in ASCII text: a letter or digit, in
 * lower case; 0, a separator; FOLD_OTHER, a byte of another character
 * (the text then goes through the tokenizer).  Filled once. */
#define FOLD_OTHER 0xff
static unsigned char fold_tab[256];
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static void
fold_init(void)
{
	for (int c = 0; c < 256; c++)
		fold_tab[c] = c >= 0x80 ? FOLD_OTHER : (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) :
		    ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ? (unsigned char)c : 0;
}

/* Feeds TEXT's tokens to P until every term was seen.  ASCII is read in
 * place: at each word's start every term not yet seen is compared with
 * the word's first bytes (a term is folded letters and digits, so a match
 * is a prefix of that word), no token copied; text with any other byte
 * goes through the tokenizer, from its start. */
static void
probe_text(struct matcher *m, struct probe *p, const unsigned char *s, size_t n)
{
	const struct terms *t = p->terms;
	unsigned before = p->seen;
	for (size_t i = 0; i < n && p->seen != p->all;) {
		unsigned char c = fold_tab[s[i]];
		if (c == 0) {
			i++;
			continue;
		}
		if (c == FOLD_OTHER)
			goto tokenizer;
		for (int k = 0; k < t->n; k++) {
			const unsigned char *w = (const unsigned char *)t->t[k];
			size_t len = t->len[k], j = 1;
			if (w[0] != c || (p->seen >> k) & 1u || len > n - i)
				continue;
			while (j < len && fold_tab[s[i + j]] == w[j])
				j++;
			if (j == len)
				p->seen |= 1u << k;
		}
		for (i++; i < n && fold_tab[s[i]] && fold_tab[s[i]] != FOLD_OTHER; i++)
			;
	}
	return;
tokenizer:
	p->seen = before;
	m->api.xTokenize(m->tok, p, FTS5_TOKENIZE_DOCUMENT, (const char *)s, (int)n, probe_cb);
}

struct fold {
	char *out;
	size_t n, cap;
	const char *prefix;   /* written before each token, each ended by a space: " " writes it once, bare */
};

/* One token, behind each of the fold's prefixes (" ": one, empty). */
static int
fold_cb(void *ctx, int flags, const char *tok, int n, int start, int end)
{
	(void)flags, (void)start, (void)end;
	struct fold *f = ctx;
	if (n <= 0)
		return SQLITE_OK;
	for (const char *p = f->prefix, *e; *p; p = e + 1) {
		e = strchr(p, ' ');
		size_t plen = (size_t)(e - p);
		if (f->n + plen + (size_t)n + 2 > f->cap)
			return SQLITE_TOOBIG;
		if (f->n)
			f->out[f->n++] = ' ';
		memcpy(f->out + f->n, p, plen);
		memcpy(f->out + f->n + plen, tok, (size_t)n);
		f->n += plen + (size_t)n;
	}
	return SQLITE_OK;
}

static void
fw_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	struct matcher *m = sqlite3_user_data(ctx);
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	/* a folded token is never longer than three times its source */
	struct fold f = { NULL, 0, (size_t)n * 3 + 2, " " };
	f.out = sqlite3_malloc64(f.cap);
	if (!f.out) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	int rc = m->api.xTokenize(m->tok, &f, FTS5_TOKENIZE_QUERY, s, n, fold_cb);
	if (rc != SQLITE_OK) {
		sqlite3_free(f.out);
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	sqlite3_result_text(ctx, f.out, (int)f.n, sqlite3_free);
}

/* fw_scoped(ORG, CLASS, V1, V2, ...): the tokens of the values as the
 * index keeps them, each three times: behind the company's prefix
 * ("12xword"), the company's and class's ("12k0xword") and the class's
 * ("k0xword") -- the text of the search index scoped by company and
 * status class (search.h).  NULL values are skipped. */
static void
fw_scoped(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct matcher *m = sqlite3_user_data(ctx);
	if (argc < 2) {
		sqlite3_result_error(ctx, "fw_scoped: a company and a class first", -1);
		return;
	}
	long long org = sqlite3_value_int64(argv[0]), klass = sqlite3_value_int64(argv[1]);
	char prefix[96];   /* each ends with a space */
	int plen = snprintf(prefix, sizeof(prefix), "%lldx %lldk%lldx k%lldx ", org, org, klass, klass);
	size_t cap = 2;
	for (int i = 2; i < argc; i++)   /* each byte a token of its own at worst */
		cap += (size_t)sqlite3_value_bytes(argv[i]) * (3 * 4 + (size_t)plen);
	struct fold f = { sqlite3_malloc64(cap), 0, cap, prefix };
	if (!f.out) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	int rc = SQLITE_OK;
	for (int i = 2; i < argc && rc == SQLITE_OK; i++) {
		const char *s = (const char *)sqlite3_value_text(argv[i]);
		if (s)
			rc = m->api.xTokenize(m->tok, &f, FTS5_TOKENIZE_DOCUMENT, s, sqlite3_value_bytes(argv[i]), fold_cb);
	}
	if (rc != SQLITE_OK) {
		sqlite3_free(f.out);
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	sqlite3_result_text(ctx, f.out, (int)f.n, sqlite3_free);
}

/* TERMS (words separated by single spaces, as fw_fold writes them) into
 * T.  0, or -1 when there are too many or one is too long. */
static int
terms_parse(const char *s, struct terms *t)
{
	t->n = 0;
	for (const char *p = s ? s : ""; *p;) {
		const char *end = strchr(p, ' ');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n) {
			if (t->n == MATCH_TERMS || n >= MATCH_TERM_MAX)
				return -1;
			memcpy(t->t[t->n], p, n);
			t->len[t->n++] = n;
		}
		p += n + (end != NULL);
	}
	return 0;
}

static void
fw_match(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct matcher *m = sqlite3_user_data(ctx);
	struct terms *t = sqlite3_get_auxdata(ctx, 0);
	if (!t) {
		t = sqlite3_malloc64(sizeof(*t));
		if (!t) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
		if (terms_parse((const char *)sqlite3_value_text(argv[0]), t) != 0) {
			sqlite3_free(t);
			sqlite3_result_error(ctx, "fw_match: too many or too long terms", -1);
			return;
		}
		sqlite3_set_auxdata(ctx, 0, t, sqlite3_free);
	}
	struct probe p = { t, 0, (1u << t->n) - 1 };
	for (int i = 1; i < argc && p.seen != p.all; i++) {
		const unsigned char *s = sqlite3_value_text(argv[i]);
		if (s)
			probe_text(m, &p, s, (size_t)sqlite3_value_bytes(argv[i]));
	}
	sqlite3_result_int(ctx, p.seen == p.all);
}

static void
hits_clear(struct hits *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->chunk[i]);
	free(h->chunk);
	memset(h, 0, sizeof(*h));
}

/* Adds NUMBER to H.  0, or -1 when out of memory or range (H->over). */
static int
hits_add(struct hits *h, int64_t number)
{
	int64_t c = number >> HITS_CHUNK_BITS;
	if (!h->chunk) {
		h->base = c;
	} else if (c < h->base) {
		/* the directory starts at the first number's chunk; numbers
		 * come in the index's order (ascending), so this is rare */
		h->over = 1;
		return -1;
	}
	int64_t i = c - h->base;
	if (i >= HITS_CHUNKS_MAX) {
		h->over = 1;
		return -1;
	}
	if ((size_t)i >= h->n) {
		size_t n = (size_t)i + 16 < HITS_CHUNKS_MAX ? (size_t)i + 16 : HITS_CHUNKS_MAX;
		uint64_t **d = realloc(h->chunk, n * sizeof(*d));
		if (!d)
			return -1;
		memset(d + h->n, 0, (n - h->n) * sizeof(*d));
		h->chunk = d;
		h->n = n;
	}
	if (!h->chunk[i] && !(h->chunk[i] = calloc(1, (1u << HITS_CHUNK_BITS) / 8)))
		return -1;
	uint64_t bit = (uint64_t)number & ((1u << HITS_CHUNK_BITS) - 1);
	h->chunk[i][bit >> 6] |= 1ull << (bit & 63);
	return 0;
}

static int
hits_has(const struct hits *h, int64_t number)
{
	int64_t i = (number >> HITS_CHUNK_BITS) - h->base;
	if (i < 0 || (size_t)i >= h->n || !h->chunk[i])
		return 0;
	uint64_t bit = (uint64_t)number & ((1u << HITS_CHUNK_BITS) - 1);
	return (h->chunk[i][bit >> 6] >> (bit & 63)) & 1;
}

/* fw_collect(NUMBER) (FRESH) and fw_collect_more(NUMBER): aggregates that
 * make the connection's hit set the numbers they are given, or add them
 * to it, and answer how many, or NULL when they do not fit (the set is
 * then emptied: the caller gathers another way). */
static void
collect_step(sqlite3_context *ctx, sqlite3_value **argv, int fresh)
{
	struct matcher *m = sqlite3_user_data(ctx);
	int64_t *count = sqlite3_aggregate_context(ctx, sizeof(*count) + sizeof(int));
	if (!count) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	int *started = (int *)(count + 1);
	if (!*started) {
		if (fresh)
			hits_clear(&m->hits);
		*started = 1;
	}
	if (m->hits.over)
		return;
	if (hits_add(&m->hits, sqlite3_value_int64(argv[0])) == 0)
		(*count)++;
	else
		m->hits.over = 1;
}

static void
collect_final(sqlite3_context *ctx, int fresh)
{
	struct matcher *m = sqlite3_user_data(ctx);
	int64_t *count = sqlite3_aggregate_context(ctx, 0);
	if (!count && fresh)
		hits_clear(&m->hits);   /* no rows: an empty set */
	if (m->hits.over) {
		hits_clear(&m->hits);
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_int64(ctx, count ? *count : 0);
}

static void fw_collect_step(sqlite3_context *c, int n, sqlite3_value **v) { (void)n; collect_step(c, v, 1); }
static void fw_collect_final(sqlite3_context *c) { collect_final(c, 1); }
static void fw_more_step(sqlite3_context *c, int n, sqlite3_value **v) { (void)n; collect_step(c, v, 0); }
static void fw_more_final(sqlite3_context *c) { collect_final(c, 0); }

/* fw_hit(NUMBER): 1 when fw_collect() last gathered NUMBER. */
static void
fw_hit(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	struct matcher *m = sqlite3_user_data(ctx);
	sqlite3_result_int(ctx, hits_has(&m->hits, sqlite3_value_int64(argv[0])));
}

/* A hit set apart from its connection (db.h). */
struct db_hits {
	struct hits h;
};

struct db_hits *
db_match_take(struct matcher *m)
{
	struct db_hits *d = m && !m->hits.over ? malloc(sizeof(*d)) : NULL;
	if (!d)
		return NULL;
	d->h = m->hits;
	memset(&m->hits, 0, sizeof(m->hits));
	return d;
}

void
db_match_give(struct matcher *m, struct db_hits *d)
{
	hits_clear(&m->hits);
	if (d) {
		m->hits = d->h;
		free(d);
	}
}

void
db_match_scan(const struct matcher *m, int64_t from, void (*fn)(void *, int64_t, uint64_t), void *arg)
{
	const struct hits *h = &m->hits;
	for (size_t i = 0; i < h->n; i++) {
		const uint64_t *c = h->chunk[i];
		int64_t first = (h->base + (int64_t)i) << HITS_CHUNK_BITS;
		if (!c || first + (1 << HITS_CHUNK_BITS) <= from)
			continue;
		for (size_t w = first < from ? (size_t)((from - first) >> 6) : 0; w < CHUNK_WORDS; w++) {
			uint64_t bits = c[w];
			int64_t base = first + (int64_t)(w << 6);
			if (base < from)
				bits &= ~0ull << (from - base);
			if (bits)
				fn(arg, base, bits);
		}
	}
}

int
db_match_has(const struct matcher *m, int64_t number)
{
	return hits_has(&m->hits, number);
}

/* Makes H's directory reach chunks FROM to TO (absolute).  0, or -1 when
 * out of memory or past HITS_CHUNKS_MAX (H unchanged). */
static int
hits_span(struct hits *h, int64_t from, int64_t to)
{
	int64_t lo = h->chunk && h->base < from ? h->base : from;
	int64_t hi = h->chunk && h->base + (int64_t)h->n - 1 > to ? h->base + (int64_t)h->n - 1 : to;
	if (h->chunk && lo == h->base && hi == h->base + (int64_t)h->n - 1)
		return 0;
	if (hi - lo + 1 > HITS_CHUNKS_MAX)
		return -1;
	uint64_t **d = calloc((size_t)(hi - lo + 1), sizeof(*d));
	if (!d)
		return -1;
	for (size_t i = 0; h->chunk && i < h->n; i++)
		d[h->base - lo + (int64_t)i] = h->chunk[i];
	free(h->chunk);
	h->chunk = d;
	h->base = lo;
	h->n = (size_t)(hi - lo + 1);
	return 0;
}

struct db_hits *
db_hits_dup(const struct db_hits *src)
{
	struct db_hits *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	if (db_hits_or(d, src) != 0) {
		db_hits_free(d);
		return NULL;
	}
	return d;
}

int
db_hits_or(struct db_hits *acc, const struct db_hits *b)
{
	const struct hits *s = &b->h;
	if (!s->chunk)
		return 0;
	if (hits_span(&acc->h, s->base, s->base + (int64_t)s->n - 1) != 0)
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		if (!s->chunk[i])
			continue;
		uint64_t **c = &acc->h.chunk[s->base + (int64_t)i - acc->h.base];
		if (!*c && !(*c = calloc(CHUNK_WORDS, sizeof(uint64_t))))
			return -1;
		for (size_t w = 0; w < CHUNK_WORDS; w++)
			(*c)[w] |= s->chunk[i][w];
	}
	return 0;
}

void
db_hits_and(struct db_hits *acc, const struct db_hits *b)
{
	struct hits *a = &acc->h;
	for (size_t i = 0; i < a->n; i++) {
		if (!a->chunk[i])
			continue;
		int64_t j = a->base + (int64_t)i - b->h.base;
		const uint64_t *o = j >= 0 && (size_t)j < b->h.n ? b->h.chunk[j] : NULL;
		for (size_t w = 0; w < CHUNK_WORDS; w++)
			a->chunk[i][w] = o ? a->chunk[i][w] & o[w] : 0;
	}
}

void
db_hits_cut(struct db_hits *acc, int64_t upto)
{
	struct hits *a = &acc->h;
	for (size_t i = 0; i < a->n; i++) {
		int64_t first = (a->base + (int64_t)i) << HITS_CHUNK_BITS;
		if (!a->chunk[i] || first + (1 << HITS_CHUNK_BITS) - 1 <= upto)
			continue;
		int64_t keep = upto + 1 > first ? upto + 1 - first : 0;   /* bits kept at the chunk's start */
		size_t w = (size_t)(keep >> 6);
		if (keep & 63)
			a->chunk[i][w++] &= (1ull << (keep & 63)) - 1;
		memset(a->chunk[i] + w, 0, (CHUNK_WORDS - w) * sizeof(uint64_t));
	}
}

size_t
db_hits_size(const struct db_hits *d)
{
	size_t n = sizeof(*d) + d->h.n * sizeof(*d->h.chunk);
	for (size_t i = 0; i < d->h.n; i++)
		n += d->h.chunk[i] ? CHUNK_WORDS * sizeof(uint64_t) : 0;
	return n;
}

void
db_hits_free(struct db_hits *d)
{
	if (!d)
		return;
	hits_clear(&d->h);
	free(d);
}

static void
matcher_free(void *arg)
{
	struct matcher *m = arg;
	hits_clear(&m->hits);
	if (m->tok)
		m->api.xDelete(m->tok);
	free(m);
}

/* FTS5's interface of H (the documented way: SELECT fts5(?1)). */
static fts5_api *
fts5_of(sqlite3 *h)
{
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	return api;
}

int
db_match_register(sqlite3 *h, struct matcher **out)
{
	fts5_api *api = fts5_of(h);
	if (!api)
		return -1;
	pthread_once(&fold_once, fold_init);
	struct matcher *m = calloc(1, sizeof(*m));
	if (!m)
		return -1;
	void *ud = NULL;
	static const char *args[] = { "remove_diacritics", "2" };
	if (api->xFindTokenizer(api, "unicode61", &ud, &m->api) != SQLITE_OK ||
	    m->api.xCreate(ud, args, 2, &m->tok) != SQLITE_OK) {
		free(m);
		return -1;
	}
	/* fw_match owns the matcher: SQLite frees it with the function, or at
	 * once when the function cannot be registered */
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	if (sqlite3_create_function_v2(h, "fw_match", -1, flags, m, fw_match, NULL, NULL, matcher_free) != SQLITE_OK ||
	    sqlite3_create_function_v2(h, "fw_fold", 1, flags, m, fw_fold, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function_v2(h, "fw_scoped", -1, flags, m, fw_scoped, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function_v2(h, "fw_collect", 1, SQLITE_UTF8, m, NULL, fw_collect_step, fw_collect_final,
	    NULL) != SQLITE_OK ||
	    sqlite3_create_function_v2(h, "fw_collect_more", 1, SQLITE_UTF8, m, NULL, fw_more_step, fw_more_final,
	    NULL) != SQLITE_OK ||
	    sqlite3_create_function_v2(h, "fw_hit", 1, SQLITE_UTF8, m, fw_hit, NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	*out = m;
	return 0;
}
