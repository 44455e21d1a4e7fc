#!/usr/bin/env python3
"""Charts with negative, mixed-sign and all-negative data (and positive ones
as the control), measured in the SVG of the HTML preview, which draws the
same geometry as the PDF (chart.h): every mark inside the chart; the bars
of a chart share one zero line, positive values on one side of it and
negative ones on the other, lengths in proportion to the values; the axis
ticks are where the bar scale puts them and span every value (and zero, for
bars); line points sit at their values on that scale.

usage: charts.py BRIEFING
"""
import os, re, subprocess, sys, tempfile

CASES = [
    # (type, title, series, rows): rows are [label, value per series]
    ("column", "柱混合", None, [["甲", 5.2], ["乙", -3.2], ["丙", 1.5], ["丁", -0.4]]),
    ("column", "柱全负", None, [["甲", -5.2], ["乙", -3.2], ["丙", -0.5]]),
    ("column", "柱全正", None, [["甲", 5.2], ["乙", 3.2], ["丙", 0]]),
    ("column", "柱大负值", None, [["甲", -1250], ["乙", 380], ["丙", -42]]),
    ("column", "柱两系列", ["2024", "2025目标"], [["甲", 5.2, -1], ["乙", -3.2, 2], ["丙", -1.5, -2.5]]),
    # names too long for a slot: each on up to four lines, none left out
    ("column", "柱长名称", None, [["地区生产总值增速", 5], ["一般公共预算收入增速", 5.1],
                               ["社会消费品零售总额增速", 5], ["规上工业增加值增速", 4.4],
                               ["战略性新兴产业增加值增速", 6.2], ["规上服务业营业收入增速", 4.1]]),
    ("bar", "条混合", None, [["甲", 5.2], ["乙", -3.2], ["丙", 1.5]]),
    ("bar", "条全负", None, [["甲", -5.2], ["乙", -3.2], ["丙", -1.5]]),
    ("bar", "条两系列", ["2024", "2025目标"], [["甲", -5.2, 1], ["乙", 3.2, -2]]),
    ("line", "线混合", None, [["一月", 5.2], ["二月", -3.2], ["三月", 1.5], ["四月", -0.4]]),
    ("line", "线全负", None, [["一月", -5.2], ["二月", -3.2], ["三月", -7.5]]),
]

NUM = r"-?\d+(?:\.\d+)?"
ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def elements(svg):
    out = []
    for m in re.finditer(r"<(rect|line|circle|polyline|text)\b([^>]*)>(?:([^<]*)</text>)?", svg):
        a = dict(ATTR.findall(m.group(2)))
        a["tag"], a["body"] = m.group(1), m.group(3) or ""
        out.append(a)
    return out


def number(text):
    t = text.replace("\u2212", "-").replace(",", "").rstrip("%")
    return float(t) if re.fullmatch(NUM, t) else None


