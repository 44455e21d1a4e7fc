/* Desubroutinizing a CID-keyed CFF subset (Adobe TN 5176 for the tables,
 * TN 5177 for Type 2 charstrings). Each glyph's charstring is copied with
 * every callsubr and callgsubr replaced by the subroutine it calls, up to
 * its return; then the Global Subrs are an empty INDEX and every Private
 * DICT points to an empty Subrs INDEX.
 *
 * Layout assumed, as cairo writes it: header, Name, Top DICT, String and
 * Global Subr INDEXes, charset and FDSelect, CharStrings, FDArray, and then
 * nothing but the Private DICTs and their Subrs, with every offset to
 * these a 5-byte integer (so it can be rewritten in place). Anything else
 * is left alone. */
#include "cff.h"
#include "xalloc.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define OP_ESCAPE 12
#define OP_PRIVATE 18
#define OP_SUBRS 19
#define OP_CHARSTRINGS 17
#define OP_CHARSET 15
#define OP_ROS (1200 + 30)
#define OP_FDARRAY (1200 + 36)
#define OP_FDSELECT (1200 + 37)
#define MAX_OPERANDS 48
#define MAX_DEPTH 10          /* Type 2 subroutine nesting limit */
#define SCAN_BUDGET 16000000  /* charstring tokens copied, against runaway fonts */

struct index {
    size_t count;
    unsigned off_size;
    const unsigned char *offs; /* count + 1 offsets */
    size_t base;               /* file position of offset 1, minus 1 */
    size_t end;                /* file position after the INDEX */
};

struct cff {
    const unsigned char *p;
    size_t len;
    struct index gsubrs, charstrings, fdarray;
    struct index *subrs;       /* per font dictionary; count 0 when none */
    size_t gsubrs_start;
    size_t top_off[4], top_at[4]; /* charset, FDSelect, CharStrings, FDArray: offset, operand position */
    size_t *priv_off, *priv_size;
    size_t *offset_pos;        /* where the FDArray gives each Private offset */
    size_t *subrs_pos;         /* where each Private DICT gives its Subrs offset, or 0 */
    unsigned char *fd_of;      /* font dictionary of each glyph */
};

