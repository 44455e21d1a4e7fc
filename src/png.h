/* Page images: each page of a layout drawn with cairo on an image surface
 * and written as a PNG file of its own, BASE-1.png, BASE-2.png … */
#ifndef BRIEFING_PNG_H
#define BRIEFING_PNG_H
#include "diag.h"
#include "fonts.h"
#include "layout.h"
#include <stdbool.h>

struct png_opts {
    double dpi;      /* pixels per inch; 72 gives one pixel a point */
    int first, last; /* the pages drawn (1-based, inclusive); last 0: to the end */
};

/* Draws the pages of l asked for and writes each atomically. On any error
 * (in d) none of the page files written by this call is left behind. */
bool png_render(const struct layout *l, struct fonts *fonts, const char *out_base,
                const struct png_opts *o, struct diag *d);
/* The file page n (1-based) goes to: base-n.png. Caller frees. */
char *png_page_name(const char *base, int n);

#endif
