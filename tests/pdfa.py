#!/usr/bin/python3
"""PDF/A-2b output (--pdf-standard a-2b, template key pdf_standard) meets
every requirement of ISO 19005-2 we can check without a validator.

usage: pdfa.py BRIEFING REPORT.md ICC_COPY MANIFEST.yaml

Renders REPORT.md in every template with --pdf-standard a-2b (gongwen also
through a template with `pdf_standard: a-2b`) and checks each file:
  header and trailer (6.1.2, 6.1.3): binary comment, /ID, no /Encrypt,
    nothing after %%EOF; qpdf --check clean;
  XMP (6.6.2): a /Metadata stream without /Filter, xpacket header without
    bytes/encoding, pdfaid:part 2 and conformance B, and every information
    dictionary entry equal to its XMP property (6.6.2.3.1) both ways;
  output intent (6.2.3): one GTS_PDFA1 intent whose ICC profile is a valid
    RGB profile (header, size, version) with /N 3, the shipped sRGB copy
    (ICC_COPY, itself byte-equal to Debian's icc-profiles-free sRGB.icc);
  colour (6.2.4.3): no DeviceCMYK anywhere (the intent is RGB);
  fonts (6.2.11): every font embedded (pdffonts and the descriptors), each
    TrueType CID font with a CIDToGIDMap, TrueType encodings as 6.2.11.6
    asks, every glyph shown present in the font program and none .notdef,
    and the widths in the font dictionaries equal to the programs' own
    (6.2.11.5; CID fonts and WinAnsi/MacRoman simple fonts, read with
    fontTools);
  annotations and actions (6.3, 6.5, 6.6.1): Print flag set and the hiding
    flags clear, no /AA, no JavaScript, no forbidden action or annotation
    type;
  graphics state and XObjects (6.2.5, 6.2.8, 6.2.9): standard blend modes,
    no transfer functions, soft masks only as PDF/A-2 allows them, no
    interpolated images, no PostScript or reference XObjects;
  streams (6.1.7, 6.1.10): no LZW, no external stream data;
  limits (6.1.13): strings, names, numbers, CIDs and q nesting.
Without the ICC profile (BRIEFING_DATADIR elsewhere) a PDF/A render is an
error naming the file and writes nothing. The batch of MANIFEST.yaml with --pdf-standard a-2b gives PDF/A-2b files
(one department's summary checked in full). It then checks that the text (pdftotext) of each PDF/A file equals the plain
PDF's and that a plain render has no PDF/A identification, and finally
plants bugs in copies of one file (the output intent dropped, the title
changed in the Info only, the date changed or the author left out in the
XMP only, an annotation's print flag cleared, a CIDToGIDMap dropped,
pdfaid:part 1, a font's widths changed) and expects the checker to reject
each. (A compressed metadata stream cannot be planted: qpdf writes /Metadata
uncompressed whatever it is asked.)
Needs Debian python3-pikepdf, python3-fonttools, qpdf, poppler-utils.
"""
import datetime, io, os, re, subprocess, sys, tempfile
import xml.etree.ElementTree as ET
import pikepdf
from fontTools.cffLib import CFFFontSet
from fontTools.pens.basePen import NullPen
from fontTools.agl import UV2AGL
from fontTools.ttLib import TTFont

NS = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/",
      "pdf": "http://ns.adobe.com/pdf/1.3/", "pdfaid": "http://www.aiim.org/pdfa/ns/id/"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DEBIAN_SRGB = "/usr/share/color/icc/sRGB.icc"
BLEND_MODES = {"/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken",
               "/Lighten", "/ColorDodge", "/ColorBurn", "/HardLight", "/SoftLight",
               "/Difference", "/Exclusion", "/Hue", "/Saturation", "/Color", "/Luminosity"}
FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/JavaScript",
                     "/Hide", "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView"}
FORBIDDEN_ANNOTS = {"/3D", "/Sound", "/Screen", "/Movie"}
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def walk(obj, seen, visit):
    """visit(o) for every object reachable from obj, each indirect one once."""
    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)) and o.is_indirect:
            if o.objgen in seen:
                continue
            seen.add(o.objgen)
        visit(o)
        if isinstance(o, pikepdf.Stream):
            stack.extend(v for _, v in o.stream_dict.items())
        elif isinstance(o, pikepdf.Dictionary):
            stack.extend(v for _, v in o.items())
        elif isinstance(o, pikepdf.Array):
            stack.extend(o)


