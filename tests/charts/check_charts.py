"""Charts with awkward data, in every template, measured.

awkward.md holds charts of negatives, one huge value among small ones, one
point, 30 points, zeros, shares summing to 99.9, 10 slices and long labels;
baddata.md holds data a chart cannot show faithfully. For each template:

PDF (PyMuPDF): no two text boxes overlap (glyph boxes from the baseline and
size), no chart text below the caption size - 2 pt, every chart title present.
HTML (headless Chromium at 320, 390, 820, 1280 px): the page never scrolls
sideways, every chart lies inside its column, its text boxes do not overlap,
and positive-only bar and column charts have no negative axis step.
baddata.md: one warning with the chart's line for each bad-data case.

usage: check_charts.py BRIEFING DIR [--no-browser]
"""
import json
import pathlib
import re
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "html"))
import cdp  # noqa: E402

TEMPLATES = ["gongwen", "briefing", "report"]
WIDTHS = [320, 390, 820, 1280]
POSITIVE_FROM_ZERO = ["全为正数的柱形图", "全为正数的条形图", "一个巨大值与若干小值", "三十个点的柱形图"]

failures = []


def expect(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)
    return ok


def caption_size(template):
    text = (HERE.parent.parent / "templates" / f"{template}.yaml").read_text(encoding="utf-8")
    m = re.search(r"^\s*caption:\s*\{[^}]*size:\s*([\d.]+)pt", text, re.M)
    return float(m.group(1))


def chart_titles(md):
    return re.findall(r"^```chart\n(?:.*\n)*?title: (.*)\n", md.read_text(encoding="utf-8"), re.M)


def overlapping(boxes):
    """Pairs of boxes (x0, y0, x1, y1, text) that overlap by more than 0.3 pt."""
    out = []
    boxes = sorted(boxes, key=lambda b: b[1])
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if b[1] >= a[3] - 0.3:
                break
            if a[0] < b[2] - 0.3 and b[0] < a[2] - 0.3 and a[1] < b[3] - 0.3 and b[1] < a[3] - 0.3:
                out.append((a[4], b[4]))
    return out


def run(binary, md, template, out, fmt):
    return subprocess.run([binary, "render", str(md), "-t", template, "--format", fmt, "-o", str(out)],
                          capture_output=True, text=True, timeout=120)


def chart_boxes(binary, md, template):
    """{page: [(x0, y0, x1, y1)]} of the charts, from the layout dump."""
    r = subprocess.run([binary, "render", str(md), "-t", template, "--format", "layout", "-o", "-"],
                       capture_output=True, text=True, timeout=120)
    boxes, page = {}, 0
    for line in r.stdout.split("\n"):
        if line.startswith("page "):
            page = int(line.split()[1])
        m = re.match(r"\s+chart \w+ ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) ", line)
        if m:
            boxes.setdefault(page, []).append(tuple(float(v) for v in m.groups()))
    return boxes


def inside(box, x, y):
    return box[0] - 1 <= x <= box[2] + 1 and box[1] - 1 <= y <= box[3] + 1


def check_pdf(binary, md, template, outdir):
    import fitz
    out = outdir / f"{md.stem}-{template}.pdf"
    r = run(binary, md, template, out, "pdf")
    if not expect(r.returncode == 0, f"{template}: {md.name} renders to PDF"):
        print(r.stderr)
        return
    charts = chart_boxes(binary, md, template)
    expect(sum(len(v) for v in charts.values()) >= len(chart_titles(md)),
           f"{template}: the layout places every chart")
    least = caption_size(template) - 2
    text, small, clashes = "", [], []
    with fitz.open(str(out)) as pdf:
        for page in pdf:
            boxes = []
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        t = span["text"].strip()
                        if not t:
                            continue
                        text += span["text"]
                        x0, _, x1, _ = span["bbox"]
                        base, size = span["origin"][1], span["size"]
                        boxes.append((x0, base - 0.85 * size, x1, base + 0.12 * size, t))
                        in_chart = any(inside(b, x0, base) for b in charts.get(page.number + 1, []))
                        if in_chart and size < least - 0.05:
                            small.append((t, round(size, 2)))
                text += "\n"
            clashes += [(page.number + 1, a, b) for a, b in overlapping(boxes)]
    for title in chart_titles(md):
        expect(title in text.replace("\n", ""), f"{template}: PDF chart '{title}' is there")
    expect(not clashes, f"{template}: no overlapping text boxes in the PDF {clashes[:5]}")
    expect(not small, f"{template}: no PDF text below {least} pt {small[:5]}")


