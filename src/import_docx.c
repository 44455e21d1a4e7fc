#define _POSIX_C_SOURCE 200809L
#include "import_docx.h"
#include "buf.h"
#include "xalloc.h"
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

/* A part may inflate to this much and no more: a report's document.xml is
 * a few MB; a zip bomb is stopped here whatever its headers claim. */
#define PART_LIMIT (64u << 20)
#define MAX_LEVELS 9

struct level_fmt {
    char fmt[32];   /* w:numFmt: decimal, chineseCounting, … */
    char text[64];  /* w:lvlText: "%1、", "（%2）" */
    int start;
};

struct docx {
    const char *file;
    struct diag *d;
    xmlDocPtr numbering, styles, footnotes;
    struct ipara_list *l;
    int npara;
    /* automatic numbering: counters per abstract list and level */
    int counters[64][MAX_LEVELS];
    int counter_ids[64];
    int ncounters;
    int used[256];  /* numIds seen so far (a restart applies once) */
    int nused;
};

static bool is_w(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (is_w(c, name))
            return c;
    return NULL;
}

/* w:val (or another attribute) as a string; "" when absent. The caller
 * frees with xmlFree unless it is the static "". */
static char *attr(xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr a = n ? n->properties : NULL; a; a = a->next)
        if (!strcmp((const char *)a->name, name))
            return (char *)xmlNodeGetContent((xmlNodePtr)a);
    return NULL;
}

static int attr_int(xmlNodePtr n, const char *name, int fallback)
{
    char *v = attr(n, name);
    int r = v ? atoi(v) : fallback;
    xmlFree(v);
    return r;
}

static bool attr_is(xmlNodePtr n, const char *name, const char *value)
{
    char *v = attr(n, name);
    bool r = v && !strcmp(v, value);
    xmlFree(v);
    return r;
}

/* ---- reading the archive --------------------------------------------- */

static char *read_part(zip_t *z, const char *name, size_t *len, bool required, struct docx *x)
{
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f) {
        if (required)
            diag_add(x->d, DIAG_ERROR, x->file, 0, 0,
                     "not a Word document: the archive has no %s", name);
        return NULL;
    }
    struct buf b = {0};
    char chunk[65536];
    zip_int64_t n;
    while ((n = zip_fread(f, chunk, sizeof chunk)) > 0) {
        buf_put(&b, chunk, (size_t)n);
        if (b.len > PART_LIMIT) {
            diag_add(x->d, DIAG_ERROR, x->file, 0, 0,
                     "%s inflates beyond %u MB: refused (a damaged file or a zip bomb)", name,
                     PART_LIMIT >> 20);
            break;
        }
    }
    bool bad = n < 0 && b.len <= PART_LIMIT;
    if (bad)
        diag_add(x->d, DIAG_ERROR, x->file, 0, 0, "damaged archive: cannot read %s (%s)", name,
                 zip_file_strerror(f));
    zip_fclose(f);
    if (bad || b.len > PART_LIMIT) {
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data ? buf_detach(&b) : xstrdup("");
}

static xmlDocPtr parse_part(zip_t *z, const char *name, bool required, struct docx *x)
{
    size_t len = 0;
    char *data = read_part(z, name, &len, required, x);
    if (!data)
        return NULL;
    /* no entity substitution, no DTD loading, no network: hostile XML
     * cannot expand or reach out */
    xmlDocPtr doc = len <= (size_t)INT32_MAX
                        ? xmlReadMemory(data, (int)len, name, NULL,
                                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
                        : NULL;
    free(data);
    if (doc && (doc->intSubset || doc->extSubset)) {
        /* Word never writes a DOCTYPE; entities in one could expand without end */
        diag_add(x->d, DIAG_ERROR, x->file, 0, 0,
                 "refused: %s declares a DTD (Word never does; its entities could expand "
                 "without end)", name);
        xmlFreeDoc(doc);
        return NULL;
    }
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        diag_add(x->d, DIAG_ERROR, x->file, 0, 0, "damaged Word document: %s is not XML%s%s",
                 name, e && e->message ? ": " : "", e && e->message ? e->message : "");
        if (!required)
            return NULL;
    }
    return doc;
}