def pdf_date(s):
    m = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(Z|[+-]\d\d'\d\d'?)?", s)
    if not m:
        return None
    tz = m.group(7) or "Z"
    off = datetime.timedelta(0) if tz == "Z" else \
        (1 if tz[0] == "+" else -1) * datetime.timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6]))
    return datetime.datetime(*map(int, m.groups()[:6]), tzinfo=datetime.timezone(off))


def xmp_date(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


def check_header(data, pdf, problems):
    if not re.match(rb"%PDF-1\.[0-7]\r?\n%[\x80-\xff]{4}", data):
        problems.append("header: %PDF-1.n then a comment of four bytes >= 128 (6.1.2)")
    if not data.rstrip(b"\r\n").endswith(b"%%EOF"):
        problems.append("data after the last %%EOF (6.1.3)")
    ids = pdf.trailer.get("/ID")
    if not isinstance(ids, pikepdf.Array) or len(ids) != 2:
        problems.append("trailer /ID missing (6.1.3)")
    if "/Encrypt" in pdf.trailer:
        problems.append("encrypted (6.1.3)")


def xmp_values(root):
    """{XMP property: value} of the packet's descriptions (elements or attributes)."""
    out = {}
    for desc in root.iter(f"{{{NS['rdf']}}}Description"):
        for k, v in desc.attrib.items():
            out[k] = v
        for el in desc:
            alt = el.find("rdf:Alt", NS)
            seq = el.find("rdf:Seq", NS)
            if alt is not None:
                items = [li for li in alt.findall("rdf:li", NS) if li.get(XML_LANG) == "x-default"]
                out[el.tag] = items[0].text if items else None
            elif seq is not None:
                out[el.tag] = [li.text for li in seq.findall("rdf:li", NS)]
            else:
                out[el.tag] = el.text
    return out


def check_xmp(pdf, problems):
    meta = pdf.Root.get("/Metadata")
    if not isinstance(meta, pikepdf.Stream):
        problems.append("no XMP metadata stream in the catalog (6.6.2.1)")
        return
    if meta.stream_dict.get("/Type") != "/Metadata" or meta.stream_dict.get("/Subtype") != "/XML":
        problems.append("metadata stream is not /Type /Metadata /Subtype /XML")
    if "/Filter" in meta.stream_dict:
        problems.append("metadata stream has a /Filter (6.6.2.1)")
    raw = meta.read_bytes()
    head = re.match(rb"<\?xpacket ([^?]*)\?>", raw)
    if not head or b"bytes=" in head.group(1) or b"encoding=" in head.group(1):
        problems.append("xpacket header missing or with bytes/encoding (6.6.2.1)")
    try:
        root = ET.fromstring(raw.decode("utf-8").split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
    except Exception as e:  # noqa: BLE001 - any parse failure is the finding
        problems.append(f"XMP does not parse: {e}")
        return
    x = xmp_values(root)
    q = lambda ns, n: f"{{{NS[ns]}}}{n}"  # noqa: E731
    if x.get(q("pdfaid", "part")) != "2" or x.get(q("pdfaid", "conformance")) != "B":
        problems.append(f"pdfaid is not part 2 conformance B: {x.get(q('pdfaid', 'part'))}"
                        f"{x.get(q('pdfaid', 'conformance'))}")
    info = pdf.trailer.get("/Info", pikepdf.Dictionary())
    pairs = {"/Title": q("dc", "title"), "/Author": q("dc", "creator"),
             "/Subject": q("dc", "description"), "/Keywords": q("pdf", "Keywords"),
             "/Creator": q("xmp", "CreatorTool"), "/Producer": q("pdf", "Producer"),
             "/CreationDate": q("xmp", "CreateDate"), "/ModDate": q("xmp", "ModifyDate")}
    for key, prop in pairs.items():
        have, want = x.get(prop), info.get(key)
        if want is None and have is None:
            continue
        if want is None or have is None:
            problems.append(f"Info {key} and XMP {prop.split('}')[1]}: only one present (6.6.2.3.1)")
            continue
        want = str(want)
        if key == "/Author":
            same = have == [want]
        elif key.endswith("Date"):
            same = pdf_date(want) is not None and pdf_date(want) == xmp_date(have)
        else:
            same = have == want
        if not same:
            problems.append(f"Info {key} {want!r} differs from XMP {have!r} (6.6.2.3.1)")


def check_output_intent(pdf, icc_copy, problems):
    intents = [oi for oi in pdf.Root.get("/OutputIntents", []) if oi.get("/S") == "/GTS_PDFA1"]
    if not intents:
        problems.append("no GTS_PDFA1 output intent (6.2.3)")
        return
    profiles = {oi.DestOutputProfile.objgen for oi in intents if "/DestOutputProfile" in oi}
    if len(profiles) != 1 or len(intents) != len([oi for oi in intents if "/DestOutputProfile" in oi]):
        problems.append("output intents without one shared DestOutputProfile (6.2.3)")
        return
    oi = intents[0]
    if "/OutputConditionIdentifier" not in oi:
        problems.append("output intent without OutputConditionIdentifier")
    prof = oi.DestOutputProfile
    icc = prof.read_bytes()
    if len(icc) < 128 or int.from_bytes(icc[:4], "big") != len(icc) or icc[36:40] != b"acsp":
        problems.append("DestOutputProfile is not an ICC profile")
        return
    if icc[16:20] != b"RGB " or prof.stream_dict.get("/N") != 3:
        problems.append("output intent profile is not RGB with /N 3 (6.2.3)")
    if icc[8] > 4 or icc[12:16] not in (b"mntr", b"prtr", b"scnr", b"spac"):
        problems.append("ICC profile version above 4 or of a device class PDF/A refuses (6.2.3)")
    if icc != icc_copy:
        problems.append("output intent profile differs from the shipped sRGB copy")


def font_program(font):
    """(kind, bytes) of a font's embedded program, or (None, None)."""
    fd = font.get("/FontDescriptor")
    if fd is None:
        return None, None
    for key in ("/FontFile", "/FontFile2", "/FontFile3"):
        if key in fd:
            return key, fd[key].read_bytes()
    return None, None


def widths_of(cidfont):
    """{CID: width} from a CIDFont's /W array (and /DW)."""
    w, out, i = cidfont.get("/W", pikepdf.Array()), {}, 0
    items = list(w)
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for k, v in enumerate(items[i + 1]):
                out[first + k] = float(v)
            i += 2
        else:
            for c in range(first, int(items[i + 1]) + 1):
                out[c] = float(items[i + 2])
            i += 3
    return out


def cff_widths(data, by_id=False):
    """{glyph name: advance (1/1000 em)} of a CFF font program; by_id: keyed
    by the CID a CIDFontType0 shows the glyph with instead (ISO 32000-1
    9.7.4.2: the charset's CID in a CID-keyed program, the glyph index in
    a name-keyed one)."""
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(data), None)
    top = cff[cff.fontNames[0]]
    cid_keyed = hasattr(top, "ROS")
    out = {}
    for gid, name in enumerate(top.getGlyphOrder()):
        cs = top.CharStrings[name]
        cs.draw(NullPen())
        key = name
        if by_id:
            key = gid if not cid_keyed else 0 if name == ".notdef" else int(name[3:])
        out[key] = cs.width * top.FontMatrix[0] * 1000
    return out


class CidProgram:
    """Glyphs and advance widths (1/1000 em) of an embedded CID font program."""

    def __init__(self, kind, data, cidfont):
        self.widths = {}
        if kind == "/FontFile3":
            self.widths = cff_widths(data, by_id=True)
        else:
            tt = TTFont(io.BytesIO(data))
            upm = tt["head"].unitsPerEm
            order = tt.getGlyphOrder()
            gids = range(len(order))  # CID -> glyph: Identity, or a stream of 2-byte glyph ids
            cid_map = cidfont.get("/CIDToGIDMap", pikepdf.Name.Identity)
            if cid_map != pikepdf.Name.Identity:
                raw = cid_map.read_bytes()
                gids = [raw[i] << 8 | raw[i + 1] for i in range(0, len(raw) - 1, 2)]
            for cid, gid in enumerate(gids):
                if gid and gid < len(order):
                    self.widths[cid] = tt["hmtx"][order[gid]][0] * 1000 / upm


def check_fonts(pdf, problems, used):
    """Embedding, TrueType rules and widths of every font; used: {font objgen: set of CIDs}."""
    fonts = {}
    walk(pdf.Root, set(), lambda o: fonts.setdefault(o.objgen, o)
         if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font" else None)
    for font in fonts.values():
        sub = font.get("/Subtype")
        if sub in ("/Type3", "/CIDFontType0", "/CIDFontType2"):  # these through their Type0
            continue
        target = font.DescendantFonts[0] if sub == "/Type0" else font
        kind, data = font_program(target)
        name = str(target.get("/BaseFont"))
        if data is None:
            problems.append(f"font {name} not embedded (6.2.11.4.1)")
            continue
        if target.get("/Subtype") == "/CIDFontType2" and "/CIDToGIDMap" not in target:
            problems.append(f"font {name}: CIDFontType2 without CIDToGIDMap (6.2.11.3.2)")
        if sub != "/Type0":  # the writer embeds CID fonts only: a simple one is unchecked
            problems.append(f"font {name}: a simple font ({sub}), not read by this test")
            continue
        try:
            prog = CidProgram(kind, data, target)
        except Exception as e:  # noqa: BLE001 - an unreadable program is the finding
            problems.append(f"font {name}: program does not parse ({e})")
            continue
        dw = float(target.get("/DW", 1000))
        declared = widths_of(target)
        for cid in sorted(used.get(font.objgen, ())):
            if cid == 0:
                problems.append(f"font {name}: .notdef shown (6.2.11.8)")
            elif cid not in prog.widths:
                problems.append(f"font {name}: CID {cid} shown but not in the program (6.2.11.4.1)")
            elif abs(declared.get(cid, dw) - prog.widths[cid]) > 1:
                problems.append(f"font {name}: CID {cid} width {declared.get(cid, dw)} in the PDF, "
                                f"{prog.widths[cid]:.1f} in the program (6.2.11.5)")
    return len(fonts)


def check_contents(pdf, problems):
    """Operators of every page: no CMYK, q nesting, the CIDs each Type0 font shows."""
    used = {}
    for n, page in enumerate(pdf.pages, 1):
        fonts = page.Resources.get("/Font", pikepdf.Dictionary())
        if page.Resources.get("/XObject"):
            for x in page.Resources.XObject.values():
                if x.get("/Subtype") == "/Form":
                    problems.append(f"page {n}: a form XObject (not checked by this test)")
        depth, font = 0, None
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op == "q":
                depth += 1
                if depth > 28:
                    problems.append(f"page {n}: q nested deeper than 28 (6.1.13)")
            elif op == "Q":
                depth -= 1
            elif op in ("k", "K") or (op in ("cs", "CS") and operands[0] == "/DeviceCMYK"):
                problems.append(f"page {n}: DeviceCMYK with an RGB output intent (6.2.4.3)")
            elif op == "Tf":
                font = fonts.get(str(operands[0]))
            elif op in ("Tj", "TJ", "'", '"') and font is not None:
                strings = operands[-1] if op == "TJ" else [operands[-1]]
                wide = font.get("/Subtype") == "/Type0"
                for s in strings:
                    if isinstance(s, pikepdf.String):
                        b = bytes(s)
                        used.setdefault(font.objgen, set()).update(
                            int.from_bytes(b[i:i + 2], "big") for i in range(0, len(b) - 1, 2)
                        ) if wide else used.setdefault(font.objgen, set()).update(b)
    return used


def check_objects(pdf, problems):
    """Annotations, actions, graphics states, XObjects, streams and limits."""
    def visit(o):
        if isinstance(o, pikepdf.String):
            if len(bytes(o)) > 32767:
                problems.append("string longer than 32767 bytes (6.1.13)")
            return
        if isinstance(o, pikepdf.Name):
            if len(str(o).encode()) - 1 > 127:
                problems.append("name longer than 127 bytes (6.1.13)")
            return
        if isinstance(o, (int, float)) or type(o).__name__ == "Decimal":
            v = float(o)
            if isinstance(o, int) and not -2**31 <= o < 2**31:
                problems.append(f"integer {o} out of range (6.1.13)")
            elif abs(v) > 3.403e38:
                problems.append(f"real {v} out of range (6.1.13)")
            return
        if isinstance(o, pikepdf.Stream):
            d = o.stream_dict
            filters = d.get("/Filter")
            filters = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
            if pikepdf.Name.LZWDecode in filters or pikepdf.Name.Crypt in filters:
                problems.append("LZW or Crypt filter (6.1.10)")
            if any(k in d for k in ("/F", "/FFilter", "/FDecodeParms")):
                problems.append("stream with external data keys (6.1.7)")
            if d.get("/Subtype") == "/PS" or d.get("/Subtype2") == "/PS" or "/PS" in d:
                problems.append("PostScript XObject (6.2.9)")
            if d.get("/Subtype") == "/Form" and "/Ref" in d:
                problems.append("reference XObject (6.2.9)")
            if d.get("/Subtype") == "/Image":
                if d.get("/Interpolate") is True or "/Alternates" in d or "/OPI" in d:
                    problems.append("image with Interpolate, Alternates or OPI (6.2.8)")
                if d.get("/ColorSpace") == "/DeviceCMYK":
                    problems.append("CMYK image with an RGB output intent (6.2.4.3)")
            return
        if not isinstance(o, pikepdf.Dictionary):
            return
        if "/AA" in o:
            problems.append("additional actions /AA (6.5.2, 6.6.1)")
        if "/JS" in o or o.get("/S") == "/JavaScript":
            problems.append("JavaScript (6.6.1)")
        if o.get("/S") in FORBIDDEN_ACTIONS:
            problems.append(f"forbidden action {o.get('/S')} (6.6.1)")
        if o.get("/Type") == "/Annot" or (o.get("/Subtype") in ("/Link", "/Widget") and "/Rect" in o):
            flags = int(o.get("/F", 0))
            if not flags & 4 or flags & (1 | 2 | 32 | 256):
                problems.append(f"annotation {o.get('/Subtype')} without the Print flag or hidden "
                                f"(F={flags}, 6.3.2)")
            if o.get("/Subtype") in FORBIDDEN_ANNOTS:
                problems.append(f"forbidden annotation {o.get('/Subtype')} (6.3.1)")
        if o.get("/Type") == "/ExtGState" or any(k in o for k in ("/BM", "/TR", "/TR2")) and "/ca" in o:
            bm = o.get("/BM")
            modes = list(bm) if isinstance(bm, pikepdf.Array) else [bm] if bm is not None else []
            if any(str(m) not in BLEND_MODES for m in modes):
                problems.append(f"non-standard blend mode {bm} (6.2.10)")
            if "/TR" in o or ("/TR2" in o and o.TR2 != "/Default"):
                problems.append("transfer function in a graphics state (6.2.5)")
            sm = o.get("/SMask")
            if sm is not None and sm != "/None" and not (
                    isinstance(sm, pikepdf.Dictionary) and sm.get("/S") in ("/Alpha", "/Luminosity")):
                problems.append("soft mask PDF/A-2 does not allow (6.2.10)")
        if o.get("/Type") == "/Group" and o.get("/CS") == "/DeviceCMYK":
            problems.append("CMYK transparency group with an RGB output intent (6.2.4.3)")
    walk(pdf.trailer, set(), visit)
    root = pdf.Root
    names = root.get("/Names", pikepdf.Dictionary())
    if "/JavaScript" in names or "/EmbeddedFiles" in names:
        problems.append("JavaScript or embedded files in the name dictionary (6.6.1, 6.8)")
    form = root.get("/AcroForm")
    if form is not None and (form.get("/NeedAppearances") is True or "/XFA" in form):
        problems.append("AcroForm with NeedAppearances or XFA (6.4)")


def problems_of(path, icc_copy):
    data = open(path, "rb").read()
    problems = []
    q = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True)
    if q.returncode != 0 or "No syntax or stream encoding errors" not in q.stdout:
        problems.append("qpdf --check: " + (q.stdout + q.stderr)[-300:])
    fonts = subprocess.run(["pdffonts", path], capture_output=True, text=True).stdout.splitlines()[2:]
    if not fonts or not all(f.split()[-5] == "yes" for f in fonts):
        problems.append("pdffonts: a font not embedded")
    with pikepdf.open(path) as pdf:
        check_header(data, pdf, problems)
        check_xmp(pdf, problems)
        check_output_intent(pdf, icc_copy, problems)
        used = check_contents(pdf, problems)
        check_fonts(pdf, problems, used)
        check_objects(pdf, problems)
    return sorted(set(problems))


def render(binary, md, out, extra):
    r = subprocess.run([binary, "render", md, "-q", "-o", out] + extra, capture_output=True,
                       text=True, timeout=300)
    check(r.returncode == 0, f"render {' '.join(extra)} exits 0 {r.stderr[-300:] if r.returncode else ''}")
    return r.returncode == 0


def text(path):
    return subprocess.run(["pdftotext", path, "-"], capture_output=True, check=True).stdout


def plant(src, dst, how):
    with pikepdf.open(src) as pdf:
        how(pdf)
        pdf.save(dst)


def drop_annot_print(pdf):
    annots = [a for p in pdf.pages for a in p.get("/Annots", [])]
    annots[0].F = 0


def drop_cidtogid(pdf):
    for o in pdf.objects:
        if isinstance(o, pikepdf.Dictionary) and o.get("/Subtype") == "/CIDFontType2":
            del o["/CIDToGIDMap"]


def widen_glyph(pdf):
    for o in pdf.objects:
        if isinstance(o, pikepdf.Dictionary) and o.get("/Subtype") == "/CIDFontType0":
            o.W = pikepdf.Array([o.W[0], pikepdf.Array([float(x) + 50 for x in o.W[1]])] + list(o.W)[2:])
            return


def widen_truetype(pdf):
    for o in pdf.objects:
        if isinstance(o, pikepdf.Dictionary) and o.get("/Subtype") == "/CIDFontType2":
            o.W = pikepdf.Array([o.W[0], pikepdf.Array([float(x) + 50 for x in o.W[1]])] + list(o.W)[2:])
            return


def set_xmp(pdf, old, new):
    m = pdf.Root.Metadata
    m.write(m.read_bytes().replace(old, new))


PLANTS = [
    ("the output intent dropped", lambda p: p.Root.__delattr__("OutputIntents"), "output intent"),
    ("the title changed in the Info only",
     lambda p: setattr(p.trailer.Info, "Title", pikepdf.String("另一个标题")), "/Title"),
    ("an annotation's print flag cleared", drop_annot_print, "Print flag"),
    ("a CIDToGIDMap dropped", drop_cidtogid, "CIDToGIDMap"),
    ("pdfaid:part 1", lambda p: set_xmp(p, b"<pdfaid:part>2<", b"<pdfaid:part>1<"), "pdfaid"),
    ("the creation date an hour off in the XMP only",
     lambda p: set_xmp(p, b"T00:00:00+08:00<", b"T01:00:00+08:00<"), "/CreationDate"),
    ("the author left out of the XMP", lambda p: set_xmp(p, b"<dc:creator>", b"<dc:contributor>")
     or set_xmp(p, b"</dc:creator>", b"</dc:contributor>"), "/Author"),
    ("a glyph width changed", widen_glyph, "width"),
    ("a TrueType glyph's width changed", widen_truetype, "width"),
]


def main():
    binary, md, icc_path, manifest = sys.argv[1:5]
    icc_copy = open(icc_path, "rb").read()
    if os.path.exists(DEBIAN_SRGB):
        check(open(DEBIAN_SRGB, "rb").read() == icc_copy,
              f"{icc_path} is Debian's {DEBIAN_SRGB} unchanged")
    with tempfile.TemporaryDirectory() as tmp:
        tpl_file = os.path.join(tmp, "archive.yaml")
        open(tpl_file, "w").write("extends: gongwen\npdf_standard: a-2b\n")
        runs = [(t, md, ["-t", t, "--pdf-standard", "a-2b"]) for t in ("gongwen", "briefing", "report")]
        runs.append(("gongwen (template key)", md, ["-t", tpl_file]))
        tricky = os.path.join(tmp, "tricky.md")
        open(tricky, "w", encoding="utf-8").write(
            '---\ntitle: "标题 <&> \\"引号\\""\nauthor: "A & B <机关>"\n'
            'keywords: "a, b \\x01 \U0001F600 ]]>"\ndate: 2025-12-31\n---\n\n# 一、标题\n\n正文。\n')
        runs.append(("metadata with markup, a control character and an emoji",
                     tricky, ["-t", "report", "--pdf-standard", "a-2b"]))
        for name, src, extra in runs:
            pdf = os.path.join(tmp, re.sub(r"\W+", "_", name) + ".pdf")
            plain = pdf + ".plain.pdf"
            if not render(binary, src, pdf, extra) or \
                    not render(binary, src, plain, extra[:2] + ["--pdf-standard", "none"]):
                continue
            problems = problems_of(pdf, icc_copy)
            for p in problems:
                print("     " + p)
            check(not problems, f"{name}: PDF/A-2b requirements met ({len(problems)} problems)")
            check(text(pdf) == text(plain), f"{name}: text equal to the plain PDF's")
            with pikepdf.open(plain) as p:
                check("/Metadata" not in p.Root and "/OutputIntents" not in p.Root,
                      f"{name}: --pdf-standard none gives no XMP and no output intent")
        # no ICC profile installed: an error naming it, and no file written
        bare = os.path.join(tmp, "datadir")
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(icc_path))))
        os.makedirs(os.path.join(bare, "templates"))
        for f in os.listdir(os.path.join(root, "templates")):
            if f.endswith(".yaml"):
                os.symlink(os.path.join(root, "templates", f), os.path.join(bare, "templates", f))
        os.symlink(os.path.join(root, "fonts"), os.path.join(bare, "fonts"))
        out = os.path.join(tmp, "no-icc.pdf")
        r = subprocess.run([binary, "render", md, "--pdf-standard", "a-2b", "-q", "-o", out],
                           capture_output=True, text=True, timeout=300,
                           env=dict(os.environ, BRIEFING_DATADIR=bare))
        check(r.returncode == 1 and "icc/sRGB.icc: error: cannot read the sRGB ICC profile" in r.stderr
              and not os.path.exists(out), f"a missing ICC profile is an error and writes nothing "
              f"(exit {r.returncode}, {r.stderr.strip()[-200:]!r})")
        outdir = os.path.join(tmp, "batch")
        r = subprocess.run([binary, "batch", manifest, "-o", outdir, "--format", "pdf", "-q",
                            "--pdf-standard", "a-2b"], capture_output=True, text=True, timeout=600)
        check(r.returncode == 0, f"batch --pdf-standard a-2b exits 0 {r.stderr[-300:] if r.returncode else ''}")
        pdfs = sorted(f for f in os.listdir(outdir) if f.endswith(".pdf")) if r.returncode == 0 else []
        marked = [f for f in pdfs if "/OutputIntents" in pikepdf.open(os.path.join(outdir, f)).Root]
        check(pdfs and marked == pdfs, f"batch: all {len(pdfs)} PDFs have the PDF/A output intent")
        if pdfs:
            problems = problems_of(os.path.join(outdir, pdfs[0]), icc_copy)
            check(not problems, f"batch: {pdfs[0]} meets the PDF/A-2b requirements {problems[:3]}")
        base = os.path.join(tmp, "report.pdf")
        render(binary, md, base, ["-t", "report", "--pdf-standard", "a-2b"])
        for what, how, expect in PLANTS:
            bad = os.path.join(tmp, "planted.pdf")
            plant(base, bad, how)
            found = problems_of(bad, icc_copy)
            check(any(expect in p for p in found), f"plant '{what}' is caught: {found[:2]}")
    if failures:
        print(f"{len(failures)} failed")
        sys.exit(1)
    print("all PDF/A checks passed")


if __name__ == "__main__":
    main()
