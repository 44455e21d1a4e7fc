#include "fontcut.h"
#include "cff.h"
#include "fontsubset.h"
#include "xalloc.h"
#include <fontconfig/fcfreetype.h>
#include <hb-subset.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangofc-font.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* What the copies keep. Measured (callgrind, the example in gongwen) when
 * cairo drew from them: keeping the original glyph ids (retain-gids)
 * doubled the cut of a Noto CJK face (140 M vs 68 M instructions) and its
 * size (65,535 glyph slots), so the glyph ids Pango shaped with are mapped
 * to the copy's instead; flattened subroutines cost the least to cut and
 * to embed (kept subroutines made the PDF larger, not smaller). Asking for
 * any glyph by id (rather than by character) costs 40 M a face (HarfBuzz
 * scans the whole cmap), so the substitutes shaping uses come from
 * HarfBuzz's layout closure over the few features below, GSUB cut to them
 * (+4 M); the closure over every feature and language (locl alone +260 M
 * for all faces) is not worth it: font_cut_mend adds the rare glyph it
 * would have added. GPOS, GDEF, BASE and vertical metrics go: nothing
 * shapes with the copies. */
static const hb_tag_t DROPPED_TABLES[] = {
    HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
    HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'), HB_TAG('V', 'O', 'R', 'G'),
    HB_TAG('v', 'h', 'e', 'a'), HB_TAG('v', 'm', 't', 'x'), HB_TAG('k', 'e', 'r', 'n'),
    HB_TAG('D', 'S', 'I', 'G'), HB_TAG('m', 'o', 'r', 'x'), HB_TAG('m', 'o', 'r', 't'),
    HB_TAG('k', 'e', 'r', 'x'), HB_TAG('S', 'T', 'A', 'T'), HB_TAG('f', 'v', 'a', 'r'),
};

/* One face being cut (in its thread). */
struct cut_face {
    char *file;
    int index;
    hb_set_t *unicodes;   /* the thread's own copy: hb sets are not shared across threads */
    bool deferred;        /* cut once the layout is noted, to the characters it set */
    hb_set_t *extra;      /* glyphs the layout used that the first cut missed, or NULL */
    bool done;            /* cut (or failed): blob and gid are set */
    hb_blob_t *blob;      /* the cut face, or NULL */
    hb_set_t *used;       /* glyphs (of the full face) the document draws, or NULL */
    uint32_t *gid;        /* old glyph id -> the copy's plus one; 0: not in the copy */
    unsigned nglyphs;
    bool drawn;           /* handed out for drawing: the copy no longer changes */
    hb_blob_t *program;   /* the copy cut to the glyphs used (final_cut) */
    bool programmed;      /* final_cut done */
    uint32_t *program_gid; /* the copy's glyph id -> the program's plus one */
    unsigned ncopy;       /* glyphs in the copy */
    bool whole;           /* blob is the face's file itself (face index: index) */
};

/* A Pango font and the face it was made from. */
struct cut_font {
    PangoFont *font;              /* a reference */
    struct cut_face *face;        /* NULL: not a face we can cut */
};

#define WORKERS 2

struct font_cut {
    struct cut_face **faces;      /* pointers: a face handed out stays where it is */
    int nfaces;
    pthread_mutex_t lock;
    pthread_t ahead;    /* cutting the body's face while the layout runs */
    bool ahead_running;
    struct cut_font *fonts;
    int nfonts;
    bool whole;          /* faces taken whole, not cut to characters first */
    struct face_jobs *final; /* the final cuts, once started */
    hb_set_t *unicodes;  /* what every face is cut to (a face the layout falls back on too) */
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

/* Tables the embedded program does without: a PDF addresses glyphs by
 * id and places each one itself. */
static const hb_tag_t UNEMBEDDED_TABLES[] = {
    HB_TAG('G', 'S', 'U', 'B'), HB_TAG('c', 'm', 'a', 'p'),
};

/* A subsetter's input dropping what no copy needs, and for the program
 * the PDF embeds what that does without too. */
static hb_subset_input_t *cut_input(bool embedded)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        return NULL;
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof DROPPED_TABLES / sizeof *DROPPED_TABLES; i++)
        hb_set_add(drop, DROPPED_TABLES[i]);
    for (size_t i = 0; embedded && i < sizeof UNEMBEDDED_TABLES / sizeof *UNEMBEDDED_TABLES; i++)
        hb_set_add(drop, UNEMBEDDED_TABLES[i]);
    /* subroutines flattened: see the measurements above */
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_DESUBROUTINIZE);
    return in;
}

