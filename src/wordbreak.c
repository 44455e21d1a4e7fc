/* Word boundaries through ICU (ubrk, UBRK_WORD with the zh locale). */
#include "wordbreak.h"
#include "xalloc.h"
#include <pthread.h>
#include <stdbool.h>
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

/* A one-character word that completes the word before it (增加|值, 消费|品,
 * 增长|率): the dictionary splits these compounds, a reader does not; nor
 * does a reader split two one-character words (增|速). */
static bool bound_suffix(UChar c)
{
    static const UChar SUFFIXES[] = u"值率额量品性化度者业费价数级";
    for (const UChar *s = SUFFIXES; *s; s++)
        if (c == *s)
            return true;
    return false;
}

/* Opening an ICU break iterator (its locale and rules) cost ~50,000
 * instructions, two thirds of a short label's word breaks, and a chart
 * asks for hundreds: each thread keeps one and gives it each text. */
static pthread_key_t iterator_key;
static pthread_once_t iterator_once = PTHREAD_ONCE_INIT;
static bool have_key;

static void close_iterator(void *bi) { ubrk_close(bi); }

static void make_key(void) { have_key = pthread_key_create(&iterator_key, close_iterator) == 0; }

/* This thread's word iterator set to u; NULL when ICU cannot make one.
 * Without a thread key, *own gets a fresh one to close. */
static UBreakIterator *word_iterator(const UChar *u, int32_t len16, UBreakIterator **own)
{
    pthread_once(&iterator_once, make_key);
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *bi = have_key ? pthread_getspecific(iterator_key) : NULL;
    if (bi) {
        ubrk_setText(bi, u, len16, &err);
        return U_SUCCESS(err) ? bi : NULL;
    }
    bi = ubrk_open(UBRK_WORD, "zh", u, len16, &err);
    if (U_FAILURE(err))
        return NULL;
    if (have_key && pthread_setspecific(iterator_key, bi) == 0)
        return bi;
    return *own = bi;
}

size_t *wordbreak_offsets(const char *s, int *n)
{
    *n = 0;
    int32_t len16 = 0;
    size_t *byte_at = NULL;
    UChar *u = to_utf16(s, &len16, &byte_at);
    if (!u)
        return NULL;
    UBreakIterator *own = NULL, *bi = word_iterator(u, len16, &own);
    size_t *out = NULL;
    if (bi) {
        out = xcalloc((size_t)len16 + 1, sizeof *out);
        int32_t *at = xcalloc((size_t)len16 + 2, sizeof *at);
        int nb = 0;
        for (int32_t b = ubrk_next(bi); b != UBRK_DONE; b = ubrk_next(bi))
            at[nb++] = b;
        for (int i = 0; i < nb; i++)
            if (at[i] > 0 && at[i] < len16 && !(at[i + 1] == at[i] + 1 && bound_suffix(u[at[i]])) &&
                !(at[i + 1] == at[i] + 1 && (i == 0 ? at[i] == 1 : at[i - 1] == at[i] - 1)))
                out[(*n)++] = byte_at[at[i]];
        free(at);
    }
    if (own)
        ubrk_close(own);
    free(u);
    free(byte_at);
    if (!*n) {
        free(out);
        out = NULL;
    }
    return out;
}
