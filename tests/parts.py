#!/usr/bin/env python3
"""Notes, glossary and attachments in the PDF and the HTML preview.

- notes (tests/tree/notes.md): every marker ［N］ / [N] links to note N and
  note N links back to its first marker, in the PDF (link annotations
  whose targets are the other end's position) and in the HTML (href/id
  pairs); a bracketed number without a note stays plain text;
- glossary (the Sichuan report's 名词解释, tests/data/sichuan_2026.md):
  every entry is a <dt>/<dd> pair of one definition list in the HTML, and
  in the PDF its term is set in another face than its definition, entries
  hang together with no space inside a Han run (the entry split over lines
  in the source joins);
- attachments (tests/tree/attachments.md, 公文): the 附件说明 after the
  body and before the signature, the 附注 after the date, each attachment on a page of its own
  opening with its 附件 label flush left in 黑体, its name centred; in the
  HTML a page break before each label and the 附件说明 with both names.

usage: parts.py BRIEFING TESTS_DIR
"""
import pathlib
import re
import subprocess
import sys
import tempfile

import fitz

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def render(binary, md, out, *extra):
    r = subprocess.run([binary, "render", str(md), "-o", str(out), *extra],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise SystemExit(f"render {md} failed:\n{r.stderr}")


def text_rects(page, needle):
    return page.search_for(needle)


def near(point, rect, tol=3):
    return rect.x0 - tol <= point.x <= rect.x1 + tol and rect.y0 - tol <= point.y <= rect.y1 + tol


def notes(binary, tests, tmp):
    md = tests / "tree" / "notes.md"
    pdf, html = tmp / "notes.pdf", tmp / "notes.html"
    render(binary, md, pdf)
    render(binary, md, html)
    doc = fitz.open(pdf)
    page = doc[0]
    links = [l for p in doc for l in p.get_links() if l.get("kind") == fitz.LINK_GOTO]
    for num, marker in ((1, "［1］"), (2, "[2]"), (3, "［3］")):
        marks = text_rects(page, marker)
        entry = text_rects(page, f"{num}.“") or text_rects(page, f"{num}.重")
        if not marks or not entry:
            check(False, f"PDF: marker {marker} and note {num} found")
            continue
        fwd = [l for l in links if l["from"].intersects(marks[0]) and near(l["to"], entry[0], 4)]
        back = [l for l in links if l["from"].intersects(entry[0]) and near(l["to"], marks[0], 4)]
        check(bool(fwd), f"PDF: marker {marker} links to note {num}")
        check(bool(back), f"PDF: note {num} links back to its marker")
    chars = [c for b in page.get_text("rawdict")["blocks"] for l in b.get("lines", [])
             for s in l["spans"] for c in s["chars"]]
    linked = "".join(c["c"] for l in links for c in chars
                     if l["from"].contains(fitz.Point((c["bbox"][0] + c["bbox"][2]) / 2,
                                                      (c["bbox"][1] + c["bbox"][3]) / 2)))
    check("9" not in linked and "［1］" in linked, "PDF: [9] without a note 9 is no link")
    h = html.read_text(encoding="utf-8")
    for num in (1, 2, 3):
        check(f'href="#note-{num}" id="noteref-{num}"' in h and f'id="note-{num}"' in h
              and f'href="#noteref-{num}"' in h, f"HTML: marker and note {num} link both ways")
    check('href="#note-9"' not in h and "[9]" in h, "HTML: [9] stays text")


def glossary(binary, tests, tmp):
    md = tests / "data" / "sichuan_2026.md"
    source = md.read_text(encoding="utf-8")
    entries = re.findall(r"^(\d+)\.(.+?)：", source.split("## 名词解释")[1], re.M)
    pdf, html = tmp / "sichuan.pdf", tmp / "sichuan.html"
    render(binary, md, pdf, "-t", "gongwen")
    render(binary, md, html, "-t", "gongwen")
    h = html.read_text(encoding="utf-8")
    lists = re.findall(r'<dl class="glossary">(.*?)</dl>', h, re.S)
    check(len(lists) == 1, f"HTML: the glossary is one definition list ({len(lists)})")
    pairs = re.findall(r'<div id="note-(\d+)"><dt>(.*?)</dt><dd>', lists[0] if lists else "")
    check(len(pairs) == len(entries) == 20, f"HTML: {len(pairs)} of {len(entries)} entries are dt/dd pairs")
    check(all(re.sub("<[^>]+>", "", dt).startswith(f"{n}.{t}") for (_, dt), (n, t) in zip(pairs, entries)),
          "HTML: each term is its entry's dt")
    doc = fitz.open(pdf)
    fonts_ok = 0
    for num, term in entries:
        for page in doc:
            spans = [s for b in page.get_text("dict")["blocks"] for l in b.get("lines", [])
                     for s in l["spans"]]
            hit = [i for i, s in enumerate(spans) if s["text"].startswith(f"{num}.") and term[:2] in s["text"]]
            if hit:
                i = hit[0]
                after = next((s for s in spans[i + 1:] if s["text"].strip()), None)
                if after and after["font"] != spans[i]["font"]:
                    fonts_ok += 1
                break
    check(fonts_ok == len(entries), f"PDF: terms set apart from their definitions ({fonts_ok}/{len(entries)})")
    text = "".join(p.get_text() for p in doc).replace("\n", "")
    check("双向揭榜挂帅”的简称" in text and "带技术揭榜；" in text,
          "PDF: an entry split over source lines reads as one run")


def attachments(binary, tests, tmp):
    md = tests / "tree" / "attachments.md"
    pdf, html = tmp / "att.pdf", tmp / "att.html"
    render(binary, md, pdf)
    render(binary, md, html)
    dump = subprocess.run([binary, "render", str(md), "--format", "layout", "-o", "-"],
                          capture_output=True, text=True).stdout
    grid = dict(kv.split("=") for kv in dump.splitlines()[0].split()[1:])
    left, right = float(grid["left"]), float(grid["right"])
    doc = fitz.open(pdf)
    check(len(doc) == 3, f"PDF: body and two attachments on three pages ({len(doc)})")
    first = doc[0].get_text()
    check(first.find("附件：1．重点检查企业名单") >= 0 and
          first.find("2．安全生产检查要点") > first.find("附件：1．") and
          first.find("示例区人民政府\n2025") > first.find("2．安全生产"),
          "PDF: the 附件说明 lists both after the body and before the signature")
    check(first.find("2025年1月13日\n（此件公开发布）") >= 0, "PDF: the 附注 on the line after the date")
    for i, (label, name) in enumerate((("附件1", "重点检查企业名单"), ("附件2", "安全生产检查要点")), 1):
        if i >= len(doc):
            break
        spans = [s for b in doc[i].get_text("dict")["blocks"] for l in b.get("lines", [])
                 for s in l["spans"] if s["text"].strip()]
        top = min(spans, key=lambda s: s["bbox"][1]) if spans else None
        check(top is not None and top["text"] == label and abs(top["bbox"][0] - left) < 0.5
              and re.search("sans|hei|黑", top["font"], re.I),
              f"PDF: page {i + 1} opens with {label} flush left in 黑体 ({top and (top['text'], top['font'])})")
        named = [s for s in spans if s["text"] == name]
        check(bool(named) and abs((named[0]["bbox"][0] + named[0]["bbox"][2]) / 2 - (left + right) / 2) < 2,
              f"PDF: {name} centred under its label")
    h = html.read_text(encoding="utf-8")
    check(len(re.findall(r'<div class="pagebreak"></div>\n<h2 id="h-\d+" class="attachment-label">附件\d</h2>', h)) == 2,
          "HTML: each attachment label after a page break")
    note = re.search(r'<div class="attachment-note">(.*?)</div>', h)
    check(bool(note) and "附件：" in note.group(1) and "1．重点检查企业名单" in note.group(1)
          and "2．安全生产检查要点" in note.group(1) and h.find("attachment-note") < h.find('class="signature"'),
          "HTML: the 附件说明 before the signature")
    check(re.search(r'class="sign-date".*?</div></div>\n<p class="annotation">（此件公开发布）</p>', h, re.S) is not None,
          "HTML: the 附注 after the signature")


def numbering(binary, tests, tmp):
    """A template with number_headings numbers unnumbered headings by their
    place, in the PDF (text and outline) and the HTML alike; without it the
    headings read as written."""
    md = tests / "tree" / "auto_number.md"
    tpl = tmp / "numbered.yaml"
    tpl.write_text("extends: gongwen\nnumber_headings: true\n", encoding="utf-8")
    want = ["一、总体要求", "（一）指导思想", "（二）主要目标", "二、重点任务", "（一）稳增长",
            "1.扩大有效投资", "三、保障措施"]
    for numbered in (True, False):
        pdf, page = tmp / f"num-{numbered}.pdf", tmp / f"num-{numbered}.html"
        extra = ["-t", str(tpl)] if numbered else []
        render(binary, md, pdf, *extra)
        render(binary, md, page, *extra)
        doc = fitz.open(pdf)
        text = "".join(p.get_text() for p in doc).replace("\n", "")
        outline = [t for _, t, _ in doc.get_toc()]
        h = page.read_text(encoding="utf-8")
        heads = [re.sub("<[^>]+>", "", x) for x in re.findall(r"<h[2-6] id=\"h-\d+\">(.*?)</h", h)]
        if numbered:
            check(all(w in text for w in want), "numbered: the PDF text carries every number")
            check(all(w in outline for w in want), "numbered: the PDF outline too")
            check(heads == want, f"numbered: the HTML headings ({heads[:3]}…)")
        else:
            check("一、总体要求" not in text and "总体要求" in text and "二、重点任务" in text,
                  "not numbered: headings as written in the PDF")
            check(heads[0] == "总体要求", "not numbered: headings as written in the HTML")


def lead_style(binary, tests, tmp):
    """Lead lines are a part a template can style: `lead: {font: kai}` sets
    一是… and bold-lead paragraphs in 楷体 in the PDF and the HTML, and leaves
    the other paragraphs alone."""
    md = tests / "tree" / "roles.md"
    tpl = tmp / "lead.yaml"
    tpl.write_text("extends: gongwen\nstyles:\n  lead: {font: kai, size: 16pt, indent: 2em}\n",
                   encoding="utf-8")
    pdf, page = tmp / "lead.pdf", tmp / "lead.html"
    render(binary, md, pdf, "-t", str(tpl))
    render(binary, md, page, "-t", str(tpl))
    spans = [sp for p in fitz.open(pdf) for b in p.get_text("dict")["blocks"]
             for l in b.get("lines", []) for sp in l["spans"]]
    font = lambda start: next((sp["font"] for sp in spans if sp["text"].startswith(start)), "")
    check(re.search("kai", font("一是稳增长"), re.I) and re.search("kai", font("规上工业"), re.I)
          and not re.search("kai", font("现在，我代表"), re.I),
          f"PDF: lead lines in the lead style ({font('一是稳增长')}), body text not")
    h = page.read_text(encoding="utf-8")
    check(len(re.findall(r'<p class="lead">', h)) == 2 and
          re.search(r"\.page p\.lead\{font-family:var\(--f-kai\)", h) is not None,
          "HTML: lead lines carry the lead class, styled from the template")


def bad_role(binary, tmp):
    """An unknown role name is an error at its line, with the likely one,
    and no output is written."""
    md, out = tmp / "bad.md", tmp / "bad.pdf"
    md.write_text("# 标题\n\n<!-- role: subtitel -->\n——2025年1月7日在会议上\n\n正文。\n",
                  encoding="utf-8")
    r = subprocess.run([binary, "render", str(md), "-o", str(out)], capture_output=True, text=True)
    check(r.returncode == 1 and f"{md}:3:1: error: unknown role 'subtitel'" in r.stderr
          and "did you mean 'subtitle'?" in r.stderr and not out.exists(),
          "an unknown role is an error at its line, with a suggestion")


def main():
    binary, tests = sys.argv[1], pathlib.Path(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        notes(binary, tests, tmp)
        glossary(binary, tests, tmp)
        attachments(binary, tests, tmp)
        numbering(binary, tests, tmp)
        lead_style(binary, tests, tmp)
        bad_role(binary, tmp)
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
