/* Building the prose stream: one walk over the cmark tree. Inline source
 * positions from cmark-gfm are unreliable, so each text literal is found
 * in the source by a forward search from a cursor that starts at its
 * block (block positions are reliable) and moves past every piece of
 * markup the tree accounts for: code spans, link destinations, HTML. */
#include "lint_prose.h"
#include "utf8.h"
#include "xalloc.h"
#include <stdlib.h>
#include <string.h>

#define OBJECT_CP 0xFFFC
#define NOT_FOUND ((size_t)-1)

struct walk {
    struct prose *p;
    size_t cur, limit;   /* search cursor and the end of the current block */
    int cap_ch, cap_seg, cap_comment;
    int link_depth;
    int image_depth;     /* inside an image: its alt text is not prose */
};

size_t prose_line_start(const struct prose *p, int line)
{
    if (line < 1)
        return 0;
    return line <= p->nlines ? p->lines[line - 1] : p->len;
}

static size_t line_end(const struct prose *p, int line)
{
    size_t e = line < p->nlines ? p->lines[line] : p->len;
    return e > prose_line_start(p, line) && p->src[e - 1] == '\n' ? e - 1 : e;
}

void prose_pos(const struct prose *p, size_t off, int *line, int *col)
{
    int lo = 0, hi = p->nlines - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (p->lines[mid] <= off)
            lo = mid;
        else
            hi = mid - 1;
    }
    size_t s = p->lines[lo];
    if (lo == 0 && p->len >= 3 && memcmp(p->src, "\xEF\xBB\xBF", 3) == 0 && off >= 3)
        s = 3; /* editors do not show the byte order mark */
    int c = 1;
    for (size_t i = s; i < off && i < p->len; i++)
        if (((unsigned char)p->src[i] & 0xC0) != 0x80)
            c++;
    *line = lo + 1;
    *col = c;
}

static void index_lines(struct prose *p)
{
    int cap = 64;
    p->lines = xmalloc((size_t)cap * sizeof *p->lines);
    p->lines[p->nlines++] = 0;
    for (size_t i = 0; i < p->len; i++) {
        if (p->src[i] != '\n' || i + 1 == p->len)
            continue;
        if (p->nlines == cap) {
            cap *= 2;
            p->lines = xreallocarray(p->lines, (size_t)cap, sizeof *p->lines);
        }
        p->lines[p->nlines++] = i + 1;
    }
}

#define GROW(arr, n, cap)                                                            \
    do {                                                                             \
        if ((n) == (cap)) {                                                          \
            (cap) = (cap) ? (cap) * 2 : 64;                                          \
            (arr) = xreallocarray((arr), (size_t)(cap), sizeof *(arr));              \
        }                                                                            \
    } while (0)

static void push_char(struct walk *w, int32_t c, size_t off, uint8_t flags)
{
    struct prose *p = w->p;
    GROW(p->ch, p->nch, w->cap_ch);
    if (w->link_depth)
        flags |= PC_LINK;
    p->ch[p->nch++] = (struct prose_char){c, (uint32_t)off, flags};
}

static size_t find_bytes(const char *s, size_t from, size_t limit, const char *pat, size_t n)
{
    if (n == 0)
        return from;
    for (size_t i = from; i + n <= limit; i++) {
        const char *hit = memchr(s + i, pat[0], limit - i - n + 1);
        if (!hit)
            return NOT_FOUND;
        i = (size_t)(hit - s);
        if (memcmp(s + i, pat, n) == 0)
            return i;
    }
    return NOT_FOUND;
}

static size_t entity_len(const char *s, size_t i, size_t limit)
{
    size_t j = i + 1;
    while (j < limit && j - i < 32 &&
           (s[j] == '#' || (s[j] >= '0' && s[j] <= '9') || (s[j] >= 'a' && s[j] <= 'z') ||
            (s[j] >= 'A' && s[j] <= 'Z')))
        j++;
    return j < limit && s[j] == ';' && j > i + 1 ? j + 1 - i : 0;
}

/* Matches lit at s[i..] allowing backslash escapes and entities in the
 * source; emits each literal code point with its offset when w is set.
 * Returns the end of the match or NOT_FOUND. */
static size_t match_loose(const char *s, size_t i, size_t limit, const char *lit, struct walk *w)
{
    size_t n = strlen(lit);
    for (size_t k = 0; k < n;) {
        int ln;
        int32_t c = utf8_decode(lit + k, n - k, &ln);
        size_t e;
        if (i >= limit)
            return NOT_FOUND;
        bool amp = lit[k] == '&' && limit - i >= 5 && memcmp(s + i, "&amp;", 5) == 0;
        if (s[i] == '\\' && i + 1 < limit && s[i + 1] == lit[k] && lit[k] != '\\') {
            e = i + 2;
            if (w)
                push_char(w, c, i + 1, 0);
        } else if (s[i] == '&' && (lit[k] != '&' || amp) && entity_len(s, i, limit)) {
            e = i + entity_len(s, i, limit);
            if (w)
                push_char(w, c, i, 0);
        } else if ((size_t)ln <= limit - i && memcmp(s + i, lit + k, (size_t)ln) == 0) {
            e = i + (size_t)ln;
            if (w)
                push_char(w, c, i, 0);
        } else {
            return NOT_FOUND;
        }
        i = e;
        k += (size_t)ln;
    }
    return i;
}

