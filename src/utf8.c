#include "utf8.h"
#include <string.h>

int32_t utf8_decode(const char *str, size_t len, int *n)
{
    const unsigned char *s = (const unsigned char *)str;
    *n = 1;
    if (len == 0)
        return -1;
    unsigned c = s[0];
    if (c < 0x80)
        return (int32_t)c;
    int need;
    int32_t cp, min;
    if ((c & 0xE0) == 0xC0) {
        need = 1, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        need = 2, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        need = 3, cp = c & 0x07, min = 0x10000;
    } else {
        return -1;
    }
    if ((size_t)need >= len)
        return -1;
    for (int i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *n = need + 1;
    return cp;
}

int utf8_encode(int32_t c, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (c < 0x80) {
        o[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (unsigned char)(0xC0 | (c >> 6));
        o[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (c >> 12));
        o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (c >> 18));
    o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

bool utf8_validate(const char *s, size_t len, int *line, int *col)
{
    int ln = 1, cl = 1;
    for (size_t i = 0; i < len;) {
        int n;
        int32_t c = utf8_decode(s + i, len - i, &n);
        if (c <= 0) {
            *line = ln, *col = cl;
            return false;
        }
        if (c == '\n')
            ln++, cl = 1;
        else
            cl++;
        i += (size_t)n;
    }
    return true;
}

size_t utf8_prev(const char *s, size_t pos)
{
    if (pos == 0)
        return 0;
    pos--;
    while (pos > 0 && ((unsigned char)s[pos] & 0xC0) == 0x80)
        pos--;
    return pos;
}

/* Switches, not tables scanned in a loop: these are asked for every
 * character of every paragraph, several times over. */
bool cjk_is_opening(int32_t c)
{
    switch (c) {
    case 0xFF08: case 0x300A: case 0x201C: case 0x2018: case 0x3010: case 0x3014: case 0x300C:
    case 0x300E: case 0x3008: case 0xFF3B: case 0xFF5B: case 0x3016:
        return true;
    default:
        return false;
    }
}

bool cjk_is_closing(int32_t c)
{
    switch (c) {
    case 0xFF09: case 0x300B: case 0x201D: case 0x2019: case 0x3011: case 0x3015: case 0x300D:
    case 0x300F: case 0x3009: case 0xFF3D: case 0xFF5D: case 0x3017:
        return true;
    default:
        return false;
    }
}

bool cjk_is_stop(int32_t c)
{
    switch (c) {
    case 0x3001: case 0xFF0C: case 0x3002: case 0xFF0E: case 0xFF1B: case 0xFF1A: case 0xFF1F:
    case 0xFF01:
        return true;
    default:
        return false;
    }
}

bool cjk_is_han(int32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF) || c == 0x3007;
}

bool cjk_is_fullwidth_punct(int32_t c)
{
    return cjk_is_opening(c) || cjk_is_closing(c) || cjk_is_stop(c);
}

/* Connectors, interpuncts, solidi, dashes and ellipses: never at a line start
 * (CLREQ strict). Percent signs stay with their number. */
static bool no_start_extra(int32_t c)
{
    switch (c) {
    case 0x2013: case 0x2014: case 0xFF5E: case 0x00B7: case 0x30FB: case 0x2026: case 0x22EF:
    case 0x002F: case 0xFF0F: case 0x2E3A: case 0xFF0D: case 0x0025: case 0xFF05: case 0x2030:
    case 0x2103:
        return true;
    default:
        return false;
    }
}

bool cjk_no_line_start(int32_t c)
{
    return cjk_is_closing(c) || cjk_is_stop(c) || no_start_extra(c);
}

bool cjk_no_line_end(int32_t c) { return cjk_is_opening(c) || c == 0x002F || c == 0xFF0F; }

bool cjk_is_wide(int32_t c)
{
    return cjk_is_han(c) || cjk_is_fullwidth_punct(c) || (c >= 0x3000 && c <= 0x30FF) ||
           (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xFF01 && c <= 0xFF60) || c == 0x2014 ||
           c == 0x2026 || c == 0x00B7;
}

size_t utf8_edit_distance(const char *a, const char *b)
{
    int32_t x[64], y[64];
    size_t la = 0, lb = 0;
    for (size_t i = 0; a[i] && la < 64; la++) {
        int n;
        x[la] = utf8_decode(a + i, strlen(a + i), &n);
        i += (size_t)(n > 0 ? n : 1);
    }
    for (size_t i = 0; b[i] && lb < 64; lb++) {
        int n;
        y[lb] = utf8_decode(b + i, strlen(b + i), &n);
        i += (size_t)(n > 0 ? n : 1);
    }
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (x[i - 1] != y[j - 1]);
            best = best < up + 1 ? best : up + 1;
            best = best < row[j - 1] + 1 ? best : row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}
