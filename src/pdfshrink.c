/* The font pass over cairo's PDF. cairo 1.16 writes a classic cross-
 * reference table, one object after another, and each font program as
 *   N 0 obj << /Length M 0 R /Filter /FlateDecode /Subtype /CIDFontType0C >>
 *   stream ... endstream endobj  M 0 obj LENGTH endobj
 * so the pass inflates each CFF program, desubroutinizes it, deflates it,
 * rewrites its length object, and lays the objects out anew with a fresh
 * cross-reference table. Anything unexpected leaves the file as it was. */
#include "pdfshrink.h"
#include "cff.h"
#include "xalloc.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define XREF_ENTRY 20             /* "0000012345 00000 n \n" */
#define MAX_INFLATED (256u << 20) /* a font program larger than this is left alone */

struct obj {
    size_t num, off, end;   /* object number, byte range in the old file */
    char *replacement;      /* new bytes, or NULL to copy the old ones */
    size_t replacement_len;
};

struct pdf {
    const char *p;
    size_t n;
    size_t xref, count, entries, trailer, startxref;
    struct obj *objs;       /* in-use objects in file order */
    size_t nobjs;
    size_t *index;          /* object number -> position in objs, or SIZE_MAX */
};

static const char *find(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k <= n && i <= n - k; i++)
        if (s[i] == needle[0] && memcmp(s + i, needle, k) == 0)
            return s + i;
    return NULL;
}

static const char *find_last(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
        if (memcmp(s + i, needle, k) == 0)
            return s + i;
    return NULL;
}

static int by_offset(const void *a, const void *b)
{
    const struct obj *x = a, *y = b;
    return (x->off > y->off) - (x->off < y->off);
}

static bool read_xref(struct pdf *d)
{
    const char *sx = find_last(d->p, d->n, "startxref");
    if (!sx)
        return false;
    d->startxref = (size_t)(sx - d->p);
    d->xref = strtoul(sx + 9, NULL, 10);
    if (d->xref >= d->startxref || strncmp(d->p + d->xref, "xref\n0 ", 7) != 0)
        return false;
    char *end;
    d->count = strtoul(d->p + d->xref + 7, &end, 10);
    if (*end != '\n' || d->count < 2)
        return false;
    d->entries = (size_t)(end + 1 - d->p);
    d->trailer = d->entries + d->count * XREF_ENTRY;
    if (d->trailer > d->startxref || strncmp(d->p + d->trailer, "trailer", 7) != 0)
        return false;
    d->objs = xcalloc(d->count, sizeof *d->objs);
    d->index = xcalloc(d->count, sizeof *d->index);
    for (size_t i = 0; i < d->count; i++) {
        const char *e = d->p + d->entries + i * XREF_ENTRY;
        d->index[i] = SIZE_MAX;
        if (e[17] == 'n')
            d->objs[d->nobjs++] = (struct obj){.num = i, .off = strtoul(e, NULL, 10)};
    }
    qsort(d->objs, d->nobjs, sizeof *d->objs, by_offset);
    for (size_t i = 0; i < d->nobjs; i++) {
        struct obj *o = &d->objs[i];
        o->end = i + 1 < d->nobjs ? d->objs[i + 1].off : d->xref;
        char head[32];
        int len = snprintf(head, sizeof head, "%zu 0 obj", o->num);
        if (o->end <= o->off || strncmp(d->p + o->off, head, (size_t)len) != 0)
            return false;
        d->index[o->num] = i;
    }
    return d->nobjs > 0;
}

static bool inflate_all(const unsigned char *in, size_t n, struct buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK)
        return false;
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    unsigned char chunk[65536];
    int rc;
    do {
        z.next_out = chunk;
        z.avail_out = sizeof chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END)
            break;
        buf_put(out, chunk, sizeof chunk - z.avail_out);
    } while (rc != Z_STREAM_END && out->len < MAX_INFLATED);
    inflateEnd(&z);
    return rc == Z_STREAM_END;
}

static unsigned char *deflate_all(const struct buf *in, size_t *len)
{
    uLongf n = compressBound((uLong)in->len);
    unsigned char *z = xmalloc(n);
    if (compress2(z, &n, (const Bytef *)in->data, (uLong)in->len, Z_DEFAULT_COMPRESSION) != Z_OK) {
        free(z);
        return NULL;
    }
    *len = n;
    return z;
}

