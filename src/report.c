/* report.c -- see report.h. */
#include "report.h"
#include "files.h"

#include <hpdf.h>
#include <zlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pdf {
	HPDF_Doc doc;
	HPDF_Page page;
	HPDF_Font font, bold;
	float y;
	int error;
};

static void
on_error(HPDF_STATUS err, HPDF_STATUS detail, void *cls)
{
	struct pdf *p = cls;
	p->error = (int)err;
	log_msg(LOG_WARN, "pdf: error 0x%04x (%u)", (unsigned)err, (unsigned)detail);
}

#define MARGIN 50.0f
#define WIDTH 512.0f   /* letter width less the margins */

static void
new_page(struct pdf *p)
{
	p->page = HPDF_AddPage(p->doc);
	HPDF_Page_SetSize(p->page, HPDF_PAGE_SIZE_LETTER, HPDF_PAGE_PORTRAIT);
	p->y = HPDF_Page_GetHeight(p->page) - MARGIN;
}

static void
need(struct pdf *p, float h)
{
	if (p->y - h < MARGIN)
		new_page(p);
}

/* Writes TEXT wrapped to the page width, in FONT at SIZE. */
static void
text(struct pdf *p, HPDF_Font font, float size, const char *s)
{
	char line[2048];
	const char *rest = s;
	while (*rest) {
		size_t n = strcspn(rest, "\n");
		/* shorten at a space until the line fits */
		size_t take = n < sizeof(line) - 1 ? n : sizeof(line) - 1;
		for (;;) {
			memcpy(line, rest, take);
			line[take] = '\0';
			HPDF_Page_SetFontAndSize(p->page, font, size);
			if (take == 0 || HPDF_Page_TextWidth(p->page, line) <= WIDTH)
				break;
			size_t sp = take;
			while (sp > 0 && line[sp - 1] != ' ')
				sp--;
			take = sp > 1 ? sp - 1 : take - 1;
			while (take && ((unsigned char)rest[take] & 0xc0) == 0x80)
				take--;   /* never inside a UTF-8 sequence */
		}
		need(p, size + 4);
		HPDF_Page_BeginText(p->page);
		HPDF_Page_SetFontAndSize(p->page, font, size);
		HPDF_Page_TextOut(p->page, MARGIN, p->y - size, line);
		HPDF_Page_EndText(p->page);
		p->y -= size + 4;
		rest += take;
		while (*rest == ' ')
			rest++;
		if (take == n && *rest == '\n')
			rest++;
		if (take == 0 && *rest && *rest != '\n')
			rest++;
	}
}

static const char *
js(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : "";
}

static void
field(struct pdf *p, const char *label, const char *value)
{
	char l[1200];
	snprintf(l, sizeof(l), "%s: %s", label, *value ? value : "—");
	text(p, p->font, 10, l);
}

static void
heading(struct pdf *p, const char *h)
{
	p->y -= 8;
	text(p, p->bold, 13, h);
}

static uint32_t
be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* The PNG decoder under the PDF library stops the process on a broken
 * file, so a photo is only handed to it once its every chunk checksum and
 * its whole compressed image data check out here.  1 when sound. */