/* ---- automatic numbering ---------------------------------------------- */

static void han_count(int v, struct buf *out)
{
    static const char *const d[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (v <= 0 || v >= 100) {
        buf_printf(out, "%d", v);
        return;
    }
    if (v >= 20)
        buf_puts(out, d[v / 10]);
    if (v >= 10)
        buf_puts(out, "十");
    if (v % 10)
        buf_puts(out, d[v % 10]);
}

static void format_counter(const char *fmt, int v, struct buf *out)
{
    if (!strncmp(fmt, "chinese", 7) || !strcmp(fmt, "taiwaneseCounting") ||
        !strcmp(fmt, "ideographDigital") || !strcmp(fmt, "japaneseCounting"))
        han_count(v, out);
    else if (!strcmp(fmt, "lowerLetter") || !strcmp(fmt, "upperLetter"))
        buf_putc(out, (char)((fmt[0] == 'l' ? 'a' : 'A') + (v - 1) % 26));
    else if (!strcmp(fmt, "decimalFullWidth") && v >= 0 && v < 10)
        buf_printf(out, "\xEF\xBC%c", (char)(0x90 + v)); /* ０…９ */
    else if (strcmp(fmt, "bullet") && strcmp(fmt, "none"))
        buf_printf(out, "%d", v);
}

static xmlNodePtr find_by_attr(xmlDocPtr doc, const char *elem, const char *name, int value)
{
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next)
        if (is_w(c, elem) && attr_int(c, name, -1) == value)
            return c;
    return NULL;
}

static int abstract_of(struct docx *x, int num_id)
{
    xmlNodePtr num = find_by_attr(x->numbering, "num", "numId", num_id);
    return attr_int(child(num, "abstractNumId"), "val", -1);
}

/* A list's w:lvlOverride for ilvl: it may restart the count or replace the
 * level's format. */
static xmlNodePtr override_of(struct docx *x, int num_id, int ilvl)
{
    xmlNodePtr num = find_by_attr(x->numbering, "num", "numId", num_id);
    for (xmlNodePtr c = num ? num->children : NULL; c; c = c->next)
        if (is_w(c, "lvlOverride") && attr_int(c, "ilvl", -1) == ilvl)
            return c;
    return NULL;
}

static bool level_format(struct docx *x, int num_id, int ilvl, struct level_fmt *f)
{
    xmlNodePtr over = override_of(x, num_id, ilvl);
    xmlNodePtr abs = find_by_attr(x->numbering, "abstractNum", "abstractNumId",
                                  abstract_of(x, num_id));
    xmlNodePtr lvl = child(over, "lvl");
    for (xmlNodePtr c = abs ? abs->children : NULL; c && !lvl; c = c->next)
        if (is_w(c, "lvl") && attr_int(c, "ilvl", -1) == ilvl)
            lvl = c;
    if (!lvl)
        return false;
    char *fmt = attr(child(lvl, "numFmt"), "val"), *text = attr(child(lvl, "lvlText"), "val");
    snprintf(f->fmt, sizeof f->fmt, "%s", fmt ? fmt : "decimal");
    snprintf(f->text, sizeof f->text, "%s", text ? text : "");
    f->start = attr_int(child(over, "startOverride"), "val",
                        attr_int(child(lvl, "start"), "val", 1));
    xmlFree(fmt);
    xmlFree(text);
    return true;
}

/* Word counts per abstract list: two lists (numIds) of one definition go
 * on counting, unless the second restarts with a w:startOverride, which
 * takes effect where it is first used. */
