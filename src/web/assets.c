/* assets.c -- see assets.h. */
#include "assets.h"
#include "embed.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

struct asset {
	char url[96];
	const char *data;
	size_t len;
	const char *ctype;
	char etag[24];
};

static struct asset assets[32];
static size_t nassets;
static char asset_version[17];

const char *
assets_version(void)
{
	return asset_version;
}

static const char *
ctype_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot) return "application/octet-stream";
	if (!strcmp(dot, ".css")) return "text/css; charset=utf-8";
	if (!strcmp(dot, ".js")) return "text/javascript; charset=utf-8";
	if (!strcmp(dot, ".svg")) return "image/svg+xml";
	if (!strcmp(dot, ".png")) return "image/png";
	if (!strcmp(dot, ".ico")) return "image/x-icon";
	return "application/octet-stream";
}

void
assets_load(void)
{
	crypto_generichash_state all;
	crypto_generichash_init(&all, NULL, 0, 8);
	for (const struct embed_file *f = embed_files; f->name && nassets < FW_ARRAY_LEN(assets); f++) {
		if (strncmp(f->name, "static/", 7) != 0)
			continue;
		struct asset *a = &assets[nassets++];
		snprintf(a->url, sizeof(a->url), "/%s", f->name);
		a->data = f->data;
		a->len = *f->size;
		a->ctype = ctype_of(f->name);
		unsigned char h[8];
		crypto_generichash(h, sizeof(h), (const unsigned char *)f->data, a->len, NULL, 0);
		crypto_generichash_update(&all, h, sizeof(h));
		snprintf(a->etag, sizeof(a->etag), "\"%02x%02x%02x%02x%02x%02x%02x%02x\"", h[0], h[1], h[2], h[3], h[4],
		    h[5], h[6], h[7]);
	}
	unsigned char v[8];
	crypto_generichash_final(&all, v, sizeof(v));
	sodium_bin2hex(asset_version, sizeof(asset_version), v, sizeof(v));
}

void
assets_serve(struct req *r)
{
	for (size_t i = 0; i < nassets; i++) {
		struct asset *a = &assets[i];
		if (strcmp(a->url, r->url) != 0)
			continue;
		http_add_header(r, "ETag", a->etag);
		http_add_header(r, "Cache-Control", http_query(r, "v") ? "public, max-age=31536000, immutable"
		    : "public, max-age=3600");
		const char *inm = http_header(r, "If-None-Match");
		if (inm && !strcmp(inm, a->etag)) {
			http_set_body(r, 304, NULL, NULL, 0, 1);
			return;
		}
		http_set_body(r, 200, a->ctype, (char *)a->data, a->len, 1);
		return;
	}
	static char nf[] = "Not found";
	http_set_body(r, 404, "text/plain; charset=utf-8", nf, sizeof(nf) - 1, 1);
}