static int
png_sound(const unsigned char *d, size_t n)
{
	if (n < 8 + 25 || memcmp(d, "\x89PNG\r\n\x1a\n", 8))
		return 0;
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return 0;
	unsigned char sink[16384];
	int ihdr = 0, iend = 0, zend = 0, ok = 1;
	size_t off = 8;
	while (ok && off + 12 <= n && !iend) {
		uint32_t len = be32(d + off);
		const unsigned char *type = d + off + 4;
		if (len > n - off - 12) {
			ok = 0;
			break;
		}
		uLong crc = crc32(0L, type, (uInt)(len + 4));
		if (crc != be32(d + off + 8 + len)) {
			ok = 0;
			break;
		}
		if (!memcmp(type, "IHDR", 4)) {
			ihdr = len == 13 && be32(d + off + 8) > 0 && be32(d + off + 12) > 0 &&
			    be32(d + off + 8) <= 10000 && be32(d + off + 12) <= 10000;
		} else if (!memcmp(type, "IDAT", 4) && !zend) {
			z.next_in = (Bytef *)(d + off + 8);
			z.avail_in = len;
			while (z.avail_in && !zend) {
				z.next_out = sink;
				z.avail_out = sizeof(sink);
				int rc = inflate(&z, Z_NO_FLUSH);
				if (rc == Z_STREAM_END)
					zend = 1;
				else if (rc != Z_OK && rc != Z_BUF_ERROR) {
					ok = 0;
					break;
				}
				if (rc == Z_BUF_ERROR && z.avail_out == sizeof(sink))
					break;
			}
		} else if (!memcmp(type, "IEND", 4)) {
			iend = 1;
		}
		off += 12 + len;
	}
	inflateEnd(&z);
	return ok && ihdr && iend && zend;
}

