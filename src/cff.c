/* Reading a CFF font program's charset (Adobe TN 5176): which CID each
 * glyph of a CID-keyed font stands for. */
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
    struct index names, tops;
    struct operand o[MAX_OPERANDS];
    size_t top, top_n;
    int k;
    for (unsigned g = 0; g < nglyphs; g++)
        cid[g] = (uint16_t)g;
    *cid_keyed = false;
    if (len < 4 || !read_index(&f, data[2], &names) || !read_index(&f, names.end, &tops) ||
        !element(&tops, 0, &top, &top_n))
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