static int *counters_of(struct docx *x, int num_id)
{
    int abs_id = abstract_of(x, num_id);
    int i = 0;
    while (i < x->ncounters && x->counter_ids[i] != abs_id)
        i++;
    if (i == x->ncounters) {
        if (x->ncounters == 64)
            return NULL;
        x->counter_ids[x->ncounters] = abs_id;
        memset(x->counters[x->ncounters], 0, sizeof x->counters[0]);
        x->ncounters++;
    }
    int k = 0;
    while (k < x->nused && x->used[k] != num_id)
        k++;
    if (k == x->nused && x->nused < 256) {
        x->used[x->nused++] = num_id;
        for (int lv = 0; lv < MAX_LEVELS; lv++)
            if (child(override_of(x, num_id, lv), "startOverride"))
                x->counters[i][lv] = 0;
    }
    return x->counters[i];
}

/* The written number of a numbered paragraph: "一、", "（二）", "3.". */
static void number_text(struct docx *x, int num_id, int ilvl, struct buf *out)
{
    struct level_fmt f;
    int *c = counters_of(x, num_id);
    if (!c || ilvl < 0 || ilvl >= MAX_LEVELS || !level_format(x, num_id, ilvl, &f))
        return;
    c[ilvl] = c[ilvl] ? c[ilvl] + 1 : f.start;
    for (int k = ilvl + 1; k < MAX_LEVELS; k++)
        c[k] = 0;
    for (const char *p = f.text; *p; p++) {
        if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
            int k = p[1] - '1';
            struct level_fmt fk;
            if (k <= ilvl && level_format(x, num_id, k, &fk))
                format_counter(fk.fmt, c[k] ? c[k] : fk.start, out);
            p++;
        } else {
            buf_putc(out, *p);
        }
    }
}

/* ---- styles ----------------------------------------------------------- */

static xmlNodePtr style_of(struct docx *x, const char *id)
{
    xmlNodePtr root = x->styles ? xmlDocGetRootElement(x->styles) : NULL;
    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next)
        if (is_w(c, "style") && attr_is(c, "styleId", id))
            return c;
    return NULL;
}

/* Heading 1 … Heading 6 (by name, id or outline level); 0 otherwise. */
static int heading_style_level(struct docx *x, const char *id)
{
    xmlNodePtr st = style_of(x, id);
    char *name = attr(child(st, "name"), "val");
    const char *s = name ? name : id;
    int level = 0;
    if (!strncasecmp(s, "heading", 7))
        level = atoi(s + 7 + (s[7] == ' '));
    else if (!strncmp(s, "标题", 6))
        level = atoi(s + 6 + (s[6] == ' '));
    xmlFree(name);
    if (!level && st)
        level = attr_int(child(child(st, "pPr"), "outlineLvl"), "val", -1) + 1;
    return level > 0 && level <= 6 ? level : 0;
}

/* ---- paragraphs --------------------------------------------------------- */

struct para_text {
    struct buf text;
    size_t bold_len;
    bool leading_bold; /* every run so far was bold */
};

static bool run_is_bold(xmlNodePtr r)
{
    xmlNodePtr b = child(child(r, "rPr"), "b");
    if (!b)
        return false;
    char *v = attr(b, "val");
    bool on = !v || (strcmp(v, "0") && strcmp(v, "false") && strcmp(v, "off"));
    xmlFree(v);
    return on;
}

static void footnote_text(struct docx *x, int id, struct buf *out);

static void collect_runs(struct docx *x, xmlNodePtr n, struct para_text *pt);

/* Text boxes inside a run (a drawing's w:txbxContent) are read in place;
 * mc:Fallback repeats the same box for old readers and is skipped. */
