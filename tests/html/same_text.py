#!/usr/bin/env python3
"""Same content as the PDF: renders a report to PDF and to HTML and compares
the Han characters of both, block by block, in order.

The HTML's blocks (title, recipients, headings, paragraphs, list items,
table cells, figure captions, footnotes; tags stripped) must follow one
another through the PDF's text (pdftotext) so that together they cover all
of it: every heading, paragraph and indicator of the PDF is in the HTML, in
the same order. Blocks the PDF may not show (the 版头 masthead, the
subtitle) may be skipped; the table of contents is outside <main>. A chart
is compared by the characters of its SVG <text> (in any order, as text
extraction orders them by position); a chart the HTML could only show as
a placeholder (<figure data-pending>) skips whatever the PDF has there. Only Han characters are compared: page numbers,
spacing and line breaks differ by design.

usage: same_text.py BRIEFING REPORT.md [RENDER OPTIONS, e.g. -t TEMPLATE]
"""
import html.parser
import os
import re
import subprocess
import sys
import tempfile

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "th", "td", "figcaption", "pre"}


class Blocks(html.parser.HTMLParser):
    """Text of the block elements inside <main>, each [text, kind]: kind is
    "required", "optional" (masthead, subtitle: the PDF may not show them),
    "chart" (the <text> of an SVG chart: the same characters as the PDF's
    chart, in any order) or "any" (a chart placeholder: whatever the PDF
    shows in its place is not compared)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
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
            self.blocks.append(["", "any"])
        if svg:
            self.blocks.append(["", "chart"])
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


def main():
    binary, source, options = sys.argv[1], sys.argv[2], sys.argv[3:]
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
    stream = han(text)
    # Positions in the PDF's stream reachable after each block: an optional
    # block may match or be skipped (a masthead line may also begin the
    # title); after an "any" block every position from `floor` on is.
    reach, floor, matched = {0}, None, 0
    for block, kind in parser.blocks:
        if kind == "any":
            floor = min(reach | ({floor} if floor is not None else set()))
            continue
        want = han(block)
        if not want:
            continue
        if kind == "chart":  # the PDF orders a chart's labels by position
            key = sorted(want)
            after = {p + len(want) for p in reach if sorted(stream[p:p + len(want)]) == key}
        else:
            after = {p + len(want) for p in reach if stream.startswith(want, p)}
        if floor is not None:
            at = stream.find(want, floor)
            while at >= 0:
                after.add(at + len(want))
                at = stream.find(want, at + 1)
        if not after and kind == "required":
            pos = max(reach | ({floor} if floor is not None else set()))
            print("FAIL: the HTML block")
            print("   ", want[:80])
            print("does not come next in the PDF, which has")
            print("   ", stream[pos:pos + 80])
            return 1
        matched += 1 if after else 0
        if kind == "optional":
            after |= reach
        else:
            floor = None
        reach = after
    if len(stream) not in reach and floor is None:
        pos = max(reach)
        print(f"FAIL: the PDF has text the HTML lacks, from Han character {pos}:")
        print("   ", stream[pos:pos + 80])
        return 1
    skipped = [han(b) for b, kind in parser.blocks if kind == "optional"]
    charts = sum(1 for b, kind in parser.blocks if kind == "any")
    drawn = sum(1 for b, kind in parser.blocks if kind == "chart")
    print(f"ok: {matched} blocks, {len(stream)} Han characters in the same order"
          + f", {drawn} charts"
          + (f"; {charts} placeholder charts not compared" if charts else "")
          + (f"; optional (masthead, subtitle): {', '.join(skipped)}" if skipped else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
