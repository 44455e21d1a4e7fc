/* Growable byte buffer, always NUL-terminated. */
#ifndef BRIEFING_BUF_H
#define BRIEFING_BUF_H
#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data;   /* NUL-terminated; NULL until the first write */
    size_t len;   /* bytes used, without the NUL */
    size_t cap;
};

void buf_put(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Hands the bytes to the caller (who frees them) and empties the buffer. */
char *buf_detach(struct buf *b);
void buf_free(struct buf *b);

#endif
