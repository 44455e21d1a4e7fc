#!/usr/bin/env python3
"""The report's title block, measured in the PDF and in the HTML preview.

For each document and each built-in template: the subtitle line
(——日期在…会议上) and the speaker line are centred in the type area (PDF)
or the text column (HTML) and set in the template's 楷体 role; the
salutation (各位代表：) starts flush left at the type area's edge, in the
body font, while the body paragraph after it keeps its two-character indent.
Which paragraphs play which part comes from `--format tree`.

The HTML half runs in headless Chromium and is skipped when none is
installed (the PDF half always runs).

usage: roles.py BRIEFING DOC.md [DOC.md ...]
"""
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

import fitz

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "html"))
import cdp  # noqa: E402

TEMPLATES = ("gongwen", "briefing", "report")
KAI = re.compile(r"kai|楷", re.I)


def run(binary, md, fmt, tpl, out="-"):
    r = subprocess.run([binary, "render", str(md), "-t", tpl, "--format", fmt, "-o", str(out)],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise SystemExit(f"render {md} -t {tpl} --format {fmt} failed:\n{r.stderr}")
    return r.stdout


def parts(tree):
    """{part: text} of the title block, and the text of the paragraph after the salutation."""
    found, lines, after = {}, tree.splitlines(), None
    for i, line in enumerate(lines):
        m = re.match(r"  paragraph part=(subtitle|speaker|salutation)\b", line)
        if m or (after == "" and line.startswith("  paragraph")):
            text = ""
            for sub in lines[i + 1:]:
                if not sub.startswith("    "):
                    break
                t = re.match(r'\s+text "(.*)"$', sub)
                text += t.group(1) if t else ""
            if m:
                found[m.group(1)] = text
                after = "" if m.group(1) == "salutation" else after
            else:
                found["body"] = text
                after = None
    return found


def grid(dump):
    g = dict(kv.split("=") for kv in dump.splitlines()[0].split()[1:])
    return float(g["left"]), float(g["right"])


def pdf_lines(pdf):
    """(text, x0, x1, font names) of every text line on every page."""
    out = []
    for page in fitz.open(pdf):
        for b in page.get_text("dict")["blocks"]:
            for l in b.get("lines", []):
                spans = [s for s in l["spans"] if s["text"].strip()]
                if spans:
                    out.append(("".join(s["text"] for s in spans), spans[0]["bbox"][0],
                                spans[-1]["bbox"][2], {s["font"] for s in spans}))
    return out


def find(lines, text):
    """The PDF lines that together set text (a paragraph may take two)."""
    for i in range(len(lines)):
        joined = ""
        for j in range(i, min(i + 3, len(lines))):
            joined += lines[j][0]
            if joined.replace(" ", "") == text.replace(" ", "").replace("\u3000", ""):
                return lines[i:j + 1]
            if not text.replace(" ", "").startswith(joined.replace(" ", "")):
                break
    return None


def check_pdf(binary, md, tpl, want, tmp, fail):
    pdf = pathlib.Path(tmp) / f"{md.stem}-{tpl}.pdf"
    run(binary, md, "pdf", tpl, pdf)
    left, right = grid(run(binary, md, "layout", tpl))
    lines = pdf_lines(pdf)
    where = f"{md.name} -t {tpl} (PDF)"
    for part in ("subtitle", "speaker"):
        got = find(lines, want[part])
        if not got:
            fail(f"{where}: {part} line not found: {want[part]}")
            continue
        for text, x0, x1, fonts in got:
            if abs((x0 - left) - (right - x1)) > 2:
                fail(f"{where}: {part} '{text}' not centred: {x0 - left:.1f} pt left, {right - x1:.1f} pt right")
            if not all(KAI.search(f) for f in fonts):
                fail(f"{where}: {part} '{text}' not in the 楷体 role: {sorted(fonts)}")
    sal = find(lines, want["salutation"])
    body = find(lines, want["body"][:12]) or [l for l in lines if l[0].startswith(want["body"][:6])][:1]
    if not sal:
        fail(f"{where}: salutation not found")
    else:
        text, x0, _, fonts = sal[0]
        if abs(x0 - left) > 0.5:
            fail(f"{where}: salutation '{text}' starts {x0 - left:.1f} pt from the left edge")
        if any(KAI.search(f) for f in fonts):
            fail(f"{where}: salutation in 楷体 {sorted(fonts)}, not the body font")
    if body and body[0][1] - left < 10:
        fail(f"{where}: the paragraph after the salutation lost its indent")


MEASURE = """JSON.stringify((() => {
  const main = document.querySelector('main.page'), cs = getComputedStyle(main);
  const left = main.getBoundingClientRect().left + parseFloat(cs.paddingLeft);
  const right = main.getBoundingClientRect().right - parseFloat(cs.paddingRight);
  const text = e => { const r = document.createRange(); r.selectNodeContents(e);
    const rs = [...r.getClientRects()].filter(x => x.width > 0);
    return rs.map(x => [x.left, x.right]); };
  const one = sel => { const e = document.querySelector(sel);
    return e ? {lines: text(e), font: getComputedStyle(e).fontFamily,
                indent: parseFloat(getComputedStyle(e).textIndent)} : null; };
  const sal = document.querySelector('p.salutation');
  let next = sal && sal.nextElementSibling;
  return {left, right, subtitle: one('p.byline'), speaker: one('p.speaker'),
          salutation: one('p.salutation'), body: next ? {lines: text(next)} : null,
          kai: getComputedStyle(document.documentElement).getPropertyValue('--f-kai')};
})())"""


def check_html(browser, binary, md, tpl, tmp, fail):
    page = pathlib.Path(tmp) / f"{md.stem}-{tpl}.html"
    run(binary, md, "html", tpl, page)
    browser.viewport(1280, 900, False)
    browser.load(page.resolve().as_uri())
    g = json.loads(browser.evaluate(MEASURE))
    where = f"{md.name} -t {tpl} (HTML)"
    norm = lambda f: re.sub(r'["\s]', "", f or "")
    kai = norm(g["kai"])
    for part in ("subtitle", "speaker"):
        e = g[part]
        if not e or not e["lines"]:
            fail(f"{where}: no {part} element")
            continue
        x0, x1 = min(a for a, _ in e["lines"]), max(b for _, b in e["lines"])
        if abs((x0 - g["left"]) - (g["right"] - x1)) > 3:
            fail(f"{where}: {part} not centred: {x0 - g['left']:.1f} px left, {g['right'] - x1:.1f} px right")
        if not kai or norm(e["font"]) != kai:
            fail(f"{where}: {part} font {e['font']!r} is not the 楷体 role {kai!r}")
    s = g["salutation"]
    if not s or not s["lines"]:
        fail(f"{where}: no salutation element")
    else:
        if abs(s["lines"][0][0] - g["left"]) > 1 or s["indent"] != 0:
            fail(f"{where}: salutation starts {s['lines'][0][0] - g['left']:.1f} px in (indent {s['indent']})")
        if norm(s["font"]) == kai:
            fail(f"{where}: salutation in 楷体")
    if not g["body"] or g["body"]["lines"][0][0] - g["left"] < 10:
        fail(f"{where}: the paragraph after the salutation lost its indent")


def main():
    binary, docs = sys.argv[1], [pathlib.Path(p) for p in sys.argv[2:]]
    failures = []
    fail = failures.append
    chromium = cdp.find_chromium()
    with tempfile.TemporaryDirectory() as tmp:
        browser = cdp.Browser(chromium) if chromium else None
        if browser:
            browser.open_page()
        try:
            for md in docs:
                for tpl in TEMPLATES:
                    want = parts(run(binary, md, "tree", tpl))
                    missing = {"subtitle", "speaker", "salutation", "body"} - set(want)
                    if missing:
                        fail(f"{md.name}: the model found no {', '.join(sorted(missing))}")
                        continue
                    check_pdf(binary, md, tpl, want, tmp, fail)
                    if browser:
                        check_html(browser, binary, md, tpl, tmp, fail)
        finally:
            if browser:
                browser.close()
    if not chromium:
        print("HTML half skipped: no chromium")
    for f in failures:
        print("FAIL", f)
    print(f"{len(docs) * len(TEMPLATES)} document/template pairs, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
