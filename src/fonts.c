#define _DEFAULT_SOURCE /* realpath */
#include "fonts.h"
#include "buf.h"
#include "xalloc.h"
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct fonts {
    const struct style *st;
    struct diag *d;
    PangoFontMap *map;
    PangoContext *ctx;
    PangoFontDescription *role[ROLE_COUNT];
    char *family[ROLE_COUNT];
    FcConfig *cfg;  /* owned by the font map after set_config; kept for lookups */
    /* subset faces: text in family[i] is drawn from alias[i] where it can be */
    char **subset_family, **subset_alias;
    int nsubsets;
    struct font_cut *cut; /* faces to draw from, not owned */
    bool resolved;  /* every role looked up (on first use) */
    struct buf missing, substitutes; /* for the one warning about fonts not installed */
};

/* Pango 1.50 ends every layout with pango_layout_get_size, which caches
 * the ink extents of the lines too: for each new glyph at each size,
 * pangocairo asks cairo, which loads the glyph's outline through FreeType.
 * On the example that was 200 M of the main thread's 770 M instructions,
 * and the outline reads fault in most pages of every font file (a third
 * of the peak RSS). briefing reads logical extents only (line boxes,
 * positions: the font's ascent and height, each glyph's advance), so the
 * ink box Pango gets here is that logical box, with HarfBuzz's advance,
 * and no outline is loaded. Drawing never asks for extents. */
static void (*outline_extents)(PangoFont *, PangoGlyph, PangoRectangle *, PangoRectangle *);

static void logical_extents(PangoFont *font, PangoGlyph glyph, PangoRectangle *ink, PangoRectangle *logical)
{
    if (glyph == PANGO_GLYPH_EMPTY || glyph & PANGO_GLYPH_UNKNOWN_FLAG) {
        outline_extents(font, glyph, ink, logical);
        return;
    }
    PangoRectangle box;
    outline_extents(font, PANGO_GLYPH_EMPTY, NULL, &box); /* the font's ascent and height */
    box.x = 0;
    box.width = hb_font_get_glyph_h_advance(pango_font_get_hb_font(font), glyph);
    if (ink)
        *ink = box;
    if (logical)
        *logical = box;
}

/* Pango's cairo font class is private: a font of it shows the class. */
static gpointer patch_extents(gpointer ctx)
{
    PangoFontDescription *desc = pango_font_description_from_string("serif 12");
    PangoFont *font = pango_context_load_font(ctx, desc);
    pango_font_description_free(desc);
    PangoFontClass *k = font ? PANGO_FONT_GET_CLASS(font) : NULL;
    if (k && k->get_glyph_extents && k->get_glyph_extents != logical_extents) {
        outline_extents = k->get_glyph_extents;
        k->get_glyph_extents = logical_extents;
    }
    if (font)
        g_object_unref(font);
    return NULL;
}

static FcConfig *load_config(struct diag *d)
{
    FcConfig *cfg = FcConfigCreate();
    char *dir = xasprintf("%s/fonts", style_datadir());
    char *conf = xasprintf("%s/fonts.conf", dir);
    bool ok = FcConfigParseAndLoad(cfg, (const FcChar8 *)conf, FcFalse) ||
              FcConfigParseAndLoad(cfg, NULL, FcTrue);
    if (ok)
        FcConfigAppFontAddDir(cfg, (const FcChar8 *)dir);
    if (!ok || !FcConfigBuildFonts(cfg)) {
        diag_add(d, DIAG_ERROR, conf, 0, 0, "cannot load the fontconfig set-up");
        FcConfigDestroy(cfg);
        cfg = NULL;
    }
    free(conf);
    free(dir);
    return cfg;
}

static const char *first_string(const FcPattern *p, const char *object)
{
    FcChar8 *s;
    return FcPatternGetString(p, object, 0, &s) == FcResultMatch ? (const char *)s : "";
}

static bool named_by(const struct style *st, const char *family)
{
    for (int r = 0; r < ROLE_COUNT; r++)
        for (char **f = st->fonts[r]; f && *f; f++)
            if (!strcasecmp(*f, family))
                return true;
    return false;
}

/* Is p a regional sibling ("Noto Sans CJK JP") of a Simplified Chinese
 * face ("Noto Sans CJK SC") in the same collection file? */
