/* The pass over the PDF cairo wrote, through libqpdf: the embedded CFF
 * font programs lose the subroutines cairo keeps whole (see cff.h), the
 * objects go into object streams with a cross-reference stream, the
 * document information is written afresh, and on request the file
 * becomes PDF/A-2b (XMP metadata, an sRGB output intent, print flags on
 * annotations). Page contents, outline, links and tags stay as cairo
 * wrote them. */
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

/* The text of each /Span marked-content sequence with an MCID (cairo's
 * "Span" tags), in the order the pages draw them: each becomes the span's
 * ActualText, so the glyphs inside copy as exactly this text however they
 * are spaced. */
struct pdf_spans {
    const char *const *text;
    int n;
};

/* What PDF/A-2b asks beyond the information: the output intent's ICC
 * profile (an RGB one: cairo paints in DeviceRGB). */
struct pdfa {
    const unsigned char *icc;
    size_t icc_len;
    const char *icc_name; /* its output condition, e.g. "sRGB IEC61966-2.1" */
};

/* Rewrites the PDF in pdf->data[start..len); spans may be NULL, pdfa NULL
 * for a plain PDF. False, with an error in d and the buffer as it was, when
 * libqpdf cannot read or write the file or the spans are not all found. */
bool pdfpost_finish(struct buf *pdf, size_t start, const struct pdf_info *info,
                    const struct pdf_spans *spans, const struct pdfa *pdfa, struct diag *d);

#endif
