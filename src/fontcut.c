#include "fontcut.h"
#include "fontsubset.h"
#include "xalloc.h"
#include <cairo-ft.h>
#include <fontconfig/fcfreetype.h>
#include <hb-subset.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* What the copies keep, measured with callgrind on the example in the
 * gongwen template (instructions of the whole render; 7 faces cut, 6 drawn):
 *   full faces (BRIEFING_FULL_FONTS=1)                       2,103 M
 *   cut, glyph ids kept (retain-gids), desubroutinized      2,576 M
 *   cut, glyph ids renumbered, subroutines subset           2,459 M
 *   cut, glyph ids renumbered, desubroutinized              2,097 M, of
 *     which 439 M cutting in the workers: the main thread's 1,658 M
 *     (cairo's PDF work 1,367 M -> 880 M; nothing left for the post-pass to inline)
 * Per Noto CJK face: retain-gids doubles the cut (140 M vs 68 M) and its
 * size (65,535 glyph slots); the glyph ids Pango shaped with are mapped to
 * the copy's instead. Asking for any glyph by id (rather than by character)
 * costs 40 M a face (HarfBuzz scans the whole cmap), so the substitutes
 * shaping uses come from HarfBuzz's layout closure over the few features
 * below, GSUB cut to them (+4 M); the closure over every feature and
 * language (locl alone +260 M for all faces) is not worth it:
 * font_cut_cover mends the rare glyph it would have added. GPOS, GDEF,
 * BASE and vertical metrics go: nothing shapes with the copies. */
static const hb_tag_t DROPPED_TABLES[] = {
    HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
    HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'), HB_TAG('V', 'O', 'R', 'G'),
    HB_TAG('v', 'h', 'e', 'a'), HB_TAG('v', 'm', 't', 'x'), HB_TAG('k', 'e', 'r', 'n'),
    HB_TAG('D', 'S', 'I', 'G'), HB_TAG('m', 'o', 'r', 'x'), HB_TAG('m', 'o', 'r', 't'),
    HB_TAG('k', 'e', 'r', 'x'), HB_TAG('S', 'T', 'A', 'T'), HB_TAG('f', 'v', 'a', 'r'),
};

/* One face being cut (in its thread), then opened for cairo. */
struct cut_face {
    char *file;
    int index;
    hb_set_t *unicodes;   /* the thread's own copy: hb sets are not shared across threads */
    hb_set_t *extra;      /* glyphs the layout used that the first cut missed, or NULL */
    bool eager;           /* a template element's face: cut before drawing */
    bool done;            /* cut (or failed): blob and gid are set */
    hb_blob_t *blob;      /* the cut face, or NULL */
    uint32_t *gid;        /* old glyph id -> the copy's plus one; 0: not in the copy */
    unsigned nglyphs;
    FT_Face ft;           /* opened after the thread is joined */
};

/* A Pango font with a cut face: its cairo font drawn from the copy. */
struct cut_font {
    PangoFont *font;              /* a reference */
    struct cut_face *face;        /* NULL: drawn whole */
    cairo_scaled_font_t *scaled;  /* from the copy, as Pango's from the full face */
};

#define WORKERS 2

struct font_cut {
    FT_Library ft;
    struct cut_face *faces;
    int nfaces;
    pthread_mutex_t lock;
    int next;           /* the next face a worker takes (under lock) */
    pthread_t workers[WORKERS];
    int nworkers;
    bool joined;
    struct cut_font *fonts;
    int nfonts;
    PangoRenderer *renderer; /* made at the first line drawn */
    int cut_runs, full_runs;
};

/* The GSUB features whose substitutes the cut keeps (HarfBuzz's layout
 * closure over them; GSUB stays, cut to these): what Pango turns on for
 * Han and Latin text and the paragraph's fwid, so that the layout rarely
 * uses a glyph the cut lacks (font_cut_cover mends that). */
static const hb_tag_t SHAPING_FEATURES[] = {
    HB_TAG('c', 'c', 'm', 'p'), HB_TAG('r', 'l', 'i', 'g'), HB_TAG('r', 'c', 'l', 't'),
    HB_TAG('c', 'a', 'l', 't'), HB_TAG('l', 'i', 'g', 'a'), HB_TAG('c', 'l', 'i', 'g'),
    HB_TAG('f', 'w', 'i', 'd'), HB_TAG_NONE};

/* Old glyph id -> new one plus one (0: not in the copy). */
static void map_glyphs(struct cut_face *cf, hb_subset_plan_t *plan, unsigned nglyphs)
{
    const hb_map_t *map = hb_subset_plan_old_to_new_glyph_mapping(plan);
    cf->nglyphs = nglyphs;
    cf->gid = xcalloc(nglyphs + 1, sizeof *cf->gid);
    for (unsigned g = 0; g < nglyphs; g++)
        if (hb_map_has(map, g))
            cf->gid[g] = hb_map_get(map, g) + 1;
}

static void cut_one(struct cut_face *cf)
{
    cf->done = true;
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(cf->file);
    if (!blob)
        return;
    hb_face_t *face = hb_face_create(blob, (unsigned)cf->index);
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (in) {
        hb_set_union(hb_subset_input_unicode_set(in), cf->unicodes);
        hb_set_t *features = hb_subset_input_set(in, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG);
        hb_set_clear(features);
        for (const hb_tag_t *t = SHAPING_FEATURES; *t; t++)
            hb_set_add(features, *t);
        if (cf->extra)
            hb_set_union(hb_subset_input_glyph_set(in), cf->extra);
        hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
        for (size_t i = 0; i < sizeof DROPPED_TABLES / sizeof *DROPPED_TABLES; i++)
            hb_set_add(drop, DROPPED_TABLES[i]);
        /* no subroutines: cairo copies every one a glyph touches */
        hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_DESUBROUTINIZE);
        hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(face, in);
        hb_face_t *sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
        if (sub) {
            map_glyphs(cf, plan, hb_face_get_glyph_count(face));
            cf->blob = hb_face_reference_blob(sub);
            if (hb_blob_get_length(cf->blob) == 0) {
                hb_blob_destroy(cf->blob);
                cf->blob = NULL;
            }
        }
        hb_face_destroy(sub);
        hb_subset_plan_destroy(plan);
        hb_subset_input_destroy(in);
    }
    hb_face_destroy(face);
    hb_blob_destroy(blob);
}