static bool sc_sibling(const FcFontSet *set, const FcPattern *p)
{
    static const char *const regions[] = {" HK", " JP", " KR", " TC"};
    const char *family = first_string(p, FC_FAMILY), *file = first_string(p, FC_FILE);
    size_t len = strlen(family);
    bool regional = false;
    for (size_t k = 0; k < sizeof regions / sizeof *regions; k++)
        regional |= len > 3 && !strcmp(family + len - 3, regions[k]);
    if (!regional)
        return false;
    for (int i = 0; i < set->nfont; i++) {
        const char *f = first_string(set->fonts[i], FC_FAMILY);
        if (!strcmp(first_string(set->fonts[i], FC_FILE), file) && strlen(f) == len &&
            !strncmp(f, family, len - 2) && !strcmp(f + len - 2, "SC"))
            return true;
    }
    return false;
}

/* A pan-CJK collection (Noto CJK) holds one face per region, each with
 * the same characters. A document in Simplified Chinese falls back to the
 * SC face first, so its siblings are never drawn from; yet fontconfig
 * sorts them and merges their coverage for every font Pango asks for (on
 * the example, 20 of the 58 system faces cost 44 M of 757 M instructions).
 * They are taken out of this set-up, unless a template names them. The
 * set is fontconfig's public struct; a face taken out is released as
 * FcFontSetDestroy would. */
static void drop_regional_siblings(FcConfig *cfg, const struct style *st)
{
    FcFontSet *set = FcConfigGetFonts(cfg, FcSetSystem);
    if (!set)
        return;
    bool *drop = xcalloc((size_t)set->nfont + 1, sizeof *drop);
    for (int i = 0; i < set->nfont; i++)
        drop[i] = sc_sibling(set, set->fonts[i]) && !named_by(st, first_string(set->fonts[i], FC_FAMILY));
    int kept = 0;
    for (int i = 0; i < set->nfont; i++) {
        if (drop[i])
            FcPatternDestroy(set->fonts[i]);
        else
            set->fonts[kept++] = set->fonts[i];
    }
    set->nfont = kept;
    free(drop);
}

struct fonts *fonts_new(const struct style *st, struct diag *d)
{
    FcConfig *cfg = load_config(d);
    if (!cfg)
        return NULL;
    drop_regional_siblings(cfg, st);
    struct fonts *f = xcalloc(1, sizeof *f);
    f->st = st;
    f->d = d;
    f->cfg = cfg;
    f->map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(f->map), cfg);
    f->ctx = pango_font_map_create_context(f->map);
    pango_cairo_context_set_resolution(f->ctx, 72.0);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(f->ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(f->ctx, FALSE);
    pango_context_set_language(f->ctx, pango_language_from_string("zh-cn"));
    static GOnce once = G_ONCE_INIT;
    g_once(&once, patch_extents, f->ctx);
    return f;
}

/* Pango 1.50 runs fontconfig's match and sort for each new pattern on a
 * thread of the font map's own, and every queued job holds a reference to
 * the map; sorts nobody waits for can still be queued when we drop ours.
 * The map then dies on that thread, later, or not at all if the process
 * exits first, and its caches outlive us. So fonts_free waits (bounded)
 * until the map is finalized: the last thing finalization does is drop the
 * map's qdata, which calls map_finalized. */
struct map_wait {
    GMutex lock;
    GCond done;
    bool finalized;
    int refs; /* the waiter and the map's qdata */
};

static void map_wait_release(struct map_wait *w)
{
    g_mutex_lock(&w->lock);
    bool last = --w->refs == 0;
    g_mutex_unlock(&w->lock);
    if (last) {
        g_mutex_clear(&w->lock);
        g_cond_clear(&w->done);
        free(w);
    }
}

static void map_finalized(gpointer data)
{
    struct map_wait *w = data;
    g_mutex_lock(&w->lock);
    w->finalized = true;
    g_cond_broadcast(&w->done);
    g_mutex_unlock(&w->lock);
    map_wait_release(w);
}

static void unref_map_and_wait(PangoFontMap *map)
{
    struct map_wait *w = xcalloc(1, sizeof *w);
    g_mutex_init(&w->lock);
    g_cond_init(&w->done);
    w->refs = 2;
    g_object_set_qdata_full(G_OBJECT(map), g_quark_from_static_string("briefing-map-wait"), w,
                            map_finalized);
    g_object_unref(map);
    gint64 deadline = g_get_monotonic_time() + 30 * G_TIME_SPAN_SECOND;
    g_mutex_lock(&w->lock);
    while (!w->finalized && g_cond_wait_until(&w->done, &w->lock, deadline))
        ;
    g_mutex_unlock(&w->lock);
    map_wait_release(w);
}

