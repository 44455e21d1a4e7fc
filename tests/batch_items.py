"""Summaries and batch: dept tags and manifest checked against each other,
the 期号 and a 报尾 in every summary, the 简报 报尾 as 报/送/发 with 共印N份,
index.html saying which period each figure is, and the HTML summaries'
"见全文第N页" as links.

usage: batch_items.py BRIEFING
"""
import pathlib
import re
import subprocess
import sys
import tempfile

failures = []

REPORT = """---
title: 示例区政府工作报告
issuer: 示例区人民政府
issue: 第7期
date: 2025-01-13
bao: 市政府办公厅
song: 兄弟区政府办公室
fa: [各镇人民政府, 各街道办事处]
copies: "60"
---

# 一、2024年工作回顾

<!-- dept: science -->
## （一）科技创新

新增科技型企业[314家](kpi:tech-firms@2024 "新增科技型企业")，目标[300家以上](kpi:tech-firms@2025目标)。

<!-- dept: sceince -->
## （二）产业发展

工业增加值增长[6%](kpi:industry-growth@2024 "工业增加值增速")，发展新质生产力。

## （三）民生保障

新增就业[2.3万人](kpi:new-jobs@2024 "城镇新增就业")，民生持续改善。
"""

MANIFEST = """report: report.md
template: briefing
formats: [pdf, html]
departments:
  - id: science
    name: 区科技局
    indicators: [tech-firms]
  - id: industry
    name: 区工信局
    keywords: [工业]
  - id: hrss
    name: 区人社局
    keywords: [就业]
    indicators: [new-jobs]
"""


def expect(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)
    return ok


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout


def main():
    binary = str(pathlib.Path(sys.argv[1]).resolve())
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        (tmp / "report.md").write_text(REPORT, encoding="utf-8")
        (tmp / "m.yaml").write_text(MANIFEST, encoding="utf-8")
        r = subprocess.run([binary, "batch", "m.yaml", "-o", "out", "-j", "2"], cwd=tmp,
                           capture_output=True, text=True, timeout=300)
        expect(r.returncode == 0, f"the batch runs ({r.stderr.strip()[-300:]})")
        expect(re.search(r"report\.md:19:1: warning: dept tag names 'sceince', .*did you mean 'science'",
                         r.stderr) is not None, "a tag naming no department: warning with its line and a guess")
        expect(len(re.findall(r"m\.yaml:8:1: warning: 2 departments are named by no <!-- dept: --> tag .*\(industry, hrss\)",
                              r.stderr)) == 1, "departments no tag names: one warning with the manifest's line")

        out = tmp / "out"
        text = pdf_text(out / "science.pdf")
        expect("第7期" in text, "the summary masthead keeps the 期号")
        expect(re.search(r"发：\s*区科技局", text) is not None, "the summary has a 报尾 sent to its department")
        full = pdf_text(out / "report.pdf")
        tail = full[full.rfind("报："):]
        expect(re.search(r"报：\s*市政府办公厅", full) and re.search(r"送：\s*兄弟区政府办公室", full)
               and re.search(r"发：\s*各镇人民政府，各街道办事处", full) and "共印60份" in full
               and tail.index("报：") < tail.index("送：") < tail.index("发："),
               "the 简报 报尾: 报, 送, 发 in that order and 共印N份")
        expect("报送：" not in full and "报送：" not in text, "no 报送 line")

        html = (out / "science.html").read_text(encoding="utf-8")
        links = re.findall(r'<a href="report\.pdf#page(?:=|&#61;)(\d+)"[^>]*>见全文第(\d+)页</a>', html)
        expect(links and all(a == b for a, b in links), f"HTML summary: 见全文第N页 links to the page ({links})")
        index = (out / "index.html").read_text(encoding="utf-8")
        expect("新增科技型企业（2024）" in index and "城镇新增就业（2024）" in index,
               "index.html names the period of each figure")
        row = re.search(r"<tr><td>区工信局</td>.*?</tr>", index)
        expect(row is not None and "未列主要指标" in row.group(0), "index.html shows a department without figures as such")
    print(f"{len(failures)} checks failed" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
