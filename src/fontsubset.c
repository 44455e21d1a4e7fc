#define _GNU_SOURCE /* memfd_create */
#include "fontsubset.h"
#include "chart.h"
#include "utf8.h"
#include "xalloc.h"
#include <fontconfig/fcfreetype.h>
#include <hb-subset.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* What the layout adds to a document's own text: ASCII, digits, dates,
 * heading numbers and the charts' words. The frame's labels come from the
 * template (style_labels_text), which the caller adds to the text. */
static const char GENERATED[] =
    "，、。：；！？“”‘’（）《》〈〉【】〔〕［］…—–·•◦　\u2002\u200B\u2060"
    "０１２３４５６７８９％＋－／．"
    "〇一二三四五六七八九十百千万亿年月日第页共份期号"
    "主要指标一览与对比单位资料来源合计目标" CHART_WORDS;

/* A cut-down face in an anonymous memory file. */
struct subset_face {
    char *file;   /* the full face */
    int index;
    int fd;       /* -1: could not be cut */
    char *path;   /* /proc/self/fd/N: the memory file as fontconfig and HarfBuzz open it */
    FT_Face ft;   /* the same, opened once for Pango's cairo fonts */
    FcPattern *pattern; /* its fontconfig description, made once, naming ft */
};

/* One family using a cut-down face (a face may serve several role families). */
struct subset_use {
    char *family;
    int face;
};

struct font_subsets {
    FT_Library ft;
    struct subset_face *faces;
    struct subset_use *uses;
    int nfaces, nuses;
};

hb_set_t *font_subset_unicodes(const char *text, size_t len)
{
    hb_set_t *set = hb_set_create();
    for (hb_codepoint_t c = 0x20; c < 0x7F; c++)
        hb_set_add(set, c);
    const char *parts[] = {text, GENERATED};
    size_t lens[] = {len, sizeof GENERATED - 1};
    /* the Basic Multilingual Plane's characters seen, so that each goes
     * into the set once: adding every character of a long report to the
     * set was most of the work (a 10 MB report holds ~3,000 distinct ones) */
    unsigned char *seen = xcalloc(0x10000 / 8, 1);
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < lens[k];) {
            int n = 1;
            unsigned char b = (unsigned char)parts[k][i];
            int32_t c = b < 0x80 ? b : utf8_decode(parts[k] + i, lens[k] - i, &n);
            i += (size_t)n;
            if (c <= 0)
                continue;
            if (c < 0x10000) {
                if (seen[c >> 3] >> (c & 7) & 1)
                    continue;
                seen[c >> 3] |= (unsigned char)(1u << (c & 7));
            }
            hb_set_add(set, (hb_codepoint_t)c);
        }
    free(seen);
    return set;
}

/* Does the face shape with a table the subsetter drops (legacy kerning,
 * AAT)? Then a cut-down copy would not set text the same way. */
static bool has_dropped_shaping_table(hb_face_t *face)
{
    const hb_tag_t dropped[] = {HB_TAG('k', 'e', 'r', 'n'), HB_TAG('k', 'e', 'r', 'x'),
                                HB_TAG('m', 'o', 'r', 'x'), HB_TAG('m', 'o', 'r', 't')};
    for (size_t i = 0; i < sizeof dropped / sizeof *dropped; i++) {
        hb_blob_t *t = hb_face_reference_table(face, dropped[i]);
        bool present = hb_blob_get_length(t) > 0;
        hb_blob_destroy(t);
        if (present)
            return true;
    }
    return false;
}

/* The features shaping can apply: HarfBuzz's defaults for horizontal text
 * and the paragraph's fwid (halt and palt too, for a template that asks).
 * The closure over every feature (aalt, jp78 … trad, vert) kept glyphs no
 * summary draws: 911 M -> 802 M instructions for the example's batch. */
