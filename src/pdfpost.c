/* The last pass over cairo's PDF, through libqpdf's C API. cairo 1.16
 * writes every object at the top level of a classic cross-reference
 * table, so the pass visits objects by number (1 .. /Size - 1). */
#include "pdfpost.h"
#include "cff.h"
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

static bool deflate_all(const unsigned char *in, size_t len, struct buf *out)
{
    uLongf n = compressBound((uLong)len);
    unsigned char *z = xmalloc(n);
    bool ok = compress2(z, &n, in, (uLong)len, Z_DEFAULT_COMPRESSION) == Z_OK;
    if (ok)
        buf_put(out, z, n);
    free(z);
    return ok;
}

/* A CFF font program without its subroutines, when that is smaller. */
static void shrink_font(qpdf_data q, qpdf_oh stream)
{
    unsigned char *raw = NULL, *cff = NULL;
    size_t raw_len = 0, cff_len = 0;
    QPDF_BOOL filtered = QPDF_FALSE;
    struct buf pruned = {0}, z = {0};
    if (!(qpdf_oh_get_stream_data(q, stream, qpdf_dl_none, NULL, &raw, &raw_len) & QPDF_ERRORS) &&
        !(qpdf_oh_get_stream_data(q, stream, qpdf_dl_generalized, &filtered, &cff, &cff_len) &
          QPDF_ERRORS) &&
        filtered && cff_desubroutinize(cff, cff_len, &pruned) &&
        deflate_all((const unsigned char *)pruned.data, pruned.len, &z) && z.len < raw_len)
        qpdf_oh_replace_stream_data(q, stream, (const unsigned char *)z.data, z.len,
                                    qpdf_oh_new_name(q, "/FlateDecode"), qpdf_oh_new_null(q));
    forget_error(q); /* a program that does not decode stays as it is */
    free(raw);
    free(cff);
    buf_free(&pruned);
    buf_free(&z);
}

/* What PDF/A-2 asks of single objects cairo writes: annotations printed
 * (6.3.2: the Print flag set, Hidden and the like clear) and TrueType CID
 * fonts with an explicit CIDToGIDMap (6.2.11.3.2; cairo relies on the
 * default, which is Identity). */
static void pdfa_object(qpdf_data q, qpdf_oh o)
{
    if (qpdf_oh_is_dictionary_of_type(q, o, "/Annot", ""))
        qpdf_oh_replace_key(q, o, "/F", qpdf_oh_new_integer(q, 4));
    else if (qpdf_oh_is_dictionary_of_type(q, o, "/Font", "/CIDFontType2") &&
             !qpdf_oh_has_key(q, o, "/CIDToGIDMap"))
        qpdf_oh_replace_key(q, o, "/CIDToGIDMap", qpdf_oh_new_name(q, "/Identity"));
}

/* Objects 1 .. /Size - 1 (each takes a byte of the file at least, which
 * bounds a damaged /Size). */
static void visit_objects(qpdf_data q, size_t file_len, bool pdfa)
{
    qpdf_oh size = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Size");
    int n = qpdf_oh_is_integer(q, size) ? qpdf_oh_get_int_value_as_int(q, size) : 0;
    if (n < 0 || (size_t)n > file_len)
        n = (int)(file_len < (size_t)INT_MAX ? file_len : (size_t)INT_MAX);
    for (int id = 1; id < n && !qpdf_has_error(q); id++) {
        qpdf_oh o = qpdf_get_object_by_id(q, id, 0);
        if (qpdf_oh_is_stream(q, o)) {
            qpdf_oh dict = qpdf_oh_get_dict(q, o);
            qpdf_oh subtype = qpdf_oh_get_key(q, dict, "/Subtype");
            if (qpdf_oh_is_name_and_equals(q, subtype, "/CIDFontType0C"))
                shrink_font(q, o);
            qpdf_oh_release(q, subtype);
            qpdf_oh_release(q, dict);
        } else if (pdfa) {
            pdfa_object(q, o);
        }
        qpdf_oh_release(q, o);
    }
}

/* "<FEFF...>": a PDF text string in UTF-16BE, written in hex. */
static void utf16_hex(struct buf *b, const char *s)
{
    buf_puts(b, "<FEFF");
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        int n;
        int32_t c = utf8_decode(s + i, len - i, &n);
        i += (size_t)n;
        if (c < 0)
            c = 0xFFFD;
        if (c >= 0x10000)
            buf_printf(b, "%04X%04X", 0xD800 + ((c - 0x10000) >> 10), 0xDC00 + ((c - 0x10000) & 0x3FF));
        else
            buf_printf(b, "%04X", (unsigned)c);
    }
    buf_putc(b, '>');
}