/* Takes faces in order until none is left or drawing has begun. */
static void *worker(void *arg)
{
    struct font_cut *c = arg;
    for (;;) {
        pthread_mutex_lock(&c->lock);
        bool more = !c->joined && c->next < c->nfaces && c->faces[c->next].eager;
        struct cut_face *cf = more ? &c->faces[c->next++] : NULL;
        pthread_mutex_unlock(&c->lock);
        if (!cf)
            return NULL;
        cut_one(cf);
    }
}

static void add_face(struct font_cut *c, char *file, int index, bool eager)
{
    for (int i = 0; i < c->nfaces; i++)
        if (c->faces[i].index == index && !strcmp(c->faces[i].file, file)) {
            c->faces[i].eager |= eager;
            free(file);
            return;
        }
    c->faces = xreallocarray(c->faces, (size_t)c->nfaces + 1, sizeof *c->faces);
    c->faces[c->nfaces++] = (struct cut_face){.file = file, .index = index, .eager = eager};
}

/* Does an element of the template (or its charts) set text in this role
 * and weight? Those faces are cut in the workers; the others (inline code,
 * bold in a role no element is bold in …) when a run first needs them. */
static bool element_face(const struct style *st, enum font_role r, bool bold)
{
    if (st->chart_font == r)
        return true;
    for (int e = 0; e < EL_COUNT; e++)
        if (st->el[e].font == r && st->el[e].bold == bold)
            return true;
    return false;
}

