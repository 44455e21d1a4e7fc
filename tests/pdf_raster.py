#!/usr/bin/python3
"""The PDF's pages are the page images drawn from the layout.

usage: pdf_raster.py BRIEFING REPORT.md TEMPLATE

Renders REPORT.md in TEMPLATE to PDF (our writer: content streams, cut CID
fonts) and to page images (cairo straight from the layout, Pango's own
drawing from the full faces), and checks: the same page count, every page
raster-identical within anti-aliasing, and fonts embedded once a face, each
embedded, subset and with a ToUnicode map. Needs poppler-utils and
python3-fitz (to read the PNG files).

The PDF is rasterized with pdftocairo, not pdftoppm: it draws with cairo
and FreeType as our page images do, so identical outlines placed
identically give identical pixels (pdftoppm's Splash rasterizer differs in
anti-aliasing on every glyph edge: 6-30 % of a page's pixels by 16 levels
and more, against under 0.1 % with pdftocairo).

Both are drawn at 144 dpi. Cairo puts every glyph at a whole pixel, so a
glyph whose position in the PDF (three decimals) and in Pango sit either
side of a pixel's middle lands a pixel apart in the two images. At 72 dpi a
pixel is a point, and such a glyph cannot be told from one moved by 1 pt;
at 144 dpi the rounding moves a glyph by one pixel (half a point) and a
glyph moved by a point moves by two. So a pixel counts as moved when its
gray level differs by more than LEVEL from the other image's pixel there
and from every pixel around it (a 3 x 3 neighbourhood) in either
direction; a page may have SHARE of such pixels.
"""
import os, subprocess, sys, tempfile

import fitz

DPI = 144
# measured on the example in the three templates, pages of 1191 x 1684
# pixels: no moved pixel on any page at level 32 (at 24, 4 on a page of the
# briefing template: the corners of the indicator tiles, arcs that the PDF
# gives as Bézier curves); the plants that fail (in pdftext.c, one at a
# time): one glyph in the document moved by 1 pt, one glyph's code off by
# one (at the least a chart label's 8 drawn as 9: 16 pixels), every glyph
# moved by 1 pt, one font's codes off by one; so a page may have 4. (One
# glyph moved by half a point passes: that is a pixel's rounding here.)
LEVEL, SHARE = 32, 0.000002

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def render(binary, src, tmpl, out, *extra):
    env = dict(os.environ, SOURCE_DATE_EPOCH="0")
    subprocess.run([binary, "render", "-q", src, "-t", tmpl, "-o", out, *extra], env=env,
                   check=True)


def numbered(folder, prefix):
    """The files prefix-N.png in page order."""
    names = [f for f in os.listdir(folder) if f.startswith(prefix + "-") and f.endswith(".png")]
    names.sort(key=lambda f: int(f[len(prefix) + 1:-4]))
    return [os.path.join(folder, f) for f in names]


def gray(path):
    """(width, height, samples) of a PNG, one byte a pixel."""
    pix = fitz.Pixmap(path)
    if pix.n != 1 or pix.alpha:
        pix = fitz.Pixmap(fitz.csGRAY, pix)
    return pix.width, pix.height, pix.samples


def close_by(data, w, h, x, y, v):
    """Does a pixel in the 3 x 3 neighbourhood of (x, y) have level v within LEVEL?"""
    for yy in range(max(0, y - 1), min(h, y + 2)):
        for xx in range(max(0, x - 1), min(w, x + 2)):
            if abs(data[yy * w + xx] - v) <= LEVEL:
                return True
    return False


def moved(a, b):
    """Pixels of two same-sized images that differ beyond a pixel's shift."""
    w, h, da = a
    db = b[2]
    n = 0
    for y in range(h):
        row = y * w
        if da[row:row + w] == db[row:row + w]:
            continue
        for x in range(w):
            p, q = da[row + x], db[row + x]
            if abs(p - q) > LEVEL and not (close_by(db, w, h, x, y, p) and
                                           close_by(da, w, h, x, y, q)):
                n += 1
    return n


def fonts(pdf):
    """(name without subset tag, emb, sub, uni) of each font object."""
    out = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
    return [(c[0].split("+", 1)[-1], c[-5], c[-4], c[-3])
            for c in (line.split() for line in out.splitlines()[2:])]


def main():
    binary, src, tmpl = sys.argv[1:4]
    tmp = tempfile.mkdtemp(prefix="pdf-raster-")
    pdf = os.path.join(tmp, "r.pdf")
    render(binary, src, tmpl, pdf)
    render(binary, src, tmpl, os.path.join(tmp, "img.png"), "--dpi", str(DPI))
    subprocess.run(["pdftocairo", "-png", "-gray", "-r", str(DPI), pdf, os.path.join(tmp, "pdf")],
                   check=True)
    a, b = numbered(tmp, "img"), numbered(tmp, "pdf")
    check(len(a) == len(b) and a, f"{tmpl}: {len(a)} page images, {len(b)} PDF pages")
    worst = (0.0, 0, 1)
    for i, (pa, pb) in enumerate(zip(a, b)):
        ia, ib = gray(pa), gray(pb)
        if ia[:2] != ib[:2]:
            check(False, f"{tmpl}: page {i + 1} sizes differ: {ia[:2]} {ib[:2]}")
            continue
        n = moved(ia, ib)
        if n / (ia[0] * ia[1]) > worst[0]:
            worst = (n / (ia[0] * ia[1]), n, i + 1)
    check(worst[0] <= SHARE, f"{tmpl}: every page raster-identical (worst: page {worst[2]}, "
                             f"{worst[1]} pixels moved, {worst[0] * 100:.4f}%)")
    fa = fonts(pdf)
    names = [f[0] for f in fa]
    check(fa and len(names) == len(set(names)), f"{tmpl}: each face embedded once: {sorted(names)}")
    check(all(f[1:] == ("yes", "yes", "yes") for f in fa),
          f"{tmpl}: every font embedded, subset, with a ToUnicode map")
    if failures:
        print(f"{len(failures)} failed")
        sys.exit(1)


main()
