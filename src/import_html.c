#define _POSIX_C_SOURCE 200809L
#include "import_html.h"
#include "buf.h"
#include "xalloc.h"
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool import_html_detect(const char *s)
{
    while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
        s++;
    if (*s != '<')
        return false;
    char head[4096];
    snprintf(head, sizeof head, "%s", s);
    for (char *p = head; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    return strstr(head, "<html") || strstr(head, "<!doctype html") || strstr(head, "<body") ||
           (strstr(head, "<p>") && strstr(head, "</p>"));
}

static bool named(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcasecmp((const char *)n->name, name);
}

static bool is_skipped(xmlNodePtr n)
{
    static const char *const skip[] = {"script", "style", "noscript", "template", "head",
                                       "iframe", "form", "button", "select", NULL};
    for (int i = 0; skip[i]; i++)
        if (named(n, skip[i]))
            return true;
    return false;
}

static bool is_block(xmlNodePtr n)
{
    static const char *const blocks[] = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li",
                                         "td", "th", "tr", "table", "section", "article",
                                         "blockquote", "center", "ul", "ol", "dl", "dt", "dd",
                                         "header", "footer", "nav", "aside", "main", "body",
                                         "pre", "hr", NULL};
    for (int i = 0; blocks[i]; i++)
        if (named(n, blocks[i]))
            return true;
    return false;
}

/* Bytes of text in n's <p> children (and theirs): the article body is the
 * element with the most paragraph text of its own. */
static size_t paragraph_text(xmlNodePtr n)
{
    size_t total = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!named(c, "p") && !named(c, "br") && c->type != XML_TEXT_NODE)
            continue;
        xmlChar *t = xmlNodeGetContent(c);
        total += t ? strlen((const char *)t) : 0;
        xmlFree(t);
    }
    return total;
}

static void best_container(xmlNodePtr n, xmlNodePtr *best, size_t *best_len)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || is_skipped(c))
            continue;
        size_t len = paragraph_text(c);
        if (len > *best_len)
            *best = c, *best_len = len;
        best_container(c, best, best_len);
    }
}

struct walk {
    struct ipara_list *l;
    struct diag *d;
    const char *file;
    xmlNodePtr body;   /* the article */
    struct buf line;   /* text of the block being read */
    int line_no;
    bool inside;       /* within the article */
};

static void flush(struct walk *w)
{
    char *s = w->line.data;
    size_t len = w->line.len;
    while (len && (*s == ' ' || !strncmp(s, "\xE3\x80\x80", 3) || !strncmp(s, "\xC2\xA0", 2))) {
        size_t k = *s == ' ' ? 1 : !strncmp(s, "\xC2\xA0", 2) ? 2 : 3;
        s += k, len -= k;
    }
    while (len && s[len - 1] == ' ')
        len--;
    if (len && w->inside)
        ipara_add(w->l, s, len, w->line_no);
    else if (len) {
        size_t n = ipara_excerpt_len(s, len, 48);
        diag_add(w->d, DIAG_NOTE, w->file, w->line_no, 1,
                 "dropped text outside the article body: %.*s%s", (int)n, s, n < len ? "…" : "");
    }
    w->line.len = 0;
    if (w->line.data)
        w->line.data[0] = '\0';
}

static void put_text(struct walk *w, const char *t, int line)
{
    if (!w->line.len)
        w->line_no = line;
    for (; *t; t++) {
        char c = *t == '\n' || *t == '\r' || *t == '\t' ? ' ' : *t;
        if (c == ' ' && (!w->line.len || w->line.data[w->line.len - 1] == ' '))
            continue;
        buf_putc(&w->line, c);
    }
}

static void walk(struct walk *w, xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            put_text(w, (const char *)c->content, (int)xmlGetLineNo(c));
            continue;
        }
        if (c->type != XML_ELEMENT_NODE || is_skipped(c))
            continue;
        bool block = is_block(c) || named(c, "br");
        bool was_inside = w->inside;
        if (block)
            flush(w);
        if (c == w->body)
            w->inside = true;
        walk(w, c);
        if (block)
            flush(w);
        w->inside = was_inside;
    }
}

bool import_html_read(const char *utf8, const char *file, struct ipara_list *l, struct diag *d)
{
    size_t len = strlen(utf8);
    htmlDocPtr doc = len <= (size_t)INT32_MAX
                         ? htmlReadMemory(utf8, (int)len, NULL, "UTF-8",
                                          HTML_PARSE_RECOVER | HTML_PARSE_NONET |
                                              HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                              HTML_PARSE_IGNORE_ENC)
                         : NULL;
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) {
        diag_add(d, DIAG_ERROR, file, 0, 0, "cannot read this HTML page");
        xmlFreeDoc(doc);
        return false;
    }
    struct walk w = {.l = l, .d = d, .file = file};
    size_t best_len = 0;
    best_container(root, &w.body, &best_len);
    if (!w.body)
        w.body = root, w.inside = true;
    walk(&w, root);
    flush(&w);
    buf_free(&w.line);
    xmlFreeDoc(doc);
    return true;
}
