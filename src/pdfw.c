#define _DEFAULT_SOURCE
#include "pdfw.h"
#include "deflater.h"
#include "utf8.h"
#include "xalloc.h"
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Objects that are not streams wait in memory and go, a hundred at a
 * time, into compressed object streams; streams are written (deflated) at
 * once. The cross-reference data is a stream too. */
#define PER_OBJECT_STREAM 100

struct pdfw {
    struct buf out;
    size_t *offset;  /* of each object written whole, by number from 1 */
    int *packed_in;  /* the object stream holding it, 0: none (yet) */
    int *packed_at;  /* its index there */
    int nobj;
    struct buf current;              /* the object being built */
    int open;
    int pending[PER_OBJECT_STREAM];  /* built, waiting for an object stream */
    char *pending_text[PER_OBJECT_STREAM];
    size_t pending_len[PER_OBJECT_STREAM];
    int npending;
    struct deflater *deflater;       /* pdfw_stream_later's thread, once started */
    struct later *later;             /* its streams, in order */
    int nlater, later_written;
};

/* A stream deflated in the deflater's thread, written LATER_LAG streams
 * later (or at the end): always at the same place, so the same input
 * still gives the same bytes. */
struct later {
    int id, item;
    char *entries;
};

#define LATER_LAG 4