static const char *find(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k <= n && i <= n - k; i++)
        if (s[i] == needle[0] && memcmp(s + i, needle, k) == 0)
            return s + i;
    return NULL;
}

/* The next "/Span << /MCID N >> BDC" (as cairo writes a Span tag) of
 * s[0..n): its " >>" in *close. */
static const char *next_span(const char *s, size_t n, const char **close)
{
    static const char KEY[] = "/Span << /MCID ";
    for (const char *at = find(s, n, KEY); at; at = find(at + 1, n - (size_t)(at + 1 - s), KEY)) {
        const char *end = at + sizeof KEY - 1;
        while (end < s + n && *end >= '0' && *end <= '9')
            end++;
        if (end > at + sizeof KEY - 1 && (size_t)(s + n - end) >= 7 && !memcmp(end, " >> BDC", 7)) {
            *close = end;
            return at;
        }
    }
    return NULL;
}

/* Gives the Span sequences of a content stream their ActualText, from
 * spans->text[*next] on. */
static void mark_spans(qpdf_data q, qpdf_oh stream, const struct pdf_spans *spans, int *next)
{
    unsigned char *data = NULL;
    size_t len = 0;
    QPDF_BOOL filtered = QPDF_FALSE;
    if ((qpdf_oh_get_stream_data(q, stream, qpdf_dl_generalized, &filtered, &data, &len) &
         QPDF_ERRORS) || !filtered) {
        forget_error(q); /* its spans go uncounted, which fails the pass */
        free(data);
        return;
    }
    const char *s = (const char *)data, *done = s, *close;
    struct buf out = {0};
    while (next_span(done, len - (size_t)(done - s), &close)) {
        buf_put(&out, done, (size_t)(close - done));
        if (*next < spans->n) {
            buf_puts(&out, " /ActualText ");
            utf16_hex(&out, spans->text[*next]);
        }
        ++*next;
        done = close;
    }
    if (out.len) {
        buf_put(&out, done, len - (size_t)(done - s));
        qpdf_oh_replace_stream_data(q, stream, (const unsigned char *)out.data, out.len,
                                    qpdf_oh_new_null(q), qpdf_oh_new_null(q));
    }
    buf_free(&out);
    free(data);
}

/* Every page's Span sequences get their text; false when their number is
 * not the number of texts. */
static bool add_actual_text(qpdf_data q, const struct pdf_spans *spans)
{
    int next = 0, pages = qpdf_get_num_pages(q);
    for (int i = 0; i < pages && !qpdf_has_error(q); i++) {
        qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
        qpdf_oh contents = qpdf_oh_get_key(q, page, "/Contents");
        if (qpdf_oh_is_stream(q, contents))
            mark_spans(q, contents, spans, &next);
        for (int k = 0; qpdf_oh_is_array(q, contents) && k < qpdf_oh_get_array_n_items(q, contents); k++)
            mark_spans(q, qpdf_oh_get_array_item(q, contents, k), spans, &next);
        qpdf_oh_release(q, contents);
        qpdf_oh_release(q, page);
    }
    return next == spans->n;
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
                    const struct pdf_spans *spans, const struct pdfa *pdfa, struct diag *d)
{
    if (!pdf->data || pdf->len <= start) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "PDF post-pass: no PDF to work on");
        return false;
    }
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    qpdf_set_attempt_recovery(q, QPDF_FALSE); /* cairo's file is whole, or the pass stops */
    char *producer = xasprintf("%s and qpdf %s", info->producer ? info->producer : "briefing",
                               qpdf_get_qpdf_version());
    char *text[] = {xml_safe(info->title), xml_safe(info->author), xml_safe(info->subject),
                    xml_safe(info->keywords), xml_safe(info->creator)};
    const struct pdf_info safe = {.title = text[0], .author = text[1], .subject = text[2],
                                  .keywords = text[3], .creator = text[4], .date = info->date};
    info = &safe;
    bool ok = !(qpdf_read_memory(q, "cairo's PDF", pdf->data + start, pdf->len - start, NULL) &
                QPDF_ERRORS);
    bool spans_ok = !ok || !spans || add_actual_text(q, spans);
    if (ok && spans_ok) {
        visit_objects(q, pdf->len - start, pdfa != NULL);
        write_info(q, info, producer);
        if (pdfa)
            make_pdfa(q, info, producer, pdfa);
        ok = !qpdf_has_error(q) && write_pdf(q, pdf, start);
    }
    if (ok && !spans_ok) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0,
                 "PDF post-pass failed: cairo's Span tags do not match the %d texts drawn", spans->n);
        ok = false;
    } else if (!ok) {
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
