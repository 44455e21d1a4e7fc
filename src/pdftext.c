#define _GNU_SOURCE /* qsort_r */
#include "pdftext.h"
#include "deflater.h"
#include "cff.h"
#include "xalloc.h"
#include <fontconfig/fontconfig.h>
#include <hb-ot.h>
#include <math.h>
#include <pango/pangofc-font.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A face embedded: the cut's glyphs, addressed in the content by CID. */
struct pfont {
    const struct cut_face *face;
    hb_face_t *hb;
    hb_font_t *font;   /* at the face's own units */
    unsigned upem, nglyphs;
    bool cff;          /* a CFF face (else TrueType) */
    bool cid_keyed;
    uint16_t *cid;     /* per glyph of the copy: the code the content uses */
    double *width;     /* per glyph, 1/1000 em as written in /W; < 0: not known yet */
    char **text;       /* per glyph, the text it was first set for; NULL: not drawn */
};

/* A Pango font (a face at a size) and how it is drawn. */
struct font_ref {
    PangoFont *font;   /* a reference */
    int pf;            /* the face embedded, -1: none (its glyphs are lost) */
    double size;
    bool embolden;
};

/* A font program deflated in a cutting thread while pages are drawn. */
struct pack {
    const struct cut_face *face;
    size_t len;        /* of the program */
    struct buf out;
    bool ok;
};

struct pdf_text {
    struct font_cut *cut;
    struct pack *packs;
    int npacks;
    struct pfont *fonts;
    int nfonts;
    struct font_ref *refs;
    int nrefs, last_ref;
    PangoRenderer *renderer;
    char *lost;        /* the file of a face that could not be cut, if its glyphs were drawn */
};

static int pfont_of(struct pdf_text *t, const struct cut_face *cf)
{
    for (int i = 0; i < t->nfonts; i++)
        if (t->fonts[i].face == cf)
            return i;
    hb_face_t *hb = hb_face_create(font_cut_blob(cf), font_cut_index(cf));
    struct pfont f = {.face = cf, .hb = hb, .font = hb_font_create(hb), .upem = hb_face_get_upem(hb),
                      .nglyphs = hb_face_get_glyph_count(hb)};
    hb_blob_t *cff = hb_face_reference_table(hb, HB_TAG('C', 'F', 'F', ' '));
    f.cid = xcalloc(f.nglyphs + 1, sizeof *f.cid);
    unsigned len;
    const char *data = hb_blob_get_data(cff, &len);
    f.cff = len && cff_glyph_cids((const unsigned char *)data, len, f.nglyphs, f.cid, &f.cid_keyed);
    hb_blob_destroy(cff);
    /* a TrueType face is addressed by the copy's ids (the CIDToGIDMap
     * finds the program's), a name-keyed CFF by its program's own */
    for (unsigned g = 0; g < f.nglyphs && !f.cid_keyed; g++) {
        int own = f.cff ? font_cut_program_glyph(cf, g) : (int)g;
        f.cid[g] = (uint16_t)(own > 0 ? own : 0);
    }
    f.width = xmalloc((f.nglyphs + 1) * sizeof *f.width);
    for (unsigned g = 0; g <= f.nglyphs; g++)
        f.width[g] = -1;
    f.text = xcalloc(f.nglyphs + 1, sizeof *f.text);
    t->fonts = xreallocarray(t->fonts, (size_t)t->nfonts + 1, sizeof *t->fonts);
    t->fonts[t->nfonts] = f;
    return t->nfonts++;
}

static const struct font_ref *ref_of(struct pdf_text *t, PangoFont *font)
{
    if (t->last_ref < t->nrefs && t->refs[t->last_ref].font == font)
        return &t->refs[t->last_ref];
    for (int i = 0; i < t->nrefs; i++)
        if (t->refs[i].font == font)
            return &t->refs[t->last_ref = i];
    struct font_ref r = {g_object_ref(font), -1, 0, false};
    const struct cut_face *cf = font_cut_face(t->cut, font);
    FcPattern *p = PANGO_IS_FC_FONT(font) ? pango_fc_font_get_pattern(PANGO_FC_FONT(font)) : NULL;
    FcBool bold = FcFalse;
    if (p) {
        FcPatternGetDouble(p, FC_PIXEL_SIZE, 0, &r.size);
        FcPatternGetBool(p, FC_EMBOLDEN, 0, &bold);
    }
    r.embolden = bold;
    if (cf && r.size > 0)
        r.pf = pfont_of(t, cf);
    t->refs = xreallocarray(t->refs, (size_t)t->nrefs + 1, sizeof *t->refs);
    t->refs[t->nrefs] = r;
    return &t->refs[t->last_ref = t->nrefs++];
}

