/* CFF font programs (Adobe TN 5176): which CID each glyph of a
 * CID-keyed font stands for, and a program's unused glyphs emptied. */
#include "cff.h"
#include "xalloc.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define OP_ESCAPE 12
#define OP_CHARSET 15
#define OP_ROS (1200 + 30)
#define MAX_OPERANDS 48

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

/* The Top DICT of the first font (at [*top, *top + *top_n)); tops: the
 * Top DICT INDEX. False when the header and INDEXes do not parse. */
static bool top_dict(const struct cff *f, struct index *tops, size_t *top, size_t *top_n)
{
    struct index names;
    return f->len >= 4 && read_index(f, f->p[2], &names) && read_index(f, names.end, tops) &&
           element(tops, 0, top, top_n);
}

/* ---- charset ---------------------------------------------------------- */

/* Formats 0, 1 and 2: the CIDs of glyphs 1 .. n - 1 (glyph 0 is CID 0). */
static bool read_charset(const struct cff *f, size_t pos, unsigned n, uint16_t *cid)
{
    if (pos >= f->len)
        return false;
    unsigned format = f->p[pos++], g = 1;
    while (g < n) {
        if (format == 0) {
            if (pos + 2 > f->len)
                return false;
            cid[g++] = (uint16_t)be(f->p + pos, 2);
            pos += 2;
            continue;
        }
        unsigned left_size = format == 1 ? 1 : format == 2 ? 2 : 0;
        if (!left_size || pos + 2 + left_size > f->len)
            return false;
        size_t first = be(f->p + pos, 2), left = be(f->p + pos + 2, left_size);
        pos += 2 + left_size;
        for (size_t k = 0; k <= left && g < n; k++)
            cid[g++] = (uint16_t)(first + k);
    }
    return true;
}

bool cff_glyph_cids(const unsigned char *data, size_t len, unsigned nglyphs, uint16_t *cid,
                    bool *cid_keyed)
{
    struct cff f = {data, len};
    struct index tops;
    struct operand o[MAX_OPERANDS];
    size_t top, top_n;
    int k;
    for (unsigned g = 0; g < nglyphs; g++)
        cid[g] = (uint16_t)g;
    *cid_keyed = false;
    if (!top_dict(&f, &tops, &top, &top_n))
        return false;
    if (!dict_get(&f, top, top_n, OP_ROS, o, &k))
        return true; /* name-keyed: glyph ids serve as CIDs */
    *cid_keyed = true;
    return dict_get(&f, top, top_n, OP_CHARSET, o, &k) && k == 1 && o[0].v > 2 &&
           read_charset(&f, (size_t)o[0].v, nglyphs, cid);
}

bool cff_name_keyed(const unsigned char *data, size_t len)
{
    bool cid_keyed;
    return cff_glyph_cids(data, len, 0, NULL, &cid_keyed) && !cid_keyed;
}

/* ---- keeping glyphs ----------------------------------------------------- */

#define OP_ENCODING 16
#define OP_CHARSTRINGS 17
#define OP_PRIVATE 18
#define OP_SUBRS 19
#define OP_FDARRAY (1200 + 36)
#define OP_FDSELECT (1200 + 37)

/* Bytes [from, to) of the old table replaced by len new ones. */
struct region {
    size_t from, to;
    unsigned char *bytes;
    size_t len;
};

/* The regions replaced, in file order: every position after one moves. */
struct moved {
    struct region r[3];
    int n;
    unsigned char *out;
};

static size_t moved_pos(const struct moved *m, size_t pos)
{
    long delta = 0;
    for (int i = 0; i < m->n; i++)
        if (pos >= m->r[i].to)
            delta += (long)m->r[i].len - (long)(m->r[i].to - m->r[i].from);
    return (size_t)((long)pos + delta);
}

/* Do bytes [a, b) overlap a region replaced? An operand there, or an
 * offset into one past its start, means a malformed table. */
static bool overlaps(const struct moved *m, size_t a, size_t b)
{
    for (int i = 0; i < m->n; i++)
        if (a < m->r[i].to && m->r[i].from < b)
            return true;
    return false;
}

/* 1 when pos starts a region replaced: an offset may point there. */
static size_t moved_start(const struct moved *m, size_t pos)
{
    for (int i = 0; i < m->n; i++)
        if (pos == m->r[i].from)
            return 1;
    return 0;
}

