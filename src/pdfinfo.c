#include "pdfinfo.h"
#include "xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An ISO 8601 date ("2025-01-13T00:00:00+08:00", "...Z") as a PDF date
 * ("D:20250113000000+08'00'"); false for anything else. */
static bool pdf_date(const char *iso, char out[32])
{
    int y, mo, d, h, mi, s, n = 0;
    if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &n) != 6)
        return false;
    const char *tz = iso + n;
    int th, tm;
    if (!strcmp(tz, "Z"))
        snprintf(out, 32, "D:%04d%02d%02d%02d%02d%02dZ", y, mo, d, h, mi, s);
    else if ((tz[0] == '+' || tz[0] == '-') && sscanf(tz + 1, "%2d:%2d", &th, &tm) == 2 &&
             strlen(tz) == 6)
        snprintf(out, 32, "D:%04d%02d%02d%02d%02d%02d%c%02d'%02d'", y, mo, d, h, mi, s, tz[0],
                 th, tm);
    else
        return false;
    return true;
}

/* s without the control characters XML cannot carry (all but tab and
 * newline), so the information dictionary and the XMP say the same. */
static char *xml_safe(const char *s)
{
    if (!s)
        return NULL;
    struct buf b = {0};
    for (; *s; s++)
        if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n')
            buf_putc(&b, *s);
    return b.data ? buf_detach(&b) : xstrdup("");
}

static void xml_text(struct buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        default: buf_putc(b, *s);
        }
    }
}

static void xmp_prop(struct buf *b, const char *name, const char *open, const char *value,
                     const char *close)
{
    if (!value)
        return;
    buf_printf(b, "   <%s>%s", name, open);
    xml_text(b, value);
    buf_printf(b, "%s</%s>\n", close, name);
}

/* The XMP packet of a PDF/A-2b file: each entry of the information
 * dictionary under its XMP name (ISO 19005-2 6.6.2.3), and the PDF/A
 * identification. */
static char *xmp_packet(const struct pdf_info *info)
{
    static const char ALT[] = "<rdf:Alt><rdf:li xml:lang=\"x-default\">", ALT_END[] = "</rdf:li></rdf:Alt>";
    struct buf b = {0};
    buf_puts(&b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                 "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                 " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                 "  <rdf:Description rdf:about=\"\"\n"
                 "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                 "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                 "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
                 "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
                 "   <dc:format>application/pdf</dc:format>\n");
    xmp_prop(&b, "dc:title", ALT, info->title, ALT_END);
    xmp_prop(&b, "dc:creator", "<rdf:Seq><rdf:li>", info->author, "</rdf:li></rdf:Seq>");
    xmp_prop(&b, "dc:description", ALT, info->subject, ALT_END);
    xmp_prop(&b, "pdf:Keywords", "", info->keywords, "");
    xmp_prop(&b, "pdf:Producer", "", info->producer, "");
    xmp_prop(&b, "xmp:CreatorTool", "", info->creator, "");
    char date[32];
    if (pdf_date(info->date, date))
        xmp_prop(&b, "xmp:CreateDate", "", info->date, "");
    buf_puts(&b, "   <pdfaid:part>2</pdfaid:part>\n"
                 "   <pdfaid:conformance>B</pdfaid:conformance>\n"
                 "  </rdf:Description>\n"
                 " </rdf:RDF>\n"
                 "</x:xmpmeta>\n"
                 "<?xpacket end=\"w\"?>");
    return buf_detach(&b);
}

/* An entry of the information dictionary, as the XMP gives it. */
static void text_entry(struct buf *b, const char *key, const char *value)
{
    if (!value)
        return;
    char *safe = xml_safe(value);
    buf_printf(b, " /%s ", key);
    pdfw_text(b, safe);
    free(safe);
}

int pdfinfo_write(struct pdfw *w, const struct pdf_info *info)
{
    int id = pdfw_reserve(w);
    struct buf *b = pdfw_begin(w, id);
    buf_puts(b, "<<");
    text_entry(b, "Title", info->title);
    text_entry(b, "Author", info->author);
    text_entry(b, "Subject", info->subject);
    text_entry(b, "Keywords", info->keywords);
    text_entry(b, "Creator", info->creator);
    text_entry(b, "Producer", info->producer);
    char date[32];
    if (pdf_date(info->date, date))
        buf_printf(b, " /CreationDate (%s)", date);
    buf_puts(b, " >>");
    pdfw_end(w);
    return id;
}

void pdfinfo_pdfa(struct pdfw *w, const struct pdf_info *info, const struct pdfa *pdfa,
                  struct buf *catalog)
{
    char *text[] = {xml_safe(info->title), xml_safe(info->author), xml_safe(info->subject),
                    xml_safe(info->keywords), xml_safe(info->creator), xml_safe(info->producer)};
    const struct pdf_info safe = {.title = text[0], .author = text[1], .subject = text[2],
                                  .keywords = text[3], .creator = text[4], .producer = text[5],
                                  .date = info->date};
    char *xmp = xmp_packet(&safe);
    int meta = pdfw_reserve(w), icc = pdfw_reserve(w), intent = pdfw_reserve(w);
    /* unfiltered, so that tools that do not read PDF can find it */
    pdfw_stream_as_is(w, meta, " /Type /Metadata /Subtype /XML", xmp, strlen(xmp));
    pdfw_stream(w, icc, " /N 3", pdfa->icc, pdfa->icc_len);
    struct buf *b = pdfw_begin(w, intent);
    buf_puts(b, "<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier ");
    pdfw_bytes(b, pdfa->icc_name, strlen(pdfa->icc_name));
    buf_puts(b, " /Info ");
    pdfw_bytes(b, pdfa->icc_name, strlen(pdfa->icc_name));
    buf_printf(b, " /DestOutputProfile %d 0 R >>", icc);
    pdfw_end(w);
    buf_printf(catalog, " /Metadata %d 0 R /OutputIntents [%d 0 R]", meta, intent);
    free(xmp);
    for (size_t i = 0; i < sizeof text / sizeof *text; i++)
        free(text[i]);
}