static int eager_first(const void *a, const void *b)
{
    return ((const struct cut_face *)b)->eager - ((const struct cut_face *)a)->eager;
}

struct font_cut *font_cut_start(struct fonts *f, const struct style *st, const char *text, size_t len)
{
    struct font_cut *c = xcalloc(1, sizeof *c);
    for (int r = 0; r < ROLE_COUNT; r++)
        for (int bold = 0; bold < 2; bold++) {
            char *file, *family;
            int index;
            if (fonts_role_face(f, (enum font_role)r, bold, &file, &index, &family)) {
                add_face(c, file, index, element_face(st, (enum font_role)r, bold));
                free(family);
            }
        }
    qsort(c->faces, (size_t)c->nfaces, sizeof *c->faces, eager_first);
    hb_set_t *unicodes = font_subset_unicodes(text, len);
    for (int i = 0; i < c->nfaces; i++)
        c->faces[i].unicodes = hb_set_copy(unicodes);
    hb_set_destroy(unicodes);
    pthread_mutex_init(&c->lock, NULL);
    for (int i = 0; i < WORKERS && i < c->nfaces; i++)
        if (pthread_create(&c->workers[c->nworkers], NULL, worker, c) == 0)
            c->nworkers++;
    return c;
}

/* Stops the workers once their current faces are cut: a face no worker
 * took is cut when a run first needs it, so faces the layout never used
 * cost nothing once drawing has begun. */
static void join(struct font_cut *c)
{
    if (c->joined)
        return;
    pthread_mutex_lock(&c->lock);
    c->joined = true;
    pthread_mutex_unlock(&c->lock);
    for (int i = 0; i < c->nworkers; i++)
        pthread_join(c->workers[i], NULL);
    if (FT_Init_FreeType(&c->ft))
        c->ft = NULL;
}

/* The copy opened for cairo (FreeType faces of one library are made on
 * one thread: this one), cut first if no worker did. */
static bool open_copy(struct font_cut *c, struct cut_face *cf)
{
    if (!cf->done)
        cut_one(cf);
    unsigned size;
    const char *data = cf->blob ? hb_blob_get_data(cf->blob, &size) : NULL;
    if (!cf->ft && data && c->ft &&
        FT_New_Memory_Face(c->ft, (const FT_Byte *)data, (FT_Long)size, 0, &cf->ft))
        cf->ft = NULL;
    return cf->ft != NULL;
}

static struct cut_face *face_of(struct font_cut *c, FcPattern *p)
{
    FcChar8 *file;
    int index;
    if (!p || FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch ||
        FcPatternGetInteger(p, FC_INDEX, 0, &index) != FcResultMatch)
        return NULL;
    for (int i = 0; i < c->nfaces; i++)
        if (c->faces[i].index == index && !strcmp(c->faces[i].file, (const char *)file))
            return &c->faces[i];
    return NULL;
}

/* The copy's cairo font with everything else Pango's has: the pattern
 * Pango made the font from (size, emboldening, matrix) naming the copy. */
static cairo_scaled_font_t *scaled_copy(PangoFont *font, struct cut_face *cf)
{
    cairo_scaled_font_t *full = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font));
    if (!full || cairo_scaled_font_status(full) != CAIRO_STATUS_SUCCESS)
        return NULL;
    FcPattern *p = FcPatternDuplicate(pango_fc_font_get_pattern(PANGO_FC_FONT(font)));
    FcPatternDel(p, FC_FT_FACE);
    FcPatternAddFTFace(p, FC_FT_FACE, cf->ft);
    cairo_font_face_t *face = cairo_ft_font_face_create_for_pattern(p);
    FcPatternDestroy(p);
    cairo_matrix_t fm, ctm;
    cairo_scaled_font_get_font_matrix(full, &fm);
    cairo_scaled_font_get_ctm(full, &ctm);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_scaled_font_get_font_options(full, fo);
    cairo_scaled_font_t *sf = cairo_scaled_font_create(face, &fm, &ctm, fo);
    cairo_font_options_destroy(fo);
    cairo_font_face_destroy(face);
    if (cairo_scaled_font_status(sf) != CAIRO_STATUS_SUCCESS) {
        cairo_scaled_font_destroy(sf);
        return NULL;
    }
    return sf;
}

