/* The HTML preview's style sheet, generated from the same template (struct
 * style) as the PDF: font roles with CJK fallback stacks, element sizes,
 * indents, spacing in body-grid lines, palette, emphasis, and the screen,
 * phone and print layouts. */
#ifndef BRIEFING_CSS_H
#define BRIEFING_CSS_H
#include "buf.h"
#include "style.h"

/* Appends the style sheet (without <style> tags) to out. Every string
 * taken from the template is escaped, so the result can never close the
 * <style> element it is placed in. */
void css_write(const struct style *st, struct buf *out);
/* The font-family list of a role as the sheet has it ("LXGW WenKai",…,serif),
 * for SVG font-family attributes; the caller escapes it for the attribute. */
void css_font_stack(const struct style *st, enum font_role role, struct buf *out);

#endif
