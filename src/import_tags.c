#include "import_tags.h"
#include "xalloc.h"
#include <stdlib.h>
#include <string.h>

struct import_tags {
    const struct manifest *m;
    int *section_level; /* per department: level of the heading that tags it; 0 none */
};

struct import_tags *import_tags_new(const struct manifest *m)
{
    struct import_tags *t = xcalloc(1, sizeof *t);
    t->m = m;
    if (m)
        t->section_level = xcalloc((size_t)m->ndepts + 1, sizeof(int));
    return t;
}

void import_tags_free(struct import_tags *t)
{
    if (!t)
        return;
    free(t->section_level);
    free(t);
}

static bool mentions(const struct department *dep, const char *text)
{
    for (char **k = dep->keywords; k && *k; k++)
        if (**k && strstr(text, *k))
            return true;
    return false;
}

static void put_tag(struct buf *out, const struct department **hits, int n)
{
    if (!n)
        return;
    buf_puts(out, "<!-- dept: ");
    for (int i = 0; i < n; i++)
        buf_printf(out, "%s%s", i ? ", " : "", hits[i]->id);
    buf_puts(out, " -->\n\n");
}

static bool every_paragraph(const struct department *dep, const char *const *paras, int n)
{
    for (int i = 0; i < n; i++)
        if (!mentions(dep, paras[i]))
            return false;
    return n > 0;
}

void import_tags_section(struct import_tags *t, const char *heading, int level,
                         const char *const *paras, int np, struct buf *out)
{
    if (!t->m)
        return;
    const struct department **hits = xcalloc((size_t)t->m->ndepts + 1, sizeof *hits);
    int n = 0;
    for (int i = 0; i < t->m->ndepts; i++) {
        if (t->section_level[i] >= level)
            t->section_level[i] = 0; /* its section ended */
        const struct department *dep = &t->m->depts[i];
        if (!t->section_level[i] && (mentions(dep, heading) || every_paragraph(dep, paras, np))) {
            t->section_level[i] = level;
            hits[n++] = &t->m->depts[i];
        }
    }
    put_tag(out, hits, n);
    free(hits);
}

void import_tags_block(struct import_tags *t, const char *text, bool after_heading,
                       struct buf *out)
{
    if (!t->m)
        return;
    const struct department **hits = xcalloc((size_t)t->m->ndepts + 1, sizeof *hits);
    int n = 0;
    for (int i = 0; i < t->m->ndepts; i++)
        if (!t->section_level[i] && mentions(&t->m->depts[i], text))
            hits[n++] = &t->m->depts[i];
    if (n && after_heading)
        buf_puts(out, "<!-- the tag below is for this paragraph only -->\n\n");
    put_tag(out, hits, n);
    free(hits);
}
