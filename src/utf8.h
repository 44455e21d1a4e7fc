/* UTF-8 decoding and validation, and the character classes Chinese
 * typesetting needs (CLREQ / GB/T 15834 punctuation classes). */
#ifndef BRIEFING_UTF8_H
#define BRIEFING_UTF8_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at s[0..len); stores its byte length in *n.
 * Returns -1 (and *n = 1) for an invalid sequence. */
int32_t utf8_decode(const char *s, size_t len, int *n);
/* Encodes c into out (at least 4 bytes); returns the byte count. */
int utf8_encode(int32_t c, char *out);
/* Returns true when s is valid UTF-8 without NUL bytes; otherwise stores the
 * 1-based line and column (in characters) of the first bad byte. */
bool utf8_validate(const char *s, size_t len, int *line, int *col);
/* Start of the code point that ends just before s[pos]. */
size_t utf8_prev(const char *s, size_t pos);

bool cjk_is_han(int32_t c);           /* CJK ideographs, incl. Ext A and compatibility */
bool cjk_is_fullwidth_punct(int32_t c); /* punctuation occupying a full em in Chinese text */
bool cjk_is_opening(int32_t c);       /* （《“‘【〔「『〈［｛〖 */
bool cjk_is_closing(int32_t c);       /* ）》”’】〕」』〉］｝〗 */
bool cjk_is_stop(int32_t c);          /* 、，。．；：？！ */
bool cjk_no_line_start(int32_t c);    /* CLREQ strict: may not begin a line */
bool cjk_no_line_end(int32_t c);      /* CLREQ: may not end a line */
bool cjk_is_wide(int32_t c);          /* Han, kana, hangul or full-width punctuation */

/* Levenshtein distance in characters (the first 64 of each): for "did you mean". */
size_t utf8_edit_distance(const char *a, const char *b);

#endif
