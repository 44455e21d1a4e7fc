#define _DEFAULT_SOURCE /* M_PI */
#include "pdf.h"
#include "canvas_pdf.h"
#include "fontcut.h"
#include "pdfinfo.h"
#include "pdftext.h"
#include "pdfw.h"
#include "style.h"
#include "xalloc.h"
#include <pango/pango.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LEVELS 8

/* A named destination: a place on a page links and the outline go to. */
struct dest {
    char *name;
    int page;
    double x, y;
    int order;  /* made n-th: the first of a name wins */
};

struct outline_item {
    char *title, *dest;
    int level;
    int parent, first, last, prev, next, count; /* item indices, -1: none */
};

/* A chart's drawing, kept when its labels were noted. */
struct chart_tape {
    const struct box *box;
    struct canvas_tape *tape;
};

struct pdf {
    struct fonts *fonts;
    const struct layout *l;
    struct pdfw *w;
    struct pdf_text *text;
    struct font_cut *cut;
    int pages, resources;
    int *page_ids;
    int page;                 /* drawing this page (index) */
    struct pdf_content c;     /* its content */
    struct buf annots;        /* its annotations' references */
    struct dest *dests;
    int ndests;
    struct outline_item *outline;
    int noutline;
    struct label_queue labels;
    struct chart_tape *tapes; /* each chart as noted, to be played when drawn */
    int ntapes, next_tape;
};

/* A named destination at (x, y) of the current page; a name made again
 * keeps its first place (write_dests). */
static void text_dest(struct pdf *p, const char *name, double x, double y)
{
    p->dests = xreallocarray(p->dests, (size_t)p->ndests + 1, sizeof *p->dests);
    p->dests[p->ndests] = (struct dest){xstrdup(name), p->page, x, y, p->ndests};
    p->ndests++;
}

/* A link annotation over the box (x, y, w, h) of the current page: to a
 * destination of this document ("#name") or a URL. */
static void link(struct pdf *p, const char *url, double x, double y, double w, double h)
{
    int id = pdfw_reserve(p->w);
    struct buf *b = pdfw_begin(p->w, id);
    double page_h = p->l->st->page_h;
    buf_puts(b, "<< /Type /Annot /Subtype /Link /F 4 /Border [0 0 0] /Rect [");
    pdfw_num(b, x);
    buf_putc(b, ' ');
    pdfw_num(b, page_h - y - h);
    buf_putc(b, ' ');
    pdfw_num(b, x + w);
    buf_putc(b, ' ');
    pdfw_num(b, page_h - y);
    if (url[0] == '#') {
        buf_puts(b, "] /Dest ");
        pdfw_bytes(b, url + 1, strlen(url + 1));
    } else {
        buf_puts(b, "] /A << /S /URI /URI ");
        pdfw_bytes(b, url, strlen(url));
        buf_puts(b, " >>");
    }
    buf_puts(b, " >>");
    pdfw_end(p->w);
    buf_printf(&p->annots, " %d 0 R", id);
}

/* A link to a page of another PDF beside this one ("report.pdf#page=12",
 * as department summaries point into the full report): a URI relative to
 * this document, which PDF viewers open at the page. */
static bool sibling_page_link(const char *url)
{
    const char *hash = strstr(url, ".pdf#page=");
    return hash && atoi(hash + 10) > 0 && !strchr(url, ':') && url[0] != '/';
}

/* Can the URL be a link: web and mail links, a page of a sibling PDF, or
 * "#name" for a destination of this document; not anything else (kpi:,
 * javascript:, relative paths). */