/* The glyph's advance as /W gives it: 1/1000 em, to 3 decimals. */
static double width_of(struct pfont *f, unsigned g)
{
    if (f->width[g] < 0) {
        double w = hb_font_get_glyph_h_advance(f->font, g) * 1000.0 / f->upem;
        f->width[g] = llround(w * 1000) / 1000.0;
    }
    return f->width[g];
}

/* In a cutting thread, as a face's program is made: its deflated bytes. */
static void pack(void *arg, const struct cut_face *cf, hb_blob_t *program)
{
    struct pdf_text *t = arg;
    for (int i = 0; i < t->npacks; i++) {
        struct pack *p = &t->packs[i];
        if (p->face != cf || !program)
            continue;
        unsigned len;
        const char *data = hb_blob_get_data(program, &len);
        p->len = len;
        p->ok = len && deflate_bytes(data, len, PDFW_LEVEL_FONT, &p->out);
    }
}

void pdf_text_start(struct pdf_text *t)
{
    int n;
    const struct cut_face **faces = font_cut_faces(t->cut, &n);
    t->packs = xcalloc((size_t)n + 1, sizeof *t->packs);
    for (int i = 0; i < n; i++)
        t->packs[t->npacks++] = (struct pack){.face = faces[i]};
    font_cut_finish(t->cut, pack, t);
    for (int i = 0; i < n; i++) /* once finishing numbered the programs' glyphs */
        pfont_of(t, faces[i]);
    free(faces);
}

/* ---- drawing a run ----------------------------------------------------- */

/* The text each glyph of the run stands for: a cluster's text goes to its
 * first glyph, the cluster's other glyphs stand for nothing. */
static void glyph_texts(const char *text, PangoGlyphItem *run, int *start, int *len)
{
    for (int i = 0; i < run->glyphs->num_glyphs; i++)
        start[i] = len[i] = 0;
    PangoGlyphItemIter it;
    for (bool more = pango_glyph_item_iter_init_start(&it, run, text); more;
         more = pango_glyph_item_iter_next_cluster(&it)) {
        int lo = it.start_glyph < it.end_glyph ? it.start_glyph : it.end_glyph + 1;
        int hi = it.start_glyph < it.end_glyph ? it.end_glyph : it.start_glyph + 1;
        for (int i = lo; i < hi; i++)
            if (run->glyphs->glyphs[i].glyph != PANGO_GLYPH_EMPTY) {
                start[i] = it.start_index;
                len[i] = it.end_index - it.start_index;
                break;
            }
    }
}

/* Is the glyph's text the one it was first drawn for (recording it if it
 * is the first)? */
static bool same_text(struct pfont *f, unsigned g, const char *s, int n)
{
    if (!f->text[g]) {
        f->text[g] = xstrndup(s, (size_t)n);
        return true;
    }
    return (int)strlen(f->text[g]) == n && !memcmp(f->text[g], s, (size_t)n);
}

struct run_state {
    struct buf *b;
    double size, cur;   /* where the text position is, x */
    bool in_array, in_string;
};

static void open_array(struct run_state *s)
{
    if (!s->in_array)
        buf_putc(s->b, '['), s->in_array = true;
}

static void close_array(struct run_state *s)
{
    if (s->in_string)
        buf_putc(s->b, '>'), s->in_string = false;
    if (s->in_array)
        buf_puts(s->b, "] TJ\n"), s->in_array = false;
}

static void text_matrix(struct run_state *s, double x, double y)
{
    close_array(s);
    buf_puts(s->b, "1 0 0 -1 ");
    pdfw_num(s->b, x);
    buf_putc(s->b, ' ');
    pdfw_num(s->b, y);
    buf_puts(s->b, " Tm\n");
    s->cur = x;
}

static void put_code(struct run_state *s, unsigned code)
{
    open_array(s);
    if (!s->in_string)
        buf_putc(s->b, '<'), s->in_string = true;
    pdfw_hex4(s->b, code);
}