void fonts_free(struct fonts *f)
{
    if (!f)
        return;
    for (int r = 0; r < ROLE_COUNT; r++) {
        if (f->role[r])
            pango_font_description_free(f->role[r]);
        free(f->family[r]);
    }
    for (int i = 0; i < f->nsubsets; i++) {
        free(f->subset_family[i]);
        free(f->subset_alias[i]);
    }
    free(f->subset_family);
    free(f->subset_alias);
    buf_free(&f->missing);
    buf_free(&f->substitutes);
    g_object_unref(f->ctx);
    unref_map_and_wait(f->map);
    FcConfigDestroy(f->cfg);
    free(f);
}

PangoContext *fonts_context(struct fonts *f) { return f->ctx; }

/* Is a family with this name installed (as one of its localized names)? */
static bool installed(FcConfig *cfg, const char *family)
{
    FcPattern *p = FcPatternCreate();
    FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)family);
    FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, NULL);
    FcFontSet *fs = FcFontList(cfg, p, os);
    bool found = fs && fs->nfont > 0;
    if (fs)
        FcFontSetDestroy(fs);
    FcObjectSetDestroy(os);
    FcPatternDestroy(p);
    return found;
}

static const char *subset_alias(const struct fonts *f, const char *family)
{
    for (int i = 0; family && i < f->nsubsets; i++)
        if (!strcmp(f->subset_family[i], family))
            return f->subset_alias[i];
    return NULL;
}

/* A role whose family has a subset asks for the subset first; Pango
 * takes a character the subset lacks from the next family, the full face. */
static void prefer_subset(struct fonts *f, enum font_role r)
{
    const char *fam = pango_font_description_get_family(f->role[r]);
    const char *alias = subset_alias(f, fam);
    if (!alias || !strncmp(fam, alias, strlen(alias)))
        return;
    char *list = xasprintf("%s,%s", alias, fam);
    pango_font_description_set_family(f->role[r], list);
    free(list);
}

static void resolve(struct fonts *f, enum font_role r)
{
    char **list = f->st->fonts[r];
    int chosen = -1;
    for (int i = 0; list && list[i]; i++) {
        PangoFontDescription *desc = pango_font_description_from_string(list[i]);
        const char *fam = pango_font_description_get_family(desc);
        if (fam && installed(f->cfg, fam)) {
            f->role[r] = desc;
            f->family[r] = xstrdup(list[i]);
            chosen = i;
            break;
        }
        pango_font_description_free(desc);
    }
    if (chosen < 0) {
        /* nothing in the list: the body serif keeps the document in one face */
        const char *fallback = r == ROLE_HEI ? "Noto Sans CJK SC" : "Noto Serif CJK SC";
        f->role[r] = pango_font_description_from_string(fallback);
        f->family[r] = xstrdup(fallback);
    }
    if (chosen != 0 && list && list[0]) {
        buf_printf(&f->missing, "%s%s", f->missing.len ? "、" : "", list[0]);
        buf_printf(&f->substitutes, "%s%s → %s", f->substitutes.len ? ", " : "", style_role_name(r),
                   f->family[r]);
    }
    prefer_subset(f, r);
}

/* Every role at once, so that the fonts missing are one warning a run
 * (and the folder to put them in), not one a role. */
static void resolve_all(struct fonts *f)
{
    f->resolved = true;
    for (int r = 0; r < ROLE_COUNT; r++)
        if (!f->role[r])
            resolve(f, (enum font_role)r);
    if (!f->missing.len)
        return;
    char *dir = xasprintf("%s/fonts", style_datadir());
    char *abs = realpath(dir, NULL);
    diag_add_rule(f->d, DIAG_WARNING, NULL, 0, 0, "font-substitute",
                  "fonts not installed: %s (using %s); put the font files in %s to use them "
                  "(-q hides warnings)", f->missing.data, f->substitutes.data, abs ? abs : dir);
    free(abs);
    free(dir);
}

const PangoFontDescription *fonts_role(struct fonts *f, enum font_role r)
{
    if (!f->resolved)
        resolve_all(f);
    if (!f->role[r])
        resolve(f, r);
    return f->role[r];
}

const char *fonts_role_family(struct fonts *f, enum font_role r)
{
    fonts_role(f, r);
    return f->family[r];
}

