#include "import_para.h"
#include "xalloc.h"
#include <stdlib.h>
#include <string.h>

struct ipara *ipara_add(struct ipara_list *l, const char *text, size_t len, int line)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->items = xreallocarray(l->items, (size_t)l->cap, sizeof *l->items);
    }
    struct ipara *p = &l->items[l->n++];
    memset(p, 0, sizeof *p);
    p->text = xstrndup(text, len);
    p->line = line;
    return p;
}

static size_t skip_leading_space(const char *s, size_t len)
{
    size_t i = 0;
    for (;;) {
        if (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        else if (i + 3 <= len && !memcmp(s + i, "\xE3\x80\x80", 3)) /* U+3000 */
            i += 3;
        else
            return i;
    }
}

void ipara_from_text(struct ipara_list *l, const char *utf8)
{
    int line = 1;
    for (const char *s = utf8; *s; line++) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        size_t end = len;
        while (end > 0 && (s[end - 1] == '\r' || s[end - 1] == ' ' || s[end - 1] == '\t' ||
                           s[end - 1] == '\f'))
            end--;
        size_t start = skip_leading_space(s, end);
        if (start < end)
            ipara_add(l, s + start, end - start, line);
        if (!nl)
            break;
        s = nl + 1;
    }
}

size_t ipara_excerpt_len(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

void ipara_add_footnote(struct ipara_list *l, const char *text)
{
    l->footnotes = xreallocarray(l->footnotes, (size_t)l->nfootnotes + 1, sizeof(char *));
    l->footnotes[l->nfootnotes++] = xstrdup(text);
}

void ipara_list_free(struct ipara_list *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->items[i].text);
    free(l->items);
    for (int i = 0; i < l->nfootnotes; i++)
        free(l->footnotes[i]);
    free(l->footnotes);
    memset(l, 0, sizeof *l);
}