struct pdfw *pdfw_new(void)
{
    struct pdfw *w = xcalloc(1, sizeof *w);
    /* the binary comment tells transfer programs the file is not text */
    buf_puts(&w->out, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
    return w;
}

void pdfw_free(struct pdfw *w)
{
    if (!w)
        return;
    for (int i = 0; i < w->npending; i++)
        free(w->pending_text[i]);
    deflater_free(w->deflater);
    for (int i = 0; i < w->nlater; i++)
        free(w->later[i].entries);
    free(w->later);
    buf_free(&w->out);
    buf_free(&w->current);
    free(w->offset);
    free(w->packed_in);
    free(w->packed_at);
    free(w);
}

int pdfw_reserve(struct pdfw *w)
{
    size_t n = (size_t)w->nobj + 2;
    w->offset = xreallocarray(w->offset, n, sizeof *w->offset);
    w->packed_in = xreallocarray(w->packed_in, n, sizeof *w->packed_in);
    w->packed_at = xreallocarray(w->packed_at, n, sizeof *w->packed_at);
    ++w->nobj;
    w->offset[w->nobj] = 0;
    w->packed_in[w->nobj] = w->packed_at[w->nobj] = 0;
    return w->nobj;
}


void pdfw_stream_as_is(struct pdfw *w, int id, const char *entries, const void *data, size_t len)
{
    w->offset[id] = w->out.len;
    buf_printf(&w->out, "%d 0 obj\n<<%s /Length %zu >>\nstream\n", id, entries, len);
    buf_put(&w->out, data, len);
    buf_puts(&w->out, "\nendstream\nendobj\n");
}

/* The data of a stream and its entries, /Filter added when deflated. */
static void stream_filtered(struct pdfw *w, int id, const char *entries, const struct buf *z, bool deflated)
{
    if (!deflated) {
        pdfw_stream_as_is(w, id, entries, z->data, z->len);
        return;
    }
    struct buf e = {0};
    buf_printf(&e, "%s /Filter /FlateDecode", entries);
    pdfw_stream_as_is(w, id, e.data, z->data, z->len);
    buf_free(&e);
}

void pdfw_stream(struct pdfw *w, int id, const char *entries, const void *data, size_t len)
{
    struct buf z = {0};
    if (len && deflate_bytes(data, len, PDFW_LEVEL_CONTENT, &z))
        stream_filtered(w, id, entries, &z, true);
    else
        pdfw_stream_as_is(w, id, entries, data, len);
    buf_free(&z);
}

static void write_later(struct pdfw *w)
{
    struct later *l = &w->later[w->later_written++];
    struct buf z = {0};
    bool deflated = deflater_take(w->deflater, l->item, &z);
    stream_filtered(w, l->id, l->entries, &z, deflated);
    buf_free(&z);
    free(l->entries);
    l->entries = NULL;
}

void pdfw_stream_later(struct pdfw *w, int id, const char *entries, const void *data, size_t len)
{
    if (!len || (!w->deflater && !(w->deflater = deflater_new(PDFW_LEVEL_CONTENT)))) {
        pdfw_stream(w, id, entries, data, len);
        return;
    }
    w->later = xreallocarray(w->later, (size_t)w->nlater + 1, sizeof *w->later);
    w->later[w->nlater++] = (struct later){id, deflater_push(w->deflater, data, len), xstrdup(entries)};
    while (w->nlater - w->later_written > LATER_LAG)
        write_later(w);
}

/* The objects waiting, as one object stream. */
static void pack_pending(struct pdfw *w)
{
    if (!w->npending)
        return;
    int id = pdfw_reserve(w);
    struct buf head = {0}, body = {0};
    for (int i = 0; i < w->npending; i++) {
        buf_printf(&head, "%d %zu ", w->pending[i], body.len);
        buf_put(&body, w->pending_text[i], w->pending_len[i]);
        buf_putc(&body, '\n');
        w->packed_in[w->pending[i]] = id;
        w->packed_at[w->pending[i]] = i;
        free(w->pending_text[i]);
    }
    char entries[96];
    snprintf(entries, sizeof entries, " /Type /ObjStm /N %d /First %zu", w->npending, head.len);
    buf_put(&head, body.data, body.len);
    pdfw_stream(w, id, entries, head.data, head.len);
    w->npending = 0;
    buf_free(&head);
    buf_free(&body);
}

struct buf *pdfw_begin(struct pdfw *w, int id)
{
    w->open = id;
    w->current.len = 0;
    return &w->current;
}

void pdfw_end(struct pdfw *w)
{
    w->pending[w->npending] = w->open;
    w->pending_len[w->npending] = w->current.len;
    w->pending_text[w->npending++] = xstrndup(w->current.data ? w->current.data : "", w->current.len);
    w->open = 0;
    if (w->npending == PER_OBJECT_STREAM)
        pack_pending(w);
}

static void put_be(struct buf *b, size_t v, int n)
{
    for (int i = n - 1; i >= 0; i--)
        buf_putc(b, (char)(v >> (8 * i) & 0xFF));
}

bool pdfw_finish(struct pdfw *w, int root, int info, struct buf *out)
{
    while (w->later_written < w->nlater)
        write_later(w);
    pack_pending(w);
    int xref = pdfw_reserve(w);
    w->offset[xref] = w->out.len;
    for (int i = 1; i < xref; i++)
        if (!w->offset[i] && !w->packed_in[i])
            return false;
    /* the file's own digest as its /ID: the same input gives the same bytes */
    char *md5 = g_compute_checksum_for_data(G_CHECKSUM_MD5, (const guchar *)w->out.data, w->out.len);
    struct buf rows = {0};
    put_be(&rows, 0, 1), put_be(&rows, 0, 4), put_be(&rows, 0xFFFF, 2);
    for (int i = 1; i <= xref; i++) {
        bool packed = w->packed_in[i] != 0;
        put_be(&rows, packed ? 2 : 1, 1);
        put_be(&rows, packed ? (size_t)w->packed_in[i] : w->offset[i], 4);
        put_be(&rows, packed ? (size_t)w->packed_at[i] : 0, 2);
    }
    char entries[256];
    snprintf(entries, sizeof entries, " /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R%s%.0d%s /ID [<%s> <%s>]",
             xref + 1, root, info ? " /Info " : "", info, info ? " 0 R" : "", md5, md5);
    size_t at = w->out.len;
    pdfw_stream(w, xref, entries, rows.data, rows.len);
    buf_printf(&w->out, "startxref\n%zu\n%%%%EOF\n", at);
    buf_put(out, w->out.data, w->out.len);
    buf_free(&rows);
    g_free(md5);
    return true;
}

/* ---- values ----------------------------------------------------------- */

void pdfw_num(struct buf *b, double v)
{
    if (!isfinite(v))
        v = 0;
    long long m = llround(v * 1000);
    char s[32], *e = s + sizeof s, *p = e;
    bool neg = m < 0;
    unsigned long long u = neg ? (unsigned long long)-m : (unsigned long long)m;
    unsigned frac = (unsigned)(u % 1000);
    u /= 1000;
    if (frac) {
        int digits = 3;
        while (frac % 10 == 0)
            frac /= 10, digits--;
        for (int i = 0; i < digits; i++, frac /= 10)
            *--p = (char)('0' + frac % 10);
        *--p = '.';
    }
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (neg)
        *--p = '-';
    buf_put(b, p, (size_t)(e - p));
}

void pdfw_hex4(struct buf *b, unsigned v)
{
    static const char HEX[] = "0123456789ABCDEF";
    char h[4] = {HEX[v >> 12 & 15], HEX[v >> 8 & 15], HEX[v >> 4 & 15], HEX[v & 15]};
    buf_put(b, h, 4);
}

void pdfw_int(struct buf *b, long v)
{
    char s[24], *e = s + sizeof s, *p = e;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    buf_put(b, p, (size_t)(e - p));
}

void pdfw_utf16(struct buf *b, const char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        int n;
        int32_t c = utf8_decode(s + i, len - i, &n);
        i += (size_t)n;
        if (c < 0)
            c = 0xFFFD;
        if (c >= 0x10000) {
            pdfw_hex4(b, 0xD800 + ((unsigned)(c - 0x10000) >> 10));
            pdfw_hex4(b, 0xDC00 + ((unsigned)(c - 0x10000) & 0x3FF));
        } else {
            pdfw_hex4(b, (unsigned)c);
        }
    }
}

void pdfw_text(struct buf *b, const char *s)
{
    buf_puts(b, "<FEFF");
    pdfw_utf16(b, s);
    buf_putc(b, '>');
}