static const hb_tag_t SHAPED_FEATURES[] = {
    HB_TAG('c', 'c', 'm', 'p'), HB_TAG('l', 'o', 'c', 'l'), HB_TAG('r', 'l', 'i', 'g'),
    HB_TAG('c', 'a', 'l', 't'), HB_TAG('c', 'l', 'i', 'g'), HB_TAG('l', 'i', 'g', 'a'),
    HB_TAG('r', 'c', 'l', 't'), HB_TAG('k', 'e', 'r', 'n'), HB_TAG('m', 'a', 'r', 'k'),
    HB_TAG('m', 'k', 'm', 'k'), HB_TAG('c', 'u', 'r', 's'), HB_TAG('d', 'i', 's', 't'),
    HB_TAG('a', 'b', 'v', 'm'), HB_TAG('b', 'l', 'w', 'm'), HB_TAG('f', 'w', 'i', 'd'),
    HB_TAG('h', 'a', 'l', 't'), HB_TAG('p', 'a', 'l', 't'), HB_TAG_NONE};

/* The cut-down face as a memory file, or -1. */
static int cut_face(const char *file, int index, const hb_set_t *unicodes)
{
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
    if (!blob)
        return -1;
    hb_face_t *face = hb_face_create(blob, (unsigned)index);
    hb_subset_input_t *in = has_dropped_shaping_table(face) ? NULL : hb_subset_input_create_or_fail();
    int fd = -1;
    if (in) {
        hb_set_union(hb_subset_input_unicode_set(in), unicodes);
        hb_set_t *features = hb_subset_input_set(in, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG);
        hb_set_clear(features);
        for (const hb_tag_t *t = SHAPED_FEATURES; *t; t++)
            hb_set_add(features, *t);
        /* Pango reads baselines from BASE (which holds no glyph ids to renumber) */
        hb_set_del(hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG), HB_TAG('B', 'A', 'S', 'E'));
        /* flattened, as each PDF's own cut of these would be (fontcut.c) */
        hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_DESUBROUTINIZE);
        hb_face_t *sub = hb_subset_or_fail(face, in);
        hb_blob_t *out = sub ? hb_face_reference_blob(sub) : NULL;
        unsigned size = 0;
        const char *data = out ? hb_blob_get_data(out, &size) : NULL;
        if (size > 0) {
            fd = memfd_create("briefing-font", MFD_CLOEXEC);
            if (fd >= 0 && write(fd, data, size) != (ssize_t)size) {
                close(fd);
                fd = -1;
            }
        }
        hb_blob_destroy(out);
        hb_face_destroy(sub);
        hb_subset_input_destroy(in);
    }
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return fd;
}

static int face_for(struct font_subsets *s, char *file, int index)
{
    for (int i = 0; i < s->nfaces; i++)
        if (s->faces[i].index == index && !strcmp(s->faces[i].file, file)) {
            free(file);
            return i;
        }
    s->faces = xreallocarray(s->faces, (size_t)s->nfaces + 1, sizeof *s->faces);
    s->faces[s->nfaces] = (struct subset_face){.file = file, .index = index, .fd = -1};
    return s->nfaces++;
}

static void add_use(struct font_subsets *s, char *family, int face)
{
    for (int i = 0; i < s->nuses; i++)
        if (s->uses[i].face == face && !strcmp(s->uses[i].family, family)) {
            free(family);
            return;
        }
    s->uses = xreallocarray(s->uses, (size_t)s->nuses + 1, sizeof *s->uses);
    s->uses[s->nuses++] = (struct subset_use){family, face};
}

struct cut_job {
    struct subset_face *face;
    hb_set_t *unicodes;  /* the job's own copy: hb sets are not shared across threads */
    pthread_t thread;
    bool started;
};

static void *cut_thread(void *arg)
{
    struct cut_job *job = arg;
    job->face->fd = cut_face(job->face->file, job->face->index, job->unicodes);
    return NULL;
}

/* The cut face opened once, for fontconfig and for Pango's cairo fonts: cairo 1.16
 * closes the FreeType faces it opened itself when more than ten are open,
 * racing with other threads that use them; a face handed to it open (as
 * FC_FT_FACE) is never closed. */
#define MEMORY_FILE "/proc/self/fd/"

