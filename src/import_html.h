/* A report saved from a government web page (HTML): the text of the
 * article body, one paragraph per block, found with libxml2's HTML parser. */
#ifndef BRIEFING_IMPORT_HTML_H
#define BRIEFING_IMPORT_HTML_H
#include "diag.h"
#include "import_para.h"
#include <stdbool.h>
#include <stddef.h>

/* Does the text look like an HTML page rather than plain text? */
bool import_html_detect(const char *utf8);
/* Reads the article body of an HTML page (already decoded to UTF-8) into l.
 * Text outside it (menus, headers, footers) is listed as dropped in d. */
bool import_html_read(const char *utf8, const char *file, struct ipara_list *l, struct diag *d);

#endif