/* The subset face's bytes; NULL when the subsetter made none. */
static hb_blob_t *bytes_of(hb_face_t *sub)
{
    hb_blob_t *blob = hb_face_reference_blob(sub);
    if (hb_blob_get_length(blob) == 0) {
        hb_blob_destroy(blob);
        return NULL;
    }
    return blob;
}

/* The face's file itself, its glyph ids its own: a face already small
 * (a batch's subset), cut only once, to the glyphs drawn. */
static void take_whole(struct cut_face *cf)
{
    cf->done = cf->whole = true;
    cf->blob = hb_blob_create_from_file_or_fail(cf->file);
    hb_face_t *face = cf->blob ? hb_face_create(cf->blob, (unsigned)cf->index) : NULL;
    cf->nglyphs = face ? hb_face_get_glyph_count(face) : 0;
    cf->gid = xcalloc(cf->nglyphs + 1, sizeof *cf->gid);
    for (unsigned g = 0; g < cf->nglyphs; g++)
        cf->gid[g] = g + 1;
    hb_face_destroy(face);
}

static void cut_one(struct cut_face *cf)
{
    cf->done = true;
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(cf->file);
    if (!blob)
        return;
    hb_face_t *face = hb_face_create(blob, (unsigned)cf->index);
    hb_subset_input_t *in = cut_input(false);
    if (in) {
        hb_set_union(hb_subset_input_unicode_set(in), cf->unicodes);
        hb_set_t *features = hb_subset_input_set(in, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG);
        hb_set_clear(features);
        for (const hb_tag_t *t = SHAPING_FEATURES; *t; t++)
            hb_set_add(features, *t);
        if (cf->extra)
            hb_set_union(hb_subset_input_glyph_set(in), cf->extra);
        hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(face, in);
        hb_face_t *sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
        if (sub) {
            map_glyphs(cf, plan, hb_face_get_glyph_count(face));
            cf->blob = bytes_of(sub);
        }
        hb_face_destroy(sub);
        hb_subset_plan_destroy(plan);
        hb_subset_input_destroy(in);
    }
    hb_face_destroy(face);
    hb_blob_destroy(blob);
}

/* The glyphs of the copy the document draws (copy ids), as flags. */
static bool *drawn_flags(const struct cut_face *cf)
{
    bool *keep = xcalloc(cf->ncopy + 1, sizeof *keep);
    for (hb_codepoint_t g = HB_SET_VALUE_INVALID; hb_set_next(cf->used, &g);)
        if (g < cf->nglyphs && cf->gid[g] && cf->gid[g] - 1 < cf->ncopy)
            keep[cf->gid[g] - 1] = true;
    return keep;
}

/* A CFF copy's program: its CFF table cut to the glyphs the document
 * draws (cff_keep_glyphs), their CIDs unchanged. HarfBuzz's subsetter
 * reads and writes every charstring again: measured on the batch, its
 * cuts of the summaries' faces took 1.2 G of the batch's 4.2 G
 * instructions, and 20 ms for the example's body face; this copies bytes.
 * Only for a copy without subroutines (HarfBuzz's copies are flattened):
 * another would keep all of them. NULL when the face has no CFF table,
 * it does not parse or has subroutines. */
static hb_blob_t *emptied_cff(struct cut_face *cf, hb_face_t *face)
{
    hb_blob_t *cff = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
    unsigned len;
    const char *data = hb_blob_get_data(cff, &len);
    unsigned char *out = NULL;
    size_t out_len = 0;
    bool *keep = len ? drawn_flags(cf) : NULL;
    const unsigned char *bytes = (const unsigned char *)data;
    bool ok = len && cff_flat(bytes, len) && cff_keep_glyphs(bytes, len, keep, cf->ncopy, &out, &out_len);
    for (unsigned g = 0, next = 0; ok && g < cf->ncopy; g++)
        if (g == 0 || keep[g])
            cf->program_gid[g] = ++next;
    free(keep);
    hb_blob_destroy(cff);
    if (!ok)
        return NULL;
    return hb_blob_create((const char *)out, (unsigned)out_len, HB_MEMORY_MODE_WRITABLE, out, free);
}