bool font_subset_file(const char *file) { return !strncmp(file, MEMORY_FILE, strlen(MEMORY_FILE)); }

static void open_face(struct font_subsets *s, struct subset_face *face)
{
    face->path = xasprintf(MEMORY_FILE "%d", face->fd);
    if (access(face->path, R_OK) == 0 && s->ft && !FT_New_Face(s->ft, face->path, 0, &face->ft))
        face->pattern = FcFreeTypeQueryFace(face->ft, (const FcChar8 *)face->path, 0, NULL);
    if (face->pattern) {
        FcPatternAddFTFace(face->pattern, FC_FT_FACE, face->ft);
        return;
    }
    if (face->ft) /* no /proc here, or FreeType cannot read it: do without */
        FT_Done_Face(face->ft);
    face->ft = NULL;
    close(face->fd);
    face->fd = -1;
}

/* Cuts every face at once: each takes 10–30 ms, and they are independent. */
static void cut_faces(struct font_subsets *s, const hb_set_t *unicodes)
{
    struct cut_job *jobs = xcalloc((size_t)s->nfaces + 1, sizeof *jobs);
    for (int i = 0; i < s->nfaces; i++) {
        jobs[i] = (struct cut_job){&s->faces[i], hb_set_copy(unicodes), 0, false};
        jobs[i].started = pthread_create(&jobs[i].thread, NULL, cut_thread, &jobs[i]) == 0;
    }
    for (int i = 0; i < s->nfaces; i++) {
        if (jobs[i].started)
            pthread_join(jobs[i].thread, NULL);
        else
            cut_thread(&jobs[i]);
        hb_set_destroy(jobs[i].unicodes);
        if (s->faces[i].fd >= 0)
            open_face(s, &s->faces[i]);
    }
    free(jobs);
}

struct font_subsets *font_subsets_new(struct fonts *const *fonts, int nfonts, const char *text,
                                      size_t len, const bool *roles)
{
    struct font_subsets *s = xcalloc(1, sizeof *s);
    if (FT_Init_FreeType(&s->ft))
        s->ft = NULL;
    for (int k = 0; k < nfonts; k++)
        for (int r = 0; fonts[k] && r < ROLE_COUNT; r++)
            for (int bold = 0; bold < 2 && (!roles || roles[r]); bold++) {
                char *file, *family;
                int index;
                if (fonts_role_face(fonts[k], (enum font_role)r, bold, &file, &index, &family))
                    add_use(s, family, face_for(s, file, index));
            }
    hb_set_t *unicodes = font_subset_unicodes(text, len);
    cut_faces(s, unicodes);
    hb_set_destroy(unicodes);
    return s;
}

void font_subsets_apply(const struct font_subsets *s, struct fonts *f)
{
    if (!s)
        return;
    const char **families = xcalloc((size_t)s->nuses + 1, sizeof *families);
    FcPattern **faces = xcalloc((size_t)s->nuses + 1, sizeof *faces);
    int n = 0;
    for (int i = 0; i < s->nuses; i++)
        if (s->faces[s->uses[i].face].pattern) {
            families[n] = s->uses[i].family;
            faces[n++] = s->faces[s->uses[i].face].pattern;
        }
    fonts_add_subsets(f, families, faces, n);
    free(families);
    free(faces);
}

int font_subsets_count(const struct font_subsets *s)
{
    int n = 0;
    for (int i = 0; s && i < s->nfaces; i++)
        n += s->faces[i].fd >= 0;
    return n;
}

void font_subsets_free(struct font_subsets *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nfaces; i++) {
        if (s->faces[i].pattern)
            FcPatternDestroy(s->faces[i].pattern);
        if (s->faces[i].ft)
            FT_Done_Face(s->faces[i].ft);
        if (s->faces[i].fd >= 0)
            close(s->faces[i].fd);
        free(s->faces[i].path);
        free(s->faces[i].file);
    }
    for (int i = 0; i < s->nuses; i++)
        free(s->uses[i].family);
    free(s->faces);
    free(s->uses);
    if (s->ft)
        FT_Done_FreeType(s->ft);
    free(s);
}
