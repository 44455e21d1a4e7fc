#!/usr/bin/env python3
"""Converts a briefing report (annotated Markdown) into Typst markup with
the gongwen template's page style, for the benchmark's second engine: A4,
the same margins, the 22-line grid, the body in the fonts briefing uses for
it here (朱雀仿宋, the 仿宋 role's free font, 16 pt justified with a
two-character indent), Noto Sans CJK SC headings, page numbers
"— 1 —". The text is the same as ours; annotations become plain text
(indicator values as written), chart blocks and HTML comments are dropped
(Typst draws no charts here, so its job is the smaller one).

usage: md2typst.py REPORT.md > REPORT.typ     (needs cmark-gfm on PATH)
"""
import re, subprocess, sys
import xml.etree.ElementTree as ET

NS = "{http://commonmark.org/xml/1.0}"
PREAMBLE = """#set page(paper: "a4", margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),
  footer: context align(center, text(size: 14pt)[— #counter(page).display() —]))
// 16 pt on the 28-character grid (15.79 pt pitch), baselines 28.99 pt apart
#set text(font: ("Zhuque Fangsong", "Noto Serif CJK SC"), size: 16pt, lang: "zh", region: "cn",
  tracking: -0.21pt, top-edge: 0.88em, bottom-edge: -0.12em)
#set par(justify: true, first-line-indent: (amount: 2em, all: true),
  leading: 12.99pt, spacing: 12.99pt)
// the gongwen roles: h1 标宋 (Serif Bold) 22 pt centred, h2 黑体, h3 楷体,
// strong 黑体, emph 楷体
#show heading: set block(above: 12.99pt, below: 12.99pt)
#show heading: set text(size: 16pt, weight: "regular")
#show heading.where(level: 1): set text(font: "Noto Serif CJK SC", size: 22pt, weight: "bold")
#show heading.where(level: 1): set align(center)
#show heading.where(level: 2): set text(font: "Noto Sans CJK SC")
#show heading.where(level: 3): set text(font: "LXGW WenKai")
#show strong: set text(font: "Noto Sans CJK SC", weight: "regular")
#show emph: set text(font: "LXGW WenKai", style: "normal")
#set table(stroke: 0.5pt)
"""


def is_cjk(ch):
    return ch and ("\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or
                   "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")


def escape(text):
    text = text.replace(MARK, "")
    return re.sub(r'([\\#*_`$<>@\[\]~/=+\-"\'])', r"\\\1", text)


MARK = "\ufdd0"


def is_punct(c):
    if not c:
        return False
    o = ord(c)
    if o < 0x80:
        return 0x20 < o < 0x7F and not c.isalnum()
    return (0x2010 <= o <= 0x205E or 0x3001 <= o <= 0x303F or 0xFF01 <= o <= 0xFF0F or
            0xFF1A <= o <= 0xFF20 or 0xFF3B <= o <= 0xFF40 or 0xFF5B <= o <= 0xFF65 or o == 0xB7)


def mark_emphasis(s):
    """briefing's CJK emphasis fix (src/doc.c): a marker between a * run and
    the punctuation next to it lets CommonMark open or close it there."""
    out, i = [], 0
    while i < len(s):
        if s[i] != "*" or (i and s[i - 1] == "\\"):
            out.append(s[i])
            i += 1
            continue
        j = i
        while j < len(s) and s[j] == "*":
            j += 1
        before, after = (s[i - 1] if i else ""), (s[j] if j < len(s) else "")
        space = lambda c: not c or c in " \t\n\r\u3000"
        if is_punct(before) and before != "\\" and not space(after) and not is_punct(after):
            out.append(MARK)
        out.append(s[i:j])
        if is_punct(after) and not space(before) and not is_punct(before):
            out.append(MARK)
        i = j
    return "".join(out)


class Converter:
    def __init__(self):
        self.out = []

    def inlines(self, node):
        parts = []
        for child in node:
            parts.append(self.inline(child, parts))
        return "".join(parts)

    def inline(self, n, before):
        tag = n.tag[len(NS):]
        if tag == "text":
            return escape(n.text or "")
        if tag == "code":
            return "#raw(%s)" % quote(n.text or "")
        if tag == "softbreak":
            prev = "".join(before)[-1:]
            return "" if is_cjk(prev) else " "
        if tag == "linebreak":
            return "\\\n"
        if tag == "strong":
            return "#strong[%s]" % self.inlines(n)
        if tag == "emph":
            return "#emph[%s]" % self.inlines(n)
        if tag == "strikethrough":
            return "#strike[%s]" % self.inlines(n)
        if tag == "link":
            return self.inlines(n)
        return ""  # html_inline, images, footnote references

    def block(self, n, depth=0):
        tag = n.tag[len(NS):]
        if tag == "heading":
            self.out.append("=" * int(n.get("level")) + " " + self.inlines(n) + "\n\n")
        elif tag == "paragraph":
            self.out.append(self.inlines(n) + "\n\n")
        elif tag == "block_quote":
            self.out.append("#quote(block: true)[\n")
            for c in n:
                self.block(c, depth)
            self.out.append("]\n\n")
        elif tag == "list":
            marker = "+ " if n.get("type") == "ordered" else "- "
            for item in n:
                first = True
                for c in item:
                    if c.tag == NS + "paragraph":
                        self.out.append("  " * depth + (marker if first else "  ") + self.inlines(c) + "\n")
                        first = False
                    else:
                        self.block(c, depth + 1)
            self.out.append("\n")
        elif tag == "table":
            rows = list(n)
            cols = len(rows[0]) if rows else 1
            cells = ", ".join("[%s]" % self.inlines(cell) for row in rows for cell in row)
            self.out.append("#table(columns: %d, %s)\n\n" % (cols, cells))
        elif tag == "code_block":
            if (n.get("info") or "").split(" ")[0] != "chart":
                self.out.append("#raw(block: true, %s)\n\n" % quote(n.text or ""))
        elif tag == "html_block":
            if "pagebreak" in (n.text or ""):
                self.out.append("#pagebreak()\n\n")
        elif tag == "thematic_break":
            self.out.append("#align(center, line(length: 50%, stroke: 0.5pt))\n\n")


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def convert(markdown):
    title = None
    fm = re.match(r"---\n(.*?)\n---\n", markdown, re.S)
    if fm:
        m = re.search(r"^title:\s*(.+)$", fm.group(1), re.M)
        title = m.group(1).strip().strip("\"'") if m else None
        markdown = markdown[fm.end():]
    xml = subprocess.run(["cmark-gfm", "-e", "table", "-e", "strikethrough", "-e", "autolink",
                          "-t", "xml"], input=mark_emphasis(markdown).encode(),
                         capture_output=True, check=True).stdout
    root = ET.fromstring(xml)
    c = Converter()
    c.out.append(PREAMBLE)
    if title:
        c.out.append('#align(center, text(font: "Noto Serif CJK SC", weight: "bold", size: 22pt)[%s])\n\n'
                     % escape(title))
    for n in root:
        c.block(n)
    return "".join(c.out)


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        sys.stdout.write(convert(f.read()))
