#!/usr/bin/python3
"""Builds a Word file with python3-docx (heading styles, automatic numbering
一、 （一） 1., bold lead sentences, a table and a footnote) and its plain-text
twin (the same report with the numbers written out), imports both and checks
that the Markdown is the same, plus the bold leads, the table and the
footnote, which only the Word file has.

usage: docx_twin.py BRIEFING"""
import copy
import os
import re
import subprocess
import sys
import tempfile

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

W = nsdecls("w")
TITLE = "2025年示例区政府工作报告"
FRONT = ["——2025年1月10日在示例区第三届人民代表大会第五次会议上", "示例区区长 王　明",
         "各位代表：", "现在，我代表区人民政府，向大会报告工作，请予审议。"]
# (heading level or 0, bold lead, text); headings get their numbers from Word
BODY = [
    (1, "", "2024年工作回顾"),
    (0, "", "过去一年，全区地区生产总值增长5.2%，经济运行稳中有进。"),
    (2, "", "产业提质增效"),
    (0, "推动制造业升级。", "规上工业增加值增长6%，新增高新技术企业120家。"),
    (0, "培育新兴产业。", "战略性新兴产业产值占比达到30%。"),
    (2, "", "民生持续改善"),
    (3, "", "就业稳定"),
    (0, "", "城镇新增就业1.2万人，城镇调查失业率5%。"),
    (3, "", "教育均衡"),
    (0, "", "新建改扩建中小学5所，新增学位3000个。"),
    (1, "", "2025年工作安排"),
    (0, "", "今年主要预期目标是：地区生产总值增长5%左右。"),
    (2, "", "扩大有效需求"),
    (0, "一是促进消费。", "社会消费品零售总额增长4%以上。"),
    (0, "", "各位代表！让我们团结一心，奋力完成全年目标任务！"),
    (-1, "", "本报告数据均为初步统计数。"),  # in a text box (w:pict, VML)
]
HAN_NUM = "一二三四五六七八九十"
ATTACHMENT_HEAD = ["附件1", "示例区2025年民生实事"]
ATTACHMENT_LIST = ["新建学校5所", "新增养老床位200张", "改造老旧小区30个"]
LEVEL_TEXT = {1: "%1、", 2: "（%2）", 3: "%3."}
LEVEL_FMT = {1: "chineseCounting", 2: "chineseCounting", 3: "decimal"}
NOTE = "地区生产总值按可比价格计算。"
TABLE = [["指标", "2024年", "增长"], ["地区生产总值", "1200亿元", "5.2%"],
         ["一般公共预算收入", "80亿元", "3.1%"]]


def add_numbering(d):
    numbering = d.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{k - 1}"><w:start w:val="1"/><w:numFmt w:val="{LEVEL_FMT[k]}"/>'
        f'<w:lvlText w:val="{LEVEL_TEXT[k]}"/></w:lvl>' for k in (1, 2, 3))
    abstract = parse_xml(f'<w:abstractNum {W} w:abstractNumId="90">{levels}</w:abstractNum>')
    numbering.insert(0, abstract)
    numbering.append(parse_xml(f'<w:num {W} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    # the attachment's list: the same definition, restarted at 一、
    numbering.append(parse_xml(
        f'<w:num {W} w:numId="91"><w:abstractNumId w:val="90"/><w:lvlOverride w:ilvl="0">'
        '<w:startOverride w:val="1"/></w:lvlOverride></w:num>'))


def number(p, level, num_id=90):
    ppr = p._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {W}><w:ilvl w:val="{level - 1}"/>'
                         f'<w:numId w:val="{num_id}"/></w:numPr>'))


