/* Text an office has, turned into UTF-8 lines: encoding detection (UTF-8,
 * or GB18030/GBK converted with iconv) and refusal of binary input. */
#ifndef BRIEFING_IMPORT_TEXT_H
#define BRIEFING_IMPORT_TEXT_H
#include "diag.h"
#include <stdbool.h>
#include <stddef.h>

/* Decodes bytes into NUL-terminated UTF-8 (*out, caller frees) and names
 * the encoding found ("UTF-8" or "GB18030"). Binary data or text valid in
 * neither encoding is an error in d, with the line and column of the
 * first bad byte; *out is then NULL. */
bool import_decode(const char *bytes, size_t len, const char *file, char **out,
                   const char **encoding, struct diag *d);

#endif
