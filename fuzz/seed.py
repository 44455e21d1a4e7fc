#!/usr/bin/env python3
"""Seeds the fuzz corpora from the repository's own inputs (as cmark's
spec_tests.py --fuzz-corpus does): every Markdown file of tests/ and
examples/ (the example report also cut into its sections), their front
matter, kpi: link texts and chart blocks, the templates, and the example
manifest. Seeds are named seed-*; crashers found later are kept next to
them (crash-*, or libFuzzer's names). The cff corpus holds CFF font
programs, CID- and name-keyed, as PDFs embed them (kept by hand).

usage: fuzz/seed.py            (rewrites fuzz/corpus/*/seed-*)
"""
import hashlib, pathlib, re

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
MAX_DOC = 12000  # bytes: larger seeds slow every mutation down


def put(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(data).hexdigest()[:8]
    (folder / f"seed-{name}-{digest}").write_bytes(data)


def sections(text):
    """The example cut at its ## headings, each piece under MAX_DOC."""
    parts, cur = [], ""
    for line in text.splitlines(keepends=True):
        if line.startswith("## ") and cur:
            parts.append(cur)
            cur = ""
        cur += line
    parts.append(cur)
    out = []
    for p in parts:
        b = p.encode()
        while len(b) > MAX_DOC:
            cut = b.rfind(b"\n\n", 0, MAX_DOC)
            cut = cut if cut > 0 else MAX_DOC
            out.append(b[:cut])
            b = b[cut:]
        out.append(b)
    return out


def main():
    for old in CORPUS.glob("*/seed-*"):
        old.unlink()
    mds = sorted(ROOT.glob("tests/**/*.md")) + sorted(ROOT.glob("examples/**/*.md"))
    for md in mds:
        text = md.read_text(encoding="utf-8")
        stem = md.stem
        if len(text.encode()) <= MAX_DOC:
            put("doc", stem, text.encode())
        else:
            for i, piece in enumerate(sections(text)):
                put("doc", f"{stem}{i:02d}", piece)
        fm = re.match(r"---\n(.*?\n)---\n", text, re.S)
        if fm:
            put("frontmatter", stem, fm.group(0).encode())
        for m in re.finditer(r"\[([^\]\n]*)\]\(kpi:", text):
            put("indicator", stem, m.group(1).encode())
        for i, m in enumerate(re.finditer(r"```chart\n(.*?)```", text, re.S)):
            put("chart", f"{stem}{i}", m.group(1).encode())
    for y in sorted(ROOT.glob("templates/*.yaml")) + sorted(ROOT.glob("tests/**/*.yaml")):
        put("template", y.stem, y.read_bytes())
    for y in sorted(ROOT.glob("examples/**/*.yaml")):
        put("manifest", y.stem, y.read_bytes())
    for name, text in EXTRA.items():
        target, _, stem = name.partition("/")
        put(target, stem, text.encode())


EXTRA = {
    "template/extends": "extends: briefing\ndescription: x\npage: {size: A4, margins: [30mm, 25mm]}\n",
    "template/self": "extends: fuzz.yaml\n",
    "chart/literal": "type: bar\ntitle: 标题\nunit: 亿元\ndata: [[甲, 1.5], [乙, 2], [丙, -3]]\nsort: desc\n",
    "chart/series": "type: column\nseries: [2024, 2025目标]\ndata: [[甲, 1, 2], [乙, 3, 4]]\ncolors: ['#ff0000', '#00ff00']\n",
    "chart/compare": "type: compare\ndata: [gdp, invest]\n",
    "chart/progress": "type: progress\ndata: [[完成, 80, 100]]\n",
    "chart/pie": "type: donut\ndata: [[甲, 1], [乙, 0], [丙, 2]]\nheight: 120\n",
    "chart/line": "type: line\nunit: '%'\ndata: [gdp@2024, gdp@2025, energy@2024]\nsource: 统计局\n",
    "chart/kpi": "type: kpi\ndata: [gdp@2024, income@2024, invest@2024, firms@2024, pm25@2024, gdp-total]\n",
    "indicator/prefix": "不少于1,234.5万亿元以上",
    "indicator/unit": "38微克/立方米",
    "indicator/neg": "-3.2‰",
    "frontmatter/indicators": "---\ntitle: 标题\ndate: 2025年1月13日\ncc: [甲, 乙]\nindicators:\n  gdp: {label: 增速, unit: '%', better: up}\nduplex: true\n---\n",
    "manifest/minimal": "report: report.md\ntemplate: briefing\nformats: [pdf, html]\ndepartments:\n  - id: science\n    name: 区科技局\n    keywords: [科技, 创新]\n    indicators: [tech-firms]\n",
}

def import_seeds():
    """briefing import: corpus beginnings and ends (UTF-8 and GB18030) and a
    small .docx with numbering, a bold lead, a table and a footnote."""
    import io, zipfile
    for path in sorted((ROOT / "tests" / "import" / "corpus").glob("*.txt")):
        b = path.read_bytes()
        head = b[:4000].decode("utf-8", "ignore").encode()
        tail = b[-3000:].decode("utf-8", "ignore").encode()
        put("import", path.stem + "-head", head)
        put("import", path.stem + "-tail", tail)
        put("import", path.stem + "-gb18030", head.decode().encode("gb18030"))
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    num = (f'<w:numbering {w}><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
           '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1">'
           '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'
           '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num></w:numbering>')
    doc = (f'<w:document {w}><w:body><w:p><w:r><w:t>政府工作报告</w:t></w:r></w:p>'
           '<w:p><w:r><w:t>各位代表：</w:t></w:r></w:p>'
           '<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/>'
           '</w:numPr></w:pPr><w:r><w:t>工作回顾</w:t></w:r></w:p>'
           '<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr>'
           '<w:r><w:t>产业</w:t></w:r></w:p>'
           '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>推动升级。</w:t></w:r><w:r><w:t>增长5.2%</w:t></w:r>'
           '<w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
           '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>值</w:t>'
           '</w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>GDP|x</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
           '</w:body></w:document>')
    notes = (f'<w:footnotes {w}><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t> 注文</w:t>'
             '</w:r></w:p></w:footnote></w:footnotes>')
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in (("word/document.xml", doc), ("word/numbering.xml", num),
                          ("word/footnotes.xml", notes)):  # fixed dates: the same bytes every run
            z.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), xml, zipfile.ZIP_DEFLATED)
    put("import", "docx", b.getvalue())
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8"><script>x="<p>";</script></head>'
            '<body><div class="nav">首页 | 政策</div><div class="article"><h1>政府工作报告</h1>'
            '<p>各位代表：</p><p>一、工作回顾</p><p>增长5.2%。<br>城镇新增就业1244万人</p>'
            '<table><tr><td>甲</td></tr></table></div><p>版权所有</p></body></html>')
    put("import", "html", page.encode())


if __name__ == "__main__":
    main()
    import_seeds()
