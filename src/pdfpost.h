/* The pass over the PDF the writer (pdfw.h) made, through libqpdf: its
 * streams are compressed, the objects go into object streams with a
 * cross-reference stream, the document information is written, and on
 * request the file becomes PDF/A-2b (XMP metadata, an sRGB output intent).
 * Pages, fonts, outline and links stay as written. */
#ifndef BRIEFING_PDFPOST_H
#define BRIEFING_PDFPOST_H
#include "buf.h"
#include "diag.h"
#include <stdbool.h>
#include <stddef.h>

/* The document information, UTF-8; NULL where there is none. */
struct pdf_info {
    const char *title, *author, *subject, *keywords;
    const char *creator;  /* the program that made the content */
    const char *producer; /* the one that wrote the PDF (" and qpdf V" is added) */
    const char *date;     /* creation date, "YYYY-MM-DDThh:mm:ss" then "Z" or "+hh:mm" */
};

/* What PDF/A-2b asks beyond the information: the output intent's ICC
 * profile (an RGB one: pages paint in DeviceRGB). */
struct pdfa {
    const unsigned char *icc;
    size_t icc_len;
    const char *icc_name; /* its output condition, e.g. "sRGB IEC61966-2.1" */
};

/* Rewrites the PDF in pdf->data[start..len); pdfa NULL for a plain PDF.
 * False, with an error in d and the buffer as it was, when libqpdf cannot
 * read or write the file. */
bool pdfpost_finish(struct buf *pdf, size_t start, const struct pdf_info *info,
                    const struct pdfa *pdfa, struct diag *d);

#endif
