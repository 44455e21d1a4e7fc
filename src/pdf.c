#define _POSIX_C_SOURCE 200809L
#include "pdf.h"
#include "canvas_cairo.h"
#include "fontcut.h"
#include "pdfpost.h"
#include "style.h"
#include "utf8.h"
#include "xalloc.h"
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LEVELS 8

struct pdf {
    struct fonts *fonts;
    cairo_surface_t *surface;
    cairo_t *cr;
    const struct layout *l;
    int outline_parent[MAX_LEVELS + 1]; /* outline id of the last entry at each level */
    char **dests;         /* destinations made from text spans (notes), each once */
    int ndests;
    char **spans;         /* the text of each Span tag, in drawing order (pdfpost.h) */
    int nspans;
};

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int len)
{
    buf_put(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* A cairo tag attribute value: single quotes and backslashes escaped. */
static char *quote_attr(const char *s)
{
    struct buf b = {0};
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\')
            buf_putc(&b, '\\');
        buf_putc(&b, *s);
    }
    return buf_detach(&b);
}

/* A link to a page of another PDF beside this one ("report.pdf#page=12",
 * as department summaries point into the full report)? cairo 1.16 fails
 * an assertion on links into other files (GoToR with page= or dest=), so
 * these become URI links relative to this document, which PDF viewers
 * open at the page. */
static bool sibling_page_link(const char *url)
{
    const char *hash = strstr(url, ".pdf#page=");
    return hash && atoi(hash + 10) > 0 && !strchr(url, ':') && url[0] != '/';
}

/* Link attributes for a URL: web and mail links, a page of a sibling PDF,
 * or "#name" for a destination of this document; NULL for anything else
 * (kpi:, javascript:, relative paths). */
static char *link_target(const char *url)
{
    if (url[0] == '#' && url[1]) {
        char *q = quote_attr(url + 1);
        char *attr = xasprintf("dest='%s'", q);
        free(q);
        return attr;
    }
    bool web = !strncmp(url, "http://", 7) || !strncmp(url, "https://", 8) ||
               !strncmp(url, "mailto:", 7);
    if (!web && !sibling_page_link(url))
        return NULL;
    char *q = quote_attr(url);
    char *attr = xasprintf("uri='%s'", q);
    free(q);
    return attr;
}

/* A named destination at (x, y) of the current page, made once. */
static void text_dest(struct pdf *p, const char *name, double x, double y)
{
    for (int i = 0; i < p->ndests; i++)
        if (!strcmp(p->dests[i], name))
            return;
    p->dests = xreallocarray(p->dests, (size_t)p->ndests + 1, sizeof *p->dests);
    p->dests[p->ndests++] = xstrdup(name);
    char *q = quote_attr(name);
    char *attr = xasprintf("name='%s' x=%.2f y=%.2f", q, x, y);
    cairo_tag_begin(p->cr, CAIRO_TAG_DEST, attr);
    cairo_tag_end(p->cr, CAIRO_TAG_DEST);
    free(attr);
    free(q);
}

/* Note markers ("#note-N") are where the note links back to
 * ("noteref-N"); "=name" spans are destinations themselves. */
static void span_dests(struct pdf *p, const struct box *b, const struct span *sp, double x)
{
    double y = b->y - 0.88 * b->para->size;
    if (sp->data[0] == '=') {
        text_dest(p, sp->data + 1, x, y);
    } else if (!strncmp(sp->data, "#note-", 6)) {
        char *name = xasprintf("noteref-%s", sp->data + 6);
        text_dest(p, name, x, y);
        free(name);
    }
}

static void draw_links(struct pdf *p, const struct box *b)
{
    const struct para *para = b->para;
    PangoLayoutLine *line = para->lines[b->line];
    int ls = line->start_index, le = line->start_index + line->length;
    double origin = b->x - para->line_x[b->line];
    for (int i = 0; i < para->nlinks; i++) {
        const struct span *sp = &para->links[i];
        if (sp->end <= ls || sp->start >= le)
            continue;
        char *target = link_target(sp->data);
        int *ranges, n;
        pango_layout_line_get_x_ranges(line, sp->start > ls ? sp->start : ls,
                                       sp->end < le ? sp->end : le, &ranges, &n);
        if (n > 0)
            span_dests(p, b, sp, origin + ranges[0] / (double)PANGO_SCALE);
        if (!target) {
            g_free(ranges);
            continue;
        }
        for (int r = 0; r < n; r++) {
            double x0 = origin + ranges[2 * r] / (double)PANGO_SCALE;
            double x1 = origin + ranges[2 * r + 1] / (double)PANGO_SCALE;
            char *attr = xasprintf("%s rect=[%.2f %.2f %.2f %.2f]", target, x0,
                                   b->y - 0.88 * para->size, x1 - x0, para->size);
            cairo_tag_begin(p->cr, CAIRO_TAG_LINK, attr);
            cairo_tag_end(p->cr, CAIRO_TAG_LINK);
            free(attr);
        }
        g_free(ranges);
        free(target);
    }
}

/* 着重号: a dot under each emphasised Han character, centred on it. */
static void draw_dots(struct pdf *p, const struct box *b)
{
    const struct para *para = b->para;
    PangoLayoutLine *line = para->lines[b->line];
    const char *text = pango_layout_get_text(para->layout);
    int ls = line->start_index, le = line->start_index + line->length;
    double origin = b->x - para->line_x[b->line];
    for (int i = 0; i < para->ndots; i++) {
        const struct span *sp = &para->dots[i];
        for (int off = sp->start > ls ? sp->start : ls; off < sp->end && off < le;) {
            int n;
            int32_t c = utf8_decode(text + off, (size_t)(le - off), &n);
            if (cjk_is_han(c)) {
                PangoRectangle pos;
                pango_layout_index_to_pos(para->layout, off, &pos);
                double cx = origin + (pos.x + pos.width / 2.0) / PANGO_SCALE;
                cairo_arc(p->cr, cx, b->y + 0.32 * para->size, 0.08 * para->size, 0, 6.2832);
                cairo_fill(p->cr);
            }
            off += n;
        }
    }
}

static void add_outline(struct pdf *p, const struct box *b)
{
    int level = b->heading > MAX_LEVELS ? MAX_LEVELS : b->heading;
    int parent = CAIRO_PDF_OUTLINE_ROOT;
    for (int i = level - 1; i >= 1; i--)
        if (p->outline_parent[i] >= 0) {
            parent = p->outline_parent[i];
            break;
        }
    char *dest = xasprintf("dest='h-%d'", b->dest);
    p->outline_parent[level] = cairo_pdf_surface_add_outline(
        p->surface, parent, b->label ? b->label : "", dest, CAIRO_PDF_OUTLINE_FLAG_OPEN);
    for (int i = level + 1; i <= MAX_LEVELS; i++)
        p->outline_parent[i] = -1;
    free(dest);
}

/* A table-of-contents line links to its heading's destination. */
static void draw_internal_link(struct pdf *p, const struct box *b)
{
    double size = b->para->size;
    char *attr = xasprintf("dest='h-%d' rect=[%.2f %.2f %.2f %.2f]", b->link_dest, b->x,
                           b->y - 0.88 * size, b->para->line_w[b->line], size);
    cairo_tag_begin(p->cr, CAIRO_TAG_LINK, attr);
    cairo_tag_end(p->cr, CAIRO_TAG_LINK);
    free(attr);
}

static void draw_line(struct pdf *p, const struct box *b)
{
    const struct rgb *c = &p->l->st->text;
    const struct elem_style *es = &p->l->st->el[b->el];
    if (es->color_set)
        c = &es->color;
    cairo_set_source_rgb(p->cr, c->r, c->g, c->b);
    char *dest = NULL;
    if (b->dest >= 0) {
        dest = xasprintf("name='h-%d'", b->dest);
        cairo_tag_begin(p->cr, CAIRO_TAG_DEST, dest);
    }
    PangoLayoutLine *line = b->para->lines[b->line];
    /* the 发文机关标志 may be spread out: its text goes in whole as ActualText */
    bool span = b->el == EL_MASTHEAD;
    if (span) {
        p->spans = xreallocarray(p->spans, (size_t)p->nspans + 1, sizeof *p->spans);
        p->spans[p->nspans++] = xstrndup(pango_layout_get_text(line->layout) + line->start_index,
                                         (size_t)line->length);
        cairo_tag_begin(p->cr, "Span", NULL);
    }
    cairo_move_to(p->cr, b->x, b->y);
    font_cut_show_line(fonts_cut(p->fonts), p->cr, line);
    if (span)
        cairo_tag_end(p->cr, "Span");
    if (dest) {
        cairo_tag_end(p->cr, CAIRO_TAG_DEST);
        free(dest);
    }
    if (b->heading)
        add_outline(p, b);
    if (b->para->ndots)
        draw_dots(p, b);
    if (b->para->nlinks)
        draw_links(p, b);
    if (b->link_dest >= 0)
        draw_internal_link(p, b);
}

static void draw_rule(struct pdf *p, const struct box *b)
{
    cairo_set_source_rgb(p->cr, b->color.r, b->color.g, b->color.b);
    cairo_set_line_width(p->cr, b->width);
    if (b->dotted) {
        double dots[] = {0, b->width * 3};
        cairo_set_line_cap(p->cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_dash(p->cr, dots, 2, 0);
    } else {
        cairo_set_line_cap(p->cr, CAIRO_LINE_CAP_BUTT);
    }
    cairo_move_to(p->cr, b->x, b->y);
    cairo_line_to(p->cr, b->x2, b->y2);
    cairo_stroke(p->cr);
    cairo_set_dash(p->cr, NULL, 0, 0);
}

static void draw_rect(struct pdf *p, const struct box *b)
{
    cairo_set_source_rgb(p->cr, b->color.r, b->color.g, b->color.b);
    cairo_rectangle(p->cr, b->x, b->y, b->x2 - b->x, b->y2 - b->y);
    cairo_fill(p->cr);
}


static void draw_chart(struct pdf *p, const struct box *b)
{
    cairo_save(p->cr);
    cairo_translate(p->cr, b->x, b->y);
    struct canvas_cairo *cc = canvas_cairo_new(p->cr, p->fonts, p->l->st->chart_font);
    struct canvas cv = canvas_cairo(cc);
    chart_draw(b->chart, &cv, b->x2 - b->x, b->y2 - b->y, p->l->st);
    canvas_cairo_free(cc);
    cairo_restore(p->cr);
}

/* The document information: the title (else the first heading), author
 * (else the issuer), subject (subtitle, else 文号), keywords, and the
 * creation date: SOURCE_DATE_EPOCH when set, else the document's date. */
static void document_info(const struct layout *l, const struct meta *m, char date[64],
                          struct pdf_info *info)
{
    const char *title = m->title;
    for (int i = 0; !title && i < l->npages; i++)
        for (int j = 0; !title && j < l->pages[i].n; j++)
            if (l->pages[i].boxes[j].heading)
                title = l->pages[i].boxes[j].label;
    *date = 0;
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch) {
        time_t t = (time_t)strtoll(epoch, NULL, 10);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(date, 64, "%Y-%m-%dT%H:%M:%SZ", &tm);
    } else if (m->date.year) {
        snprintf(date, 64, "%04d-%02d-%02dT00:00:00+08:00", m->date.year, m->date.month,
                 m->date.day);
    }
    *info = (struct pdf_info){
        .title = title,
        .author = m->author ? m->author : m->issuer,
        .subject = m->subtitle ? m->subtitle : m->doc_number,
        .keywords = m->keywords,
        .creator = "briefing " BRIEFING_VERSION,
        .date = *date ? date : NULL,
    };
}

/* PDF/A-2b's output intent: the sRGB profile shipped in templates/icc. */
static bool read_icc(struct buf *icc, struct diag *d)
{
    char *path = xasprintf("%s/templates/icc/sRGB.icc", style_datadir());
    FILE *f = fopen(path, "rb");
    char chunk[8192];
    size_t n;
    while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(icc, chunk, n);
    bool ok = f && !ferror(f) && icc->len >= 128;
    if (f)
        fclose(f);
    if (!ok)
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read the sRGB ICC profile PDF/A needs");
    free(path);
    return ok;
}

/* The pass after cairo (pdfpost.h): smaller fonts and cross-reference
 * data, the document information, PDF/A when the template asks. */
static bool finish(const struct pdf *p, const struct meta *m, struct buf *out, size_t start,
                   struct diag *d)
{
    const struct layout *l = p->l;
    const struct pdf_spans spans = {(const char *const *)p->spans, p->nspans};
    char date[64];
    struct pdf_info info;
    document_info(l, m, date, &info);
    char *producer = xasprintf("cairo %s", cairo_version_string());
    info.producer = producer;
    struct buf icc = {0};
    bool ok = true;
    if (l->st->pdf_standard == PDF_STANDARD_A2B) {
        ok = read_icc(&icc, d);
        struct pdfa pdfa = {(const unsigned char *)icc.data, icc.len, "sRGB IEC61966-2.1"};
        ok = ok && pdfpost_finish(out, start, &info, &spans, &pdfa, d);
    } else {
        ok = pdfpost_finish(out, start, &info, &spans, NULL, d);
    }
    buf_free(&icc);
    free(producer);
    return ok;
}

/* The cut faces hold every glyph the layout drew. */
static void cover_glyphs(const struct layout *l, struct fonts *fonts)
{
    PangoLayout **layouts = xcalloc((size_t)l->nparas + 1, sizeof *layouts);
    for (int i = 0; i < l->nparas; i++)
        layouts[i] = l->paras[i]->layout;
    font_cut_cover(fonts_cut(fonts), layouts, l->nparas);
    free(layouts);
}

static bool render(const struct layout *l, struct layout *release, struct fonts *fonts,
                   const struct meta *m, struct buf *out, struct diag *d)
{
    const struct style *st = l->st;
    struct pdf p = {.l = l, .fonts = fonts};
    size_t start = out->len;
    for (int i = 0; i <= MAX_LEVELS; i++)
        p.outline_parent[i] = -1;
    p.surface = cairo_pdf_surface_create_for_stream(write_buf, out, st->page_w, st->page_h);
    cairo_pdf_surface_restrict_to_version(p.surface, CAIRO_PDF_VERSION_1_5);
    p.cr = cairo_create(p.surface);
    cover_glyphs(l, fonts);
    cairo_tag_begin(p.cr, "Document", NULL);
    for (int i = 0; i < l->npages; i++) {
        const struct page *pg = &l->pages[i];
        /* a named destination per page, for links from other documents */
        char *dest = xasprintf("name='p-%d' x=0 y=0", i + 1);
        cairo_tag_begin(p.cr, CAIRO_TAG_DEST, dest);
        cairo_tag_end(p.cr, CAIRO_TAG_DEST);
        free(dest);
        for (int j = 0; j < pg->n; j++) {
            const struct box *b = &pg->boxes[j];
            if (b->kind == BOX_LINE)
                draw_line(&p, b);
            else if (b->kind == BOX_CHART)
                draw_chart(&p, b);
            else if (b->kind == BOX_RECT)
                draw_rect(&p, b);
            else
                draw_rule(&p, b);
        }
        cairo_show_page(p.cr);
        if (release)
            layout_release_page(release, i);
    }
    cairo_tag_end(p.cr, "Document");
    cairo_status_t status = cairo_status(p.cr);
    cairo_destroy(p.cr);
    cairo_surface_finish(p.surface);
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status(p.surface);
    cairo_surface_destroy(p.surface);
    for (int i = 0; i < p.ndests; i++)
        free(p.dests[i]);
    free(p.dests);
    bool ok = status == CAIRO_STATUS_SUCCESS;
    if (!ok)
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "PDF output failed: %s", cairo_status_to_string(status));
    ok = ok && finish(&p, m, out, start, d);
    for (int i = 0; i < p.nspans; i++)
        free(p.spans[i]);
    free(p.spans);
    return ok;
}

bool pdf_render(const struct layout *l, struct fonts *fonts, const struct meta *m, struct buf *out,
                struct diag *d)
{
    return render(l, NULL, fonts, m, out, d);
}

bool pdf_render_releasing(struct layout *l, struct fonts *fonts, const struct meta *m,
                          struct buf *out, struct diag *d)
{
    return render(l, l, fonts, m, out, d);
}
