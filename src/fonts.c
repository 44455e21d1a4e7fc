#include "fonts.h"
#include "xalloc.h"
#include <fontconfig/fontconfig.h>
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
};

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

struct fonts *fonts_new(const struct style *st, struct diag *d)
{
    FcConfig *cfg = load_config(d);
    if (!cfg)
        return NULL;
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
    return f;
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
    g_object_unref(f->ctx);
    g_object_unref(f->map);
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
    if (chosen != 0 && list && list[0])
        diag_add(f->d, DIAG_WARNING, NULL, 0, 0,
                 "font role '%s': %s is not installed, using %s instead (add the font to "
                 "fonts/ to use it)",
                 style_role_name(r), list[0], f->family[r]);
}

const PangoFontDescription *fonts_role(struct fonts *f, enum font_role r)
{
    if (!f->role[r])
        resolve(f, r);
    return f->role[r];
}

const char *fonts_role_family(struct fonts *f, enum font_role r)
{
    fonts_role(f, r);
    return f->family[r];
}
