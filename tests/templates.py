#!/usr/bin/python3
"""The built-in templates, measured on the PDF: the 公文 版头, 版记 and page
numbers against GB/T 9704-2012, the report's table of contents against the
pages its headings land on, and a custom template that extends briefing.

usage: templates.py BRIEFING EXAMPLE.md
"""
import os, re, subprocess, sys, tempfile
import fitz

MM = 2.834645669
LEFT, RIGHT, TOP, BOTTOM = 28 * MM, 184 * MM, 37 * MM, 262 * MM
TOL = 0.5 * MM
results = {"passed": 0, "failed": 0}


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    results["passed" if ok else "failed"] += 1


def render(binary, md, out, *args):
    r = subprocess.run([binary, "render", md, "-o", out, *args], capture_output=True, text=True,
                       timeout=120)
    check(r.returncode == 0, f"render {' '.join(args)} exits 0 {r.stderr[-300:] if r.returncode else ''}")
    return fitz.open(out) if r.returncode == 0 else None


def spans(page):
    for b in page.get_text("dict")["blocks"]:
        for l in b.get("lines", []):
            for s in l["spans"]:
                if s["text"].strip():
                    yield s


def red(color):
    r, g, b = (color >> 16) & 255, (color >> 8) & 255, color & 255
    return r >= 200 and g <= 90 and b <= 90


def rules(page):
    out = []
    for d in page.get_drawings():
        for item in d["items"]:
            if item[0] == "l" and abs(item[1].y - item[2].y) < 0.01:
                out.append((min(item[1].x, item[2].x), max(item[1].x, item[2].x), item[1].y,
                            d.get("width") or 0, d.get("color")))
    return out