class Check:
    def __init__(self):
        self.failed = []
        self.passed = 0

    def __call__(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed.append(what)
        return ok


def check_chart(check, kind, title, series, rows, svg):
    vb = [float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]
    w, h = vb[2], vb[3]
    els = elements(svg)
    name = f"{kind} {title}"
    nser = len(series) if series else 1
    values = [r[1 + s] for r in rows for s in range(nser)]  # row by row, series within a row
    eps = 0.6

    def inside(x, y):
        return -eps <= x <= w + eps and -eps <= y <= h + eps

    for e in els:
        if e["tag"] == "rect":
            x, y, rw, rh = (float(e[k]) for k in ("x", "y", "width", "height"))
            check(inside(x, y) and inside(x + rw, y + rh), f"{name}: rect {x:.1f},{y:.1f} {rw:.1f}×{rh:.1f} "
                  f"outside the chart {w:.1f}×{h:.1f}")
        elif e["tag"] == "line":
            check(inside(float(e["x1"]), float(e["y1"])) and inside(float(e["x2"]), float(e["y2"])),
                  f"{name}: a line outside the chart")
        elif e["tag"] == "circle":
            check(inside(float(e["cx"]), float(e["cy"])), f"{name}: a point outside the chart")
        elif e["tag"] == "text":
            check(inside(float(e["x"]), float(e["y"])), f"{name}: text {e['body']!r} outside the chart")

    # value-axis ticks: numeric labels anchored at the end, left of the plot,
    # each beside its grid line
    grid = [e for e in els if e["tag"] == "line" and abs(float(e["y1"]) - float(e["y2"])) < 0.01]
    ticks = []
    for e in els:
        if e["tag"] == "text" and e.get("text-anchor") == "end" and number(e["body"]) is not None and grid:
            y = float(e["y"])
            g = min(grid, key=lambda l: abs(float(l["y1"]) - y))
            if abs(float(g["y1"]) - y) < 6:
                ticks.append((number(e["body"]), float(g["y1"])))

    if kind in ("column", "bar"):
        bars = [e for e in els if e["tag"] == "rect" and not
                (abs(float(e["width"]) - float(e["height"])) < 0.01 and float(e["width"]) < 12)]
        if not check(len(bars) == len(values), f"{name}: {len(bars)} bars for {len(values)} values"):
            return
        key = (lambda e: float(e["x"])) if kind == "column" else (lambda e: float(e["y"]))
        bars.sort(key=key)
        zeros, scales = [], []
        for v, b in zip(values, bars):
            x, y, bw, bh = (float(b[k]) for k in ("x", "y", "width", "height"))
            if kind == "column":  # values grow upwards
                length, zero = bh, (y + bh if v > 0 else y)
            else:                 # values grow rightwards
                length, zero = bw, (x if v > 0 else x + bw)
            if v == 0:
                check(length < 0.5, f"{name}: a bar of length {length:.1f} for 0")
                continue
            zeros.append(zero)
            scales.append(length / abs(v))
        check(max(zeros) - min(zeros) < 0.1,
              f"{name}: the bars do not share a zero line (their base edges: "
              f"{', '.join(f'{z:.1f}' for z in zeros)}); positive and negative values must go to "
              f"opposite sides of it")
        check(max(scales) - min(scales) < 0.01 * max(scales),
              f"{name}: bar lengths are not in proportion to the values "
              f"({', '.join(f'{s:.2f}' for s in scales)} pt per unit)")
        zero, scale = zeros[0], sum(scales) / len(scales)
    elif kind == "line":
        pts = sorted((float(e["cx"]), float(e["cy"])) for e in els if e["tag"] == "circle")
        if not check(len(pts) == len(values), f"{name}: {len(pts)} points for {len(values)} values"):
            return
        if not check(len(ticks) >= 2, f"{name}: a line chart without a value axis"):
            return
        (t0, y0), (t1, y1) = ticks[0], ticks[-1]
        scale = (y0 - y1) / (t1 - t0)
        zero = y0 + t0 * scale
        for v, (_, y) in zip(values, pts):
            check(abs(y - (zero - v * scale)) < 0.5,
                  f"{name}: the point for {v} is at y={y:.1f}, the axis puts it at {zero - v * scale:.1f}")

    if kind in ("column", "line"):
        # a category label broken into lines: its lines follow each other
        texts = "".join(e["body"] for e in els if e["tag"] == "text")
        for r in rows:
            check(r[0] in texts, f"{name}: the category label {r[0]!r} is not drawn whole")
        if not check(len(ticks) >= 2, f"{name}: no value axis ticks"):
            return
        for t, y in ticks:
            check(abs(y - (zero - t * scale)) < 0.5,
                  f"{name}: tick {t:g} at y={y:.1f}, the bars put it at {zero - t * scale:.1f}")
        tv = [t for t, _ in ticks]
        # bars start at zero; a line chart may cut its axis to its values
        lo, hi = (min(values), max(values)) if kind == "line" else (min(values + [0]), max(values + [0]))
        check(min(tv) <= lo + 1e-9 and max(tv) >= hi - 1e-9,
              f"{name}: the ticks {tv} do not span [{lo:g}, {hi:g}]")
    elif kind == "bar":
        labels = [float(e["x"]) for e in els if e["tag"] == "text" and e.get("text-anchor") == "end"
                  and e["body"] in [r[0] for r in rows]]
        left = min(float(b["x"]) for b in bars)
        check(all(x <= left + 0.1 for x in labels),
              f"{name}: a bar reaches left of its category label (bars from x={left:.1f})")


def main():
    binary = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="briefing-charts-")
    blocks = []
    for kind, title, series, rows in CASES:
        data = ", ".join("[" + ", ".join(str(v) for v in r) + "]" for r in rows)
        blocks.append(f"```chart\ntype: {kind}\ntitle: {title}\nunit: \"%\"\n"
                      + (f"series: [{', '.join(series)}]\n" if series else "") + f"data: [{data}]\n```\n")
    md = os.path.join(tmp, "c.md")
    with open(md, "w", encoding="utf-8") as f:
        f.write("---\ntitle: 图表测试\n---\n\n# 图表\n\n" + "\n".join(blocks))
    check = Check()
    for out in ("c.html", "c.pdf"):
        r = subprocess.run([binary, "render", md, "-o", os.path.join(tmp, out)],
                           capture_output=True, text=True, timeout=120)
        check(r.returncode == 0, f"render {out} exits {r.returncode}: {r.stderr[-800:]}")
    page = open(os.path.join(tmp, "c.html"), encoding="utf-8").read()
    svgs = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)
    by_title = {re.search(r"<title>(.*?)</title>", s).group(1): s for s in svgs if "<title>" in s}
    for kind, title, series, rows in CASES:
        if check(title in by_title, f"{kind} {title}: no chart in the HTML"):
            check_chart(check, kind, title, series, rows, by_title[title])
    for f in check.failed:
        print("FAIL " + f)
    print(f"{check.passed} passed, {len(check.failed)} failed")
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
