#!/usr/bin/python3
"""`briefing batch`: one summary per department plus the full report and
index.html; page references that point where the blocks really are in the
full report; identical output for any -j; failures isolated; manifest
errors with file and line; an interrupted run leaves no partial files.

usage: batch.py BRIEFING MANIFEST.yaml
"""
import html.parser, json, os, re, shutil, signal, subprocess, sys, tempfile, time
import fitz

HAN = re.compile(r"[\u3400-\u9fff]")
results = {"passed": 0, "failed": 0}


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    results["passed" if ok else "failed"] += 1


def han(s):
    return "".join(HAN.findall(s))


def batch(binary, manifest, out, *args, timeout=600):
    return subprocess.run([binary, "batch", manifest, "-o", out, *args], capture_output=True,
                          text=True, timeout=timeout)


def glyphs(page):
    return [(round(c["origin"][0], 2), round(c["origin"][1], 2), c["c"], s["font"], round(s["size"], 2))
            for b in page.get_text("rawdict")["blocks"] for l in b.get("lines", [])
            for s in l["spans"] for c in s["chars"]]


def same_glyphs_as(a, b):
    """Same pages with the same characters in the same fonts and places."""
    return len(a) == len(b) and all(glyphs(x) == glyphs(y) for x, y in zip(a, b))


def batch_text(binary, folder, name, text, out, *args):
    """Runs a batch on a manifest written beside the example's (its report
    path stays valid), then removes the manifest."""
    path = os.path.join(folder, name)
    open(path, "w", encoding="utf-8").write(text)
    try:
        return batch(binary, path, out, *args)
    finally:
        os.remove(path)


class Blocks(html.parser.HTMLParser):
    """The text of the summary's body blocks, in order."""

    def __init__(self):
        super().__init__()
        self.blocks, self.cur, self.depth = [], None, 0

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "li", "table", "h1", "h2", "h3", "h4") and self.cur is None:
            self.cur, self.depth = [tag, ""], 0
        if self.cur is not None and tag == self.cur[0]:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.cur is not None and tag == self.cur[0]:
            self.depth -= 1
            if self.depth == 0:
                self.blocks.append(tuple(self.cur))
                self.cur = None

    def handle_data(self, data):
        if self.cur is not None:
            self.cur[1] += data


def references(summary_html):
    """(page, first Han characters of the block it follows)."""
    p = Blocks()
    p.feed(open(summary_html, encoding="utf-8").read())
    out = []
    for (tag, text), (_, ref) in zip(p.blocks, p.blocks[1:]):
        m = re.fullmatch(r"\s*（见全文第(\d+)页）\s*", ref)
        if m and tag in ("p", "li", "table") and han(text):
            out.append((int(m.group(1)), han(text)[:12]))
    return out


