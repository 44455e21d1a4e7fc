#!/usr/bin/python3
"""A PDF drawn from the cut faces is the PDF drawn from the full ones.

usage: cut_fonts.py BRIEFING REPORT.md TEMPLATE

Renders REPORT.md in TEMPLATE twice, with the faces cut down to the
document (the default) and with BRIEFING_FULL_FONTS=1, and checks: the same
pages, every page raster-identical within anti-aliasing (pdftoppm, gray,
72 dpi), the same extracted text, and fonts embedded once a face, each a
face the full render also embeds (nothing drawn from a full face beside its
copy, no face the layout did not use). Needs poppler-utils.
"""
import os, re, subprocess, sys, tempfile

# a pixel differs when its gray level moves by more than this; a page may
# have this share of such pixels (anti-aliasing of identical outlines
# placed identically moves none: the margin is for poppler's rounding)
LEVEL, SHARE = 48, 0.0005

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def render(binary, src, tmpl, out, full):
    env = dict(os.environ, SOURCE_DATE_EPOCH="0")
    env.pop("BRIEFING_FULL_FONTS", None)
    if full:
        env["BRIEFING_FULL_FONTS"] = "1"
    subprocess.run([binary, "render", "-q", src, "-t", tmpl, "-o", out], env=env, check=True)


def pgm(path):
    """(width, height, bytes) of a binary PGM."""
    data = open(path, "rb").read()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():m.end() + w * h]


def pages(pdf, prefix):
    subprocess.run(["pdftoppm", "-r", "72", "-gray", pdf, prefix], check=True)
    d = os.path.dirname(prefix)
    base = os.path.basename(prefix)
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.startswith(base + "-"))


def fonts(pdf):
    """Embedded font names without their subset tags, one per font object."""
    out = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
    names = []
    for line in out.splitlines()[2:]:
        cols = line.split()
        # name, type and encoding, then emb sub uni, object number, generation
        names.append((cols[0].split("+", 1)[-1], " ".join(cols[1:-5]), cols[-3]))
    return names


def main():
    binary, src, tmpl = sys.argv[1:4]
    tmp = tempfile.mkdtemp(prefix="cut-fonts-")
    cut, full = os.path.join(tmp, "cut.pdf"), os.path.join(tmp, "full.pdf")
    render(binary, src, tmpl, cut, False)
    render(binary, src, tmpl, full, True)
    a, b = pages(cut, os.path.join(tmp, "c")), pages(full, os.path.join(tmp, "f"))
    check(len(a) == len(b) and a, f"{tmpl}: {len(a)} pages cut, {len(b)} full")
    worst = (0.0, 0)
    for i, (pa, pb) in enumerate(zip(a, b)):
        wa, ha, da = pgm(pa)
        wb, hb, db = pgm(pb)
        if (wa, ha) != (wb, hb):
            check(False, f"{tmpl}: page {i + 1} sizes differ")
            continue
        moved = sum(1 for x, y in zip(da, db) if abs(x - y) > LEVEL)
        worst = max(worst, (moved / len(da), i + 1))
    check(worst[0] <= SHARE, f"{tmpl}: every page raster-identical (worst: page {worst[1]}, "
                             f"{worst[0] * 100:.3f}% of pixels moved)")
    ta = subprocess.run(["pdftotext", cut, "-"], capture_output=True, text=True, check=True).stdout
    tb = subprocess.run(["pdftotext", full, "-"], capture_output=True, text=True, check=True).stdout
    check(ta == tb and ta.strip(), f"{tmpl}: the same extracted text")
    fa, fb = fonts(cut), fonts(full)
    check(len(fa) == len(set(fa)), f"{tmpl}: each face embedded once: {sorted(fa)}")
    check(set(fa) <= set(fb), f"{tmpl}: only faces the full render uses: {sorted(set(fa) - set(fb))} extra")
    check(all(f[2] == "yes" for f in fa), f"{tmpl}: every font has a ToUnicode map")
    if failures:
        print(f"{len(failures)} failed")
        sys.exit(1)


main()