void pdfw_actual_text(struct buf *b, const char *utf8)
{
    buf_puts(b, "/Span <</ActualText ");
    pdfw_text(b, utf8);
    buf_puts(b, ">> BDC\n");
}

void pdfw_bytes(struct buf *b, const char *s, size_t len)
{
    buf_putc(b, '(');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '(' || s[i] == ')' || s[i] == '\\')
            buf_putc(b, '\\');
        buf_putc(b, s[i]);
    }
    buf_putc(b, ')');
}

void pdfw_name(struct buf *b, const char *s)
{
    buf_putc(b, '/');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x21 || c > 0x7e || strchr("#()<>[]{}/%", c))
            buf_printf(b, "#%02X", c);
        else
            buf_putc(b, (char)c);
    }
}

/* ---- page content ----------------------------------------------------- */

void pdf_content_init(struct pdf_content *c, double page_h)
{
    *c = (struct pdf_content){.page_h = page_h, .line_w = 1, .cap = 0, .join = 0};
    buf_puts(&c->ops, "1 0 0 -1 0 ");
    pdfw_num(&c->ops, page_h);
    buf_puts(&c->ops, " cm\n");
}

void pdf_content_free(struct pdf_content *c) { buf_free(&c->ops); }

static bool same_rgb(struct rgb a, struct rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

static void put_rgb(struct buf *b, struct rgb c, const char *op)
{
    pdfw_num(b, c.r);
    buf_putc(b, ' ');
    pdfw_num(b, c.g);
    buf_putc(b, ' ');
    pdfw_num(b, c.b);
    buf_putc(b, ' ');
    buf_puts(b, op);
}

void pdf_fill_color(struct pdf_content *c, struct rgb rgb)
{
    if (c->fill_set && same_rgb(c->fill, rgb))
        return;
    put_rgb(&c->ops, rgb, "rg\n");
    c->fill = rgb;
    c->fill_set = true;
}

void pdf_stroke_color(struct pdf_content *c, struct rgb rgb)
{
    if (c->stroke_set && same_rgb(c->stroke, rgb))
        return;
    put_rgb(&c->ops, rgb, "RG\n");
    c->stroke = rgb;
    c->stroke_set = true;
}

void pdf_line_style(struct pdf_content *c, double width, int cap, int join, double gap)
{
    if (width != c->line_w) {
        pdfw_num(&c->ops, width);
        buf_puts(&c->ops, " w\n");
        c->line_w = width;
    }
    if (cap != c->cap)
        buf_printf(&c->ops, "%d J\n", c->cap = cap);
    if (join != c->join)
        buf_printf(&c->ops, "%d j\n", c->join = join);
    if (gap > 0) {
        buf_puts(&c->ops, "[0 ");
        pdfw_num(&c->ops, gap);
        buf_puts(&c->ops, "] 0 d\n");
        c->dashed = true;
    } else if (c->dashed) {
        buf_puts(&c->ops, "[] 0 d\n");
        c->dashed = false;
    }
}

static void point(struct pdf_content *c, double x, double y, const char *op)
{
    pdfw_num(&c->ops, x);
    buf_putc(&c->ops, ' ');
    pdfw_num(&c->ops, y);
    buf_puts(&c->ops, op);
}

void pdf_move(struct pdf_content *c, double x, double y) { point(c, x, y, " m\n"); }
void pdf_line(struct pdf_content *c, double x, double y) { point(c, x, y, " l\n"); }

/* One Bézier curve per quarter turn at most (error below 0.03 % of r). */
void pdf_arc(struct pdf_content *c, double cx, double cy, double r, double a0, double a1, bool join)
{
    int n = (int)ceil(fabs(a1 - a0) / (M_PI / 2) - 1e-9);
    if (n < 1)
        n = 1;
    double step = (a1 - a0) / n, k = 4.0 / 3.0 * tan(step / 4);
    point(c, cx + r * cos(a0), cy + r * sin(a0), join ? " l\n" : " m\n");
    for (int i = 0; i < n; i++) {
        double t0 = a0 + i * step, t1 = t0 + step;
        double x0 = cx + r * cos(t0), y0 = cy + r * sin(t0);
        double x1 = cx + r * cos(t1), y1 = cy + r * sin(t1);
        point(c, x0 - k * r * sin(t0), y0 + k * r * cos(t0), " ");
        point(c, x1 + k * r * sin(t1), y1 - k * r * cos(t1), " ");
        point(c, x1, y1, " c\n");
    }
}

void pdf_rect(struct pdf_content *c, double x, double y, double w, double h)
{
    point(c, x, y, " ");
    point(c, w, h, " re\n");
}

void pdf_close(struct pdf_content *c) { buf_puts(&c->ops, "h\n"); }
void pdf_fill(struct pdf_content *c) { buf_puts(&c->ops, "f\n"); }
void pdf_stroke(struct pdf_content *c) { buf_puts(&c->ops, "S\n"); }