static void collect_text_boxes(struct docx *x, xmlNodePtr n, struct para_text *pt, int depth)
{
    for (xmlNodePtr c = n->children; c && depth < 32; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || is_w(c, "Fallback"))
            continue;
        if (!is_w(c, "txbxContent")) {
            collect_text_boxes(x, c, pt, depth + 1);
            continue;
        }
        for (xmlNodePtr p = c->children; p; p = p->next)
            if (is_w(p, "p")) {
                if (pt->text.len)
                    buf_putc(&pt->text, ' ');
                collect_runs(x, p, pt);
            }
    }
}

static void collect_run(struct docx *x, xmlNodePtr r, struct para_text *pt)
{
    bool bold = run_is_bold(r);
    size_t before = pt->text.len;
    for (xmlNodePtr c = r->children; c; c = c->next) {
        if (is_w(c, "t")) {
            xmlChar *t = xmlNodeGetContent(c);
            buf_puts(&pt->text, (const char *)t);
            xmlFree(t);
        } else if (is_w(c, "tab") || is_w(c, "br")) {
            buf_putc(&pt->text, ' ');
        } else if (is_w(c, "footnoteReference")) {
            struct buf note = {0};
            footnote_text(x, attr_int(c, "id", -1), &note);
            ipara_add_footnote(x->l, note.data ? note.data : "");
            buf_free(&note);
            buf_printf(&pt->text, "［%d］", x->l->nfootnotes);
        } else if (is_w(c, "drawing") || is_w(c, "pict") || is_w(c, "AlternateContent")) {
            collect_text_boxes(x, c, pt, 0);
        }
    }
    if (pt->text.len == before)
        return;
    if (bold && pt->leading_bold)
        pt->bold_len = pt->text.len;
    else
        pt->leading_bold = false;
}

/* Runs anywhere below n (hyperlinks, insertions, smart tags), in order;
 * deleted and moved-away text (w:del, w:moveFrom) is left out. */
static void collect_runs(struct docx *x, xmlNodePtr n, struct para_text *pt)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (is_w(c, "r"))
            collect_run(x, c, pt);
        else if (c->type == XML_ELEMENT_NODE && !is_w(c, "del") && !is_w(c, "moveFrom") &&
                 !is_w(c, "pPr"))
            collect_runs(x, c, pt);
    }
}

static void footnote_text(struct docx *x, int id, struct buf *out)
{
    xmlNodePtr fn = find_by_attr(x->footnotes, "footnote", "id", id);
    for (xmlNodePtr p = fn ? fn->children : NULL; p; p = p->next) {
        if (!is_w(p, "p"))
            continue;
        struct para_text pt = {.leading_bold = true};
        for (xmlNodePtr c = p->children; c; c = c->next)
            if (is_w(c, "r") && !child(c, "footnoteRef"))
                for (xmlNodePtr t = c->children; t; t = t->next)
                    if (is_w(t, "t")) {
                        xmlChar *s = xmlNodeGetContent(t);
                        buf_puts(&pt.text, (const char *)s);
                        xmlFree(s);
                    }
        if (pt.text.data) {
            const char *s = pt.text.data;
            while (*s == ' ')
                s++;
            buf_puts(out, s);
        }
        buf_free(&pt.text);
    }
}

static void numbering_of_para(struct docx *x, xmlNodePtr ppr, const char *style_id, struct buf *out)
{
    xmlNodePtr num = child(ppr, "numPr");
    if (!num && style_id)
        num = child(child(style_of(x, style_id), "pPr"), "numPr");
    if (!num)
        return;
    int num_id = attr_int(child(num, "numId"), "val", 0);
    if (num_id > 0)
        number_text(x, num_id, attr_int(child(num, "ilvl"), "val", 0), out);
}

