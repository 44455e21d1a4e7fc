#include "import_text.h"
#include "utf8.h"
#include "xalloc.h"
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

/* Where bytes[pos] sits, as a 1-based line and byte column. */
static void position_of(const char *bytes, size_t pos, int *line, int *col)
{
    *line = 1, *col = 1;
    for (size_t i = 0; i < pos; i++) {
        if (bytes[i] == '\n')
            (*line)++, *col = 1;
        else
            (*col)++;
    }
}

/* NUL bytes or C0 controls other than tab, newline, CR and form feed mean
 * the file is not text (a PDF, an image, a .doc, UTF-16). */
static bool find_binary(const char *bytes, size_t len, size_t *pos)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
            *pos = i;
            return true;
        }
    }
    return false;
}

/* Files an office may try first, with what to do instead. */
static const char *known_binary(const char *bytes, size_t len)
{
    if (len >= 8 && !memcmp(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return "a Word 97-2003 .doc (or other old Office) file: save it as .docx in Word or "
               "WPS (File > Save As > Word Document) and import that";
    if (len >= 5 && !memcmp(bytes, "%PDF-", 5))
        return "a PDF: import reads the text or the Word file the PDF was made from (or "
               "text copied out of the PDF, saved as .txt)";
    if ((len >= 2 && !memcmp(bytes, "\xFF\xFE", 2)) || (len >= 2 && !memcmp(bytes, "\xFE\xFF", 2)))
        return "UTF-16 text: save it as UTF-8 (or GB18030) and import that";
    return NULL;
}

/* GB18030 to UTF-8; NULL when a byte sequence is not GB18030. */
static char *from_gb18030(const char *bytes, size_t len)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = len * 2 + 16;
    char *out = xmalloc(cap);
    char *in = (char *)bytes, *dst = out;
    size_t inleft = len, outleft = cap - 1;
    bool ok = true;
    while (inleft > 0) {
        if (iconv(cd, &in, &inleft, &dst, &outleft) != (size_t)-1)
            continue;
        if (errno != E2BIG) {
            ok = false;
            break;
        }
        size_t used = (size_t)(dst - out);
        cap *= 2;
        out = xrealloc(out, cap);
        dst = out + used;
        outleft = cap - used - 1;
    }
    iconv_close(cd);
    if (!ok) {
        free(out);
        return NULL;
    }
    *dst = '\0';
    return out;
}

bool import_decode(const char *bytes, size_t len, const char *file, char **out,
                   const char **encoding, struct diag *d)
{
    *out = NULL;
    size_t bad;
    int line, col;
    const char *kind = known_binary(bytes, len);
    if (kind) {
        diag_add(d, DIAG_ERROR, file, 0, 0, "%s", kind);
        return false;
    }
    if (find_binary(bytes, len, &bad)) {
        position_of(bytes, bad, &line, &col);
        diag_add(d, DIAG_ERROR, file, line, col,
                 "binary data (byte 0x%02x), not text: import reads plain text (UTF-8 or "
                 "GB18030) and Word .docx files", (unsigned char)bytes[bad]);
        return false;
    }
    if (len >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3))
        bytes += 3, len -= 3;
    if (utf8_validate(bytes, len, &line, &col)) {
        *out = xstrndup(bytes, len);
        *encoding = "UTF-8";
        return true;
    }
    char *converted = from_gb18030(bytes, len);
    if (converted) {
        *out = converted;
        *encoding = "GB18030";
        return true;
    }
    diag_add(d, DIAG_ERROR, file, line, col,
             "invalid text: neither UTF-8 nor GB18030 (save the file as UTF-8)");
    return false;
}