/* Moves the text position to x, the move rounded to 1/1000 em and the
 * position kept as the viewer will compute it. */
static void move_to(struct run_state *s, double x)
{
    long n = lround((s->cur - x) * 1000 / s->size);
    if (!n)
        return;
    open_array(s);
    if (s->in_string)
        buf_putc(s->b, '>'), s->in_string = false;
    buf_putc(s->b, ' ');
    pdfw_int(s->b, n);
    buf_putc(s->b, ' ');
    s->cur -= n * s->size / 1000;
}

/* A glyph copied as text other than its font's map says. */
static void put_actual(struct run_state *s, unsigned code, const char *text, int n)
{
    close_array(s);
    char *str = xstrndup(text, (size_t)n);
    pdfw_actual_text(s->b, str);
    put_code(s, code);
    close_array(s);
    buf_puts(s->b, "EMC\n");
    free(str);
}

/* The box Pango draws for a character no font has. */
static void unknown_box(struct pdf_content *c, double x, double y, double w, double size)
{
    pdf_line_style(c, size / 20, 0, 0, 0);
    pdf_rect(c, x + size / 10, y - size * 0.75, w - size / 5, size * 0.8);
    pdf_stroke(c);
}

static void show_run(struct pdf_text *t, struct pdf_content *c, const char *text, PangoGlyphItem *run,
                     double x, double y, struct rgb color)
{
    const struct font_ref *ref = ref_of(t, run->item->analysis.font);
    PangoGlyphString *gs = run->glyphs;
    struct pfont *f = ref->pf >= 0 ? &t->fonts[ref->pf] : NULL;
    int *start = xcalloc(2 * ((size_t)gs->num_glyphs + 1), sizeof *start), *len = start + gs->num_glyphs + 1;
    if (text)
        glyph_texts(text, run, start, len);
    else
        text = "";
    pdf_fill_color(c, color);
    struct run_state s = {.b = &c->ops, .size = ref->size};
    bool begun = false;
    double pos = 0, yoff = 0;
    for (int i = 0; i < gs->num_glyphs; i++) {
        const PangoGlyphInfo *gi = &gs->glyphs[i];
        double gx = x + (pos + gi->geometry.x_offset) / PANGO_SCALE;
        double gy = gi->geometry.y_offset / (double)PANGO_SCALE;
        pos += gi->geometry.width;
        if (gi->glyph == PANGO_GLYPH_EMPTY)
            continue;
        int g = f && !(gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG) ? font_cut_glyph(f->face, gi->glyph) : -1;
        if (g < 0) {
            if (!(gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG) && !t->lost)
                t->lost = xstrdup(f ? font_cut_file(f->face) : "a font without a file");
            if (gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG && ref->size > 0)
                unknown_box(c, gx, y, gi->geometry.width / (double)PANGO_SCALE, ref->size);
            continue;
        }
        if (!begun) {
            buf_puts(s.b, "BT\n/F");
            pdfw_int(s.b, ref->pf);
            buf_putc(s.b, ' ');
            pdfw_num(s.b, ref->size);
            buf_puts(s.b, " Tf\n");
            if (ref->embolden) {
                pdf_stroke_color(c, color);
                buf_puts(s.b, "2 Tr ");
                pdfw_num(s.b, ref->size / 24);
                buf_puts(s.b, " w\n");
            }
            text_matrix(&s, gx, y + gy);
            yoff = gy;
            begun = true;
        } else if (gy != yoff) {
            text_matrix(&s, gx, y + gy);
            yoff = gy;
        }
        move_to(&s, gx);
        unsigned code = f->cid[g];
        if (same_text(f, (unsigned)g, text + start[i], len[i]))
            put_code(&s, code);
        else
            put_actual(&s, code, text + start[i], len[i]);
        s.cur += width_of(f, (unsigned)g) * s.size / 1000;
    }
    if (begun) {
        close_array(&s);
        buf_puts(s.b, ref->embolden ? "0 Tr\nET\n" : "ET\n");
        if (ref->embolden) /* "w" inside the text object set the line width */
            c->line_w = ref->size / 24;
    }
    free(start);
}

/* ---- a Pango renderer drawing into a content stream -------------------- */