def add_footnote(d, paragraph, text):
    """python-docx has no footnote API: the part is added by hand."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    xml = (f'<w:footnotes {W}><w:footnote w:id="0" w:type="separator"><w:p><w:r><w:separator/>'
           f'</w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
           f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                xml.encode(), d.part.package)
    d.part.relate_to(part, RT.FOOTNOTES)
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:footnoteReference {W} w:id="1"/>'))


def build(tmp):
    d = docx.Document()
    add_numbering(d)
    d.add_paragraph(TITLE, style="Title")
    for line in FRONT:
        d.add_paragraph(line)
    text = [TITLE] + FRONT
    counters = [0, 0, 0, 0]
    for level, lead, body in BODY:
        if level > 0:
            p = d.add_paragraph(body, style=f"Heading {level}")
            number(p, level)
            counters[level] += 1
            for k in range(level + 1, 4):
                counters[k] = 0
            n = counters[level]
            written = {1: f"{HAN_NUM[n - 1]}、", 2: f"（{HAN_NUM[n - 1]}）", 3: f"{n}."}[level]
            text.append(written + body)
            continue
        p = d.add_paragraph()
        if level < 0:
            p._p.append(parse_xml(
                f'<w:r {W} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox>'
                f'<w:txbxContent><w:p><w:r><w:t>{body}</w:t></w:r></w:p></w:txbxContent>'
                '</v:textbox></v:shape></w:pict></w:r>'))
            text.append(body)
            continue
        if lead:
            p.add_run(lead).bold = True
        p.add_run(body)
        if body.startswith("过去一年"):
            add_footnote(d, p, NOTE)
        text.append(lead + body)
        if body.startswith("规上工业"):
            t = d.add_table(rows=3, cols=3)
            for r, row in enumerate(TABLE):
                for c, cell in enumerate(row):
                    t.cell(r, c).text = cell
    for line in ATTACHMENT_HEAD:
        d.add_paragraph(line)
        text.append(line)
    for n, item in enumerate(ATTACHMENT_LIST, 1):
        number(d.add_paragraph(item), 1, num_id=91)
        text.append(f"{HAN_NUM[n - 1]}、{item}")
    path = os.path.join(tmp, "report.docx")
    d.save(path)
    twin = os.path.join(tmp, "twin", "report.txt")
    os.mkdir(os.path.dirname(twin))
    open(twin, "w", encoding="utf-8").write("\n".join(text) + "\n")
    return path, twin


def run_import(binary, src):
    out = src.rsplit(".", 1)[0] + ".md"
    p = subprocess.run([binary, "import", src, "-o", out], capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"import {src}: exit {p.returncode}\n{p.stderr}")
    return open(out, encoding="utf-8").read()


def main():
    binary = sys.argv[1]
    holder = tempfile.TemporaryDirectory(prefix="import-docx-")
    tmp = holder.name
    path, twin = build(tmp)
    from_docx, from_text = run_import(binary, path), run_import(binary, twin)
    failures = []
    table = ("| 指标 | 2024年 | 增长 |\n| --- | --- | --- |\n| 地区生产总值 | 1200亿元 | 5.2% |\n"
             "| 一般公共预算收入 | 80亿元 | 3.1% |\n\n")
    notes = f"\n\n## 注释\n\n［1］{NOTE}"
    for want in (table, notes, "**推动制造业升级。**规上工业", "**培育新兴产业。**战略性",
                 "**一是促进消费。**社会", "增长5.2%，经济运行稳中有进。［1］"):
        if want not in from_docx:
            failures.append(f"not in the Markdown from Word: {want!r}")
    rest = from_docx.replace(table, "").replace(notes, "").replace("［1］", "")
    rest = rest.replace("**", "").replace("import of report.docx", "import of report.txt")
    if rest != from_text:
        import difflib
        failures.append("Word and text twin differ:\n" + "".join(difflib.unified_diff(
            from_text.splitlines(True), rest.splitlines(True), "text", "docx")))
    if "\n一、新建学校5所\n" not in from_docx:
        failures.append("the attachment's restarted list is not 一、…")
    for h in ("## 一、2024年工作回顾", "### （二）民生持续改善", "#### 2.教育均衡",
              "## 二、2025年工作安排", "### （一）扩大有效需求"):
        if f"\n{h}\n" not in from_docx:
            failures.append(f"heading missing: {h}")
    md = path.rsplit(".", 1)[0] + ".md"
    for tpl in ("gongwen", "briefing", "report"):
        pdf = os.path.join(tmp, f"docx-{tpl}.pdf")
        p = subprocess.run([binary, "render", md, "-t", tpl, "-o", pdf], capture_output=True,
                           text=True)
        if p.returncode:
            failures.append(f"render -t {tpl}: {p.returncode} {p.stderr[-300:]}")
            continue
        flat = re.sub(r"\s+", "", subprocess.run(["pdftotext", pdf, "-"], capture_output=True,
                                                 text=True).stdout)
        for cell in ("一般公共预算收入", "80亿元", NOTE):
            if cell not in flat:
                failures.append(f"{tpl}: {cell} missing from the PDF (table or note)")
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print("ok")


main()