/* The value of a direct integer object "M 0 obj LENGTH endobj". */
static bool length_value(const struct pdf *d, size_t num, size_t *value)
{
    if (num >= d->count || d->index[num] == SIZE_MAX)
        return false;
    const struct obj *o = &d->objs[d->index[num]];
    const char *s = strstr(d->p + o->off, "obj");
    if (!s || (size_t)(s - d->p) >= o->end)
        return false;
    char *end;
    *value = strtoul(s + 3, &end, 10);
    return end > s + 3 && (size_t)(end - d->p) < o->end;
}

/* The pruned, deflated font program of object o, if it is a CFF program
 * and pruning saves anything: its new bytes go to o->replacement. */
static void shrink_font(struct pdf *d, struct obj *o)
{
    const char *body = d->p + o->off;
    size_t n = o->end - o->off, lnum, len;
    const char *dict_end = find(body, n, ">>\nstream\n");
    const char *length = find(body, n, "/Length ");
    if (!dict_end || !length || length > dict_end ||
        !find(body, (size_t)(dict_end - body), "/Subtype /CIDFontType0C") ||
        !find(body, (size_t)(dict_end - body), "/Filter /FlateDecode"))
        return;
    char *end;
    lnum = strtoul(length + 8, &end, 10);
    size_t data = (size_t)(dict_end - body) + 10;
    if (strncmp(end, " 0 R", 4) != 0 || !length_value(d, lnum, &len) || data + len > n ||
        strncmp(body + data + len, "\nendstream", 10) != 0)
        return;
    struct buf raw = {0}, pruned = {0};
    size_t zlen = 0;
    unsigned char *z = NULL;
    if (inflate_all((const unsigned char *)body + data, len, &raw) &&
        cff_desubroutinize((const unsigned char *)raw.data, raw.len, &pruned))
        z = deflate_all(&pruned, &zlen);
    if (z && zlen < len) {
        struct buf b = {0};
        buf_put(&b, body, data);
        buf_put(&b, z, zlen);
        buf_put(&b, body + data + len, n - data - len);
        o->replacement_len = b.len;
        o->replacement = buf_detach(&b);
        struct obj *lo = &d->objs[d->index[lnum]];
        free(lo->replacement);
        lo->replacement = xasprintf("%zu 0 obj\n   %zu\nendobj\n", lnum, zlen);
        lo->replacement_len = strlen(lo->replacement);
    }
    free(z);
    buf_free(&raw);
    buf_free(&pruned);
}

/* The objects at their new offsets, a new cross-reference table, the old
 * trailer. */
static void write_pdf(const struct pdf *d, struct buf *out)
{
    size_t *offset = xcalloc(d->count, sizeof *offset);
    buf_put(out, d->p, d->objs[0].off);
    for (size_t i = 0; i < d->nobjs; i++) {
        const struct obj *o = &d->objs[i];
        offset[o->num] = out->len;
        if (o->replacement)
            buf_put(out, o->replacement, o->replacement_len);
        else
            buf_put(out, d->p + o->off, o->end - o->off);
    }
    size_t xref = out->len;
    buf_printf(out, "xref\n0 %zu\n", d->count);
    for (size_t i = 0; i < d->count; i++) {
        if (d->index[i] == SIZE_MAX)
            buf_put(out, d->p + d->entries + i * XREF_ENTRY, XREF_ENTRY);
        else
            buf_printf(out, "%010zu 00000 n \n", offset[i]);
    }
    buf_put(out, d->p + d->trailer, d->startxref - d->trailer);
    buf_printf(out, "startxref\n%zu\n%%%%EOF\n", xref);
    free(offset);
}

bool pdfshrink_fonts(struct buf *pdf, size_t start)
{
    if (!pdf->data || pdf->len <= start)
        return false;
    struct pdf d = {.p = pdf->data + start, .n = pdf->len - start};
    bool ok = read_xref(&d);
    bool changed = false;
    for (size_t i = 0; ok && i < d.nobjs; i++) {
        shrink_font(&d, &d.objs[i]);
        changed |= d.objs[i].replacement != NULL;
    }
    if (ok && changed) {
        struct buf out = {0};
        write_pdf(&d, &out);
        pdf->len = start;
        buf_put(pdf, out.data, out.len);
        buf_free(&out);
    }
    for (size_t i = 0; i < d.nobjs; i++)
        free(d.objs[i].replacement);
    free(d.objs);
    free(d.index);
    return ok;
}
