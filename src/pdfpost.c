/* The last pass over the PDF, through libqpdf's C API. */
#include "pdfpost.h"
#include "utf8.h"
#include "xalloc.h"
#include <limits.h>
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

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
static char *xmp_packet(const struct pdf_info *info, const char *producer)
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
    xmp_prop(&b, "pdf:Producer", "", producer, "");
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

static void set_text(qpdf_data q, qpdf_oh dict, const char *key, const char *value)
{
    if (value)
        qpdf_oh_replace_key(q, dict, key, qpdf_oh_new_unicode_string(q, value));
}

/* A fresh information dictionary in place of cairo's. */
static void write_info(qpdf_data q, const struct pdf_info *info, const char *producer)
{
    qpdf_oh dict = qpdf_oh_new_dictionary(q);
    set_text(q, dict, "/Title", info->title);
    set_text(q, dict, "/Author", info->author);
    set_text(q, dict, "/Subject", info->subject);
    set_text(q, dict, "/Keywords", info->keywords);
    set_text(q, dict, "/Creator", info->creator);
    set_text(q, dict, "/Producer", producer);
    char date[32];
    if (pdf_date(info->date, date))
        qpdf_oh_replace_key(q, dict, "/CreationDate", qpdf_oh_new_string(q, date));
    qpdf_oh_replace_key(q, qpdf_get_trailer(q), "/Info", qpdf_make_indirect_object(q, dict));
}

/* Takes a pending libqpdf error, so that it neither fails later calls nor
 * gets printed by qpdf_cleanup(). */
static void forget_error(qpdf_data q)
{
    if (qpdf_has_error(q))
        qpdf_get_error(q);
}

/* The catalog's XMP metadata and sRGB output intent. */
static void make_pdfa(qpdf_data q, const struct pdf_info *info, const char *producer,
                      const struct pdfa *pdfa)
{
    qpdf_oh root = qpdf_get_root(q);
    char *xmp = xmp_packet(info, producer);
    qpdf_oh meta = qpdf_oh_new_stream(q);
    qpdf_oh_replace_stream_data(q, meta, (const unsigned char *)xmp, strlen(xmp),
                                qpdf_oh_new_null(q), qpdf_oh_new_null(q));
    free(xmp);
    qpdf_oh dict = qpdf_oh_get_dict(q, meta);
    qpdf_oh_replace_key(q, dict, "/Type", qpdf_oh_new_name(q, "/Metadata"));
    qpdf_oh_replace_key(q, dict, "/Subtype", qpdf_oh_new_name(q, "/XML"));
    qpdf_oh_replace_key(q, root, "/Metadata", meta);

    qpdf_oh icc = qpdf_oh_new_stream(q);
    qpdf_oh_replace_stream_data(q, icc, pdfa->icc, pdfa->icc_len, qpdf_oh_new_null(q),
                                qpdf_oh_new_null(q));
    qpdf_oh_replace_key(q, qpdf_oh_get_dict(q, icc), "/N", qpdf_oh_new_integer(q, 3));
    qpdf_oh intent = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, intent, "/Type", qpdf_oh_new_name(q, "/OutputIntent"));
    qpdf_oh_replace_key(q, intent, "/S", qpdf_oh_new_name(q, "/GTS_PDFA1"));
    qpdf_oh_replace_key(q, intent, "/OutputConditionIdentifier",
                        qpdf_oh_new_string(q, pdfa->icc_name));
    qpdf_oh_replace_key(q, intent, "/Info", qpdf_oh_new_string(q, pdfa->icc_name));
    qpdf_oh_replace_key(q, intent, "/DestOutputProfile", icc);
    qpdf_oh_replace_key(q, root, "/OutputIntents", qpdf_oh_wrap_in_array(q, intent));
}

/* Object streams and a cross-reference stream; the /ID from the content,
 * so the same input gives the same bytes. */
static bool write_pdf(qpdf_data q, struct buf *pdf, size_t start)
{
    if (qpdf_init_write_memory(q) & QPDF_ERRORS)
        return false;
    qpdf_set_object_stream_mode(q, qpdf_o_generate);
    qpdf_set_compress_streams(q, QPDF_TRUE);
    qpdf_set_deterministic_ID(q, QPDF_TRUE);
    if (qpdf_write(q) & QPDF_ERRORS)
        return false;
    pdf->len = start;
    buf_put(pdf, qpdf_get_buffer(q), qpdf_get_buffer_length(q));
    return true;
}

bool pdfpost_finish(struct buf *pdf, size_t start, const struct pdf_info *info,
                    const struct pdfa *pdfa, struct diag *d)
{
    if (!pdf->data || pdf->len <= start) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "PDF post-pass: no PDF to work on");
        return false;
    }
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    qpdf_set_attempt_recovery(q, QPDF_FALSE); /* the file is whole, or the pass stops */
    char *producer = xasprintf("%s and qpdf %s", info->producer ? info->producer : "briefing",
                               qpdf_get_qpdf_version());
    char *text[] = {xml_safe(info->title), xml_safe(info->author), xml_safe(info->subject),
                    xml_safe(info->keywords), xml_safe(info->creator)};
    const struct pdf_info safe = {.title = text[0], .author = text[1], .subject = text[2],
                                  .keywords = text[3], .creator = text[4], .date = info->date};
    info = &safe;
    bool ok = !(qpdf_read_memory(q, "the PDF", pdf->data + start, pdf->len - start, NULL) &
                QPDF_ERRORS);
    if (ok) {
        write_info(q, info, producer);
        if (pdfa)
            make_pdfa(q, info, producer, pdfa);
        ok = !qpdf_has_error(q) && write_pdf(q, pdf, start);
    }
    if (!ok) {
        qpdf_error e = qpdf_get_error(q);
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "PDF post-pass failed: %s",
                 e ? qpdf_get_error_full_text(q, e) : "unknown libqpdf error");
    }
    forget_error(q);
    for (size_t i = 0; i < sizeof text / sizeof *text; i++)
        free(text[i]);
    free(producer);
    qpdf_cleanup(&q);
    return ok;
}