/* The bytes a PDF embeds of a subset face: its CFF table, or the whole
 * TrueType file. */
static hb_blob_t *embedded_bytes(hb_face_t *sub)
{
    hb_blob_t *cff = hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
    if (hb_blob_get_length(cff))
        return cff;
    hb_blob_destroy(cff);
    return bytes_of(sub);
}

/* The copy cut by HarfBuzz to the glyphs the document draws: a TrueType
 * face's program (and a CFF's whose table cannot be emptied in place). */
static hb_blob_t *subset_program(struct cut_face *cf, hb_face_t *face)
{
    hb_subset_input_t *in = cut_input(true);
    hb_subset_plan_t *plan = NULL;
    hb_face_t *sub = NULL;
    if (in) {
        hb_set_t *glyphs = hb_subset_input_glyph_set(in);
        for (hb_codepoint_t g = HB_SET_VALUE_INVALID; hb_set_next(cf->used, &g);)
            if (g < cf->nglyphs && cf->gid[g])
                hb_set_add(glyphs, cf->gid[g] - 1);
        hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_DESUBROUTINIZE);
        plan = hb_subset_plan_create_or_fail(face, in);
        sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
    }
    hb_blob_t *program = sub ? embedded_bytes(sub) : NULL;
    if (program) {
        const hb_map_t *map = hb_subset_plan_old_to_new_glyph_mapping(plan);
        for (unsigned g = 0; g < cf->ncopy; g++)
            if (hb_map_has(map, g))
                cf->program_gid[g] = hb_map_get(map, g) + 1;
    }
    hb_face_destroy(sub);
    hb_subset_plan_destroy(plan);
    hb_subset_input_destroy(in);
    return program;
}

/* The copy cut again, to the glyphs the document draws: what the PDF
 * embeds (a face cut to the document's characters holds every glyph of
 * them, in every face of the template: three times the glyphs drawn).
 * It works on the small copy, so asking for glyphs by id is cheap. A cut
 * that fails leaves no program (the PDF says it cannot embed the face). */
static void final_cut(struct cut_face *cf)
{
    hb_face_t *face = hb_face_create(cf->blob, cf->whole ? (unsigned)cf->index : 0);
    cf->ncopy = hb_face_get_glyph_count(face);
    cf->program_gid = xcalloc(cf->ncopy + 1, sizeof *cf->program_gid);
    cf->program = emptied_cff(cf, face);
    if (!cf->program)
        cf->program = subset_program(cf, face);
    cf->programmed = true;
    hb_face_destroy(face);
}

/* A CFF face's glyphs are numbered before pages are drawn (a name-keyed
 * program is addressed by its own glyph ids): its cut, a copy of bytes,
 * is made at once. */
static bool has_cff(const struct cut_face *cf)
{
    hb_face_t *face = hb_face_create(cf->blob, cf->whole ? (unsigned)cf->index : 0);
    hb_blob_t *cff = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
    bool yes = hb_blob_get_length(cff) > 0;
    hb_blob_destroy(cff);
    hb_face_destroy(face);
    return yes;
}

int font_cut_program_glyph(const struct cut_face *cf, unsigned copy_glyph)
{
    return copy_glyph < cf->ncopy ? (int)cf->program_gid[copy_glyph] - 1 : -1;
}

static void *cut_ahead(void *arg)
{
    cut_one(arg);
    return NULL;
}

/* The face of (file, index), added (not cut yet) if new; takes file. The
 * body's face is cut to the document's characters, the others to those
 * noted in them. */