static struct cut_font *font_of(struct font_cut *c, PangoFont *font)
{
    for (int i = 0; i < c->nfonts; i++)
        if (c->fonts[i].font == font)
            return &c->fonts[i];
    c->fonts = xreallocarray(c->fonts, (size_t)c->nfonts + 1, sizeof *c->fonts);
    struct cut_font *cfont = &c->fonts[c->nfonts++];
    *cfont = (struct cut_font){g_object_ref(font), NULL, NULL};
    if (PANGO_IS_FC_FONT(font) && PANGO_IS_CAIRO_FONT(font)) {
        cfont->face = face_of(c, pango_fc_font_get_pattern(PANGO_FC_FONT(font)));
        if (cfont->face && !open_copy(c, cfont->face))
            cfont->face = NULL;
        cfont->scaled = cfont->face ? scaled_copy(font, cfont->face) : NULL;
    }
    return cfont;
}

/* The copy when it has every glyph of the run, else NULL. */
static const struct cut_font *copy_for_run(struct font_cut *c, PangoGlyphItem *run)
{
    PangoFont *font = run->item->analysis.font;
    struct cut_font *cfont = font ? font_of(c, font) : NULL;
    if (!cfont || !cfont->scaled)
        return NULL;
    const struct cut_face *cf = cfont->face;
    for (int i = 0; i < run->glyphs->num_glyphs; i++) {
        PangoGlyph g = run->glyphs->glyphs[i].glyph;
        if (g == PANGO_GLYPH_EMPTY)
            continue;
        if ((g & PANGO_GLYPH_UNKNOWN_FLAG) || g >= cf->nglyphs || !cf->gid[g])
            return NULL;
    }
    return cfont;
}

/* ---- a Pango renderer drawing runs from the copies ------------------- */

typedef struct {
    PangoRenderer parent;
    cairo_t *cr;
    struct font_cut *cut;
    double x0, y0;  /* the line's origin, user space */
} CutRenderer;

typedef struct {
    PangoRendererClass parent_class;
} CutRendererClass;

GType cut_renderer_get_type(void);
G_DEFINE_TYPE(CutRenderer, cut_renderer, PANGO_TYPE_RENDERER)

/* The part's colour from the text's attributes, else cr's own source. */
static void set_color(CutRenderer *r, PangoRenderPart part)
{
    PangoColor *color = pango_renderer_get_color(&r->parent, part);
    guint16 a = pango_renderer_get_alpha(&r->parent, part);
    if (!color && !a)
        return;
    double red = 0, green = 0, blue = 0, alpha = 1;
    if (color) {
        red = color->red / 65535.0, green = color->green / 65535.0, blue = color->blue / 65535.0;
    } else {
        cairo_pattern_t *src = cairo_get_source(r->cr);
        if (cairo_pattern_get_type(src) == CAIRO_PATTERN_TYPE_SOLID)
            cairo_pattern_get_rgba(src, &red, &green, &blue, &alpha);
    }
    if (a)
        alpha = a / 65535.0;
    cairo_set_source_rgba(r->cr, red, green, blue, alpha);
}