GEOMETRY = r"""(() => {
  const out = {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, charts: []};
  const body = [...document.querySelectorAll('.page p')].find(p => p.textContent.startsWith('全年'));
  out.body = body ? parseFloat(getComputedStyle(body).fontSize) : 0;
  const page = document.querySelector('.page');
  out.page = page.getBoundingClientRect().width;
  out.pageMax = parseFloat(getComputedStyle(page).maxWidth) || 1e9;
  for (const fig of document.querySelectorAll('figure.chart')) {
    const svgs = [...fig.querySelectorAll('svg')].filter(s => s.getBoundingClientRect().width > 0);
    for (const svg of svgs) {
      const col = fig.parentElement.getBoundingClientRect();
      const r = svg.getBoundingClientRect();
      const ctm = svg.getScreenCTM();
      const texts = [];
      for (const t of svg.querySelectorAll('text')) {
        const b = t.getBoundingClientRect();
        const size = parseFloat(t.getAttribute('font-size')) * ctm.a;
        const p = svg.createSVGPoint();
        p.x = parseFloat(t.getAttribute('x')); p.y = parseFloat(t.getAttribute('y'));
        const base = p.matrixTransform(ctm).y;
        texts.push([b.left, base - 0.85 * size, b.right, base + 0.12 * size, t.textContent, size]);
      }
      const title = svg.querySelector('title');
      out.charts.push({title: title ? title.textContent : '', left: r.left, right: r.right,
                       colLeft: col.left, colRight: col.right, texts});
    }
  }
  return JSON.stringify(out);
})()"""


def check_html(browser, binary, md, template, outdir):
    out = (outdir / f"{md.stem}-{template}.html").resolve()
    r = run(binary, md, template, out, "html")
    if not expect(r.returncode == 0, f"{template}: {md.name} renders to HTML"):
        print(r.stderr)
        return
    for width in WIDTHS:
        browser.viewport(width, 800, width < 800)
        browser.load(out.as_uri())
        g = json.loads(browser.evaluate(GEOMETRY))
        expect(g["scroll"] <= g["inner"], f"{template} {width}px: no sideways scrolling "
               f"(content {g['scroll']} px in {g['inner']} px)")
        if width < 600:
            expect(g["body"] >= 15.99, f"{template} {width}px: body text {g['body']} px, at least 16")
        if width <= 1000:  # no sidebar beside the text on phones and tablets
            expect(g["page"] >= min(g["pageMax"], width) - 1,
                   f"{template} {width}px: the text column is not squeezed ({g['page']:.0f} px)")
        clipped = [c["title"] for c in g["charts"]
                   if c["left"] < c["colLeft"] - 1 or c["right"] > c["colRight"] + 1 or c["right"] > width]
        expect(not clipped, f"{template} {width}px: every chart inside its column {clipped}")
        clashes = [(c["title"], a, b) for c in g["charts"]
                   for a, b in overlapping([tuple(t[:5]) for t in c["texts"]])]
        expect(not clashes, f"{template} {width}px: no overlapping chart text {clashes[:4]}")
        tiny = [(c["title"], t[4], round(t[5], 1)) for c in g["charts"] for t in c["texts"] if t[5] < 9]
        expect(not tiny, f"{template} {width}px: chart text at least 9 px {tiny[:4]}")
        below = [c["title"] for c in g["charts"] if c["title"] in POSITIVE_FROM_ZERO
                 and any(re.fullmatch(r"[-−][\d,.]+", t[4]) for t in c["texts"])]
        expect(not below, f"{template} {width}px: positive bars and columns start at zero {below}")
        seen = {c["title"] for c in g["charts"]}
        expect(all(t in seen for t in chart_titles(md)), f"{template} {width}px: every chart shown")


BAD_DATA = [
    ("负数扇区", r"slice '乙' is negative"),
    ("全为零的饼图", r"every slice is zero"),
    ("目标为零", r"target of 0"),
    ("值多于系列名", r"2 values but 1 series name"),
    ("份额合计不到一百", r"shares add up to 50%"),
]


def check_bad_data(binary, outdir):
    md = HERE / "baddata.md"
    lines = md.read_text(encoding="utf-8").split("\n")
    r = run(binary, md, "briefing", outdir / "baddata.pdf", "pdf")
    expect(r.returncode == 0, "bad data: warnings, not errors (the chart is still drawn)")
    for title, pattern in BAD_DATA:
        fence = next(i for i, l in enumerate(lines) if l == f"title: {title}") - 1
        end = next(i for i in range(fence + 1, len(lines)) if lines[i] == "```")
        hits = [m for m in re.finditer(r"^.*baddata\.md:(\d+):\d+: warning: (.*)$", r.stderr, re.M)
                if fence + 1 <= int(m.group(1)) <= end + 1 and re.search(pattern, m.group(2))]
        expect(len(hits) == 1, f"bad data: '{title}' gives one warning /{pattern}/ on its chart's lines")


def main():
    binary, outdir = sys.argv[1], pathlib.Path(sys.argv[2])
    outdir.mkdir(parents=True, exist_ok=True)
    if "/" in binary:
        binary = str(pathlib.Path(binary).resolve())
    md = HERE / "awkward.md"
    for template in TEMPLATES:
        check_pdf(binary, md, template, outdir)
    check_bad_data(binary, outdir)
    chromium = cdp.find_chromium()
    if chromium and "--no-browser" not in sys.argv:
        with cdp.Browser(chromium) as browser:
            browser.open_page()
            for template in TEMPLATES:
                check_html(browser, binary, md, template, outdir)
    else:
        print("note: no chromium, the HTML checks were not run")
    print(f"{len(failures)} checks failed" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
