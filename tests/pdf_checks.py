#!/usr/bin/python3
"""Properties of a rendered PDF (SPEC §5, GB/T 9704 grid, CLREQ rules).

usage: pdf_checks.py BRIEFING REPORT.md [-t TEMPLATE] [--short]

--short: a document that may have no full page of body text (a summary).

Renders REPORT.md twice and checks the PDF: qpdf clean, every font
embedded, the Han text equal to the source's in order, no line starting or
ending with a forbidden mark, justified lines reaching the right edge, full
pages of 22 lines on the 28.99 pt pitch with 28 characters per full line,
no lone Han character on a paragraph's last line, no heading at a page
bottom, no number parted from its unit or magnitude (GB/T 15835), no gap
over ½ em the source does not have (CLREQ), no page holding three lines or
fewer (a lone 附注, 署名 or 报尾, GB/T 9704 7.3.5), one outline entry per
heading, metadata, reproducible bytes.
Needs Debian python3-fitz, qpdf, poppler-utils, cmark-gfm.
"""
import collections, os, re, subprocess, sys, tempfile
import fitz

NO_START = set("，。、；：？！）》」』”’〕】〉…—·～%")
NO_END = set("（《「『“‘〔【〈")
HALF_AT_END = set("，。、；：？！）》」』”’〕】〉")
PAIR_PUNCT = set("，。、；：？！）》」』”’〕】〉（《「『“‘〔【〈")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LEFT = RIGHT = TOP = BOTTOM = PITCH = BODY = 0.0  # set from the layout dump
LINES = CHARS = 0

failures = []
passes = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    (passes if ok else failures).append(what)


def han(s):
    return "".join(HAN.findall(s))


def source_text(md):
    """The report's body text (front matter, comments and charts left out)."""
    raw = open(md, encoding="utf-8").read()
    front = ""
    m = re.match(r"\A---\n(.*?)\n---\n", raw, flags=re.S)
    if m:
        raw = raw[m.end():]
    raw = re.sub(r"<!--.*?-->", "", raw, flags=re.S)
    raw = re.sub(r"```chart.*?```", "", raw, flags=re.S)
    plain = subprocess.run(["cmark-gfm", "-e", "table", "-t", "plaintext"], input=raw,
                           capture_output=True, text=True, check=True).stdout
    return front + plain


def layout_dump(binary, md, extra):
    return subprocess.run([binary, "render", md, "--format", "layout", "-o", "-"] + extra,
                          capture_output=True, text=True, timeout=120).stdout


def grid_of(dump):
    """The template's type area and grid, from the dump's first line."""
    global LEFT, RIGHT, TOP, BOTTOM, PITCH, LINES, CHARS, BODY
    g = dict(kv.split("=") for kv in dump.splitlines()[0].split()[1:])
    LEFT, RIGHT, TOP, BOTTOM, PITCH, BODY = (float(g[k]) for k in
                                             ("left", "right", "top", "bottom", "pitch", "body"))
    LINES, CHARS = int(g["lines"]), int(g["chars"])


def chart_boxes(dump):
    """Chart rectangles per page (1-based), from the layout dump."""
    boxes, page = collections.defaultdict(list), 0
    for line in dump.splitlines():
        if line.startswith("page "):
            page = int(line.split()[1])
        elif line.strip().startswith("chart "):
            x0, y0, x1, y1 = map(float, line.split()[2:6])
            boxes[page].append(fitz.Rect(x0, y0, x1, y1))
    return boxes


FURNITURE = ("masthead", "doc_number", "subtitle", "signature", "colophon", "header", "toc",
             "page_number", "title", "recipients")


def furniture_lines(dump):
    """Baselines and extents of the lines the template adds (masthead,
    signature, contents …) per page: (y, x0, x1)."""
    out, page = collections.defaultdict(list), 0
    for line in dump.splitlines():
        f = line.split()
        if line.startswith("page "):
            page = int(f[1])
        elif len(f) > 4 and f[0] == "line" and f[1] in FURNITURE:
            kv = dict(x.split("=") for x in f[2:5])
            x, y, w = float(kv["x"]), float(kv["y"]), float(kv["w"])
            out[page].append((y, x - 1, x + w + 1))
    return out


def outside(rects, x, y):
    return not any(r.x0 - 1 <= x <= r.x1 + 1 and r.y0 - 1 <= y <= r.y1 + 1 for r in rects)


def page_text(page, rects, furniture=()):
    """The page's text without the charts and the template's own lines."""
    out = []
    for b in page.get_text("rawdict")["blocks"]:
        for l in b.get("lines", []):
            for s in l["spans"]:
                for c in s["chars"]:
                    x, y = c["origin"]
                    if outside(rects, x, y) and not any(
                            abs(y - fy) < 0.6 and x0 <= x <= x1 for fy, x0, x1 in furniture):
                        out.append(c["c"])
            out.append("\n")
    return "".join(out)


