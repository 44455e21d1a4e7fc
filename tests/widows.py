#!/usr/bin/env python3
"""Widows and orphans in every template: paragraphs of two to five lines
are pushed down by one more one-line paragraph at a time (each try on a
page of its own), so each of them meets the page break at every line; a paragraph split by a page keeps at
least two lines on each side (no first line alone at a page's foot, no last
line alone at the head of the next).

usage: widows.py BRIEFING [TEMPLATE...]
"""
import os, sys
from layoutdump import fill, render_layout, run_templates

def paragraph_of(lines, per_line, first_line):
    """Text that sets in exactly `lines` lines: full lines and a last one
    about half full."""
    return fill(first_line + per_line * (lines - 2) + per_line // 2, lines)


def check_template(binary, template, tmp, failures):
    md = os.path.join(tmp, f"w-{template}.md")
    with open(md, "w", encoding="utf-8") as f:
        f.write("---\ntitle: 孤行测试\n---\n\n" + fill(300) + "\n")
    dump = render_layout(binary, md, template)
    first_line, per_line = (len(l.text) for l in dump.paragraphs()[0][:2])
    page_lines = round((dump.bottom - dump.top) / dump.pitch)
    sizes = [3, 2, 4, 5, 3]
    tests = [paragraph_of(n, per_line, first_line) for n in sizes]
    splits = {n: 0 for n in sizes}
    # one document: each block opens a page, then `shift` one-line paragraphs
    # push the test paragraphs down by one line more than the block before
    shifts = range(page_lines + 1)
    blocks = ["<!-- pagebreak -->\n\n" + "\n\n".join([fill(6, i) for i in range(shift)] + tests)
              for shift in shifts]
    with open(md, "w", encoding="utf-8") as f:
        f.write("---\ntitle: 孤行测试\n---\n\n" + "\n\n".join(blocks) + "\n")
    paras = render_layout(binary, md, template).paragraphs()
    if len(paras) != sum(shifts) + len(tests) * len(shifts):
        failures.append(f"{template}: {len(paras)} paragraphs in the layout, "
                        f"{sum(shifts) + len(tests) * len(shifts)} written")
        return
    for shift in shifts:
        paras = paras[shift:]
        block, paras = paras[:len(tests)], paras[len(tests):]
        for n, text, para in zip(sizes, tests, block):
            if "".join(l.text for l in para) != text or len(para) != n:
                failures.append(f"{template} +{shift}: a {n}-line paragraph set in {len(para)} lines")
                continue
            pages = [l.page for l in para]
            if len(set(pages)) == 1:
                continue
            splits[n] += 1
            head = pages.count(pages[0])
            tail = n - head
            if head < 2:
                failures.append(f"{template} +{shift}: orphan — the first line of a {n}-line paragraph "
                                f"alone at the foot of page {pages[0]}")
            if tail < 2:
                failures.append(f"{template} +{shift}: widow — the last line of a {n}-line paragraph "
                                f"alone at the head of page {pages[-1]}")
    # the sweep must really have crossed page breaks inside paragraphs
    if not splits[4] and not splits[5]:
        failures.append(f"{template}: no paragraph was ever split by a page (the test lost its case)")
    print(f"{template}: paragraphs split by a page: "
          + ", ".join(f"{n} lines ×{c}" for n, c in sorted(splits.items())))


def main():
    return run_templates(check_template, lambda failures: f"{len(failures)} failures")


if __name__ == "__main__":
    sys.exit(main())
