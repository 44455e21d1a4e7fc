#!/usr/bin/env python3
"""禁则 in body text, in every template: each mark that may not start a line
and each that may not end one is placed where a plain line break would put
it at the line's edge (start of line 2 or 3, or end of line 1 or 2), and the
layout dump must show it kept off that edge but still beside the break (so
the case really was at the edge). The sets are written here from CLREQ
(W3C "Requirements for Chinese Text Layout" 3.1.7, GB/T 15834 5.1) and
/work/shared/reference/standards.md K1/K2, not read from the program.

usage: kinsoku.py BRIEFING [TEMPLATE...]
"""
import os, sys
from layoutdump import fill, render_layout, run_templates

# Never at line start (CLREQ prohibition rules for line start, strict level).
NO_START = [
    # 点号
    "、", "，", "。", "．", "：", "；", "！", "？",
    # closing brackets and quotes
    "”", "’", "）", "］", "｝", "〕", "】", "〗", "》", "〉", "」", "』",
    # connectors: 半字线, 一字线, 浪纹线, the full-width short connector
    "–", "—", "～", "－",
    # 间隔号, 分隔号
    "·", "／", "/",
    # strict level: 破折号 and 省略号 (as pairs, and the one-character forms)
    "——", "⸺", "……", "⋯⋯", "…", "⋯",
]
# Never at line end: opening brackets and quotes, and the 分隔号.
NO_END = ["“", "‘", "（", "［", "｛", "〔", "【", "〖", "《", "〈", "「", "『", "／", "/"]
# Marks that never split: 破折号 and 省略号 (K2).
UNBREAKABLE = ["——", "……", "⋯⋯"]

checked = 0


def line_starts(para):
    starts, pos = [], 0
    for line in para:
        starts.append(pos)
        pos += len(line.text)
    return set(starts[1:]), "".join(l.text for l in para)


def cases(n1, n2):
    """(kind, mark, index of the mark, paragraph text) for each placement."""
    out = []
    for mark in NO_START:
        for edge in (n1, n1 + n2):  # would open line 2 / line 3
            out.append(("start", mark, edge, fill(edge) + mark + fill(12, 5)))
        # after a stop or a closing quote (。” ”， may be compressed and take
        # the next character along)
        if mark in "”’）］｝〕】〗》〉」』":
            out.append(("start+", mark, n1, fill(n1 - 1) + "。" + mark + fill(12, 5)))
        out.append(("start+", mark, n1, fill(n1 - 1) + "”" + mark + fill(12, 5)))
    for mark in NO_END:
        for edge in (n1, n1 + n2):  # would close line 1 / line 2
            out.append(("end", mark, edge - 1, fill(edge - 1) + mark + fill(12, 5)))
    return out


def check_template(binary, template, tmp, failures):
    global checked
    md = os.path.join(tmp, f"k-{template}.md")
    calib = fill(200)
    with open(md, "w", encoding="utf-8") as f:
        f.write("---\ntitle: 禁则测试\n---\n\n" + calib + "\n")
    paras = render_layout(binary, md, template).paragraphs()
    n1, n2 = len(paras[0][0].text), len(paras[0][1].text)
    todo = cases(n1, n2)
    with open(md, "w", encoding="utf-8") as f:
        f.write("---\ntitle: 禁则测试\n---\n\n" + "\n\n".join(t for *_, t in todo) + "\n")
    paras = render_layout(binary, md, template).paragraphs()
    if len(paras) != len(todo):
        failures.append(f"{template}: {len(paras)} paragraphs in the layout, {len(todo)} written")
        return
    for (kind, mark, i, text), para in zip(todo, paras):
        starts, joined = line_starts(para)
        where = f"{template}: {mark!r} ({kind}, line {'2' if i < n1 + 1 else '3'} edge)"
        checked += 1
        if joined != text:
            failures.append(f"{where}: the lines do not read as the paragraph: {joined}")
            continue
        n = len(mark)
        if kind.startswith("start"):
            bad = any(i + k in starts for k in range(n))
            slack = 2 if kind == "start+" else 1
            beside = any(i - k in starts or i + n - 1 + k in starts for k in range(1, slack + 1))
        else:
            bad = i + 1 in starts
            # pushed to the next line (with the character before it when the
            # mark may not start a line either), or a character pulled back
            beside = (i in starts) or (i - 1 in starts and mark in NO_START) or (i + 2 in starts)
        lines = " / ".join(l.text for l in para)
        if bad:
            failures.append(f"{where}: at the line's {'end' if kind == 'end' else 'start'}: {lines}")
        elif not beside:
            failures.append(f"{where}: not at a line edge any more (the test lost its case): {lines}")
        for s in starts:
            if joined[s - 1:s + 1] in UNBREAKABLE:
                failures.append(f"{where}: {joined[s - 1:s + 1]} split across lines: {lines}")


def main():
    return run_templates(check_template,
                         lambda failures: f"{checked - len(failures)} of {checked} placements kept to 禁则")


if __name__ == "__main__":
    sys.exit(main())