static void emit_exact(struct walk *w, size_t at, const char *lit, size_t n)
{
    for (size_t k = 0; k < n;) {
        int ln;
        int32_t c = utf8_decode(lit + k, n - k, &ln);
        push_char(w, c, at + k, 0);
        k += (size_t)ln;
    }
}

static void add_text(struct walk *w, const char *lit)
{
    const char *s = w->p->src;
    size_t n = lit ? strlen(lit) : 0;
    if (n == 0)
        return;
    size_t at = find_bytes(s, w->cur, w->limit, lit, n);
    if (at != NOT_FOUND) {
        emit_exact(w, at, lit, n);
        w->cur = at + n;
        return;
    }
    for (size_t i = w->cur; i < w->limit; i++) {
        if (s[i] != lit[0] && s[i] != '\\' && s[i] != '&')
            continue;
        if (match_loose(s, i, w->limit, lit, NULL) != NOT_FOUND) {
            w->cur = match_loose(s, i, w->limit, lit, w);
            return;
        }
    }
    /* not in the source as written: leave a gap rather than guess */
    push_char(w, OBJECT_CP, w->cur < w->p->len ? w->cur : 0, PC_OBJECT);
}

static void add_object(struct walk *w, size_t at, size_t end)
{
    push_char(w, OBJECT_CP, at, PC_OBJECT);
    w->cur = end;
}

static void add_code_span(struct walk *w)
{
    const char *s = w->p->src;
    size_t i = w->cur;
    while (i < w->limit && s[i] != '`')
        i++;
    size_t n = 0;
    while (i + n < w->limit && s[i + n] == '`')
        n++;
    if (n == 0) {
        add_object(w, w->cur, w->cur);
        return;
    }
    for (size_t j = i + n; j < w->limit;) {
        size_t m = 0;
        while (j + m < w->limit && s[j + m] == '`')
            m++;
        if (m == n) {
            add_object(w, i, j + m);
            return;
        }
        j += m ? m : 1;
    }
    add_object(w, i, w->cur);
}

static void add_literal_object(struct walk *w, const char *lit)
{
    size_t n = lit ? strlen(lit) : 0;
    size_t at = n ? find_bytes(w->p->src, w->cur, w->limit, lit, n) : NOT_FOUND;
    if (at == NOT_FOUND)
        add_object(w, w->cur, w->cur);
    else
        add_object(w, at, at + n);
}

static void add_footnote_ref(struct walk *w)
{
    size_t at = find_bytes(w->p->src, w->cur, w->limit, "[^", 2);
    size_t end = at == NOT_FOUND ? NOT_FOUND : find_bytes(w->p->src, at, w->limit, "]", 1);
    if (end == NOT_FOUND)
        add_object(w, w->cur, w->cur);
    else
        add_object(w, at, end + 1);
}

