#define _POSIX_C_SOURCE 200809L
#include "import_write.h"
#include "import_kpi.h"
#include "import_tags.h"
#include "xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct writer {
    const struct import_doc *doc;
    const struct ipara_list *l;
    const struct import_opts *o;
};

/* Would s[0..len), at the start of a line, open a Markdown block (a heading,
 * a list item, a quote, a thematic break)? */
static size_t block_marker_at(const char *s, size_t len)
{
    size_t k = 0;
    while (k < len && k < 9 && s[k] >= '0' && s[k] <= '9')
        k++;
    size_t mark = k && k < len && (s[k] == '.' || s[k] == ')') ? k
                  : !k && len && strchr("#+-*>=", s[0]) ? 0
                                                        : (size_t)-1;
    if (mark == (size_t)-1)
        return (size_t)-1;
    char next = mark + 1 < len ? s[mark + 1] : '\0';
    return next == ' ' || next == '\t' || next == '\0' || s[0] == '>' || s[0] == '=' ||
                   (s[0] == '-' && next == '-') || (s[0] == '#' && next == '#')
               ? mark
               : (size_t)-1;
}

/* Markdown's own characters are escaped so the text reads as written. */
static void put_escaped(struct buf *out, const char *s, size_t len, bool line_start)
{
    size_t marker = line_start ? block_marker_at(s, len) : (size_t)-1;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        bool entity = c == '&' && i + 1 < len && (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '#');
        if (strchr("\\`*_[]<~", c) || entity || i == marker)
            buf_putc(out, '\\');
        buf_putc(out, c);
    }
}

static void put_text(const struct writer *w, struct buf *out, const char *s, const char *period,
                     struct import_kpi *kpi)
{
    struct kpi_span *spans = NULL;
    int n = w->o->indicators && period ? import_kpi_find(kpi, s, period, &spans) : 0;
    size_t at = 0;
    for (int k = 0; k < n; k++) {
        put_escaped(out, s + at, spans[k].start - at, at == 0);
        buf_putc(out, '[');
        buf_put(out, s + spans[k].start, spans[k].end - spans[k].start);
        buf_printf(out, "](kpi:%s@%s \"%s\")", spans[k].id, period, spans[k].label);
        at = spans[k].end;
    }
    put_escaped(out, s + at, strlen(s + at), at == 0);
    import_kpi_spans_free(spans, n);
}

static void put_paragraph(const struct writer *w, struct buf *out, const struct block *k,
                          const char *period, struct import_kpi *kpi)
{
    if (k->bold_len && k->bold_len < strlen(k->text)) {
        buf_puts(out, "**");
        char *lead = xstrndup(k->text, k->bold_len);
        put_escaped(out, lead, strlen(lead), false);
        free(lead);
        buf_puts(out, "**");
        put_text(w, out, k->text + k->bold_len, period, kpi);
    } else {
        put_text(w, out, k->text, period, kpi);
    }
    buf_puts(out, "\n\n");
}

static void put_yaml_string(struct buf *out, const char *key, const char *v)
{
    if (!v)
        return;
    buf_printf(out, "%s: \"", key);
    for (; *v; v++) {
        if (*v == '"' || *v == '\\')
            buf_putc(out, '\\');
        buf_putc(out, *v);
    }
    buf_puts(out, "\"\n");
}

static const struct block *find_role(const struct writer *w, enum role role)
{
    for (int i = 0; i < w->doc->n; i++)
        if (w->doc->items[i].role == role)
            return &w->doc->items[i];
    return NULL;
}

static void put_front_matter(const struct writer *w, struct buf *out)
{
    const struct block *title = find_role(w, R_TITLE), *sub = find_role(w, R_SUBTITLE);
    if (!title)
        return;
    buf_puts(out, "---\n");
    put_yaml_string(out, "title", title->text);
    if (sub)
        put_yaml_string(out, "subtitle", sub->text + (strncmp(sub->text, "——", 6) ? 0 : 6));
    put_yaml_string(out, "date", w->doc->date_iso);
    put_yaml_string(out, "issuer", w->doc->issuer);
    buf_puts(out, "---\n\n");
}