bool fonts_role_face(struct fonts *f, enum font_role r, bool bold, char **file, int *index,
                     char **family)
{
    PangoFontDescription *desc = pango_font_description_copy(fonts_role(f, r));
    if (bold)
        pango_font_description_set_weight(desc, PANGO_WEIGHT_BOLD);
    pango_font_description_set_size(desc, 12 * PANGO_SCALE);
    PangoFont *font = pango_font_map_load_font(f->map, f->ctx, desc);
    pango_font_description_free(desc);
    FcChar8 *path = NULL;
    FcPattern *p = font && PANGO_IS_FC_FONT(font) ? pango_fc_font_get_pattern(PANGO_FC_FONT(font)) : NULL;
    bool ok = p && FcPatternGetString(p, FC_FILE, 0, &path) == FcResultMatch &&
              FcPatternGetInteger(p, FC_INDEX, 0, index) == FcResultMatch;
    if (ok) {
        *file = xstrdup((const char *)path);
        *family = xstrdup(pango_font_description_get_family(fonts_role(f, r)));
    }
    if (font)
        g_object_unref(font);
    return ok;
}

static void add_subset(struct fonts *f, FcFontSet *set, const char *family, const FcPattern *face)
{
    const char *alias = subset_alias(f, family);
    if (!alias) {
        f->subset_family = xrealloc(f->subset_family, (size_t)(f->nsubsets + 1) * sizeof(char *));
        f->subset_alias = xrealloc(f->subset_alias, (size_t)(f->nsubsets + 1) * sizeof(char *));
        f->subset_family[f->nsubsets] = xstrdup(family);
        alias = f->subset_alias[f->nsubsets] = xasprintf("briefing subset %d", f->nsubsets);
        f->nsubsets++;
    }
    /* a family name of its own, so fontconfig never confuses it with the full face */
    FcPattern *p = FcPatternDuplicate(face);
    FcPatternDel(p, FC_FAMILY);
    FcPatternDel(p, FC_FAMILYLANG);
    FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)alias);
    FcFontSetAdd(set, p);
}

void fonts_add_subsets(struct fonts *f, const char *const *families, FcPattern *const *faces, int n)
{
    FcFontSet *set = FcConfigGetFonts(f->cfg, FcSetApplication);
    if (!set || n == 0)
        return;
    for (int i = 0; i < n; i++)
        add_subset(f, set, families[i], faces[i]);
    pango_fc_font_map_config_changed(PANGO_FC_FONT_MAP(f->map));
    for (int r = 0; r < ROLE_COUNT; r++)
        if (f->role[r])
            prefer_subset(f, r);
}

struct fonts *fonts_clone(struct fonts *f, struct diag *d)
{
    struct fonts *c = fonts_new(f->st, d);
    FcFontSet *mine = FcConfigGetFonts(f->cfg, FcSetApplication);
    FcFontSet *set = c ? FcConfigGetFonts(c->cfg, FcSetApplication) : NULL;
    if (!set || !mine || !f->nsubsets)
        return c;
    /* the subsets in the order they were added, so each keeps its alias */
    for (int i = 0; i < mine->nfont; i++) {
        FcChar8 *alias;
        if (FcPatternGetString(mine->fonts[i], FC_FAMILY, 0, &alias) != FcResultMatch)
            continue;
        for (int k = 0; k < f->nsubsets; k++)
            if (!strcmp((const char *)alias, f->subset_alias[k]))
                add_subset(c, set, f->subset_family[k], mine->fonts[i]);
    }
    pango_fc_font_map_config_changed(PANGO_FC_FONT_MAP(c->map));
    for (int r = 0; r < ROLE_COUNT; r++)
        if (c->role[r])
            prefer_subset(c, r);
    return c;
}

PangoLayout *fonts_text_layout(struct fonts *f, enum font_role role, const char *text, double size,
                               bool bold)
{
    PangoLayout *l = pango_layout_new(fonts_context(f));
    PangoFontDescription *desc = pango_font_description_copy(fonts_role(f, role));
    pango_font_description_set_absolute_size(desc, size * PANGO_SCALE);
    if (bold)
        pango_font_description_set_weight(desc, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, desc);
    pango_font_description_free(desc);
    pango_layout_set_text(l, text, -1);
    return l;
}

void fonts_set_cut(struct fonts *f, struct font_cut *cut) { f->cut = cut; }

struct font_cut *fonts_cut(const struct fonts *f) { return f->cut; }
