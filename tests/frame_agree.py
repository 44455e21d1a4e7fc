#!/usr/bin/env python3
"""PDF, HTML and department summaries agree on the frame and on scope.

Labels: tests/data/frame/mine-*.yaml change labels through the template's
`labels:` map only (the 发文机关标志, 抄送, 印发, footnote label; the 简报 报尾's 送 and 发, 印数,
the summary's title and page references). The full report's PDF and HTML
both show every changed label and none of the defaults it replaces, and
every summary's PDF and HTML show the summary labels.

Scope: for each department of tests/data/frame/departments.yaml (no
keywords, so tags alone decide), the blocks the full report's HTML marks
with the department (data-dept) are exactly the blocks of its summary's
Markdown, and each of them is in the summary's PDF.

usage: frame_agree.py BRIEFING FRAME_DIR
"""
import html as htmllib
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import fitz

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(binary, *args, cwd=None):
    r = subprocess.run([binary, *args], capture_output=True, text=True, timeout=600, cwd=cwd)
    if r.returncode != 0:
        raise SystemExit(f"briefing {' '.join(args)} failed:\n{r.stderr}")


def pdf_text(path):
    return "".join(p.get_text() for p in fitz.open(path))


def flat(s):
    s = re.sub(r"\[\^\w+\]", "", s)
    return re.sub(r"\s+", "", s)


def labels(binary, folder, tmp):
    md = folder / "report.md"
    cases = {
        "mine-gongwen.yaml": (["示例区人民政府通知", "抄报：", "2025年2月11日印制", "附注1："],
                              ["示例区人民政府文件", "抄送：", "印发", "(?<!附)注1："]),
        "mine-briefing.yaml": (["印发至：", "抄报：", "（印120册）"], ["送：", "发：", "共印"]),
    }
    for tpl, (want, gone) in cases.items():
        pdf, page = tmp / (tpl + ".pdf"), tmp / (tpl + ".html")
        run(binary, "render", str(md), "-t", str(folder / tpl), "-o", str(pdf))
        run(binary, "render", str(md), "-t", str(folder / tpl), "-o", str(page))
        texts = {"PDF": flat(pdf_text(pdf)),
                 "HTML": flat(htmllib.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8").split("<main", 1)[1])))}
        for out, text in texts.items():
            check(all(flat(w) in text for w in want), f"{tpl} {out}: shows {want}")
            check(not any(re.search(flat(g), text) for g in gone), f"{tpl} {out}: none of {gone}")


def html_blocks(page, dept):
    """Texts of the non-heading blocks the full report's HTML marks with dept."""
    body = re.sub(r"<sup[^>]*>.*?</sup>", "", page.split("<main", 1)[1], flags=re.S)
    out = []
    for m in re.finditer(r'<(p|ul|ol|div|figure)\b[^>]*data-dept="([^"]*)"[^>]*>(.*?)</\1>', body, re.S):
        if dept in m.group(2).split(","):
            out.append(flat(htmllib.unescape(re.sub(r"<[^>]+>", "", m.group(3)))))
    return sorted(out)


def summary_blocks(md, marks=False):
    """The summary's own blocks, flattened; with marks, a footnote reference
    becomes the number the PDF prints for it (in order of first citation)."""
    body = md.split("\n---\n", 1)[1]
    numbers = {}
    for label in re.findall(r"\[\^(\w+)\](?!:)", body):
        numbers.setdefault(label, str(len(numbers) + 1))
    out = []
    for block in re.split(r"\n\s*\n", body):
        block = block.strip()
        # headings, page references, the indicator line and the cited footnotes' texts
        if not block or block.startswith(("#", "（[", "**", "[^")):
            continue
        if marks:
            block = re.sub(r"\[\^(\w+)\]", lambda m: numbers.get(m.group(1), ""), block)
        out.append(flat(re.sub(r"^[-*] ", "", block, flags=re.M)))
    return sorted(out)


def scope(binary, folder, tmp):
    work = tmp / "batch"
    shutil.copytree(folder, work)
    run(binary, "batch", "departments.yaml", "-o", "out", "--format", "pdf,html,md", cwd=work)
    out = work / "out"
    page = (out / "report.html").read_text(encoding="utf-8")
    names = {"science": "区科技局", "talent": "区人社局", "housing": "区住建委"}
    for dept, name in names.items():
        in_html = html_blocks(page, dept)
        md = (out / f"{dept}.md").read_text(encoding="utf-8")
        in_summary = summary_blocks(md)
        check(bool(in_html) and in_html == in_summary,
              f"{dept}: the full HTML's data-dept blocks are the summary's ({len(in_html)} / {len(in_summary)})")
        text = flat(pdf_text(out / f"{dept}.pdf")).replace("•", "").replace("◦", "")
        check(all(b in text for b in summary_blocks(md, marks=True)), f"{dept}: every block is in the summary PDF")
        cited = re.findall(r"^\[\^\w+\]:\s*(.+)$", md, flags=re.M)
        check(all(flat(c) in text for c in cited), f"{dept}: the footnotes it cites are in the summary PDF {cited}")
        sumhtml = flat(htmllib.unescape(re.sub(r"<[^>]+>", "", (out / f"{dept}.html").read_text(encoding="utf-8"))))
        for label in (f"{name}工作要点", "详见全文第1页"):
            check(label in text and label in sumhtml, f"{dept}: summary PDF and HTML show {label}")


def main():
    binary, folder = str(pathlib.Path(sys.argv[1]).resolve()), pathlib.Path(sys.argv[2]).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        labels(binary, folder, pathlib.Path(tmp))
        scope(binary, folder, pathlib.Path(tmp))
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