static struct cut_face *add_face(struct font_cut *c, char *file, int index, bool body)
{
    for (int i = 0; i < c->nfaces; i++)
        if (c->faces[i]->index == index && !strcmp(c->faces[i]->file, file)) {
            free(file);
            return c->faces[i];
        }
    c->faces = xreallocarray(c->faces, (size_t)c->nfaces + 1, sizeof *c->faces);
    struct cut_face *cf = xcalloc(1, sizeof *cf);
    *cf = (struct cut_face){.file = file, .index = index};
    cf->unicodes = body && c->unicodes ? hb_set_copy(c->unicodes) : hb_set_create();
    c->faces[c->nfaces++] = cf;
    return cf;
}

/* The body text's face is cut in a worker, to every character of the
 * document, while the main thread lays out. The other faces (headings,
 * titles, charts, fallbacks) are cut once the layout is noted, to the
 * characters each set: a subset's cost grows with its characters, and
 * cutting a Noto CJK face that sets a title to all of the example's 1,100
 * characters took 11 ms of CPU, to its own 0.5 ms. (Looking up every
 * role's face here cost 30 M instructions more: a fontconfig sort each.) */
struct font_cut *font_cut_start(struct fonts *f, const struct style *st, const char *text, size_t len)
{
    struct font_cut *c = xcalloc(1, sizeof *c);
    c->unicodes = font_subset_unicodes(text, len);
    pthread_mutex_init(&c->lock, NULL);
    char *file, *family;
    int index;
    if (fonts_role_face(f, st->el[EL_BODY].font, st->el[EL_BODY].bold, &file, &index, &family)) {
        struct cut_face *body = add_face(c, file, index, true);
        free(family);
        c->ahead_running = pthread_create(&c->ahead, NULL, cut_ahead, body) == 0;
    }
    return c;
}