static void
photos(struct pdf *p, db_t *db, json_t *wo)
{
	size_t i, shown = 0;
	json_t *f;
	json_array_foreach(json_object_get(wo, "files"), i, f) {
		if (shown == REPORT_MAX_PHOTOS || !json_is_true(json_object_get(f, "is_image")))
			continue;
		struct file_blob b;
		if (files_get(db, json_integer_value(json_object_get(f, "id")), &b) != FILES_OK)
			continue;
		HPDF_Image img = NULL;
		if (!strcmp(b.mime, "image/png") && png_sound((const unsigned char *)b.data, b.len))
			img = HPDF_LoadPngImageFromMem(p->doc, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
		else if (!strcmp(b.mime, "image/jpeg"))
			img = HPDF_LoadJpegImageFromMem(p->doc, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
		free(b.data);
		if (!img) {
			p->error = 0;   /* an unreadable photo is skipped, not fatal */
			HPDF_ResetError(p->doc);
			continue;
		}
		float w = (float)HPDF_Image_GetWidth(img), h = (float)HPDF_Image_GetHeight(img);
		float scale = w > 240 ? 240 / w : 1;
		if (h * scale > 180)
			scale = 180 / h;
		need(p, h * scale + 20);
		HPDF_Page_DrawImage(p->page, img, MARGIN, p->y - h * scale, w * scale, h * scale);
		p->y -= h * scale + 4;
		text(p, p->font, 8, b.title);
		shown++;
	}
	if (!shown)
		text(p, p->font, 10, "No photos in Files.");
}

int
report_service_pdf(db_t *db, json_t *wo, const char *brand, const char *printed, buf_t *out, char *msg, size_t ml)
{
	struct pdf p = { 0 };
	p.doc = HPDF_New(on_error, &p);
	if (!p.doc) {
		snprintf(msg, ml, "The PDF library could not start.");
		return -1;
	}
	HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(p.doc);
	HPDF_SetCurrentEncoder(p.doc, "UTF-8");
	const char *f1 = HPDF_LoadTTFontFromFile(p.doc, REPORT_FONT, HPDF_TRUE);
	const char *f2 = HPDF_LoadTTFontFromFile(p.doc, REPORT_FONT_BOLD, HPDF_TRUE);
	if (!f1 || !f2) {
		HPDF_Free(p.doc);
		snprintf(msg, ml, "The report fonts (DejaVu) are missing.");
		return -1;
	}
	p.font = HPDF_GetFont(p.doc, f1, "UTF-8");
	p.bold = HPDF_GetFont(p.doc, f2, "UTF-8");
	new_page(&p);
	char t[600];
	snprintf(t, sizeof(t), "%s Service Report", brand);
	text(&p, p.bold, 18, t);
	snprintf(t, sizeof(t), "Work Order %lld · %s · created %s", (long long)json_integer_value(json_object_get(wo, "number")),
	    js(wo, "status"), printed);
	text(&p, p.font, 10, t);
	heading(&p, "Work Order");
	field(&p, "Subject", js(wo, "subject"));
	field(&p, "Case", js(wo, "case"));
	field(&p, "Owner", js(wo, "owner"));
	field(&p, "Work Type", js(wo, "work_type"));
	field(&p, "Entitlement", js(wo, "entitlement"));
	field(&p, "WO Assigned Date", js(wo, "wo_assigned_date_local"));
	field(&p, "Target SLA Date", js(wo, "target_sla_date_local"));
	json_t *ci = json_object_get(wo, "customer_information");
	json_t *addr = json_object_get(ci, "address");
	heading(&p, "Customer");
	field(&p, "Account", js(ci, "account"));
	field(&p, "Contact", js(ci, "contact"));
	field(&p, "Case Contact Phone", js(ci, "case_contact_phone"));
	snprintf(t, sizeof(t), "%s, %s, %s %s, %s", js(addr, "street"), js(addr, "city"), js(addr, "state"),
	    js(addr, "postal_code"), js(addr, "country"));
	field(&p, "Address", t);
	heading(&p, "Stations");
	size_t i;
	json_t *st;
	json_array_foreach(json_object_get(wo, "stations"), i, st) {
		snprintf(t, sizeof(t), "%s: %s · Serial Number %s · MAC Address %s · %s", js(st, "label"), js(st, "name"),
		    js(st, "serial_number"), js(st, "mac_address"), js(st, "station_model"));
		text(&p, p.font, 10, t);
	}
	heading(&p, "Work Order Line Items");
	json_array_foreach(json_object_get(wo, "line_items"), i, st) {
		snprintf(t, sizeof(t), "%s · %s · %s · %s", js(st, "line_item_number"), js(st, "work_type"), js(st, "station"),
		    js(st, "status"));
		text(&p, p.font, 10, t);
	}
	heading(&p, "Technician and visit");
	field(&p, "Technician Name / Email", js(ci, "technician_name_email"));
	field(&p, "Technician Name", js(ci, "technician_name"));
	field(&p, "Phone Number", js(ci, "phone_number"));
	field(&p, "Appointment Date", js(wo, "appointment_date_local"));
	field(&p, "Actual Site Arrive Time", js(wo, "actual_site_arrive_time_local"));
	field(&p, "Actual Site Departure Time", js(wo, "actual_site_departure_time_local"));
	heading(&p, "Costs");
	json_t *rc = json_object_get(wo, "rental_equipment_cost"), *pc = json_object_get(wo, "permit_cost");
	snprintf(t, sizeof(t), "%s%s%s", json_is_string(rc) ? json_string_value(rc) : "none",
	    *js(wo, "rental_equipment_details") ? " · " : "", js(wo, "rental_equipment_details"));
	field(&p, "Rental Equipment Cost", t);
	snprintf(t, sizeof(t), "%s%s%s", json_is_string(pc) ? json_string_value(pc) : "none",
	    *js(wo, "permit_details") ? " · " : "", js(wo, "permit_details"));
	field(&p, "Permit Cost", t);
	heading(&p, "Photos");
	photos(&p, db, wo);
	if (p.error || HPDF_SaveToStream(p.doc) != HPDF_OK) {
		HPDF_Free(p.doc);
		snprintf(msg, ml, "The PDF could not be written.");
		return -1;
	}
	HPDF_UINT32 size = HPDF_GetStreamSize(p.doc);
	if (buf_reserve(out, size) != 0) {
		HPDF_Free(p.doc);
		snprintf(msg, ml, "The PDF is too large.");
		return -1;
	}
	HPDF_UINT32 got = size;
	HPDF_ReadFromStream(p.doc, (HPDF_BYTE *)out->data + out->len, &got);
	out->len += got;
	HPDF_Free(p.doc);
	return 0;
}