static void put_guess_comment(const struct writer *w, struct buf *out)
{
    const char *base = strrchr(w->o->file, '/') ? strrchr(w->o->file, '/') + 1 : w->o->file;
    buf_printf(out, "<!-- briefing import of %s. Guessed, check before use:", base);
    if (find_role(w, R_TITLE))
        buf_printf(out, " the title block (title, subtitle%s, speaker%s, salutation) and the "
                   "front matter from it;", w->doc->subtitle_dash_added ? " given its ——" : "",
                   w->doc->speaker_joined ? " joined from its lines" : "");
    buf_printf(out, " %d headings from their numbering;", w->doc->guessed_headings);
    if (find_role(w, R_NOTES_HEAD))
        buf_puts(out, " the notes section;");
    if (w->o->indicators)
        buf_puts(out, " indicator ids, labels and periods;");
    if (w->o->manifest)
        buf_puts(out, " department tags from the manifest's keywords;");
    buf_printf(out, " %d lines dropped as web page noise (listed when importing). -->\n\n",
               w->doc->guessed_noise);
}

/* The paragraphs of the section under heading blocks[at]. */
static void tag_section(const struct writer *w, struct import_tags *tags, int at, struct buf *out)
{
    const struct block *h = &w->doc->items[at];
    const char **paras = xcalloc((size_t)w->doc->n, sizeof *paras);
    int n = 0;
    for (int i = at + 1; i < w->doc->n; i++) {
        const struct block *k = &w->doc->items[i];
        if (k->role == R_HEADING && k->level <= h->level)
            break;
        if (k->role == R_PARA)
            paras[n++] = k->text;
    }
    import_tags_section(tags, h->text, h->level, paras, n, out);
    free(paras);
}

static void write_blocks(const struct writer *w, struct buf *out)
{
    const char *period = NULL;
    struct import_kpi *kpi = import_kpi_new();
    struct import_tags *tags = import_tags_new(w->o->manifest);
    for (int i = 0; i < w->doc->n; i++) {
        const struct block *k = &w->doc->items[i];
        switch (k->role) {
        case R_TITLE: /* the front matter's title: the templates set it */
            break;
        case R_HEADING:
        case R_NOTES_HEAD:
        case R_ATTACH:
            for (int j = 0; j < k->level; j++)
                buf_putc(out, '#');
            buf_putc(out, ' ');
            put_escaped(out, k->text, strlen(k->text), false);
            buf_puts(out, "\n\n");
            if (k->role == R_HEADING && k->level == 2)
                period = k->period;
            if (k->role == R_HEADING)
                tag_section(w, tags, i, out);
            break;
        case R_VERBATIM:
            buf_puts(out, k->text);
            buf_puts(out, "\n\n");
            break;
        case R_PARA:
            import_tags_block(tags, k->text, i > 0 && w->doc->items[i - 1].role == R_HEADING, out);
            put_paragraph(w, out, k, period, kpi);
            break;
        default:
            put_paragraph(w, out, k, NULL, kpi);
        }
    }
    import_tags_free(tags);
    import_kpi_free(kpi);
}

static void footnotes(const struct writer *w, struct buf *out)
{
    if (!w->l->nfootnotes)
        return;
    buf_puts(out, "## 注释\n\n");
    for (int i = 0; i < w->l->nfootnotes; i++) {
        buf_printf(out, "［%d］", i + 1);
        put_escaped(out, w->l->footnotes[i], strlen(w->l->footnotes[i]), false);
        buf_puts(out, "\n\n");
    }
}

void import_write(const struct import_doc *doc, const struct ipara_list *l,
                  const struct import_opts *o, struct buf *out)
{
    struct writer w = {.doc = doc, .l = l, .o = o};
    put_front_matter(&w, out);
    put_guess_comment(&w, out);
    write_blocks(&w, out);
    footnotes(&w, out);
    while (out->len >= 2 && out->data[out->len - 1] == '\n' && out->data[out->len - 2] == '\n')
        out->data[--out->len] = '\0';
}

void import_doc_free(struct import_doc *doc)
{
    for (int i = 0; i < doc->n; i++)
        free(doc->items[i].text), free(doc->items[i].period);
    free(doc->items);
    free(doc->date_iso);
    free(doc->issuer);
    memset(doc, 0, sizeof *doc);
}