struct font_cut *font_cut_new(void)
{
    struct font_cut *c = xcalloc(1, sizeof *c);
    c->whole = true;
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

/* Waits for the body's face (a face not cut by then, as when no thread
 * could start, is cut with the deferred ones). */
static void join(struct font_cut *c)
{
    if (c->ahead_running)
        pthread_join(c->ahead, NULL);
    c->ahead_running = false;
}

/* The face Pango made the font from, added if the template's roles did
 * not name it (a fallback face); NULL for a font not from a file. */
static struct cut_face *face_of_font(struct font_cut *c, PangoFont *font)
{
    for (int i = 0; i < c->nfonts; i++)
        if (c->fonts[i].font == font)
            return c->fonts[i].face;
    c->fonts = xreallocarray(c->fonts, (size_t)c->nfonts + 1, sizeof *c->fonts);
    struct cut_font *cfont = &c->fonts[c->nfonts++];
    *cfont = (struct cut_font){g_object_ref(font), NULL};
    FcPattern *p = PANGO_IS_FC_FONT(font) ? pango_fc_font_get_pattern(PANGO_FC_FONT(font)) : NULL;
    FcChar8 *file;
    int index;
    if (p && FcPatternGetString(p, FC_FILE, 0, &file) == FcResultMatch &&
        FcPatternGetInteger(p, FC_INDEX, 0, &index) == FcResultMatch)
        cfont->face = add_face(c, xstrdup((const char *)file), index, false);
    return cfont->face;
}

/* A batch's face, cut for it already, is taken whole; any other face the
 * batch falls back on (a character its cut lacks) is cut like a single
 * document's. */
static bool takes_whole(const struct font_cut *c, const struct cut_face *cf)
{
    return c->whole && font_subset_file(cf->file);
}

/* A glyph the layout used; those the face's cut lacks go to extra. */
static void note_glyph(struct cut_face *cf, PangoGlyph g)
{
    if (!cf->used)
        cf->used = hb_set_create();
    hb_set_add(cf->used, g);
    if (!cf->deferred && !cf->gid[g]) {
        if (!cf->extra)
            cf->extra = hb_set_create();
        hb_set_add(cf->extra, g);
    }
}

/* The run's characters, for a face cut once noted. */
static void note_chars(struct cut_face *cf, const char *text, PangoGlyphItem *run)
{
    const char *s = text + run->item->offset, *end = s + run->item->length;
    for (; s < end; s = g_utf8_next_char(s))
        hb_set_add(cf->unicodes, g_utf8_get_char(s));
}

/* Notes the glyphs of the line's runs, and those their face's cut lacks. */
static void note_missing(struct font_cut *c, const char *text, PangoLayoutLine *line)
{
    for (GSList *l = line->runs; l; l = l->next) {
        PangoGlyphItem *run = l->data;
        PangoFont *font = run->item->analysis.font;
        struct cut_face *cf = font ? face_of_font(c, font) : NULL;
        if (!cf)
            continue;
        if (!cf->done && takes_whole(c, cf))
            take_whole(cf);
        else if (!cf->done)
            cf->deferred = true;
        if (cf->deferred)
            note_chars(cf, text, run);
        else if (!cf->blob)
            continue;
        for (int i = 0; i < run->glyphs->num_glyphs; i++) {
            PangoGlyph g = run->glyphs->glyphs[i].glyph;
            if (!(g & PANGO_GLYPH_UNKNOWN_FLAG) && (cf->deferred || g < cf->nglyphs))
                note_glyph(cf, g);
        }
    }
}

void font_cut_note(struct font_cut *c, PangoLayout *layout)
{
    join(c);
    const char *text = pango_layout_get_text(layout);
    for (GSList *l = pango_layout_get_lines_readonly(layout); l; l = l->next)
        note_missing(c, text, l->data);
}

/* Faces to cut, taken in turn by up to two threads: the deferred cuts
 * (the main thread waits) and the final ones (pages are drawn meanwhile). */
struct face_jobs {
    struct font_cut *c;
    struct cut_face **faces;
    int n, next;
    void (*cut)(struct face_jobs *j, struct cut_face *cf);
    void (*done)(void *arg, const struct cut_face *cf, hb_blob_t *program);
    void *arg;
    pthread_t threads[WORKERS];
    int nthreads;
};

static void *jobs_worker(void *arg)
{
    struct face_jobs *j = arg;
    for (;;) {
        pthread_mutex_lock(&j->c->lock);
        struct cut_face *cf = j->next < j->n ? j->faces[j->next++] : NULL;
        pthread_mutex_unlock(&j->c->lock);
        if (!cf)
            return NULL;
        j->cut(j, cf);
    }
}

/* Starts the threads (at most one a face); with none, cuts them here. */
static void jobs_start(struct face_jobs *j)
{
    for (int i = 0; i < WORKERS && i < j->n; i++)
        if (pthread_create(&j->threads[j->nthreads], NULL, jobs_worker, j) == 0)
            j->nthreads++;
    if (!j->nthreads)
        jobs_worker(j);
}

static void jobs_wait(struct face_jobs *j)
{
    for (int i = 0; i < j->nthreads; i++)
        pthread_join(j->threads[i], NULL);
    j->nthreads = 0;
}

static void deferred_cut(struct face_jobs *j, struct cut_face *cf)
{
    (void)j;
    cut_one(cf);
}

/* Cuts the deferred faces to the characters noted, then sees which of
 * their glyphs the cuts lack (substitutes from shaping). */
static void cut_deferred(struct font_cut *c)
{
    struct face_jobs j = {.c = c, .faces = xcalloc((size_t)c->nfaces + 1, sizeof *j.faces),
                          .cut = deferred_cut};
    for (int i = 0; i < c->nfaces; i++)
        if (c->faces[i]->deferred && !c->faces[i]->done)
            j.faces[j.n++] = c->faces[i];
    jobs_start(&j);
    jobs_wait(&j);
    for (int i = 0; i < j.n; i++) {
        struct cut_face *cf = j.faces[i];
        cf->deferred = false;
        for (hb_codepoint_t g = HB_SET_VALUE_INVALID; cf->blob && hb_set_next(cf->used, &g);)
            if (g >= cf->nglyphs)
                hb_set_del(cf->used, g);
            else
                note_glyph(cf, g);
    }
    free(j.faces);
}

void font_cut_mend(struct font_cut *c)
{
    join(c);
    cut_deferred(c);
    for (int i = 0; i < c->nfaces; i++) {
        struct cut_face *cf = c->faces[i];
        if (!cf->extra || cf->drawn)
            continue;
        hb_blob_destroy(cf->blob);
        cf->blob = NULL;
        free(cf->gid);
        cf->gid = NULL;
        cut_one(cf);
    }
}

/* A final cut (unless made already), its program handed on in the thread. */
static void final_job(struct face_jobs *j, struct cut_face *cf)
{
    if (!cf->programmed)
        final_cut(cf);
    if (j->done)
        j->done(j->arg, cf, cf->program);
}

static int most_glyphs_first(const void *a, const void *b)
{
    unsigned na = hb_set_get_population((*(struct cut_face *const *)a)->used);
    unsigned nb = hb_set_get_population((*(struct cut_face *const *)b)->used);
    return (na < nb) - (na > nb);
}

/* The faces noted that have a copy: those drawn from. */
static bool to_embed(const struct cut_face *cf) { return cf->blob && cf->used; }

void font_cut_finish(struct font_cut *c, void (*done)(void *, const struct cut_face *, hb_blob_t *),
                     void *arg)
{
    join(c);
    if (c->final)
        return;
    struct face_jobs *j = c->final = xcalloc(1, sizeof *j);
    *j = (struct face_jobs){.c = c, .faces = xcalloc((size_t)c->nfaces + 1, sizeof *j->faces),
                            .cut = final_job, .done = done, .arg = arg};
    for (int i = 0; i < c->nfaces; i++)
        if (to_embed(c->faces[i])) {
            c->faces[i]->drawn = true;
            if (has_cff(c->faces[i]))
                final_cut(c->faces[i]);
            j->faces[j->n++] = c->faces[i];
        }
    /* most glyphs first, so that the two threads end together */
    qsort(j->faces, (size_t)j->n, sizeof *j->faces, most_glyphs_first);
    jobs_start(j);
}

void font_cut_wait(struct font_cut *c)
{
    if (c->final)
        jobs_wait(c->final);
}

const struct cut_face **font_cut_faces(const struct font_cut *c, int *n)
{
    const struct cut_face **out = xcalloc((size_t)c->nfaces + 1, sizeof *out);
    *n = 0;
    for (int i = 0; i < c->nfaces; i++)
        if (to_embed(c->faces[i]))
            out[(*n)++] = c->faces[i];
    return out;
}

hb_blob_t *font_cut_program(struct font_cut *c, const struct cut_face *cf)
{
    font_cut_wait(c);
    return cf->program;
}

const struct cut_face *font_cut_face(struct font_cut *c, PangoFont *font)
{
    join(c);
    struct cut_face *cf = face_of_font(c, font);
    if (cf && !cf->done)
        takes_whole(c, cf) ? take_whole(cf) : cut_one(cf);
    return cf && cf->blob && cf->drawn ? cf : NULL;
}

int font_cut_glyph(const struct cut_face *cf, unsigned glyph)
{
    if (glyph >= cf->nglyphs || !hb_set_has(cf->used, glyph))
        return -1; /* not noted before drawing: the program leaves it out */
    return (int)cf->gid[glyph] - 1;
}

hb_blob_t *font_cut_blob(const struct cut_face *cf) { return cf->blob; }
unsigned font_cut_index(const struct cut_face *cf) { return cf->whole ? (unsigned)cf->index : 0; }
const char *font_cut_file(const struct cut_face *cf) { return cf->file; }

void font_cut_free(struct font_cut *c)
{
    if (!c)
        return;
    join(c);
    font_cut_wait(c);
    if (c->final)
        free(c->final->faces);
    free(c->final);
    for (int i = 0; i < c->nfonts; i++)
        g_object_unref(c->fonts[i].font);
    for (int i = 0; i < c->nfaces; i++) {
        struct cut_face *cf = c->faces[i];
        hb_blob_destroy(cf->blob);
        hb_blob_destroy(cf->program);
        free(cf->program_gid);
        hb_set_destroy(cf->unicodes);
        hb_set_destroy(cf->extra);
        hb_set_destroy(cf->used);
        free(cf->gid);
        free(cf->file);
        free(cf);
    }
    hb_set_destroy(c->unicodes);
    pthread_mutex_destroy(&c->lock);
    free(c->fonts);
    free(c->faces);
    free(c);
}