/* Writes v over the operand o (now at out + at) in its own encoding. */
static bool rewrite_operand(unsigned char *out, size_t at, const struct operand *o, size_t v)
{
    unsigned char *p = out + at;
    if (o->size == 5 && p[0] == 29 && v <= INT32_MAX) {
        p[1] = (unsigned char)(v >> 24), p[2] = (unsigned char)(v >> 16);
        p[3] = (unsigned char)(v >> 8), p[4] = (unsigned char)v;
        return true;
    }
    if (o->size == 3 && p[0] == 28 && v <= INT16_MAX) {
        p[1] = (unsigned char)(v >> 8), p[2] = (unsigned char)v;
        return true;
    }
    return false;
}

/* Moves the offset operand k of op in the DICT at [pos, pos + n) (of the
 * old table) with what it points to. Absent: nothing to move. */
static bool move_offset(const struct cff *f, size_t pos, size_t n, int op, int k, const struct moved *m)
{
    struct operand o[MAX_OPERANDS];
    int count;
    if (!dict_get(f, pos, n, op, o, &count))
        return true;
    if (count <= k || o[k].v < 0)
        return false;
    size_t target = (size_t)o[k].v, now = moved_pos(m, target);
    if (overlaps(m, o[k].pos, o[k].pos + o[k].size) || overlaps(m, target, target + 1 - moved_start(m, target)))
        return false;
    return now == target || rewrite_operand(m->out, moved_pos(m, o[k].pos), &o[k], now);
}

/* A Private DICT's subroutines are addressed from the DICT itself: the
 * two must move together. */
static bool private_moves(const struct cff *f, size_t pos, size_t n, const struct moved *m)
{
    if (!move_offset(f, pos, n, OP_PRIVATE, 1, m))
        return false;
    struct operand o[MAX_OPERANDS];
    int count;
    if (!dict_get(f, pos, n, OP_PRIVATE, o, &count))
        return true;
    if (count != 2 || o[1].v < 0 || o[0].v < 0)
        return false;
    size_t priv = (size_t)o[1].v, priv_n = (size_t)o[0].v;
    struct operand s[MAX_OPERANDS];
    if (!dict_get(f, priv, priv_n, OP_SUBRS, s, &count))
        return true;
    if (count != 1 || s[0].v < 0)
        return false;
    size_t subrs = priv + (size_t)s[0].v;
    return moved_pos(m, subrs) - moved_pos(m, priv) == subrs - priv;
}

/* Every offset the Top DICT and the Font DICTs hold, moved. */
static bool move_offsets(const struct cff *f, size_t top, size_t top_n, const struct moved *m)
{
    if (!move_offset(f, top, top_n, OP_CHARSET, 0, m) || !move_offset(f, top, top_n, OP_ENCODING, 0, m) ||
        !move_offset(f, top, top_n, OP_CHARSTRINGS, 0, m) || !move_offset(f, top, top_n, OP_FDSELECT, 0, m) ||
        !move_offset(f, top, top_n, OP_FDARRAY, 0, m) || !private_moves(f, top, top_n, m))
        return false;
    struct operand o[MAX_OPERANDS];
    int count;
    if (!dict_get(f, top, top_n, OP_FDARRAY, o, &count))
        return true;
    struct index fds;
    if (count != 1 || o[0].v < 0 || !read_index(f, (size_t)o[0].v, &fds))
        return false;
    for (size_t i = 0; i < fds.count; i++) {
        size_t pos, n;
        if (!element(&fds, i, &pos, &n) || !private_moves(f, pos, n, m))
            return false;
    }
    return true;
}

static void put_be(unsigned char *p, size_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
}

/* The glyphs a program keeps. */
struct glyphs {
    const bool *keep;
    size_t nkeep;
};

static bool kept(const struct glyphs *gl, size_t g) { return g == 0 || (g < gl->nkeep && gl->keep[g]); }

/* The new CharStrings INDEX. */
static bool new_charstrings(const struct index *cs, const struct glyphs *gl, const unsigned char *p,
                            struct region *r)
{
    size_t count = 0, data_len = 0;
    for (size_t g = 0; g < cs->count; g++) {
        size_t pos, n;
        if (!element(cs, g, &pos, &n))
            return false;
        if (kept(gl, g))
            count++, data_len += n;
    }
    unsigned off_size = data_len + 1 < 0x100 ? 1 : data_len + 1 < 0x10000 ? 2 : data_len + 1 < 0x1000000 ? 3 : 4;
    r->len = 3 + (count + 1) * off_size + data_len;
    unsigned char *out = r->bytes = xmalloc(r->len);
    put_be(out, count, 2);
    out[2] = (unsigned char)off_size;
    unsigned char *offs = out + 3, *data = offs + (count + 1) * off_size;
    size_t at = 0, i = 0;
    for (size_t g = 0; g < cs->count; g++) {
        if (!kept(gl, g))
            continue;
        size_t pos = 0, n = 0;
        element(cs, g, &pos, &n);
        put_be(offs + i++ * off_size, at + 1, off_size);
        memcpy(data + at, p + pos, n), at += n;
    }
    put_be(offs + count * off_size, at + 1, off_size);
    return true;
}

