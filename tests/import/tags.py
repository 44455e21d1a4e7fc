#!/usr/bin/python3
"""briefing import --manifest: a section whose heading names a department's
keyword is tagged once, right after its heading, and its paragraphs are
not tagged again; other paragraphs that mention a keyword get a block tag
(after a neutral comment when they open a section, so the tag does not
cover the section); the batch summaries then hold those parts.

usage: tags.py BRIEFING CORPUS_DIR"""
import os
import re
import subprocess
import sys
import tempfile

MANIFEST = """report: report.md
departments:
  - id: agriculture
    name: 农业农村局
    keywords: [三农]
  - id: science
    name: 科技局
    keywords: [科技创新]
"""


def blocks_of(md):
    return [b.strip() for b in md.split("\n\n") if b.strip()]


def main():
    binary, corpus = sys.argv[1:3]
    failures = []
    with tempfile.TemporaryDirectory(prefix="import-tags-") as tmp:
        manifest = os.path.join(tmp, "m.yaml")
        open(manifest, "w", encoding="utf-8").write(MANIFEST)
        out = os.path.join(tmp, "report.md")
        p = subprocess.run([binary, "import", os.path.join(corpus, "national_2024.txt"),
                            "--manifest", manifest, "-o", out], capture_output=True, text=True)
        if p.returncode:
            sys.exit(f"import --manifest: {p.returncode}\n{p.stderr}")
        blocks = blocks_of(open(out, encoding="utf-8").read())
        sec = next(i for i, b in enumerate(blocks) if b.startswith("### （七）坚持不懈抓好"))
        if blocks[sec + 1] != "<!-- dept: agriculture -->":
            failures.append(f"the 三农 section is not tagged: {blocks[sec + 1]}")
        end = next(i for i in range(sec + 1, len(blocks)) if blocks[i].startswith("#"))
        inner = [b for b in blocks[sec + 2:end] if "agriculture" in b]
        if inner:
            failures.append(f"paragraphs of a tagged section tagged again: {inner}")
        for i, b in enumerate(blocks):
            m = re.fullmatch(r"<!-- dept: ([a-z, ]+) -->", b)
            if not m:
                continue
            if blocks[i - 1].startswith("#") and i != sec + 1:
                failures.append(f"a block tag right after a heading tags its section: {blocks[i - 1]}")
            target = blocks[i + 1]
            if target.startswith("#"):
                failures.append(f"a tag before a heading: {target}")
            elif i != sec + 1:
                for dep in m.group(1).split(", "):
                    words = {"agriculture": ("三农",), "science": ("科技创新",)}[dep]
                    if not any(w in target for w in words):
                        failures.append(f"{dep} tag on a paragraph without its keywords: {target[:40]}")
        tagged = sum(1 for b in blocks if b.startswith("<!-- dept: science"))
        if tagged < 5:
            failures.append(f"only {tagged} paragraphs tagged for science")
        q = subprocess.run([binary, "batch", manifest, "-o", os.path.join(tmp, "out"),
                            "--format", "html", "-j", "1"], capture_output=True, text=True)
        if q.returncode:
            failures.append(f"batch: {q.returncode} {q.stderr[-400:]}")
        else:
            html = open(os.path.join(tmp, "out", "agriculture.html"), encoding="utf-8").read()
            # only the section tag brings these in: they do not mention 三农
            for text in ("加强粮食和重要农产品稳产保供", "毫不放松巩固拓展脱贫攻坚成果"):
                if text not in html:
                    failures.append(f"the agriculture summary lacks its tagged section: {text}")
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print("ok")


main()
