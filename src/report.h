/* report.h -- Create Service Report: a PDF of a work order (libharu, with
 * the DejaVu fonts so names with accents and non-Latin letters render):
 * the work order, the customer, the stations, the line items done, the
 * technician, the site times, the costs and the photos from Files. */
#ifndef FW_REPORT_H
#define FW_REPORT_H

#include <jansson.h>
#include <stddef.h>

#include "db.h"
#include "util.h"

#define REPORT_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define REPORT_FONT_BOLD "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
#define REPORT_MAX_PHOTOS 6

/* Writes the PDF of work order WO (its view-model, as wo_get gives it),
 * with the photos among its files, into OUT.  BRAND names the operator.
 * 0, or -1 with MSG. */
int report_service_pdf(db_t *db, json_t *wo, const char *brand, const char *printed, buf_t *out, char *msg, size_t ml);

#endif