/* The charset of the glyphs kept: a list (format 0) or, when their
 * values run on (a copy's names mostly do), ranges (format 2). */
static void write_charset(const uint16_t *cid, size_t nglyphs, const struct glyphs *gl, struct region *r)
{
    size_t count = 0, ranges = 0;
    long last = -2;
    for (size_t g = 1; g < nglyphs; g++)
        if (kept(gl, g)) {
            count++;
            ranges += cid[g] != last + 1;
            last = cid[g];
        }
    bool list = 2 * count <= 4 * ranges;
    r->len = 1 + (list ? 2 * count : 4 * ranges);
    unsigned char *p = r->bytes = xcalloc(r->len, 1);
    *p++ = list ? 0 : 2;
    unsigned char *range = NULL;
    last = -2;
    for (size_t g = 1; g < nglyphs; g++) {
        if (!kept(gl, g))
            continue;
        if (list) {
            put_be(p, cid[g], 2), p += 2;
        } else if (cid[g] != last + 1) {
            range = p, p += 4;
            put_be(range, cid[g], 2);
        } else {
            put_be(range + 2, be(range + 2, 2) + 1, 2);
        }
        last = cid[g];
    }
}

/* The new charset: the CIDs (or, name-keyed, the names' SIDs)
 * of the glyphs kept, in place of the old one. */
static bool new_charset(const struct cff *f, size_t pos, size_t nglyphs, const struct glyphs *gl,
                        struct region *r)
{
    uint16_t *cid = xmalloc((nglyphs + 1) * sizeof *cid);
    bool ok = read_charset(f, pos, (unsigned)nglyphs, cid);
    /* where the old charset ends: its format's records up to the last glyph */
    size_t end = pos + 1;
    unsigned format = ok ? f->p[pos] : 9;
    if (format == 0) {
        end += 2 * (nglyphs - 1);
    } else if (format == 1 || format == 2) {
        for (size_t g = 1; g < nglyphs && end + 2 + format <= f->len;) {
            g += 1 + be(f->p + end + 2, format);
            end += 2 + format;
        }
    } else {
        ok = false;
    }
    r->from = pos, r->to = end;
    write_charset(cid, nglyphs, gl, r);
    free(cid);
    return ok && end <= f->len;
}

/* The new FDSelect (format 0) of a CID-keyed program: each kept glyph's
 * Font DICT. */
static bool new_fdselect(const struct cff *f, size_t pos, size_t nglyphs, const struct glyphs *gl,
                         struct region *r)
{
    if (pos >= f->len)
        return false;
    unsigned char *fd = xcalloc(nglyphs + 1, 1);
    unsigned format = f->p[pos];
    size_t end = pos + 1;
    bool ok = true;
    if (format == 0) {
        end += nglyphs;
        ok = end <= f->len;
        if (ok)
            memcpy(fd, f->p + pos + 1, nglyphs);
    } else if (format == 3 && pos + 3 <= f->len) {
        size_t nranges = be(f->p + pos + 1, 2);
        end = pos + 3 + 3 * nranges + 2;
        ok = end <= f->len;
        for (size_t i = 0; ok && i < nranges; i++) {
            const unsigned char *rec = f->p + pos + 3 + 3 * i;
            size_t first = be(rec, 2), next = be(rec + 3, 2);
            for (size_t g = first; g < next && g < nglyphs; g++)
                fd[g] = rec[2];
        }
    } else {
        ok = false;
    }
    size_t count = 0;
    for (size_t g = 0; g < nglyphs; g++)
        count += kept(gl, g);
    r->from = pos, r->to = end, r->len = 1 + count;
    r->bytes = xcalloc(r->len, 1);
    for (size_t g = 0, i = 0; g < nglyphs; g++)
        if (kept(gl, g))
            r->bytes[1 + i++] = fd[g];
    free(fd);
    return ok;
}

static int by_position(const void *a, const void *b)
{
    const struct region *x = a, *y = b;
    return (x->from > y->from) - (x->from < y->from);
}