static bool linkable(const char *url)
{
    if (url[0] == '#')
        return url[1] != 0;
    return !strncmp(url, "http://", 7) || !strncmp(url, "https://", 8) ||
           !strncmp(url, "mailto:", 7) || sibling_page_link(url);
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
        int *ranges, n;
        pango_layout_line_get_x_ranges(line, sp->start > ls ? sp->start : ls,
                                       sp->end < le ? sp->end : le, &ranges, &n);
        if (n > 0)
            span_dests(p, b, sp, origin + ranges[0] / (double)PANGO_SCALE);
        for (int r = 0; r < n && linkable(sp->data); r++) {
            double x0 = origin + ranges[2 * r] / (double)PANGO_SCALE;
            double x1 = origin + ranges[2 * r + 1] / (double)PANGO_SCALE;
            link(p, sp->data, x0, b->y - 0.88 * para->size, x1 - x0, para->size);
        }
        g_free(ranges);
    }
}

/* 着重号, as layout_line_dots places them. */
static void draw_dots(struct pdf *p, const struct box *b, struct rgb color)
{
    struct line_dots d = layout_line_dots(b);
    pdf_fill_color(&p->c, color);
    for (int i = 0; i < d.n; i++) {
        pdf_arc(&p->c, d.x[i], d.y, d.r, 0, 2 * M_PI, false);
        pdf_close(&p->c);
        pdf_fill(&p->c);
    }
    free(d.x);
}

/* An outline entry under the last shallower one. */
static void add_outline(struct pdf *p, const struct box *b)
{
    int level = b->heading > MAX_LEVELS ? MAX_LEVELS : b->heading;
    p->outline = xreallocarray(p->outline, (size_t)p->noutline + 1, sizeof *p->outline);
    p->outline[p->noutline++] = (struct outline_item){
        .title = xstrdup(b->label ? b->label : ""), .dest = xasprintf("h-%d", b->dest),
        .level = level, .parent = -1, .first = -1, .last = -1, .prev = -1, .next = -1};
}

/* A table-of-contents line links to its heading's destination. */
static void draw_internal_link(struct pdf *p, const struct box *b)
{
    double size = b->para->size;
    char *url = xasprintf("#h-%d", b->link_dest);
    link(p, url, b->x, b->y - 0.88 * size, b->para->line_w[b->line], size);
    free(url);
}

static void draw_line(struct pdf *p, const struct box *b)
{
    struct rgb c = p->l->st->text;
    const struct elem_style *es = &p->l->st->el[b->el];
    if (es->color_set)
        c = es->color;
    if (b->dest >= 0) {
        char *name = xasprintf("h-%d", b->dest);
        text_dest(p, name, b->x, b->y - 0.88 * b->para->size);
        free(name);
    }
    PangoLayoutLine *line = b->para->lines[b->line];
    /* the 发文机关标志 may be spread out: its text goes in whole as ActualText */
    bool span = b->el == EL_MASTHEAD;
    if (span) {
        char *text = xstrndup(pango_layout_get_text(line->layout) + line->start_index,
                              (size_t)line->length);
        pdfw_actual_text(&p->c.ops, text);
        free(text);
    }
    pdf_text_line(p->text, &p->c, line, b->x, b->y, c);
    if (span)
        buf_puts(&p->c.ops, "EMC\n");
    if (b->heading)
        add_outline(p, b);
    if (b->para->ndots)
        draw_dots(p, b, c);
    if (b->para->nlinks)
        draw_links(p, b);
    if (b->link_dest >= 0)
        draw_internal_link(p, b);
}

static void draw_rule(struct pdf *p, const struct box *b)
{
    pdf_stroke_color(&p->c, b->color);
    if (b->dotted)
        pdf_line_style(&p->c, b->width, 1, p->c.join, b->width * 3);
    else
        pdf_line_style(&p->c, b->width, 0, p->c.join, 0);
    pdf_move(&p->c, b->x, b->y);
    pdf_line(&p->c, b->x2, b->y2);
    pdf_stroke(&p->c);
}

static void draw_rect(struct pdf *p, const struct box *b)
{
    pdf_fill_color(&p->c, b->color);
    pdf_rect(&p->c, b->x, b->y, b->x2 - b->x, b->y2 - b->y);
    pdf_fill(&p->c);
}