def han_word_breaks(pdf, charts):
    """Places where pdftotext's copy would put a space between two Han
    characters (its word boxes split a Han run), charts left out."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], capture_output=True,
                         text=True).stdout
    found = []
    for pno, page in enumerate(re.findall(r"<page .*?</page>", xml, flags=re.S), 1):
        for line in re.findall(r"<line .*?</line>", page, flags=re.S):
            words = [(float(x), float(y), w) for x, y, w in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', line)]
            words = [w for w in words if outside(charts[pno], w[0] + 1, w[1] + 1)]
            for (x1, y1, a), (x2, y2, b) in zip(words, words[1:]):
                if a and b and HAN.match(a[-1]) and HAN.match(b[0]):
                    found.append(f"p{pno}: {a[-4:]} {b[:4]}")
    return found


def lines_of(page, rects=()):
    """Text lines as (baseline, size, [(x0, x1, origin_x, ch)]), charts left out."""
    chars = []
    for b in page.get_text("rawdict")["blocks"]:
        for l in b.get("lines", []):
            for s in l["spans"]:
                for c in s["chars"]:
                    if c["c"].strip() and c["c"] != "\u2060" and outside(rects, *c["origin"]):
                        chars.append((round(c["origin"][1], 1), round(s["size"], 1),
                                      c["bbox"][0], c["bbox"][2], c["origin"][0], c["c"]))
    chars.sort()
    out = []
    for y, size, x0, x1, ox, ch in chars:
        if out and abs(out[-1][0] - y) < 0.8:
            out[-1][2].append((x0, x1, ox, ch))
        else:
            out.append([y, size, [(x0, x1, ox, ch)]])
    for l in out:
        l[2].sort()
    return out


UNIT = "%％‰元个家项人吨亩户台套件次所座条辆名位米倍岁天年月日斤份例只头株"


def unit_split(prev, line):
    """A number parted from its magnitude or unit (3309.8万|元, 39|个), 左|右,
    or a date (2月|1日), at a line break."""
    if re.search(r"[0-9]$", prev) and re.match(f"[万亿千百]?[{UNIT}]|[万亿]", line):
        return True
    if re.search(r"[0-9][万亿千百]$", prev) and re.match(f"[{UNIT}]", line):
        return True
    if re.search(r"[0-9%]左$", prev) and line.startswith("右"):
        return True
    return bool(re.search(r"[0-9]月$", prev) and re.match(r"[0-9]+日", line))


def wide_gaps(page, body, rects=()):
    """Gaps over ½ em between neighbours on a body line that the source does
    not put there (a space or U+3000 in the text is the source's own)."""
    found = []
    for b in page.get_text("rawdict")["blocks"]:
        for l in b.get("lines", []):
            cs = [(c["bbox"][0], c["bbox"][2], c["c"]) for s in l["spans"] if round(s["size"], 1) == body
                  for c in s["chars"] if c["c"] != "\u2060" and outside(rects, *c["origin"])]
            for a, b_ in zip(cs, cs[1:]):
                if a[2].strip() and b_[2].strip() and b_[0] - a[1] > 0.5 * body:
                    found.append(f"{(b_[0] - a[1]) / body:.2f} em {a[2]}|{b_[2]}")
    return found


def sparse_pages(doc):
    """Pages after the first holding three text lines or fewer (page numbers
    aside); a 版记 may stand alone on the last page (GB/T 9704 7.4.1)."""
    found = []
    for pi, page in enumerate(doc):
        texts = [t for t in (l[2] for l in lines_of(page))
                 if not re.fullmatch(r"[—\-–]*\d+[—\-–]*", "".join(c[3] for c in t))]
        joined = ["".join(c[3] for c in t) for t in texts]
        banji = pi == len(doc) - 1 and any("印发" in x for x in joined)
        if pi > 0 and 0 < len(texts) <= 3 and not banji:
            found.append(f"p{pi+1}: {' / '.join(x[:10] for x in joined)}")
    return found


def render(binary, md, out, extra, env=None):
    r = subprocess.run([binary, "render", md, "-o", out] + extra, capture_output=True, text=True,
                       env=env, timeout=120)
    check(r.returncode == 0, f"render exits 0 ({r.stderr.strip().splitlines()[-1:] if r.returncode else ''})")
    return r


def main():
    binary, md = sys.argv[1], sys.argv[2]
    extra = [a for a in sys.argv[3:] if a != "--short"]
    short = "--short" in sys.argv[3:]
    tmp = tempfile.mkdtemp()
    pdf = os.path.join(tmp, "a.pdf")
    render(binary, md, pdf, extra)
    render(binary, md, os.path.join(tmp, "b.pdf"), extra)
    check(open(pdf, "rb").read() == open(os.path.join(tmp, "b.pdf"), "rb").read(),
          "two runs give identical bytes")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1736726400")
    render(binary, md, os.path.join(tmp, "c.pdf"), extra, env)
    render(binary, md, os.path.join(tmp, "d.pdf"), extra, env)
    c = open(os.path.join(tmp, "c.pdf"), "rb").read()
    created = fitz.open(os.path.join(tmp, "c.pdf")).metadata.get("creationDate") or ""
    check(c == open(os.path.join(tmp, "d.pdf"), "rb").read() and created.startswith("D:20250113"),
          "SOURCE_DATE_EPOCH gives identical bytes and sets the creation date")

    q = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
    check(q.returncode == 0 and "No syntax or stream encoding errors" in q.stdout, "qpdf --check clean")
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True).stdout.splitlines()[2:]
    check(fonts and all(f.split()[-5] == "yes" for f in fonts), f"all {len(fonts)} fonts embedded")
    check(fonts and all(f.split()[-4] == "yes" for f in fonts), "all fonts subset")

    doc = fitz.open(pdf)
    meta = doc.metadata
    check(bool(meta.get("title")) and bool(meta.get("author")), "title and author metadata")
    dump = layout_dump(binary, md, extra)
    grid_of(dump)
    charts = chart_boxes(dump)
    # pages whose grid is interrupted on purpose: cover, contents, masthead, charts
    # (and pages whose lines are set closer to take the text's tail, GB/T 9704 7.3.5)
    special = {int(l.split()[1]) for l in dump.splitlines()
               if l.startswith("page ") and ("plain" in l or "fitted" in l)}
    page = 0
    for l in dump.splitlines():
        if l.startswith("page "):
            page = int(l.split()[1])
        elif l.strip().startswith(("line masthead", "line toc", "line title", "line h1", "rule")):
            special.add(page)
    furniture = furniture_lines(dump)
    text = "".join(page_text(p, charts[i + 1], furniture[i + 1]) for i, p in enumerate(doc))
    plain = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    check(all(han(subprocess.run(["pdftotext", "-f", str(i + 1), "-l", str(i + 1), pdf, "-"],
                                 capture_output=True, text=True).stdout)
              for i in range(min(3, len(doc)))), "pdftotext extracts the text")
    check(han(text) == han(source_text(md)), "Han text equals the source, in order")
    gaps = re.compile("[\u4e00-\u9fff][ \u2005\u3000]+[\u4e00-\u9fff]")
    split = han_word_breaks(pdf, charts)
    check(len(split) <= len(gaps.findall(source_text(md))),
          f"copied text has no spaces between Han characters beyond the source's {split[:3]}")
    check(not re.search("[\uf900-\ufaff]", plain), "no compatibility ideographs")

    source = re.sub(r"\A---\n.*?\n---\n", "", open(md, encoding="utf-8").read(), flags=re.S)
    headings = len(re.findall(r"^#{1,6}\s", source, flags=re.M))
    toc = doc.get_toc()
    check(len(toc) == headings, f"one outline entry per heading ({len(toc)} of {headings})")

    pages = [lines_of(p, charts[i + 1]) for i, p in enumerate(doc)]
    sizes = collections.Counter(l[1] for ls in pages for l in ls)
    body = BODY
    start_v, end_v, edge_v, lone, char_counts, full_pages, pitch_v = [], [], [], [], [], 0, []
    splits, wide = [], []
    loose = []
    for pi, ls in enumerate(pages):
        bl = [l for l in ls if l[1] == body and l[0] < 760]
        for i, (y, size, cs) in enumerate(bl):
            nxt = bl[i + 1] if i + 1 < len(bl) else (
                [l for l in pages[pi + 1] if l[1] == body][0] if pi + 1 < len(pages) and
                [l for l in pages[pi + 1] if l[1] == body] else None)
            text_ = "".join(c[3] for c in cs)
            continues = nxt is not None and abs(nxt[2][0][0] - LEFT) < 1 and abs(cs[0][0] - LEFT) < 40
            if continues:
                if nxt[2][0][3] in NO_START:
                    start_v.append(f"p{pi+1}: {''.join(c[3] for c in nxt[2])[:10]}")
                if cs[-1][3] in NO_END:
                    end_v.append(f"p{pi+1}: {text_[-10:]}")
                following = "".join(c[3] for c in nxt[2])
                if unit_split(text_, following):
                    splits.append(f"p{pi+1}: {text_[-6:]}|{following[:4]}")
                last = cs[-1]
                right = last[2] + 0.5 * size if last[3] in HALF_AT_END else last[1]
                if abs(right - RIGHT) > 0.5:
                    edge_v.append(f"p{pi+1} y={y}: ends at {right:.2f}: {text_[-8:]}")
                if abs(cs[0][0] - LEFT) < 1 and not re.search(r"[0-9A-Za-z]", text_) and not any(
                        a[3] in HALF_AT_END and b[3] in HALF_AT_END for a, b in zip(cs, cs[1:])):
                    # a full line starts at the left edge (first lines are indented)
                    char_counts.append(len(cs))
            elif (i > 0 and abs(cs[0][0] - LEFT) < 1 and len(han(text_)) <= 1 and len(text_) <= 3
                  and abs(bl[i - 1][2][-1][1] - RIGHT) < 9):
                lone.append(f"p{pi+1}: {text_}")
        wide.extend(f"p{pi+1}: {g}" for g in wide_gaps(doc[pi], body, charts[pi + 1]))
        pairs = [(cs, k) for y, size, cs in bl for k in range(len(cs) - 2)
                 if cs[k][3] in PAIR_PUNCT and cs[k + 1][3] in PAIR_PUNCT]
        loose.extend(f"p{pi+1}: {cs[k][3]}{cs[k+1][3]}" for cs, k in pairs
                     if cs[k + 2][0] - cs[k][0] > 1.75 * body)
        mixed = any(l[1] != body and l[0] < BOTTOM and l[0] > TOP for l in ls)
        if (not charts[pi + 1] and pi + 1 not in special and not mixed and len(bl) >= 2
                and abs(bl[-1][0] - (TOP + (LINES - 1) * PITCH + PITCH / 2 + 0.38 * body)) < 1):
            full_pages += 1
            if len(bl) != LINES:
                pitch_v.append(f"p{pi+1}: {len(bl)} lines")
            for a, b in zip(bl, bl[1:]):
                if abs(b[0] - a[0] - PITCH) > 0.1:
                    pitch_v.append(f"p{pi+1}: pitch {b[0]-a[0]:.2f} at y={a[0]}")
    check(not start_v, f"no line starts with a forbidden mark {start_v[:3]}")
    check(not end_v, f"no line ends with an opening mark {end_v[:3]}")
    check(not edge_v, f"every non-final line reaches the right edge ±0.5 pt {edge_v[:3]}")
    check(not lone, f"no lone Han character on a paragraph's last line {lone[:3]}")
    check(not loose, f"adjacent punctuation takes at most 1.5 em {loose[:3]}")
    check(not splits, f"no number parted from its unit or magnitude ({len(splits)}) {splits[:3]}")
    check(not wide, f"no gap over ½ em between characters ({len(wide)}) {wide[:3]}")
    sparse = sparse_pages(doc)
    check(not sparse, f"no page holds three lines or fewer {sparse[:3]}")
    check((full_pages > 0 or not CHARS or short) and not pitch_v,
          f"full pages: {LINES} lines on a {PITCH:.2f} pt pitch ({full_pages} pages) {pitch_v[:3]}")
    mode = collections.Counter(char_counts).most_common(1)[0][0] if char_counts else 0
    if CHARS:
        check(mode == CHARS, f"full lines hold {CHARS} characters (mode {mode})")

    overlaps, chart_text = [], 0
    for i, p in enumerate(doc):
        for rect in charts[i + 1]:
            # em boxes: baseline - 0.88 em .. + 0.12 em (font bboxes add leading)
            spans = [(fitz.Rect(sp["bbox"][0], sp["origin"][1] - 0.88 * sp["size"],
                                sp["bbox"][2], sp["origin"][1] + 0.12 * sp["size"]),
                      "".join(c["c"] for c in sp["chars"]))
                     for b in p.get_text("rawdict", clip=rect)["blocks"] for l in b.get("lines", [])
                     for sp in l["spans"] if "".join(c["c"] for c in sp["chars"]).strip()]
            chart_text += len(spans)
            for k, (ra, ta) in enumerate(spans):
                for rb, tb in spans[k + 1:]:
                    inter = ra & rb
                    if inter.width > 1 and inter.height > 1:
                        overlaps.append(f"p{i+1}: {ta[:8]} / {tb[:8]}")
    if any(charts.values()):
        check(chart_text > 0, f"chart text is real text ({chart_text} spans)")
        check(not overlaps, f"no chart label overlaps another {overlaps[:3]}")

    stranded = []
    for level, title, pno in toc:
        ls = pages[pno - 1]
        hit = [l for l in ls if han("".join(c[3] for c in l[2])).startswith(han(title)[:6])]
        if hit and not any(l[0] > hit[0][0] + 1 and l[0] < 760 for l in ls):
            stranded.append(title)
    check(not stranded, f"no heading is the last line of a page {stranded[:3]}")

    print(f"{len(passes)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