typedef struct {
    PangoRenderer parent;
    struct pdf_text *t;
    struct pdf_content *c;
    double x0, y0;
    struct rgb color;
} PdfRenderer;

typedef struct {
    PangoRendererClass parent_class;
} PdfRendererClass;

GType pdf_renderer_get_type(void);
G_DEFINE_TYPE(PdfRenderer, pdf_renderer, PANGO_TYPE_RENDERER)

static struct rgb part_color(PdfRenderer *r, PangoRenderPart part)
{
    PangoColor *pc = pango_renderer_get_color(&r->parent, part);
    if (!pc)
        return r->color;
    return (struct rgb){pc->red / 65535.0, pc->green / 65535.0, pc->blue / 65535.0};
}

static void draw_glyph_item(PangoRenderer *renderer, const char *text, PangoGlyphItem *run, int x, int y)
{
    PdfRenderer *r = (PdfRenderer *)renderer;
    show_run(r->t, r->c, text, run, r->x0 + x / (double)PANGO_SCALE,
             r->y0 + y / (double)PANGO_SCALE, part_color(r, PANGO_RENDER_PART_FOREGROUND));
}

static void draw_glyphs(PangoRenderer *renderer, PangoFont *font, PangoGlyphString *glyphs, int x, int y)
{
    PangoItem item = {.length = 0};
    item.analysis.font = font;
    PangoGlyphItem run = {.item = &item, .glyphs = glyphs};
    draw_glyph_item(renderer, NULL, &run, x, y);
}

static void draw_rectangle(PangoRenderer *renderer, PangoRenderPart part, int x, int y, int w, int h)
{
    PdfRenderer *r = (PdfRenderer *)renderer;
    pdf_fill_color(r->c, part_color(r, part));
    pdf_rect(r->c, r->x0 + x / (double)PANGO_SCALE, r->y0 + y / (double)PANGO_SCALE,
             w / (double)PANGO_SCALE, h / (double)PANGO_SCALE);
    pdf_fill(r->c);
}

static void pdf_renderer_init(PdfRenderer *r) { (void)r; }

static void pdf_renderer_class_init(PdfRendererClass *k)
{
    PangoRendererClass *rc = PANGO_RENDERER_CLASS(k);
    rc->draw_glyph_item = draw_glyph_item;
    rc->draw_glyphs = draw_glyphs;
    rc->draw_rectangle = draw_rectangle;
}

struct pdf_text *pdf_text_new(struct font_cut *cut)
{
    struct pdf_text *t = xcalloc(1, sizeof *t);
    t->cut = cut;
    return t;
}

void pdf_text_line(struct pdf_text *t, struct pdf_content *c, PangoLayoutLine *line, double x,
                   double y, struct rgb color)
{
    if (!t->renderer)
        t->renderer = g_object_new(pdf_renderer_get_type(), NULL);
    PdfRenderer *r = (PdfRenderer *)t->renderer;
    r->t = t;
    r->c = c;
    r->x0 = x;
    r->y0 = y;
    r->color = color;
    pango_renderer_draw_layout_line(t->renderer, line, 0, 0);
    r->c = NULL;
}

/* ---- the fonts' objects ------------------------------------------------ */

/* "ABCDEF+": the subset tag PDF asks for, from the glyphs embedded. */
static void subset_tag(const struct pfont *f, struct buf *b)
{
    uint32_t h = 2166136261u;
    for (unsigned g = 0; g < f->nglyphs; g++)
        if (f->text[g])
            h = (h ^ g) * 16777619u;
    for (int i = 0; i < 6; i++, h /= 26)
        buf_putc(b, (char)('A' + h % 26));
    buf_putc(b, '+');
}

static char *base_font(const struct pfont *f, int num)
{
    char ps[128];
    unsigned n = sizeof ps;
    struct buf b = {0};
    subset_tag(f, &b);
    if (hb_ot_name_get_utf8(f->hb, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &n, ps) && *ps)
        buf_puts(&b, ps);
    else
        buf_printf(&b, "Font%d", num);
    return buf_detach(&b);
}

/* Glyphs drawn, by code. */
static int by_code(const void *a, const void *b, void *arg)
{
    const uint16_t *cid = arg;
    return cid[*(const unsigned *)a] - cid[*(const unsigned *)b];
}

