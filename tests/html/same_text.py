#!/usr/bin/env python3
"""Same content as the PDF: renders a report to PDF and to HTML and compares
the Han characters of both, block by block, in order.

The HTML's blocks inside <main> (masthead, title, recipients, headings,
paragraphs, list items, table cells, footnotes, signature, 版记; tags
stripped) must follow one another through the PDF's text (pdftotext),
each one contiguous, so that every heading, paragraph, indicator and chart
of the PDF is in the HTML in the same order. A chart is compared by the
characters of its SVG <text>, in any order (text extraction orders them by
position). Allowances, each for something the two outputs do differently:
- masthead lines and the subtitle are optional (the PDF may not show them);
- with --allow-matter (for templates whose front and back matter the HTML
  does not draw yet), the PDF may have text of its own before the first
  block, before the footnotes and after the last block, made only of
  characters from the front matter and the matter labels (文件, 抄送, 印发 …);
  without it, the PDF may have nothing the HTML lacks;
- a chart the HTML could only show as a placeholder (<figure data-pending>)
  skips whatever the PDF has in its place.
- charts float in the PDF (one that does not fit waits for the next page
  while the text after it fills the page): they are checked in chart order,
  the text blocks in text order.
Page numbers, spacing and line breaks differ by design: only Han
characters are compared. The table of contents is outside <main>.

usage: same_text.py [--allow-matter] BRIEFING REPORT.md [RENDER OPTIONS, e.g. -t TEMPLATE]
"""
import html.parser
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "th", "td", "figcaption", "pre"}


