/* Word .docx reading (libzip + libxml2): paragraphs with their heading
 * style, automatic numbering written out (一、 （一） 1. （1）), a leading
 * bold run, tables as GFM tables and footnotes. */
#ifndef BRIEFING_IMPORT_DOCX_H
#define BRIEFING_IMPORT_DOCX_H
#include "diag.h"
#include "import_para.h"
#include <stdbool.h>
#include <stddef.h>

/* Reads the archive in bytes into l. A damaged or hostile archive (missing
 * parts, bad XML, parts that inflate beyond sane sizes) is an error in d. */
bool import_docx_read(const char *bytes, size_t len, const char *file, struct ipara_list *l,
                      struct diag *d);

#endif