def main():
    binary, manifest = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp()
    out1, out2 = os.path.join(tmp, "j1"), os.path.join(tmp, "j2")
    r = batch(binary, manifest, out1, "-j", "1")
    check(r.returncode == 0, f"batch -j 1 exits 0 {r.stderr[-300:] if r.returncode else ''}")
    ids = re.findall(r"^\s*-\s*id:\s*(\S+)", open(manifest, encoding="utf-8").read(), flags=re.M)
    check(len(ids) >= 12, f"the manifest has at least 12 departments ({len(ids)})")
    files = set(os.listdir(out1)) if os.path.isdir(out1) else set()
    check(all(f"{i}.pdf" in files and f"{i}.html" in files for i in ids), "a PDF and an HTML per department")
    check({"index.html", "report.pdf", "report.html"} <= files, "index.html and the full report")
    index = open(os.path.join(out1, "index.html"), encoding="utf-8").read() if "index.html" in files else ""
    check(all(f'href="{i}.pdf"' in index for i in ids), "index.html links every summary")
    check("<script" not in index, "index.html has no script")

    full = fitz.open(os.path.join(out1, "report.pdf")) if "report.pdf" in files else None
    pages = [han(p.get_text()) for p in full] if full else []
    bad, total = [], 0
    for i in ids:
        path = os.path.join(out1, f"{i}.html")
        if not os.path.exists(path):
            continue
        refs = references(path)
        total += len(refs)
        for page, start in refs:
            if not (1 <= page <= len(pages) and start in pages[page - 1]):
                bad.append(f"{i}: {start} not on page {page}")
    check(total >= 50 and not bad, f"every block is on the page its reference names ({total} references) {bad[:3]}")
    # the overview cards show the department's own indicators, nothing else
    labels = {x["id"]: x["label"] for x in json.loads(subprocess.run(
        [binary, "indicators", os.path.join(os.path.dirname(os.path.abspath(manifest)), "report.md"),
         "--format", "json"], capture_output=True, text=True).stdout or "[]")}
    text = open(manifest, encoding="utf-8").read()
    strangers, missing = [], []
    for i, block in zip(ids, re.split(r"^\s*-\s*id:", text, flags=re.M)[1:]):
        own = re.search(r"indicators:\s*\[([^\]]*)\]", block)
        own = [x.strip() for x in own.group(1).split(",")] if own else []
        page = open(os.path.join(out1, f"{i}.html"), encoding="utf-8").read() if f"{i}.html" in files else ""
        section = re.search(r'<section class="overview".*?</section>', page, flags=re.S)
        section = section.group(0) if section else ""
        strangers += [f"{i}: {l}" for k, l in labels.items() if k not in own and f">{l}<" in section]
        if own and not any(f">{labels[k]}<" in section for k in own if k in labels):
            missing.append(i)
    check(not strangers and not missing,
          f"each summary's overview shows its own indicators only {strangers[:3]} {missing[:3]}")

    for i in ids[:3]:
        s = subprocess.run(["qpdf", "--check", os.path.join(out1, f"{i}.pdf")], capture_output=True)
        check(s.returncode == 0, f"{i}.pdf passes qpdf --check")
        d = fitz.open(os.path.join(out1, f"{i}.pdf"))
        names = re.findall(r"name:\s*(\S+)", open(manifest, encoding="utf-8").read())
        check(any(n in d[0].get_text() for n in names), f"{i}.pdf names its department on page 1")

    # The batch cuts its fonts down to the report's characters once: every
    # PDF then embeds each face once (nothing fell back to a full face),
    # and the full report is the same, glyph for glyph and pixel for pixel,
    # as a render of its own.
    twice = []
    for f in sorted(files):
        if f.endswith(".pdf"):
            doc = fitz.open(os.path.join(out1, f))
            xrefs = {}
            for p in doc:
                for x in p.get_fonts():
                    # by type too: cairo sets the Latin glyphs of a name-keyed CFF face
                    # (朱雀仿宋) as a small Type 1C subset beside its CID font
                    xrefs.setdefault((x[3].split("+", 1)[-1], x[2]), set()).add(x[0])
            twice += [f"{f}: {n[0]}" for n, x in xrefs.items() if len(x) > 1]
    check(not twice, f"every PDF embeds each face once {twice[:3]}")
    alone = os.path.join(tmp, "alone.pdf")
    template = re.search(r"^template:\s*(\S+)", open(manifest, encoding="utf-8").read(), flags=re.M)
    report = os.path.join(os.path.dirname(os.path.abspath(manifest)), "report.md")
    subprocess.run([binary, "render", report, "-t", template.group(1) if template else "briefing",
                    "-o", alone], capture_output=True)
    if full and os.path.exists(alone):
        single = fitz.open(alone)
        same_glyphs = same_glyphs_as(single, full)
        same_pixels = all(a.get_pixmap(dpi=40).samples == b.get_pixmap(dpi=40).samples
                          for a, b in zip(single, full))
        check(same_glyphs and same_pixels,
              f"the batch's report.pdf matches a render of its own (glyphs {same_glyphs}, pixels {same_pixels})")
    else:
        check(False, "the batch's report.pdf matches a render of its own (nothing to compare)")

    r = batch(binary, manifest, out2, "-j", "2")
    same = r.returncode == 0 and all(
        open(os.path.join(out1, f), "rb").read() == open(os.path.join(out2, f), "rb").read() for f in files)
    check(same, "-j 1 and -j 2 give byte-identical files")

    # one department made to fail: an indicator that does not exist
    text = open(manifest, encoding="utf-8").read()
    folder = os.path.dirname(os.path.abspath(manifest))
    at = text.index("indicators: [")
    first = re.findall(r"id:\s*(\S+)", text[:at])[-1]
    bad_text = text[:at] + "indicators: [no-such-indicator, " + text[at + len("indicators: ["):]
    out3 = os.path.join(tmp, "fail")
    r = batch_text(binary, folder, ".broken-manifest.yaml", bad_text, out3)
    names_failed = re.findall(r"department '([^']+)'", r.stderr)
    check(r.returncode == 1 and first in names_failed and ".broken-manifest.yaml:" in r.stderr,
          f"a failing department is named with the manifest's line and exit 1 ({r.stderr.strip().splitlines()[-2:]})")
    written = os.listdir(out3) if os.path.isdir(out3) else []
    check(f"{first}.pdf" not in written and all(f"{i}.pdf" in written for i in ids if i != first),
          "the other departments are still written")

    # a department may name a template of its own; one that does not exist
    # fails that department alone
    text = open(manifest, encoding="utf-8").read()
    own = ids[1], ids[2]
    text = text.replace(f"  - id: {own[0]}\n", f"  - id: {own[0]}\n    template: report\n", 1)
    text = text.replace(f"  - id: {own[1]}\n", f"  - id: {own[1]}\n    template: nosuch\n", 1)
    out5 = os.path.join(tmp, "templates")
    r = batch_text(binary, folder, ".template-manifest.yaml", text, out5)
    check(r.returncode == 1 and re.search(rf"template-manifest.yaml:\d+:1: error: department '{own[1]}': "
                                          r"template 'nosuch' cannot be used", r.stderr) is not None,
          f"a department's unknown template fails it with the manifest's line ({r.stderr.strip().splitlines()[-2:]})")
    written = os.listdir(out5) if os.path.isdir(out5) else []
    contents = lambda f: "".join(p.get_text() for p in fitz.open(os.path.join(out5, f)))[:400].replace(" ", "")
    check(f"{own[0]}.pdf" in written and "目\u3000录" in contents(f"{own[0]}.pdf")
          and "目\u3000录" not in contents(f"{ids[0]}.pdf") and f"{own[1]}.pdf" not in written,
          f"a department's own template is used (the report template's contents page in {own[0]}.pdf only)")

    # --format md keeps each summary's Markdown: it renders alone to the
    # batch's PDF, and every summary passes the core PDF checks
    out6 = os.path.join(tmp, "md")
    r = batch(binary, manifest, out6, "--format", "pdf,md")
    written = set(os.listdir(out6)) if os.path.isdir(out6) else set()
    check(r.returncode == 0 and all({f"{i}.md", f"{i}.pdf"} <= written for i in ids)
          and not any(f.endswith(".html") and f != "index.html" for f in written),
          "--format pdf,md writes each summary's PDF and Markdown")
    checks = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pdf_checks.py")
    differ, failing = [], []
    for i in ids:
        if f"{i}.md" not in written:
            continue
        alone = os.path.join(tmp, f"{i}-alone.pdf")
        subprocess.run([binary, "render", os.path.join(out6, f"{i}.md"), "-o", alone], capture_output=True)
        if not (os.path.exists(alone) and same_glyphs_as(fitz.open(alone), fitz.open(os.path.join(out6, f"{i}.pdf")))):
            differ.append(i)
        c = subprocess.run([sys.executable, checks, binary, os.path.join(out6, f"{i}.md"), "--short"],
                           capture_output=True, text=True)
        if c.returncode != 0:
            failing.append(f"{i}: " + "; ".join(l for l in c.stdout.splitlines() if l.startswith("FAIL"))[:200])
    check(not differ, f"each summary's Markdown renders alone to the batch's PDF {differ[:3]}")
    check(not failing, f"every summary passes the core PDF checks (pdf_checks.py) {failing[:2]}")

    # manifest errors with file and line
    cases = [
        ("report: nope.md\ndepartments:\n  - {id: a, name: 甲}\n", r":1:1: error: cannot read the report"),
        ("report: report.md\ntemplate: nosuch\ndepartments:\n  - {id: a, name: 甲}\n", r":2:1: error: template 'nosuch'"),
        ("report: report.md\ndepartments:\n  - {id: a, name: 甲}\n  - {id: a, name: 乙}\n", r":4:5: error: manifest: department id 'a' is used twice"),
        ("report: report.md\ndepartments: [\n", r":\d+:\d+: error: malformed YAML"),
        ("report: report.md\ndepartments:\n  - {id: a, name: 甲, colour: red}\n", r":3:\d+: error: manifest: unknown department key 'colour'"),
    ]
    for text, pattern in cases:
        r = batch_text(binary, folder, ".case-manifest.yaml", text, os.path.join(tmp, "case"))
        check(r.returncode == 1 and re.search(pattern, r.stderr) is not None,
              f"manifest error {pattern!r} (got {r.stderr.strip()[:150]!r})")

    # a summary keeps the footnotes its blocks cite (and only those)
    fdir = os.path.join(tmp, "fn")
    os.makedirs(fdir)
    open(os.path.join(fdir, "report.md"), "w", encoding="utf-8").write(
        "---\ntitle: 测试区政府工作报告\ndate: 2025-01-07\nissuer: 测试区人民政府\n---\n\n"
        "# 一、工作回顾\n\n过去一年，各项工作稳步推进。\n\n<!-- dept: sci -->\n科技创新取得新突破，高新技术企业达到120家[^a]。\n\n"
        "全年地区生产总值增长5.2%[^b]。\n\n[^a]: 含新认定企业30家。\n\n[^b]: 按可比价格计算。\n")
    open(os.path.join(fdir, "m.yaml"), "w", encoding="utf-8").write(
        "report: report.md\ntemplate: briefing\n"
        "departments:\n  - {id: sci, name: 区科技局}\n")
    r = batch(binary, os.path.join(fdir, "m.yaml"), os.path.join(fdir, "out"), "--format", "pdf,md")
    md = open(os.path.join(fdir, "out", "sci.md"), encoding="utf-8").read() if r.returncode == 0 else ""
    text = "".join(p.get_text() for p in fitz.open(os.path.join(fdir, "out", "sci.pdf"))) if r.returncode == 0 else ""
    check("[^a]: 含新认定企业30家。" in md and "[^b]" not in md and "[^" not in text and "含新认定企业30家" in text,
          f"a summary prints the footnotes its blocks cite, not '[^a]' {r.stderr[-200:]!r}")

    # SIGINT part-way (after the first summary, with many still to come):
    # nothing half-written is left behind
    text = open(manifest, encoding="utf-8").read()
    entries = text[text.index("departments:"):]
    many = text[:text.index("departments:")] + "departments:\n" + "".join(
        re.sub(r"id:\s*(\S+)", lambda m: f"id: {m.group(1)}-{k}", entries[len("departments:"):], count=0)
        for k in range(8))
    big = os.path.join(folder, ".many-manifest.yaml")
    open(big, "w", encoding="utf-8").write(many)
    out4 = os.path.join(tmp, "int")
    try:
        p = subprocess.Popen([binary, "batch", big, "-o", out4, "-j", "2"], stderr=subprocess.PIPE, text=True)
        first_line = p.stderr.readline()
        check(first_line.startswith("briefing: batch [1/"), f"progress is reported ({first_line.strip()})")
        p.send_signal(signal.SIGINT)
        p.communicate(timeout=120)
    finally:
        os.remove(big)
    left = [f for f in os.listdir(out4) if f.startswith(".")] if os.path.isdir(out4) else []
    pdfs = [f for f in os.listdir(out4) if f.endswith(".pdf")] if os.path.isdir(out4) else []
    check(p.returncode != 0 and not left and len(pdfs) < 8 * len(ids),
          f"SIGINT stops the run and leaves no temporary files (exit {p.returncode}, {len(pdfs)} PDFs, left {left[:3]})")
    for f in (os.listdir(out4) if os.path.isdir(out4) else []):
        if f.endswith(".pdf"):
            ok = subprocess.run(["qpdf", "--check", os.path.join(out4, f)], capture_output=True).returncode == 0
            if not ok:
                check(False, f"after SIGINT {f} is a complete PDF")
                break
    else:
        check(True, "after SIGINT every PDF present is complete")
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