class Blocks(html.parser.HTMLParser):
    """Text of the block elements inside <main>, each [text, kind]: kind is
    "required", "optional" (masthead, subtitle), "chart" (the <text> of an
    SVG chart), "gap" (where PDF-only matter may come) or "skip" (a chart
    placeholder)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = [["", "gap"]]  # the PDF's front matter may come first
        self.depth = 0     # inside <main>
        self.optional = 0  # inside the masthead
        self.pending = 0   # inside a placeholder chart
        self.open = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class") or ""
        if tag == "main":
            self.depth += 1
        if not self.depth:
            return
        masthead = tag == "header" and "masthead" in cls
        chart = tag == "figure" and "data-pending" in a
        svg = tag == "svg"
        block = not self.pending and not self.in_svg() and (
            tag in BLOCKS or cls in ("doc-title", "doc-subtitle"))
        self.optional += masthead
        if chart:
            self.blocks.append(["", "skip"])
        if tag == "ol" and "footnotes" in cls:  # the signature may come before
            self.blocks.append(["", "gap"])
        if svg:  # the phone copy of a chart (class "narrow") is the same chart again
            self.blocks.append(["", "skip" if "narrow" in cls.split() else "chart"])
        self.pending += chart
        if block:
            optional = self.optional > 0 or cls == "doc-subtitle"
            self.blocks.append(["", "optional" if optional else "required"])
        self.open.append((tag, masthead, chart, block, svg))

    def in_svg(self):
        return any(entry[4] for entry in self.open)

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1
        while self.open:
            t, masthead, chart, block, svg = self.open.pop()
            self.optional -= masthead
            self.pending -= chart
            if t == tag:
                break

    def handle_data(self, data):
        # text counts inside a block, or a chart's <text> (not its <title>)
        if not self.depth or not self.open:
            return
        if self.in_svg():
            if self.open[-1][0] in ("text", "tspan"):
                self.blocks[-1][0] += data
        elif any(entry[3] for entry in self.open):
            self.blocks[-1][0] += data


def han(s):
    return "".join(HAN.findall(s))


# Words the PDF's front and back matter adds around the front matter values
# (版头 "…文件", 版记 "抄送：… 印发", 简报 "第N期", the contents page …).
MATTER_WORDS = "文件抄送主送印发报送共印份第期目录简报编者按附件签发人密级紧急年月日页"


def front_matter(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        return ""
    for i, line in enumerate(lines[1:], 1):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1:i])
    return ""


def matches_at(stream, want, kind, p):
    if kind == "chart":  # the PDF orders a chart's labels by position
        return Counter(stream[p:p + len(want)]) == Counter(want)
    return stream.startswith(want, p)


def occurrences(stream, want, kind, start):
    """Start positions of want in stream at or after start."""
    if kind != "chart":
        at = stream.find(want, start)
        while at >= 0:
            yield at
            at = stream.find(want, at + 1)
        return
    key, n = Counter(want), len(want)
    window = Counter(stream[start:start + n])
    for p in range(start, len(stream) - n + 1):
        if window == key:
            yield p
        window[stream[p]] -= 1
        if p + n < len(stream):
            window[stream[p + n]] += 1


def keep(table, pos, gap):
    if pos not in table or len(gap) < len(table[pos]):
        table[pos] = gap


def align(stream, blocks):
    """Walks the HTML blocks through the PDF's stream. Returns (None, gap)
    with the PDF-only matter text, or (message, None)."""
    reach = {0: ""}   # position -> the matter text skipped to get there
    floor = None      # (position, gap, counts): every later position is reachable
    for block, kind in blocks:
        if kind in ("gap", "skip"):
            p = min(reach, default=None)
            cands = [(p, reach[p], kind == "gap")] if p is not None else []
            if floor:
                cands.append(floor)
            floor = min(cands, key=lambda c: c[0])
            floor = (floor[0], floor[1], floor[2] or kind == "gap")
            continue
        want = han(block)
        if not want:
            continue
        after = {}
        for p, gap in reach.items():
            if matches_at(stream, want, kind, p):
                keep(after, p + len(want), gap)
        if floor:
            f, gap, counts = floor
            for at in occurrences(stream, want, kind, f):
                keep(after, at + len(want), gap + (stream[f:at] if counts else ""))
        if not after and kind != "optional":
            pos = max(list(reach) + ([floor[0]] if floor else []))
            return (f"the HTML block\n    {want[:80]}\ndoes not come next in the PDF, which has\n"
                    f"    {stream[pos:pos + 80]}"), None
        if kind == "optional":
            for p, gap in reach.items():
                keep(after, p, gap)
        else:
            floor = None
        reach = after
    ends = [gap for p, gap in reach.items() if p == len(stream)]
    if floor:
        ends.append(floor[1] + (stream[floor[0]:] if floor[2] else ""))
    if not ends:
        pos = max(reach)
        return f"the PDF has text the HTML lacks:\n    {stream[pos:pos + 80]}", None
    return None, min(ends, key=len)


def lift_charts(stream, blocks):
    """Charts float in the PDF: one that does not fit while its page still
    has room waits for the next page, and the text after it fills this one.
    So each chart's text is found in the PDF's stream in chart order (never
    before the previous chart) and taken out; the rest must be one flow.
    Returns (message, None, None) or (None, stream, text blocks)."""
    start, rest = 0, []
    for block, kind in blocks:
        if kind != "chart":
            rest.append([block, kind])
            continue
        want = han(block)
        if not want:
            continue
        at = next(occurrences(stream, want, "chart", start), None)
        if at is None:
            return f"the chart with the text\n    {want[:80]}\nis not in the PDF after the charts before it", None, None
        stream = stream[:at] + stream[at + len(want):]
        start = at
    return None, stream, rest


def main():
    args = sys.argv[1:]
    allow_matter = "--allow-matter" in args
    if allow_matter:
        args.remove("--allow-matter")
    binary, source, options = args[0], args[1], args[2:]
    with tempfile.TemporaryDirectory() as tmp:
        pdf, page = os.path.join(tmp, "out.pdf"), os.path.join(tmp, "out.html")
        for out in (pdf, page):
            r = subprocess.run([binary, "render", source, "-o", out, *options], capture_output=True,
                               text=True, timeout=300)
            if r.returncode != 0:
                print(f"FAIL: rendering {os.path.basename(out)}: exit {r.returncode}\n{r.stderr}")
                return 1
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True,
                              text=True, timeout=120, check=True).stdout
        with open(page, encoding="utf-8") as f:
            parser = Blocks()
            parser.feed(f.read())
    blocks = parser.blocks + [["", "gap"]]
    error, stream, flow = lift_charts(han(text), blocks)
    if not error:
        error, gap = align(stream, flow)
    if error:
        print("FAIL:", error)
        return 1
    allowed = set(han(front_matter(source)) + MATTER_WORDS) if allow_matter else set()
    stray = sorted(set(gap) - allowed)
    if stray:
        print("FAIL: the PDF has text the HTML lacks:")
        print("   ", gap[:200])
        if allow_matter:
            print("    characters from neither the front matter nor the matter labels:",
                  "".join(stray))
        return 1
    count = lambda k: sum(1 for b, kind in blocks if kind == k and han(b))
    print(f"ok: {count('required')} blocks in the same order and {count('chart')} charts "
          f"({len(han(text))} Han characters in the PDF)"
          + (f"; {count('skip')} placeholder charts not compared" if count("skip") else "")
          + (f"; only in the PDF (front/back matter): {gap}" if gap else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