static unsigned *drawn_glyphs(const struct pfont *f, unsigned *n)
{
    unsigned *g = xmalloc((f->nglyphs + 1) * sizeof *g);
    *n = 0;
    for (unsigned i = 0; i < f->nglyphs; i++)
        if (f->text[i])
            g[(*n)++] = i;
    qsort_r(g, *n, sizeof *g, by_code, f->cid);
    return g;
}

static void widths(struct pfont *f, const unsigned *g, unsigned n, struct buf *b)
{
    buf_puts(b, " /W [");
    for (unsigned i = 0; i < n; i++) {
        unsigned code = f->cid[g[i]];
        if (!i || code != f->cid[g[i - 1]] + 1u)
            buf_printf(b, "%s%u [", i ? "] " : "", code);
        else
            buf_putc(b, ' ');
        pdfw_num(b, width_of(f, g[i]));
    }
    buf_puts(b, n ? "]]" : "]");
}

static void to_unicode(const struct pfont *f, const unsigned *g, unsigned n, struct buf *b)
{
    buf_puts(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    unsigned mapped = 0;
    for (unsigned i = 0; i < n; i++)
        mapped += *f->text[g[i]] != 0;
    for (unsigned i = 0, block = 0; i < n; i++) {
        if (!*f->text[g[i]])
            continue;
        if (block == 0)
            buf_printf(b, "%u beginbfchar\n", mapped < 100 ? mapped : 100);
        buf_putc(b, '<');
        pdfw_hex4(b, f->cid[g[i]]);
        buf_puts(b, "> <");
        pdfw_utf16(b, f->text[g[i]]);
        buf_puts(b, ">\n");
        mapped--;
        if (++block == 100 || !mapped) {
            buf_puts(b, "endbfchar\n");
            block = 0;
        }
    }
    buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

static int16_t be16(const char *p) { return (int16_t)((unsigned char)p[0] << 8 | (unsigned char)p[1]); }

static void descriptor(const struct pfont *f, const char *name, int file, struct buf *b)
{
    double k = 1000.0 / f->upem;
    hb_position_t asc = 0, desc = 0, cap = 0;
    hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &asc);
    hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &desc);
    if (!hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) || !cap)
        cap = asc;
    int bbox[4] = {0, desc, f->upem, asc};
    hb_blob_t *head = hb_face_reference_table(f->hb, HB_TAG('h', 'e', 'a', 'd'));
    unsigned len;
    const char *h = hb_blob_get_data(head, &len);
    if (len >= 44)
        for (int i = 0; i < 4; i++)
            bbox[i] = be16(h + 36 + 2 * i);
    hb_blob_destroy(head);
    buf_puts(b, "<< /Type /FontDescriptor /FontName ");
    pdfw_name(b, name);
    buf_printf(b, " /Flags 4 /FontBBox [%ld %ld %ld %ld] /ItalicAngle 0 /Ascent %ld /Descent %ld"
                  " /CapHeight %ld /StemV 80 /%s %d 0 R >>",
               lround(bbox[0] * k), lround(bbox[1] * k), lround(bbox[2] * k), lround(bbox[3] * k),
               lround(asc * k), lround(desc * k), lround(cap * k), f->cff ? "FontFile3" : "FontFile2",
               file);
}

/* A TrueType program's glyph for each code (the copy's glyph id), two
 * bytes each: the program renumbered its glyphs. */
static void cid_to_gid(struct pdf_text *t, const struct pfont *f, const unsigned *g, unsigned n,
                       struct pdfw *w, int id)
{
    font_cut_program(t->cut, f->face); /* the cut is done */
    unsigned top = n ? f->cid[g[n - 1]] + 1 : 1;
    unsigned char *map = xcalloc(top, 2);
    for (unsigned i = 0; i < n; i++) {
        unsigned code = f->cid[g[i]];
        int gid = font_cut_program_glyph(f->face, g[i]);
        map[2 * code] = (unsigned char)(gid > 0 ? gid >> 8 : 0);
        map[2 * code + 1] = (unsigned char)(gid > 0 ? gid & 0xFF : 0);
    }
    pdfw_stream(w, id, "", map, 2 * (size_t)top);
    free(map);
}