static size_t skip_ws(const char *s, size_t i, size_t limit)
{
    while (i < limit && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* Past `(dest "title")` starting at the '('; NOT_FOUND when malformed. */
static size_t skip_inline_dest(const char *s, size_t i, size_t limit)
{
    i = skip_ws(s, i + 1, limit);
    if (i < limit && s[i] == '<') {
        while (i < limit && s[i] != '>')
            i += s[i] == '\\' ? 2 : 1;
        i++;
    } else {
        int depth = 0;
        for (; i < limit && s[i] != ' ' && s[i] != '\n' && s[i] != '\t'; i++) {
            if (s[i] == '\\')
                i++;
            else if (s[i] == '(')
                depth++;
            else if (s[i] == ')' && depth-- == 0)
                break;
        }
    }
    i = skip_ws(s, i, limit);
    if (i < limit && (s[i] == '"' || s[i] == '\'' || s[i] == '(')) {
        char close = s[i] == '(' ? ')' : s[i];
        for (i++; i < limit && s[i] != close; i++)
            if (s[i] == '\\')
                i++;
        i = skip_ws(s, i + 1, limit);
    }
    return i < limit && s[i] == ')' ? i + 1 : NOT_FOUND;
}

/* Moves the cursor past the end of a link: `](dest)`, `][ref]` or `]`.
 * Autolinks have no such tail. */
static void skip_link_tail(struct walk *w)
{
    const char *s = w->p->src;
    size_t i = w->cur;
    while (i < w->limit && (s[i] == '*' || s[i] == '_' || s[i] == '~'))
        i++;
    if (i >= w->limit || s[i] != ']') {
        if (i < w->limit && s[i] == '>')
            w->cur = i + 1;
        return;
    }
    i++;
    size_t end = i;
    if (i < w->limit && s[i] == '(') {
        end = skip_inline_dest(s, i, w->limit);
    } else if (i < w->limit && s[i] == '[') {
        end = find_bytes(s, i, w->limit, "]", 1);
        if (end != NOT_FOUND)
            end++;
    }
    w->cur = end == NOT_FOUND ? i : end;
}

static void close_link(struct walk *w)
{
    w->link_depth--;
    skip_link_tail(w);
}

/* An image is one object; the cursor skips its alt text at the end. */
static void open_image(struct walk *w)
{
    if (w->image_depth++)
        return;
    size_t at = find_bytes(w->p->src, w->cur, w->limit, "![", 2);
    if (at == NOT_FOUND)
        add_object(w, w->cur, w->cur);
    else
        add_object(w, at, at + 2);
}

static void close_image(struct walk *w)
{
    if (--w->image_depth)
        return;
    size_t at = find_bytes(w->p->src, w->cur, w->limit, "]", 1);
    if (at != NOT_FOUND) {
        w->cur = at;
        skip_link_tail(w);
    }
}

static void open_block(struct walk *w, cmark_node *n, enum prose_kind kind)
{
    struct prose *p = w->p;
    int line = cmark_node_get_start_line(n);
    int col = cmark_node_get_start_column(n);
    size_t start = prose_line_start(p, line);
    size_t at = start + (size_t)(col > 1 ? col - 1 : 0);
    if (at > line_end(p, line))
        at = line_end(p, line);
    /* footnote definitions come last in the tree: blocks may move back */
    if (kind != PROSE_CELL || at > w->cur)
        w->cur = at;
    if (kind == PROSE_CELL) {
        w->limit = line_end(p, line);
    } else {
        int end = cmark_node_get_end_line(n);
        w->limit = line_end(p, end > line ? end : line);
    }
    GROW(p->seg, p->nseg, w->cap_seg);
    int level = kind == PROSE_HEADING ? model_info(n)->level : 0;
    p->seg[p->nseg++] = (struct prose_seg){p->nch, p->nch, kind, level, line, n};
}

static void add_comment(struct walk *w, cmark_node *n)
{
    const struct node_info *info = model_info(n);
    const char *s = cmark_node_get_literal(n);
    if (info->marker != MARK_LINT || !s)
        return;
    /* cmark-gfm's end line for HTML blocks is unreliable: count the lines */
    int line = cmark_node_get_start_line(n), end_line = line;
    for (const char *q = s; *q; q++)
        if (*q == '\n' && q[1])
            end_line++;
    struct prose *p = w->p;
    GROW(p->comment, p->ncomment, w->cap_comment);
    p->comment[p->ncomment++] = (struct prose_comment){line, end_line, info->lint, info->lint_rules};
}

static enum prose_kind block_kind(cmark_node *n, bool *is_block)
{
    *is_block = true;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_PARAGRAPH:
        return PROSE_PARA;
    case CMARK_NODE_HEADING:
        return PROSE_HEADING;
    default:
        *is_block = strcmp(cmark_node_get_type_string(n), "table_cell") == 0;
        return PROSE_CELL;
    }
}

static void enter_inline(struct walk *w, cmark_node *n)
{
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT:
        add_text(w, cmark_node_get_literal(n));
        break;
    case CMARK_NODE_CODE:
        add_code_span(w);
        break;
    case CMARK_NODE_HTML_INLINE:
        add_literal_object(w, cmark_node_get_literal(n));
        break;
    case CMARK_NODE_FOOTNOTE_REFERENCE:
        add_footnote_ref(w);
        break;
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
        push_char(w, '\n', w->cur < w->p->len ? w->cur : 0, PC_BREAK);
        break;
    case CMARK_NODE_LINK:
        w->link_depth++;
        break;
    default:
        break;
    }
}

static void visit(struct walk *w, cmark_node *n, cmark_event_type ev)
{
    cmark_node_type t = cmark_node_get_type(n);
    bool is_block;
    enum prose_kind kind = block_kind(n, &is_block);
    if (is_block) {
        if (ev == CMARK_EVENT_ENTER)
            open_block(w, n, kind);
        else
            w->p->seg[w->p->nseg - 1].end = w->p->nch;
    } else if (t == CMARK_NODE_HTML_BLOCK) {
        add_comment(w, n);
    } else if (t == CMARK_NODE_IMAGE) {
        if (ev == CMARK_EVENT_ENTER)
            open_image(w);
        else
            close_image(w);
    } else if (w->image_depth) {
        return;
    } else if (ev == CMARK_EVENT_ENTER) {
        enter_inline(w, n);
    } else if (t == CMARK_NODE_LINK) {
        close_link(w);
    }
}

struct prose *prose_new(const struct doc *doc)
{
    struct prose *p = xcalloc(1, sizeof *p);
    p->src = doc->src;
    p->len = doc->len;
    index_lines(p);
    struct walk w = {.p = p};
    cmark_iter *it = cmark_iter_new(doc->root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
        visit(&w, cmark_iter_get_node(it), ev);
    cmark_iter_free(it);
    return p;
}

void prose_free(struct prose *p)
{
    if (!p)
        return;
    free(p->comment);
    free(p->seg);
    free(p->ch);
    free(p->lines);
    free(p);
}
