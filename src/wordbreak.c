/* Word boundaries through ICU (ubrk, UBRK_WORD with the zh locale). */
#include "wordbreak.h"
#include "xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

/* UTF-16 copy of s and, for each UTF-16 unit, the byte offset it starts at. */
static UChar *to_utf16(const char *s, int32_t *len16, size_t **byte_at)
{
    UErrorCode err = U_ZERO_ERROR;
    int32_t need = 0;
    u_strFromUTF8(NULL, 0, &need, s, -1, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
        return NULL;
    UChar *u = xcalloc((size_t)need + 1, sizeof *u);
    err = U_ZERO_ERROR;
    u_strFromUTF8(u, need + 1, len16, s, -1, &err);
    if (U_FAILURE(err)) {
        free(u);
        return NULL;
    }
    *byte_at = xcalloc((size_t)*len16 + 1, sizeof **byte_at);
    size_t b = 0;
    for (int32_t i = 0; i < *len16; i++) {
        (*byte_at)[i] = b;
        unsigned char c = (unsigned char)s[b];
        size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (n == 4 && i + 1 < *len16) /* a surrogate pair: two units, one character */
            (*byte_at)[++i] = b;
        b += n;
    }
    (*byte_at)[*len16] = strlen(s);
    return u;
}

size_t *wordbreak_offsets(const char *s, int *n)
{
    *n = 0;
    int32_t len16 = 0;
    size_t *byte_at = NULL;
    UChar *u = to_utf16(s, &len16, &byte_at);
    if (!u)
        return NULL;
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "zh", u, len16, &err);
    size_t *out = NULL;
    if (U_SUCCESS(err)) {
        out = xcalloc((size_t)len16 + 1, sizeof *out);
        for (int32_t b = ubrk_next(bi); b != UBRK_DONE; b = ubrk_next(bi))
            if (b > 0 && b < len16)
                out[(*n)++] = byte_at[b];
        ubrk_close(bi);
    }
    free(u);
    free(byte_at);
    if (!*n) {
        free(out);
        out = NULL;
    }
    return out;
}