/* The clusters of a run as cairo wants them for the text behind the glyphs. */
static int run_clusters(const char *text, PangoGlyphItem *run, cairo_text_cluster_t *out)
{
    bool backward = run->item->analysis.level & 1;
    PangoGlyphItemIter iter;
    int n = 0;
    for (bool more = pango_glyph_item_iter_init_start(&iter, run, text); more;
         more = pango_glyph_item_iter_next_cluster(&iter)) {
        int glyphs = backward ? iter.start_glyph - iter.end_glyph : iter.end_glyph - iter.start_glyph;
        int lo = iter.start_glyph < iter.end_glyph + 1 ? iter.start_glyph : iter.end_glyph + 1;
        int hi = iter.start_glyph + 1 > iter.end_glyph ? iter.start_glyph + 1 : iter.end_glyph;
        for (int i = lo; i < hi; i++)
            if (run->glyphs->glyphs[i].glyph == PANGO_GLYPH_EMPTY)
                glyphs--;
        out[n++] = (cairo_text_cluster_t){iter.end_index - iter.start_index, glyphs};
    }
    return n;
}

static void show_copy(CutRenderer *r, const struct cut_font *cfont, const char *text, PangoGlyphItem *run,
                      double x, double y)
{
    PangoGlyphString *gs = run->glyphs;
    cairo_glyph_t *glyphs = xcalloc((size_t)gs->num_glyphs + 1, sizeof *glyphs);
    cairo_text_cluster_t *clusters = xcalloc((size_t)gs->num_glyphs + 1, sizeof *clusters);
    int n = 0, pos = 0;
    for (int i = 0; i < gs->num_glyphs; i++) {
        const PangoGlyphInfo *gi = &gs->glyphs[i];
        if (gi->glyph != PANGO_GLYPH_EMPTY)
            glyphs[n++] = (cairo_glyph_t){cfont->face->gid[gi->glyph] - 1,
                                          x + (pos + gi->geometry.x_offset) / (double)PANGO_SCALE,
                                          y + gi->geometry.y_offset / (double)PANGO_SCALE};
        pos += gi->geometry.width;
    }
    int nclusters = run_clusters(text, run, clusters);
    cairo_set_scaled_font(r->cr, cfont->scaled);
    cairo_show_text_glyphs(r->cr, text + run->item->offset, run->item->length, glyphs, n, clusters,
                           nclusters, run->item->analysis.level & 1 ? CAIRO_TEXT_CLUSTER_FLAG_BACKWARD : 0);
    free(clusters);
    free(glyphs);
}

static void draw_glyph_item(PangoRenderer *renderer, const char *text, PangoGlyphItem *run, int x, int y)
{
    CutRenderer *r = (CutRenderer *)renderer;
    double bx = r->x0 + x / (double)PANGO_SCALE, by = r->y0 + y / (double)PANGO_SCALE;
    cairo_save(r->cr);
    set_color(r, PANGO_RENDER_PART_FOREGROUND);
    const struct cut_font *cfont = text ? copy_for_run(r->cut, run) : NULL;
    if (cfont) {
        r->cut->cut_runs++;
        show_copy(r, cfont, text, run, bx, by);
    } else {
        r->cut->full_runs++;
        cairo_move_to(r->cr, bx, by);
        pango_cairo_show_glyph_item(r->cr, text ? text : "", run);
    }
    cairo_restore(r->cr);
}

static void draw_glyphs(PangoRenderer *renderer, PangoFont *font, PangoGlyphString *glyphs, int x, int y)
{
    CutRenderer *r = (CutRenderer *)renderer;
    cairo_save(r->cr);
    set_color(r, PANGO_RENDER_PART_FOREGROUND);
    cairo_move_to(r->cr, r->x0 + x / (double)PANGO_SCALE, r->y0 + y / (double)PANGO_SCALE);
    pango_cairo_show_glyph_string(r->cr, font, glyphs);
    r->cut->full_runs++;
    cairo_restore(r->cr);
}

static void draw_rectangle(PangoRenderer *renderer, PangoRenderPart part, int x, int y, int w, int h)
{
    CutRenderer *r = (CutRenderer *)renderer;
    cairo_save(r->cr);
    set_color(r, part);
    cairo_new_path(r->cr);
    cairo_rectangle(r->cr, r->x0 + x / (double)PANGO_SCALE, r->y0 + y / (double)PANGO_SCALE,
                    w / (double)PANGO_SCALE, h / (double)PANGO_SCALE);
    cairo_fill(r->cr);
    cairo_restore(r->cr);
}

