#!/usr/bin/python3
"""Imports a corpus report and checks the result against a hand-checked
expectation file (tests/import/expected/NAME.txt): the front matter, the
dropped noise lines, the title block's first blocks, every heading at its
level and no other; every Han character of the source (less the dropped
lines) is in the output in order; a GB18030 copy imports to the same bytes;
importing twice gives the same bytes; the output renders in every template.

usage: corpus.py BRIEFING CORPUS_DIR NAME [--no-render]"""
import os
import re
import subprocess
import sys
import tempfile

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)


def run_import(binary, src, out, *extra):
    p = subprocess.run([binary, "import", src, "-o", out, *extra],
                       capture_output=True, text=True)
    return p.returncode, p.stderr


def expectations(path):
    front, dropped, blocks, headings = [], [], [], []
    for line in open(path, encoding="utf-8").read().splitlines():
        if line.startswith("dropped:"):
            dropped = [int(x) for x in line[8:].split()]
        elif line.startswith("block: "):
            blocks.append(line[7:])
        elif line.startswith("#"):
            headings.append(line)
        elif line.strip():
            front.append(line)
    return front, dropped, blocks, headings


def split_output(md):
    """front matter lines, body (without HTML comments)"""
    front = []
    if md.startswith("---\n"):
        end = md.index("\n---\n", 4)
        front = md[4:end].splitlines()
        md = md[end + 5:]
    return front, re.sub(r"<!--.*?-->", "", md, flags=re.S)


def han_order(src_lines, dropped, front, body):
    want = "".join(HAN.findall("".join(l for i, l in enumerate(src_lines, 1)
                                       if i not in dropped)))
    title = next((f for f in front if f.startswith("title:")), "")
    got = "".join(HAN.findall(title + body))
    if want == got:
        return
    i = next(k for k in range(min(len(want), len(got)) + 1)
             if k == min(len(want), len(got)) or want[k] != got[k])
    failures.append(f"Han characters differ at {i}: source …{want[max(0, i-10):i+10]}… "
                    f"output …{got[max(0, i-10):i+10]}… ({len(want)} vs {len(got)})")


def main():
    binary, corpus, name = sys.argv[1:4]
    render = "--no-render" not in sys.argv
    here = os.path.dirname(os.path.abspath(__file__))
    src = os.path.join(corpus, name + ".txt")
    e_front, e_dropped, e_blocks, e_headings = expectations(
        os.path.join(here, "expected", name + ".txt"))
    holder = tempfile.TemporaryDirectory(prefix="import-")
    tmp = holder.name
    out = os.path.join(tmp, name + ".md")
    rc, err = run_import(binary, src, out)
    check(rc == 0, f"import exit status {rc}: {err}")
    if rc:
        return
    md = open(out, encoding="utf-8").read()
    front, body = split_output(md)
    check(front == e_front, f"front matter {front} != {e_front}")
    dropped = sorted(int(m) for m in re.findall(r":(\d+):1: note: dropped", err))
    check(dropped == e_dropped, f"dropped lines {dropped} != {e_dropped}")
    blocks = [b for b in body.split("\n\n") if b.strip()][:len(e_blocks)]
    check([b.strip() for b in blocks] == e_blocks, f"title block {blocks} != {e_blocks}")
    headings = [l for l in body.splitlines() if l.startswith("#")]
    for h in sorted(set(headings) - set(e_headings)):
        failures.append(f"false heading: {h}")
    for h in e_headings:
        check(h in headings, f"heading not found at its level: {h}")
    check(headings == e_headings, "the headings differ in order or count")
    src_lines = open(src, encoding="utf-8").read().splitlines()
    han_order(src_lines, set(dropped), front, body)

    out2 = os.path.join(tmp, "again.md")
    run_import(binary, src, out2)
    check(open(out2, "rb").read() == md.encode(), "importing twice gives different bytes")

    gbdir = os.path.join(tmp, "gb")
    os.mkdir(gbdir)
    gb = os.path.join(gbdir, name + ".txt")
    open(gb, "wb").write(open(src, encoding="utf-8").read().encode("gb18030"))
    rc, gerr = run_import(binary, gb, os.path.join(gbdir, name + ".md"))
    check(rc == 0 and "read as GB18030" in gerr, f"GB18030 copy: {rc} {gerr[-300:]}")
    if rc == 0:
        check(open(os.path.join(gbdir, name + ".md"), "rb").read() == md.encode(),
              "the GB18030 copy imports to different Markdown")

    if render:
        for tpl in ("gongwen", "briefing", "report"):
            pdf = os.path.join(tmp, f"{name}-{tpl}.pdf")
            p = subprocess.run([binary, "render", out, "-t", tpl, "-o", pdf],
                               capture_output=True, text=True)
            check(p.returncode == 0, f"render -t {tpl}: {p.returncode} {p.stderr[-500:]}")
            if p.returncode:
                continue
            text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True,
                                  text=True).stdout
            flat = re.sub(r"\s+", "", text)
            for h in e_headings:
                check(re.sub(r"\s+", "", h.lstrip("# ")) in flat,
                      f"{tpl}: heading missing from the PDF text: {h}")


main()
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