/* With no content stream (c NULL), notes a chart's text's glyphs and
 * keeps its drawing on a tape; else draws it, playing that tape. */
static void chart(struct pdf *p, struct pdf_content *c, const struct box *b)
{
    struct canvas_pdf *cp = canvas_pdf_new(c, p->text, p->cut, &p->labels, p->fonts,
                                           p->l->st->chart_font, b->x, b->y);
    struct canvas cv = canvas_pdf(cp);
    struct chart_tape *next = p->next_tape < p->ntapes ? &p->tapes[p->next_tape] : NULL;
    if (!c) {
        struct canvas_tape *t = canvas_tape_new(cv);
        struct canvas tv = canvas_tape(t);
        chart_draw(b->chart, &tv, b->x2 - b->x, b->y2 - b->y, p->l->st);
        p->tapes = xreallocarray(p->tapes, (size_t)p->ntapes + 1, sizeof *p->tapes);
        p->tapes[p->ntapes++] = (struct chart_tape){b, t};
    } else if (next && next->box == b) {
        canvas_tape_play(next->tape, cv);
        canvas_tape_free(next->tape);
        next->tape = NULL;
        p->next_tape++;
    } else {
        chart_draw(b->chart, &cv, b->x2 - b->x, b->y2 - b->y, p->l->st);
    }
    canvas_pdf_free(cp);
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

/* The information dictionary, and for PDF/A the XMP metadata and
 * output intent (their entries into catalog); the Info's number, 0 when
 * the ICC profile cannot be read. */
static int describe(struct pdf *p, const struct meta *m, struct buf *catalog, struct diag *d)
{
    char date[64];
    struct pdf_info info;
    document_info(p->l, m, date, &info);
    info.producer = "briefing " BRIEFING_VERSION;
    if (p->l->st->pdf_standard == PDF_STANDARD_A2B) {
        struct buf icc = {0};
        bool ok = read_icc(&icc, d);
        struct pdfa pdfa = {(const unsigned char *)icc.data, icc.len, "sRGB IEC61966-2.1"};
        if (ok)
            pdfinfo_pdfa(p->w, &info, &pdfa, catalog);
        buf_free(&icc);
        if (!ok)
            return 0;
    }
    return pdfinfo_write(p->w, &info);
}

/* Before anything is drawn, the cut faces get every glyph the layout and
 * the charts use: a glyph's code in the PDF is final once drawn. */
static void cover_glyphs(struct pdf *p)
{
    const struct layout *l = p->l;
    for (int i = 0; i < l->nparas; i++)
        font_cut_note(p->cut, l->paras[i]->layout);
    for (int i = 0; i < l->npages; i++)
        for (int j = 0; j < l->pages[i].n; j++)
            if (l->pages[i].boxes[j].kind == BOX_CHART)
                chart(p, NULL, &l->pages[i].boxes[j]);
    font_cut_mend(p->cut);
    pdf_text_start(p->text);
}

/* Fewer pages than this: their contents are deflated as drawn (a batch's
 * summaries: a thread each would only add to the batch's threads). */
#define LATER_PAGES 8

static void draw_page(struct pdf *p, const struct page *pg)
{
    const struct style *st = p->l->st;
    pdf_content_init(&p->c, st->page_h);
    p->annots.len = 0;
    char *name = xasprintf("p-%d", p->page + 1); /* for links from other documents */
    text_dest(p, name, 0, 0);
    free(name);
    for (int j = 0; j < pg->n; j++) {
        const struct box *b = &pg->boxes[j];
        if (b->kind == BOX_LINE)
            draw_line(p, b);
        else if (b->kind == BOX_CHART)
            chart(p, &p->c, b);
        else if (b->kind == BOX_RECT)
            draw_rect(p, b);
        else
            draw_rule(p, b);
    }
    int contents = pdfw_reserve(p->w);
    /* a long document's pages deflated in a thread while the next are drawn */
    if (p->l->npages > LATER_PAGES)
        pdfw_stream_later(p->w, contents, "", p->c.ops.data, p->c.ops.len);
    else
        pdfw_stream(p->w, contents, "", p->c.ops.data, p->c.ops.len);
    pdf_content_free(&p->c);
    struct buf *b = pdfw_begin(p->w, p->page_ids[p->page]);
    buf_printf(b, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 ", p->pages);
    pdfw_num(b, st->page_w);
    buf_putc(b, ' ');
    pdfw_num(b, st->page_h);
    buf_printf(b, "] /Resources %d 0 R /Contents %d 0 R", p->resources, contents);
    if (p->annots.len)
        buf_printf(b, " /Annots [%s ]", p->annots.data);
    buf_puts(b, " >>");
    pdfw_end(p->w);
}

/* The outline's tree: each entry under the last shallower one, all open. */
static void outline_tree(struct pdf *p)
{
    int last[MAX_LEVELS + 1], root_last = -1;
    for (int k = 0; k <= MAX_LEVELS; k++)
        last[k] = -1;
    for (int i = 0; i < p->noutline; i++) {
        struct outline_item *it = &p->outline[i];
        for (int k = it->level - 1; k >= 1 && it->parent < 0; k--)
            it->parent = last[k];
        int prev = it->parent >= 0 ? p->outline[it->parent].last : root_last;
        it->prev = prev;
        if (prev >= 0)
            p->outline[prev].next = i;
        if (it->parent < 0)
            root_last = i;
        if (it->parent >= 0) {
            struct outline_item *up = &p->outline[it->parent];
            if (up->first < 0)
                up->first = i;
            up->last = i;
        }
        last[it->level] = i;
        for (int k = it->level + 1; k <= MAX_LEVELS; k++)
            last[k] = -1;
    }
    for (int i = p->noutline - 1; i >= 0; i--)
        if (p->outline[i].parent >= 0)
            p->outline[p->outline[i].parent].count += 1 + p->outline[i].count;
}

/* The outline's objects; its root's number, 0 when there is none. */
static int write_outline(struct pdf *p)
{
    if (!p->noutline)
        return 0;
    outline_tree(p);
    int root = pdfw_reserve(p->w), first = -1, last = -1, total = 0;
    int *ids = xmalloc((size_t)p->noutline * sizeof *ids);
    for (int i = 0; i < p->noutline; i++)
        ids[i] = pdfw_reserve(p->w);
#define REF(k) ((k) >= 0 ? ids[k] : root)
    for (int i = 0; i < p->noutline; i++) {
        const struct outline_item *it = &p->outline[i];
        if (it->parent < 0) {
            if (first < 0)
                first = i;
            last = i;
            total += 1 + it->count;
        }
        struct buf *b = pdfw_begin(p->w, ids[i]);
        buf_puts(b, "<< /Title ");
        pdfw_text(b, it->title);
        buf_printf(b, " /Parent %d 0 R /Dest ", REF(it->parent));
        pdfw_bytes(b, it->dest, strlen(it->dest));
        if (it->prev >= 0)
            buf_printf(b, " /Prev %d 0 R", ids[it->prev]);
        if (it->next >= 0)
            buf_printf(b, " /Next %d 0 R", ids[it->next]);
        if (it->first >= 0)
            buf_printf(b, " /First %d 0 R /Last %d 0 R /Count %d", ids[it->first], ids[it->last],
                       it->count);
        buf_puts(b, " >>");
        pdfw_end(p->w);
    }
    buf_printf(pdfw_begin(p->w, root), "<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>",
               ids[first], ids[last], total);
#undef REF
    pdfw_end(p->w);
    free(ids);
    return root;
}

static int by_name(const void *a, const void *b)
{
    const struct dest *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : x->order - y->order;
}

/* The named destinations, a name tree of one node (sorted by name), each
 * name at the place first made for it. */
static int write_dests(struct pdf *p)
{
    qsort(p->dests, (size_t)p->ndests, sizeof *p->dests, by_name);
    int id = pdfw_reserve(p->w);
    struct buf *b = pdfw_begin(p->w, id);
    buf_puts(b, "<< /Names [");
    for (int i = 0; i < p->ndests; i++) {
        const struct dest *d = &p->dests[i];
        if (i && !strcmp(d->name, p->dests[i - 1].name))
            continue;
        buf_putc(b, '\n');
        pdfw_bytes(b, d->name, strlen(d->name));
        buf_printf(b, " [%d 0 R /XYZ ", p->page_ids[d->page]);
        pdfw_num(b, d->x);
        buf_putc(b, ' ');
        pdfw_num(b, p->l->st->page_h - d->y);
        buf_puts(b, " 0]");
    }
    buf_puts(b, "] >>");
    pdfw_end(p->w);
    return id;
}

static bool write_document(struct pdf *p, int pages, const struct meta *m, struct buf *out,
                           struct diag *d)
{
    int npages = p->l->npages;
    struct buf *b = pdfw_begin(p->w, pages);
    buf_puts(b, "<< /Type /Pages /Kids [");
    for (int i = 0; i < npages; i++)
        buf_printf(b, "%s%d 0 R", i ? " " : "", p->page_ids[i]);
    buf_printf(b, "] /Count %d >>", npages);
    pdfw_end(p->w);
    if (!pdf_text_write(p->text, p->w, p->resources, d))
        return false;
    struct buf entries = {0};
    int info = describe(p, m, &entries, d);
    int outline = write_outline(p), names = write_dests(p), catalog = pdfw_reserve(p->w);
    b = pdfw_begin(p->w, catalog);
    buf_printf(b, "<< /Type /Catalog /Pages %d 0 R /Names << /Dests %d 0 R >>%s", pages, names,
               entries.data ? entries.data : "");
    if (outline)
        buf_printf(b, " /Outlines %d 0 R /PageMode /UseOutlines", outline);
    buf_puts(b, " >>");
    pdfw_end(p->w);
    buf_free(&entries);
    if (!info)
        return false;
    if (!pdfw_finish(p->w, catalog, info, out)) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "PDF output failed: an object was never written");
        return false;
    }
    return true;
}

