/* The document's description in its PDF (pdfw.h): the information
 * dictionary, and for PDF/A-2b the XMP metadata saying the same (ISO
 * 19005-2 6.6.2.3) with the PDF/A identification, and an sRGB output
 * intent. */
#ifndef BRIEFING_PDFINFO_H
#define BRIEFING_PDFINFO_H
#include "buf.h"
#include "pdfw.h"
#include <stddef.h>

/* The document information, UTF-8; NULL where there is none. */
struct pdf_info {
    const char *title, *author, *subject, *keywords;
    const char *creator;  /* the program that made the content */
    const char *producer; /* the one that wrote the PDF */
    const char *date;     /* creation date, "YYYY-MM-DDThh:mm:ss" then "Z" or "+hh:mm" */
};

/* What PDF/A-2b asks beyond the information: the output intent's ICC
 * profile (an RGB one: pages paint in DeviceRGB). */
struct pdfa {
    const unsigned char *icc;
    size_t icc_len;
    const char *icc_name; /* its output condition, e.g. "sRGB IEC61966-2.1" */
};

/* The information dictionary; its object number. */
int pdfinfo_write(struct pdfw *w, const struct pdf_info *info);
/* The XMP metadata and the output intent, their catalog entries appended
 * to catalog. */
void pdfinfo_pdfa(struct pdfw *w, const struct pdf_info *info, const struct pdfa *pdfa,
                  struct buf *catalog);

#endif