/* The regions in file order, none overlapping another, written out. */
static unsigned char *assemble(const struct cff *f, struct moved *m, size_t *out_len)
{
    qsort(m->r, (size_t)m->n, sizeof *m->r, by_position);
    size_t total = f->len, at = 0;
    for (int i = 0; i < m->n; i++) {
        if (m->r[i].from < at || m->r[i].to > f->len)
            return NULL;
        at = m->r[i].to;
        total = total - (m->r[i].to - m->r[i].from) + m->r[i].len;
    }
    unsigned char *p = xmalloc(total), *w = p;
    at = 0;
    for (int i = 0; i < m->n; i++) {
        memcpy(w, f->p + at, m->r[i].from - at), w += m->r[i].from - at;
        memcpy(w, m->r[i].bytes, m->r[i].len), w += m->r[i].len;
        at = m->r[i].to;
    }
    memcpy(w, f->p + at, f->len - at);
    *out_len = total;
    return p;
}

/* The regions a program replaces: CharStrings, charset and, in a
 * CID-keyed font, FDSelect. */
static bool replace_regions(const struct cff *f, size_t top, size_t top_n, const struct glyphs *gl,
                            struct moved *m)
{
    struct operand o[MAX_OPERANDS];
    int k;
    struct index cs;
    if (!dict_get(f, top, top_n, OP_CHARSTRINGS, o, &k) || k != 1 || o[0].v < 4 ||
        !read_index(f, (size_t)o[0].v, &cs) || cs.count == 0)
        return false;
    struct region *r = &m->r[m->n++];
    r->from = (size_t)o[0].v, r->to = cs.end;
    if (!new_charstrings(&cs, gl, f->p, r))
        return false;
    if (!dict_get(f, top, top_n, OP_CHARSET, o, &k) || k != 1 || o[0].v <= 2 ||
        !new_charset(f, (size_t)o[0].v, cs.count, gl, &m->r[m->n++]))
        return false;
    if (!dict_get(f, top, top_n, OP_ROS, o, &k))
        return true;
    return dict_get(f, top, top_n, OP_FDSELECT, o, &k) && k == 1 && o[0].v > 0 &&
           new_fdselect(f, (size_t)o[0].v, cs.count, gl, &m->r[m->n++]);
}

bool cff_keep_glyphs(const unsigned char *data, size_t len, const bool *keep, size_t nkeep,
                     unsigned char **out, size_t *out_len)
{
    struct cff f = {data, len};
    struct index tops;
    size_t top, top_n;
    if (!top_dict(&f, &tops, &top, &top_n) || tops.count != 1)
        return false;
    struct glyphs gl = {keep, nkeep};
    struct moved m = {0};
    unsigned char *p = NULL;
    if (replace_regions(&f, top, top_n, &gl, &m) && (p = assemble(&f, &m, out_len))) {
        m.out = p;
        if (!move_offsets(&f, top, top_n, &m)) {
            free(p);
            p = NULL;
        }
    }
    for (int i = 0; i < m.n; i++)
        free(m.r[i].bytes);
    *out = p;
    return p != NULL;
}

/* Does the Private DICT a DICT points to hold subroutines? */
static bool private_has_subrs(const struct cff *f, size_t pos, size_t n)
{
    struct operand o[MAX_OPERANDS], s[MAX_OPERANDS];
    int count;
    if (!dict_get(f, pos, n, OP_PRIVATE, o, &count))
        return false;
    if (count != 2 || o[0].v < 0 || o[1].v < 0)
        return true;
    return dict_get(f, (size_t)o[1].v, (size_t)o[0].v, OP_SUBRS, s, &count);
}

bool cff_flat(const unsigned char *data, size_t len)
{
    struct cff f = {data, len};
    struct index tops, strings, gsubrs, fds;
    struct operand o[MAX_OPERANDS];
    size_t top, top_n;
    int k;
    if (!top_dict(&f, &tops, &top, &top_n) || tops.count != 1 || !read_index(&f, tops.end, &strings) ||
        !read_index(&f, strings.end, &gsubrs) || gsubrs.count > 0 || private_has_subrs(&f, top, top_n))
        return false;
    if (!dict_get(&f, top, top_n, OP_FDARRAY, o, &k))
        return true;
    if (k != 1 || o[0].v < 0 || !read_index(&f, (size_t)o[0].v, &fds))
        return false;
    for (size_t i = 0; i < fds.count; i++) {
        size_t pos, n;
        if (!element(&fds, i, &pos, &n) || private_has_subrs(&f, pos, n))
            return false;
    }
    return true;
}