static void add_paragraph(struct docx *x, xmlNodePtr p)
{
    x->npara++;
    xmlNodePtr ppr = child(p, "pPr");
    char *style_id = attr(child(ppr, "pStyle"), "val");
    struct para_text pt = {.leading_bold = true};
    numbering_of_para(x, ppr, style_id, &pt.text);
    size_t prefix = pt.text.len;
    collect_runs(x, p, &pt);
    char *s = pt.text.data;
    size_t len = pt.text.len, lead = 0;
    while (lead < len && s[lead] == ' ')
        lead++;
    while (len > lead && s[len - 1] == ' ')
        len--;
    if (len > lead) {
        struct ipara *ip = ipara_add(x->l, s + lead, len - lead, x->npara);
        ip->style_level = style_id ? heading_style_level(x, style_id) : 0;
        ip->bold_len = pt.bold_len > prefix && pt.bold_len < len ? pt.bold_len - lead : 0;
    }
    xmlFree(style_id);
    buf_free(&pt.text);
}

/* A table as a GFM table: the first row is the header. */
static void add_table(struct docx *x, xmlNodePtr tbl)
{
    struct buf md = {0};
    int rows = 0, header_cells = 0;
    for (xmlNodePtr tr = tbl->children; tr; tr = tr->next) {
        if (!is_w(tr, "tr"))
            continue;
        int cells = 0;
        buf_putc(&md, '|');
        for (xmlNodePtr tc = tr->children; tc; tc = tc->next) {
            if (!is_w(tc, "tc"))
                continue;
            struct para_text pt = {.leading_bold = true};
            for (xmlNodePtr p = tc->children; p; p = p->next)
                if (is_w(p, "p")) {
                    if (pt.text.len)
                        buf_putc(&pt.text, ' ');
                    collect_runs(x, p, &pt);
                }
            buf_putc(&md, ' ');
            for (const char *s = pt.text.data ? pt.text.data : ""; *s; s++) {
                if (strchr("|\\*_[]<`", *s))
                    buf_putc(&md, '\\');
                buf_putc(&md, *s);
            }
            buf_puts(&md, " |");
            buf_free(&pt.text);
            cells++;
        }
        buf_putc(&md, '\n');
        if (rows++ == 0) {
            header_cells = cells;
            buf_putc(&md, '|');
            for (int i = 0; i < cells; i++)
                buf_puts(&md, " --- |");
            buf_putc(&md, '\n');
        }
    }
    x->npara++;
    if (rows && header_cells) {
        md.data[--md.len] = '\0'; /* the last newline */
        ipara_add(x->l, md.data, md.len, x->npara)->verbatim = true;
    }
    buf_free(&md);
}

bool import_docx_read(const char *bytes, size_t len, const char *file, struct ipara_list *l,
                      struct diag *d)
{
    struct docx *x = xcalloc(1, sizeof *x);
    x->file = file, x->d = d, x->l = l;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(bytes, len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
    if (!z) {
        diag_add(d, DIAG_ERROR, file, 0, 0, "damaged .docx (zip archive): %s",
                 zip_error_strerror(&ze));
        zip_source_free(src);
        zip_error_fini(&ze);
        free(x);
        return false;
    }
    zip_error_fini(&ze);
    xmlDocPtr doc = parse_part(z, "word/document.xml", true, x);
    if (doc) {
        x->numbering = parse_part(z, "word/numbering.xml", false, x);
        x->styles = parse_part(z, "word/styles.xml", false, x);
        x->footnotes = parse_part(z, "word/footnotes.xml", false, x);
    }
    zip_close(z);
    xmlNodePtr body = doc ? child(xmlDocGetRootElement(doc), "body") : NULL;
    if (doc && !body)
        diag_add(d, DIAG_ERROR, file, 0, 0, "damaged Word document: word/document.xml has no body");
    for (xmlNodePtr n = body && !diag_has_errors(d) ? body->children : NULL; n; n = n->next) {
        if (is_w(n, "p"))
            add_paragraph(x, n);
        else if (is_w(n, "tbl"))
            add_table(x, n);
    }
    xmlFreeDoc(doc);
    xmlFreeDoc(x->numbering);
    xmlFreeDoc(x->styles);
    xmlFreeDoc(x->footnotes);
    free(x);
    return !diag_has_errors(d);
}