static size_t be(const unsigned char *p, unsigned n)
{
    size_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static bool read_index(const struct cff *f, size_t pos, struct index *ix)
{
    memset(ix, 0, sizeof *ix);
    if (pos + 2 > f->len)
        return false;
    ix->count = be(f->p + pos, 2);
    if (ix->count == 0) {
        ix->end = pos + 2;
        return true;
    }
    if (pos + 3 > f->len)
        return false;
    ix->off_size = f->p[pos + 2];
    size_t table = (ix->count + 1) * ix->off_size;
    if (ix->off_size < 1 || ix->off_size > 4 || pos + 3 + table > f->len)
        return false;
    ix->offs = f->p + pos + 3;
    ix->base = pos + 3 + table - 1;
    size_t last = be(ix->offs + ix->count * ix->off_size, ix->off_size);
    if (last < 1 || ix->base + last > f->len)
        return false;
    ix->end = ix->base + last;
    return true;
}

/* Element i of an INDEX: its file position and length. */
static bool element(const struct index *ix, size_t i, size_t *pos, size_t *n)
{
    if (i >= ix->count)
        return false;
    size_t a = be(ix->offs + i * ix->off_size, ix->off_size);
    size_t b = be(ix->offs + (i + 1) * ix->off_size, ix->off_size);
    if (a < 1 || b < a || ix->base + b > ix->end)
        return false;
    *pos = ix->base + a;
    *n = b - a;
    return true;
}

/* ---- DICTs ------------------------------------------------------------ */

struct operand {
    double v;
    size_t pos;  /* file position of its first byte */
    size_t size; /* bytes it takes */
};

/* The operands of operator op in the DICT at [pos, pos + n); false when
 * absent or malformed. */
static bool dict_get(const struct cff *f, size_t pos, size_t n, int op, struct operand *out,
                     int *count)
{
    const unsigned char *d = f->p;
    size_t i = pos, end = pos + n;
    int k = 0;
    if (end > f->len)
        return false;
    while (i < end) {
        unsigned b = d[i];
        struct operand o = {0, i, 1};
        if (b <= 21) {
            int this_op = b;
            if (b == OP_ESCAPE) {
                if (++i >= end)
                    return false;
                this_op = 1200 + d[i];
            }
            i++;
            if (this_op == op) {
                *count = k;
                return true;
            }
            k = 0;
            continue;
        }
        if (b == 28 && i + 3 <= end)
            o.v = (int16_t)be(d + i + 1, 2), o.size = 3;
        else if (b == 29 && i + 5 <= end)
            o.v = (int32_t)be(d + i + 1, 4), o.size = 5;
        else if (b == 30) { /* a real: nibbles up to an 0xF end nibble */
            size_t j = i + 1;
            while (j < end && (d[j] & 0x0F) != 0x0F && (d[j] & 0xF0) != 0xF0)
                j++;
            if (j >= end)
                return false;
            o.size = j + 1 - i;
        } else if (b >= 32 && b <= 246)
            o.v = (int)b - 139;
        else if (b >= 247 && b <= 250 && i + 2 <= end)
            o.v = ((int)b - 247) * 256 + d[i + 1] + 108, o.size = 2;
        else if (b >= 251 && b <= 254 && i + 2 <= end)
            o.v = -((int)b - 251) * 256 - d[i + 1] - 108, o.size = 2;
        else
            return false;
        if (k < MAX_OPERANDS)
            out[k++] = o;
        i += o.size;
    }
    return false;
}

/* ---- charstrings ------------------------------------------------------ */

/* Inlining a glyph's subroutine calls: numbers and operators are copied,
 * a call drops the subroutine number just written and copies the
 * subroutine in its place, up to its return. Type 2 subroutines are plain
 * macros, so the glyph draws the same. */
struct flat {
    const struct cff *f;
    int fd;
    struct buf *out;
    size_t num_at[MAX_OPERANDS]; /* where each operand on the stack was written */
    double stack[MAX_OPERANDS];
    int sp, stems;
    long budget;
    bool ended;
};

static int bias(size_t count) { return count < 1240 ? 107 : count < 33900 ? 1131 : 32768; }

static bool flatten(struct flat *s, size_t pos, size_t n, int depth);

static bool call(struct flat *s, bool global, int depth)
{
    if (s->sp < 1 || depth >= MAX_DEPTH)
        return false;
    const struct index *ix = global ? &s->f->gsubrs : &s->f->subrs[s->fd];
    long i = (long)s->stack[--s->sp] + bias(ix->count);
    s->out->len = s->num_at[s->sp]; /* the subroutine number goes */
    s->out->data[s->out->len] = '\0';
    size_t pos, n;
    if (i < 0 || !element(ix, (size_t)i, &pos, &n))
        return false;
    return flatten(s, pos, n, depth + 1);
}

static size_t number_size(unsigned b)
{
    return b == 28 ? 3 : b == 255 ? 5 : b >= 247 ? 2 : 1;
}

static double number(const unsigned char *p)
{
    unsigned b = p[0];
    if (b == 28)
        return (int16_t)be(p + 1, 2);
    if (b == 255)
        return (int32_t)be(p + 1, 4) / 65536.0;
    if (b >= 251)
        return -((int)b - 251) * 256 - p[1] - 108;
    if (b >= 247)
        return ((int)b - 247) * 256 + p[1] + 108;
    return (int)b - 139;
}

/* Two-byte operators that only draw (flex family, dotsection); the
 * arithmetic and storage ones would keep values on the stack. */
static bool plain_escape(unsigned b) { return b == 0 || (b >= 34 && b <= 37); }

/* One operator at p[*i]; false on a charstring this does not handle.
 * *done when the charstring or subroutine ends there. */
static bool op(struct flat *s, const unsigned char *p, size_t *i, size_t end, int depth, bool *done)
{
    size_t at = *i;
    unsigned b = p[(*i)++];
    switch (b) {
    case 1: case 3: case 18: case 23: /* hstem vstem hstemhm vstemhm */
        s->stems += s->sp / 2;
        break;
    case 19: case 20:                 /* hintmask cntrmask: an implied vstem, then the mask */
        s->stems += s->sp / 2;
        *i += ((size_t)s->stems + 7) / 8;
        if (*i > end)
            return false;
        break;
    case 10: case 29:                 /* callsubr callgsubr */
        if (!call(s, b == 29, depth))
            return false;
        *done = s->ended;
        return true;
    case 11:                          /* return: not copied */
        *done = true;
        return true;
    case 14:                          /* endchar */
        s->ended = *done = true;
        break;
    case OP_ESCAPE:
        if (*i >= end || !plain_escape(p[(*i)++]))
            return false;
        break;
    default:
        break;
    }
    buf_put(s->out, p + at, *i - at);
    s->sp = 0;
    return true;
}

static bool flatten(struct flat *s, size_t pos, size_t n, int depth)
{
    const unsigned char *p = s->f->p + pos;
    size_t i = 0;
    bool done = false;
    while (i < n && !done) {
        if (--s->budget < 0)
            return false;
        unsigned b = p[i];
        if (b >= 32 || b == 28) {
            size_t k = number_size(b);
            if (i + k > n || s->sp >= MAX_OPERANDS)
                return false;
            s->num_at[s->sp] = s->out->len;
            s->stack[s->sp++] = number(p + i);
            buf_put(s->out, p + i, k);
            i += k;
        } else if (!op(s, p, &i, n, depth, &done)) {
            return false;
        }
    }
    return true;
}

/* ---- reading ---------------------------------------------------------- */

static bool read_fdselect(struct cff *f, size_t pos)
{
    size_t n = f->charstrings.count;
    f->fd_of = xcalloc(n ? n : 1, 1);
    if (pos >= f->len)
        return false;
    if (f->p[pos] == 0) {
        if (pos + 1 + n > f->len)
            return false;
        memcpy(f->fd_of, f->p + pos + 1, n);
        return true;
    }
    if (f->p[pos] != 3 || pos + 3 > f->len)
        return false;
    size_t ranges = be(f->p + pos + 1, 2);
    if (pos + 3 + ranges * 3 + 2 > f->len)
        return false;
    for (size_t r = 0; r < ranges; r++) {
        const unsigned char *e = f->p + pos + 3 + r * 3;
        size_t first = be(e, 2), next = be(e + 3, 2);
        for (size_t g = first; g < next && g < n; g++)
            f->fd_of[g] = e[2];
    }
    return true;
}

/* A 5-byte offset operand of a DICT: its value and where it is. */
static bool offset_operand(const struct cff *f, size_t pos, size_t n, int op, size_t *value,
                           size_t *at)
{
    struct operand o[MAX_OPERANDS];
    int k;
    if (!dict_get(f, pos, n, op, o, &k) || k < 1 || o[k - 1].size != 5 || o[k - 1].v < 0)
        return false;
    *value = (size_t)o[k - 1].v;
    *at = o[k - 1].pos;
    return true;
}

/* Each font dictionary's Private DICT and Subrs. */
static bool read_fds(struct cff *f)
{
    size_t nfd = f->fdarray.count;
    f->subrs = xcalloc(nfd, sizeof *f->subrs);
    f->priv_off = xcalloc(nfd, sizeof *f->priv_off);
    f->priv_size = xcalloc(nfd, sizeof *f->priv_size);
    f->offset_pos = xcalloc(nfd, sizeof *f->offset_pos);
    f->subrs_pos = xcalloc(nfd, sizeof *f->subrs_pos);
    for (size_t i = 0; i < nfd; i++) {
        size_t pos, n, rel;
        struct operand o[MAX_OPERANDS];
        int k;
        if (!element(&f->fdarray, i, &pos, &n) || !dict_get(f, pos, n, OP_PRIVATE, o, &k) ||
            k != 2 || o[1].size != 5 || o[0].v < 0 || o[1].v < 0)
            return false;
        f->priv_size[i] = (size_t)o[0].v;
        f->priv_off[i] = (size_t)o[1].v;
        f->offset_pos[i] = o[1].pos;
        if (f->priv_off[i] + f->priv_size[i] > f->len || f->priv_off[i] < f->fdarray.end)
            return false;
        if (!dict_get(f, f->priv_off[i], f->priv_size[i], OP_SUBRS, o, &k))
            continue; /* no local subroutines */
        if (!offset_operand(f, f->priv_off[i], f->priv_size[i], OP_SUBRS, &rel, &f->subrs_pos[i]) ||
            !read_index(f, f->priv_off[i] + rel, &f->subrs[i]))
            return false;
    }
    return true;
}

static bool read_cff(struct cff *f)
{
    struct index names, tops, strings;
    size_t top, top_n;
    struct operand o[MAX_OPERANDS];
    int k;
    if (f->len < 4 || !read_index(f, f->p[2], &names) || !read_index(f, names.end, &tops) ||
        !read_index(f, tops.end, &strings) || !read_index(f, strings.end, &f->gsubrs) ||
        !element(&tops, 0, &top, &top_n) || !dict_get(f, top, top_n, OP_ROS, o, &k))
        return false;
    f->gsubrs_start = strings.end;
    static const int ops[4] = {OP_CHARSET, OP_FDSELECT, OP_CHARSTRINGS, OP_FDARRAY};
    for (int i = 0; i < 4; i++)
        if (!offset_operand(f, top, top_n, ops[i], &f->top_off[i], &f->top_at[i]))
            return false;
    if (!read_index(f, f->top_off[2], &f->charstrings) || !read_index(f, f->top_off[3], &f->fdarray) ||
        f->fdarray.count == 0 || f->fdarray.count > 255 || !read_fdselect(f, f->top_off[1]) ||
        !read_fds(f))
        return false;
    /* charset and FDSelect between the Global Subrs and the CharStrings,
     * the FDArray after them: the order cairo writes */
    return f->top_off[0] >= f->gsubrs.end && f->top_off[1] >= f->gsubrs.end &&
           f->top_off[0] < f->top_off[2] && f->top_off[1] < f->top_off[2] &&
           f->top_off[3] >= f->charstrings.end;
}

/* ---- writing ---------------------------------------------------------- */

static void put_be(struct buf *b, size_t v, unsigned n)
{
    for (unsigned i = n; i-- > 0;)
        buf_putc(b, (char)((v >> (8 * i)) & 0xFF));
}

/* Overwrites the 4 value bytes of the 5-byte integer operand at pos. */
static void patch(struct buf *out, size_t pos, size_t value)
{
    for (int k = 0; k < 4; k++)
        out->data[pos + 1 + (size_t)k] = (char)((value >> (8 * (3 - k))) & 0xFF);
}

/* Each glyph with its subroutines inlined, as an INDEX. */
static bool write_charstrings(const struct cff *f, struct buf *out)
{
    struct buf data = {0};
    size_t n = f->charstrings.count;
    size_t *offs = xcalloc(n + 1, sizeof *offs);
    long budget = SCAN_BUDGET;
    bool ok = true;
    for (size_t g = 0; ok && g < n; g++) {
        size_t pos, len;
        offs[g] = data.len;
        struct flat s = {.f = f, .fd = f->fd_of[g], .out = &data, .budget = budget};
        ok = (size_t)s.fd < f->fdarray.count && element(&f->charstrings, g, &pos, &len) &&
             flatten(&s, pos, len, 0) && s.ended;
        budget = s.budget;
    }
    offs[n] = data.len;
    unsigned off_size = data.len + 1 < 0x100 ? 1 : data.len + 1 < 0x10000 ? 2 : data.len + 1 < 0x1000000 ? 3 : 4;
    if (ok) {
        put_be(out, n, 2);
        buf_putc(out, (char)off_size);
        for (size_t g = 0; g <= n; g++)
            put_be(out, offs[g] + 1, off_size);
        buf_put(out, data.data, data.len);
    }
    free(offs);
    buf_free(&data);
    return ok;
}

/* Header to String INDEX as they were, no Global Subrs, charset and
 * FDSelect, the new CharStrings, the FDArray, the Private DICTs with one
 * empty Subrs INDEX after them; every offset patched. */
static bool write_flat(const struct cff *f, struct buf *out)
{
    size_t start = out->len, nfd = f->fdarray.count;
    size_t cs_start = f->top_off[2], first = f->len;
    for (size_t i = 0; i < nfd; i++)
        first = f->priv_off[i] < first ? f->priv_off[i] : first;
    buf_put(out, f->p, f->gsubrs_start);
    buf_put(out, "\0\0", 2); /* an empty Global Subr INDEX */
    size_t b_new = out->len - start; /* where charset and FDSelect now start */
    buf_put(out, f->p + f->gsubrs.end, cs_start - f->gsubrs.end);
    size_t new_cs = out->len - start;
    if (!write_charstrings(f, out))
        return false;
    size_t d_new = out->len - start; /* where the FDArray part now starts */
    buf_put(out, f->p + f->charstrings.end, first - f->charstrings.end);
    patch(out, start + f->top_at[0], f->top_off[0] - f->gsubrs.end + b_new);
    patch(out, start + f->top_at[1], f->top_off[1] - f->gsubrs.end + b_new);
    patch(out, start + f->top_at[2], new_cs);
    patch(out, start + f->top_at[3], f->top_off[3] - f->charstrings.end + d_new);
    size_t *priv = xcalloc(nfd, sizeof *priv);
    for (size_t i = 0; i < nfd; i++) {
        priv[i] = out->len - start;
        patch(out, start + f->offset_pos[i] - f->charstrings.end + d_new, priv[i]);
        buf_put(out, f->p + f->priv_off[i], f->priv_size[i]);
    }
    size_t empty = out->len - start;
    buf_put(out, "\0\0", 2); /* the Subrs every font dictionary now points to */
    for (size_t i = 0; i < nfd; i++)
        if (f->subrs_pos[i])
            patch(out, start + priv[i] + (f->subrs_pos[i] - f->priv_off[i]), empty - priv[i]);
    free(priv);
    return true;
}

static void cff_free(struct cff *f)
{
    free(f->subrs);
    free(f->priv_off);
    free(f->priv_size);
    free(f->offset_pos);
    free(f->subrs_pos);
    free(f->fd_of);
}

/* Are there subroutines to inline? A subset of a face cut without them
 * (fontcut.c, fontsubset.c) has none, and nothing to gain. */
static bool has_subrs(const struct cff *f)
{
    bool any = f->gsubrs.count > 0;
    for (size_t i = 0; i < f->fdarray.count; i++)
        any |= f->subrs[i].count > 0;
    return any;
}

bool cff_desubroutinize(const unsigned char *in, size_t len, struct buf *out)
{
    struct cff f = {.p = in, .len = len};
    size_t start = out->len;
    bool ok = read_cff(&f) && has_subrs(&f) && write_flat(&f, out);
    if (!ok)
        out->len = start;
    cff_free(&f);
    return ok;
}