/* One face: Type0 font, CIDFont, descriptor, program, ToUnicode. */
static int write_font(struct pdf_text *t, struct pfont *f, int num, struct pdfw *w)
{
    int type0 = pdfw_reserve(w), cidfont = pdfw_reserve(w), desc = pdfw_reserve(w),
        file = pdfw_reserve(w), tounicode = pdfw_reserve(w);
    char *name = base_font(f, num);
    unsigned n;
    unsigned *g = drawn_glyphs(f, &n);
    struct buf *b = pdfw_begin(w, type0);
    buf_puts(b, "<< /Type /Font /Subtype /Type0 /BaseFont ");
    pdfw_name(b, name);
    buf_printf(b, " /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", cidfont,
               tounicode);
    pdfw_end(w);
    b = pdfw_begin(w, cidfont);
    buf_printf(b, "<< /Type /Font /Subtype /CIDFontType%d /BaseFont ", f->cff ? 0 : 2);
    pdfw_name(b, name);
    buf_printf(b, " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
                  " /FontDescriptor %d 0 R",
               desc);
    int map = f->cff ? 0 : pdfw_reserve(w);
    if (map)
        buf_printf(b, " /CIDToGIDMap %d 0 R", map);
    widths(f, g, n, b);
    buf_puts(b, " >>");
    pdfw_end(w);
    if (map)
        cid_to_gid(t, f, g, n, w, map);
    descriptor(f, name, file, pdfw_begin(w, desc));
    pdfw_end(w);
    unsigned len;
    const char *data = hb_blob_get_data(font_cut_program(t->cut, f->face), &len);
    struct buf entries = {0};
    if (f->cff)
        buf_puts(&entries, " /Subtype /CIDFontType0C");
    else
        buf_printf(&entries, " /Length1 %u", len);
    const struct pack *pk = NULL;
    for (int i = 0; i < t->npacks && !pk; i++)
        if (t->packs[i].face == f->face && t->packs[i].ok)
            pk = &t->packs[i];
    if (pk) {
        buf_puts(&entries, " /Filter /FlateDecode");
        pdfw_stream_as_is(w, file, entries.data, pk->out.data, pk->out.len);
    } else {
        pdfw_stream(w, file, entries.data ? entries.data : "", data, len);
    }
    buf_free(&entries);
    struct buf cmap = {0};
    to_unicode(f, g, n, &cmap);
    pdfw_stream(w, tounicode, "", cmap.data, cmap.len);
    buf_free(&cmap);
    free(g);
    free(name);
    return type0;
}

bool pdf_text_write(struct pdf_text *t, struct pdfw *w, int resources, struct diag *d)
{
    if (t->lost) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0,
                 "cannot embed the font %s: its text would be missing from the PDF", t->lost);
        return false;
    }
    for (int i = 0; i < t->nfonts; i++)
        if (!font_cut_program(t->cut, t->fonts[i].face)) {
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "cannot embed the font %s: HarfBuzz could not cut it",
                     font_cut_file(t->fonts[i].face));
            return false;
        }
    int *ids = xcalloc((size_t)t->nfonts + 1, sizeof *ids);
    for (int i = 0; i < t->nfonts; i++)
        ids[i] = write_font(t, &t->fonts[i], i, w);
    struct buf *b = pdfw_begin(w, resources);
    buf_puts(b, "<< /Font <<");
    for (int i = 0; i < t->nfonts; i++)
        buf_printf(b, " /F%d %d 0 R", i, ids[i]);
    buf_puts(b, " >> >>");
    pdfw_end(w);
    free(ids);
    return true;
}

void pdf_text_free(struct pdf_text *t)
{
    if (!t)
        return;
    font_cut_wait(t->cut); /* its threads write the packs */
    for (int i = 0; i < t->npacks; i++)
        buf_free(&t->packs[i].out);
    free(t->packs);
    if (t->renderer)
        g_object_unref(t->renderer);
    for (int i = 0; i < t->nrefs; i++)
        g_object_unref(t->refs[i].font);
    for (int i = 0; i < t->nfonts; i++) {
        struct pfont *f = &t->fonts[i];
        for (unsigned g = 0; g < f->nglyphs; g++)
            free(f->text[g]);
        free(f->text);
        free(f->width);
        free(f->cid);
        hb_font_destroy(f->font);
        hb_face_destroy(f->hb);
    }
    free(t->fonts);
    free(t->refs);
    free(t->lost);
    free(t);
}
