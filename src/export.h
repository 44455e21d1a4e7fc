/* The document's indicators as data (`briefing indicators`): CSV for
 * spreadsheets, JSON for programs. */
#ifndef BRIEFING_EXPORT_H
#define BRIEFING_EXPORT_H
#include "buf.h"
#include "indicator.h"

/* RFC 4180 CSV with a UTF-8 BOM and a header row; one row per id and
 * period, its annotations as line:page;line:page in occurrences. pages
 * (from the layout, one per indicator of the set; NULL: none known) give
 * the page columns. */
void export_csv(const struct indicators *set, const int *pages, struct buf *out);
/* A JSON array of objects, one per id and period, with the line, column
 * and page of each of its annotations (occurrences); pages as for
 * export_csv. */
void export_json(const struct indicators *set, const int *pages, struct buf *out);
/* Appends s as a JSON string literal (quotes included). */
void json_string(struct buf *out, const char *s);

#endif