static void pdf_free_parts(struct pdf *p)
{
    for (int i = 0; i < p->ndests; i++)
        free(p->dests[i].name);
    free(p->dests);
    for (int i = 0; i < p->noutline; i++) {
        free(p->outline[i].title);
        free(p->outline[i].dest);
    }
    free(p->outline);
    free(p->page_ids);
    label_queue_free(&p->labels);
    for (int i = 0; i < p->ntapes; i++)
        canvas_tape_free(p->tapes[i].tape);
    free(p->tapes);
    buf_free(&p->annots);
    pdf_text_free(p->text);
    pdfw_free(p->w);
}

static bool render(const struct layout *l, struct layout *release, struct fonts *fonts,
                   const struct meta *m, struct buf *out, struct diag *d)
{
    struct pdf p = {.l = l, .fonts = fonts, .w = pdfw_new()};
    p.cut = fonts_cut(fonts);
    struct font_cut *own = p.cut ? NULL : (p.cut = font_cut_new());
    p.text = pdf_text_new(p.cut);
    cover_glyphs(&p);
    p.pages = pdfw_reserve(p.w);
    p.resources = pdfw_reserve(p.w);
    p.page_ids = xcalloc((size_t)l->npages + 1, sizeof *p.page_ids);
    for (int i = 0; i < l->npages; i++)
        p.page_ids[i] = pdfw_reserve(p.w);
    for (p.page = 0; p.page < l->npages; p.page++) {
        draw_page(&p, &l->pages[p.page]);
        if (release)
            layout_release_page(release, p.page);
    }
    bool ok = write_document(&p, p.pages, m, out, d);
    pdf_free_parts(&p);
    font_cut_free(own);
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