static void cut_renderer_init(CutRenderer *r) { (void)r; }

static void cut_renderer_class_init(CutRendererClass *k)
{
    PangoRendererClass *rc = PANGO_RENDERER_CLASS(k);
    rc->draw_glyph_item = draw_glyph_item;
    rc->draw_glyphs = draw_glyphs;
    rc->draw_rectangle = draw_rectangle;
}

void font_cut_show_line(struct font_cut *c, cairo_t *cr, PangoLayoutLine *line)
{
    if (!c) {
        pango_cairo_show_layout_line(cr, line);
        return;
    }
    join(c);
    if (!c->renderer)
        c->renderer = g_object_new(cut_renderer_get_type(), NULL);
    CutRenderer *r = (CutRenderer *)c->renderer;
    r->cr = cr;
    r->cut = c;
    cairo_get_current_point(cr, &r->x0, &r->y0);
    pango_renderer_draw_layout_line(c->renderer, line, 0, 0);
    r->cr = NULL;
}

/* Notes the glyphs of the line's runs that their face's cut lacks. */
static void note_missing(struct font_cut *c, PangoLayoutLine *line)
{
    for (GSList *l = line->runs; l; l = l->next) {
        PangoGlyphItem *run = l->data;
        PangoFont *font = run->item->analysis.font;
        FcPattern *p = font && PANGO_IS_FC_FONT(font) ? pango_fc_font_get_pattern(PANGO_FC_FONT(font)) : NULL;
        struct cut_face *cf = face_of(c, p);
        if (cf && !cf->done) /* the layout uses it: cut it now, then see */
            cut_one(cf);
        if (!cf || !cf->blob)
            continue;
        for (int i = 0; i < run->glyphs->num_glyphs; i++) {
            PangoGlyph g = run->glyphs->glyphs[i].glyph;
            if (g & PANGO_GLYPH_UNKNOWN_FLAG || g >= cf->nglyphs || cf->gid[g])
                continue;
            if (!cf->extra)
                cf->extra = hb_set_create();
            hb_set_add(cf->extra, g);
        }
    }
}

void font_cut_cover(struct font_cut *c, PangoLayout *const *layouts, int n)
{
    if (!c)
        return;
    join(c);
    for (int i = 0; i < n; i++)
        for (GSList *l = pango_layout_get_lines_readonly(layouts[i]); l; l = l->next)
            note_missing(c, l->data);
    for (int i = 0; i < c->nfaces; i++) {
        struct cut_face *cf = &c->faces[i];
        if (!cf->extra || cf->ft)
            continue;
        hb_blob_destroy(cf->blob);
        cf->blob = NULL;
        free(cf->gid);
        cf->gid = NULL;
        cut_one(cf);
    }
}

bool font_cut_drew_all(const struct font_cut *c)
{
    return c && c->full_runs == 0 && c->cut_runs > 0;
}

void font_cut_free(struct font_cut *c)
{
    if (!c)
        return;
    join(c);
    if (c->renderer)
        g_object_unref(c->renderer);
    for (int i = 0; i < c->nfonts; i++) {
        if (c->fonts[i].scaled)
            cairo_scaled_font_destroy(c->fonts[i].scaled);
        g_object_unref(c->fonts[i].font);
    }
    for (int i = 0; i < c->nfaces; i++) {
        struct cut_face *cf = &c->faces[i];
        if (cf->ft)
            FT_Done_Face(cf->ft);
        hb_blob_destroy(cf->blob);
        hb_set_destroy(cf->unicodes);
        hb_set_destroy(cf->extra);
        free(cf->gid);
        free(cf->file);
    }
    if (c->ft)
        FT_Done_FreeType(c->ft);
    pthread_mutex_destroy(&c->lock);
    free(c->fonts);
    free(c->faces);
    free(c);
}