def gongwen(binary, md, tmp):
    doc = render(binary, md, os.path.join(tmp, "g.pdf"))
    if not doc:
        return
    p1 = doc[0]
    mark = [s for s in spans(p1) if s["text"].endswith("文件")]
    check(len(mark) == 1, "版头: one 发文机关标志 ending in 文件")
    if mark:
        s = mark[0]
        em_top = s["origin"][1] - 0.88 * s["size"]
        check(abs(em_top - (TOP + 35 * MM)) <= TOL, f"标志 top 35 mm below the type area ({(em_top - TOP) / MM:.2f} mm)")
        x0, x1 = s["bbox"][0], s["bbox"][2]
        check(abs((x0 + x1) / 2 - (LEFT + RIGHT) / 2) <= TOL, "标志 centred on the type area")
        check(red(s["color"]), "标志 is red")
    number = [s for s in spans(p1) if "〔" in s["text"] and s["text"].endswith("号")]
    check(len(number) == 1, "文号 under the 标志")
    red_rules = [r for r in rules(p1) if r[4] and r[4][0] > 0.8 and r[4][1] < 0.35]
    check(len(red_rules) == 1, "one red rule in the 版头")
    if number and red_rules and mark:
        n = number[0]
        x0, x1, y, w, c = red_rules[0]
        check(abs(x0 - LEFT) <= TOL and abs(x1 - RIGHT) <= TOL, f"red rule 156 mm wide ({(x1 - x0) / MM:.2f} mm)")
        below = y - (n["origin"][1] + 0.12 * n["size"])
        check(abs(below - 4 * MM) <= TOL, f"red rule 4 mm below the 文号 ({below / MM:.2f} mm)")
        centre = (n["bbox"][0] + n["bbox"][2]) / 2
        check(abs(centre - (LEFT + RIGHT) / 2) <= TOL, "文号 centred")
        gap = n["origin"][1] - 0.88 * n["size"] - (mark[0]["origin"][1] + 0.12 * mark[0]["size"])
        pitch = 225 * MM / 22  # two empty grid lines, then the 文号's line with its half leading
        check(abs(gap - (2 * pitch + (pitch - 16) / 2)) <= 3, f"two blank lines between 标志 and 文号 ({gap:.1f} pt)")
    # page numbers: "— N —", 14 pt, 7 mm below the type area, odd right / even left, 1 字 in
    for i in range(min(4, doc.page_count - 1)):
        foot = sorted((s for s in spans(doc[i]) if s["origin"][1] > BOTTOM), key=lambda s: s["bbox"][0])
        text = "".join(s["text"] for s in foot).strip()
        check(re.fullmatch(r"— ?\d+ ?—", text) is not None and all(abs(s["size"] - 14) < 0.01 for s in foot),
              f"page {i + 1}: one 14 pt page number ({text})")
        if not foot:
            continue
        s = {"origin": foot[0]["origin"], "size": 14, "bbox": (foot[0]["bbox"][0], 0, foot[-1]["bbox"][2], 0)}
        dash_centre = s["origin"][1] - 0.38 * s["size"]
        check(abs(dash_centre - (BOTTOM + 7 * MM)) <= TOL, f"page {i + 1}: 一字线 7 mm below the type area")
        if (i + 1) % 2:
            check(abs(s["bbox"][2] - (RIGHT - 16)) <= 2, f"page {i + 1} (odd): right, one character in")
        else:
            check(abs(s["bbox"][0] - (LEFT + 16)) <= 2, f"page {i + 1} (even): left, one character in")
    # 版记 on the last page: rules of 0.35 / 0.25 mm, the last on the type area's bottom edge
    last = doc[-1]
    rs = sorted(rules(last), key=lambda r: r[2])
    check(len(rs) >= 2, "版记 rules on the last page")
    if rs:
        x0, x1, y, w, c = rs[-1]
        check(abs(y - BOTTOM) <= TOL and abs(w - 0.35 * MM) < 0.05, "last 版记 rule on the bottom edge, 0.35 mm")
        check(abs(x0 - LEFT) <= TOL and abs(x1 - RIGHT) <= TOL, "版记 rules 156 mm wide")
        check(abs(rs[0][3] - 0.35 * MM) < 0.05, "first 版记 rule 0.35 mm")
    printed = [s for s in spans(last) if s["text"].endswith("印发")]
    check(len(printed) == 1 and abs(printed[0]["bbox"][2] - (RIGHT - 14)) <= 2,
          "印发日期 flush right, one character in")
    sig = [s for s in spans(doc[0]) if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", s["text"].strip())]
    check(len(sig) == 1 and abs(sig[0]["bbox"][2] - (RIGHT - 4 * 16)) <= 2,
          "成文日期 right end four characters in")


def duplex(binary, md, tmp):
    """Double-sided printing: the 版记 lands on an even page, and the pages
    without text before it carry no number; 抄送 wraps under its names."""
    text = open(md, encoding="utf-8").read()
    text = text.replace("\n---\n", "\nduplex: true\ncc: [区委各部门, 区人大常委会办公室, 区政协办公室, "
                        "区纪委监委, 区法院, 区检察院, 区人武部, 各人民团体, 各驻区单位]\n---\n", 1)
    path = os.path.join(tmp, "duplex.md")
    open(path, "w", encoding="utf-8").write(text)
    doc = render(binary, path, os.path.join(tmp, "d.pdf"))
    if not doc:
        return
    check(doc.page_count % 2 == 0, f"duplex: the 版记 is on an even page ({doc.page_count})")
    last = doc[-1]
    cc = [s for s in spans(last) if s["text"].startswith("抄送：")]
    check(len(cc) == 1 and abs(cc[0]["bbox"][0] - (LEFT + 14)) <= 2, "抄送 one character in")
    check(not any(re.fullmatch(r"— ?\d+ ?—", s["text"].replace("\u2005", " ").strip())
                  for s in spans(last)), "the 版记 page alone carries no page number")
    rs = sorted(rules(last), key=lambda r: r[2])
    widths = [round(r[3] / MM, 2) for r in rs]
    check(len(rs) == 3 and widths[1] == 0.25, f"a thin rule between 抄送 and 印发 ({widths})")


def report(binary, md, tmp):
    doc = render(binary, md, os.path.join(tmp, "r.pdf"), "-t", "report")
    if not doc:
        return
    toc = doc.get_toc()
    heading_page = {}
    for level, title, page in toc:
        heading_page.setdefault(title, page)
    entries, links_ok, numbers_ok = 0, 0, 0
    for pno in range(doc.page_count):
        page = doc[pno]
        lines = {}
        for s in spans(page):
            lines.setdefault(round(s["origin"][1], 1), []).append(s)
        goto = [l for l in page.get_links() if l["kind"] == fitz.LINK_GOTO]
        for y, ss in lines.items():
            ss.sort(key=lambda s: s["bbox"][0])
            title = "".join(s["text"] for s in ss[:-1]).strip()
            if len(ss) < 2 or title not in heading_page or not ss[-1]["text"].strip().isdigit():
                continue
            entries += 1
            if int(ss[-1]["text"]) == heading_page[title]:
                numbers_ok += 1
            if any(l["page"] + 1 == heading_page[title] and l["from"].y0 - 2 <= y <= l["from"].y1 + 2
                   for l in goto):
                links_ok += 1
    check(entries >= 15, f"contents lists the headings ({entries} entries)")
    check(entries and numbers_ok == entries, f"every contents page number is its heading's page ({numbers_ok}/{entries})")
    check(entries and links_ok == entries, f"every contents entry links to its heading's page ({links_ok}/{entries})")
    check(not any(re.fullmatch(r"\d+", s["text"].strip()) for s in spans(doc[0])), "no page number on the cover")
    headers = [s["text"] for s in spans(doc[5]) if s["origin"][1] < 28 * MM]
    check(bool(headers), f"running header on page 6 ({headers[:1]})")
    plain = os.path.join(tmp, "plain.md")
    open(plain, "w", encoding="utf-8").write("---\ntitle: 无标题报告\n---\n\n正文一段。\n")
    doc = render(binary, plain, os.path.join(tmp, "plain.pdf"), "-t", "report")
    if doc:
        text = "".join(p.get_text() for p in doc).replace(" ", "").replace("\u3000", "")
        check(doc.page_count == 2 and "目录" not in text,
              f"no headings: the cover and the text, no contents page ({doc.page_count} pages)")


def custom(binary, md, tmp):
    tpl = os.path.join(tmp, "mine.yaml")
    open(tpl, "w", encoding="utf-8").write(
        "extends: briefing\npalette: {red: \"#0050A0\"}\nstyles:\n  body: {size: 12pt}\n")
    doc = render(binary, md, os.path.join(tmp, "c.pdf"), "-t", tpl)
    if not doc:
        return
    sizes = {}
    for p in doc:
        for s in spans(p):
            sizes[round(s["size"], 1)] = sizes.get(round(s["size"], 1), 0) + len(s["text"])
    check(max(sizes, key=sizes.get) == 12.0, "custom template: body set at 12 pt")
    blue = [r for r in rules(doc[0]) if r[4] and abs(r[4][2] - 0xA0 / 255) < 0.01 and r[4][0] < 0.01]
    check(len(blue) >= 1, "custom template: the masthead rule takes the new palette colour")
    head = [s for s in spans(doc[0]) if "简报" in s["text"]]
    check(bool(head) and head[0]["color"] != 0, "custom template keeps briefing's masthead")


def main():
    binary, md = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp()
    gongwen(binary, md, tmp)
    duplex(binary, md, tmp)
    report(binary, md, tmp)
    custom(binary, md, tmp)
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
