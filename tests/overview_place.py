#!/usr/bin/python3
"""Where the key-indicator overview stands, in the PDF and in the HTML.

usage: overview_place.py BRIEFING REPORT.md

In the 简报 the overview follows the report's own title block (after its
speaker line, before 各位代表：), never between the notice's title and the
notice's text. A document with no title block of its own keeps the overview
right after the masthead's title. Reading order comes from PyMuPDF (PDF) and
from the HTML's text with the tags removed.
Needs Debian python3-fitz.
"""
import html, os, re, subprocess, sys, tempfile
import fitz

OVERVIEW = "主要指标一览"
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def render(binary, md, out):
    r = subprocess.run([binary, "render", md, "-t", "briefing", "-q", "-o", out],
                       capture_output=True, text=True, timeout=120)
    if r.returncode:
        raise SystemExit(f"render {md} failed:\n{r.stderr}")


def texts(binary, md, tmp):
    pdf, page = os.path.join(tmp, "b.pdf"), os.path.join(tmp, "b.html")
    render(binary, md, pdf)
    render(binary, md, page)
    body = open(page, encoding="utf-8").read()
    body = body[body.index("<main"):]
    body = re.sub(r"<svg.*?</svg>", "", body, flags=re.S)
    body = re.sub(r'<section class="overview"[^>]*>', OVERVIEW, body)  # its cards are SVG
    plain = html.unescape(re.sub(r"<[^>]+>", "", body))
    return {"PDF": "".join(p.get_text() for p in fitz.open(pdf)).replace("\n", ""),
            "HTML": plain.replace("\n", "")}


def in_order(text, marks):
    at = [text.find(m) for m in marks]
    return all(a >= 0 for a in at) and at == sorted(at), at


def main():
    binary, example = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        for reader, text in texts(binary, example, tmp).items():
            ok, at = in_order(text, ["关于印发政府工作报告的通知", "现将", "西青区区长", OVERVIEW, "各位代表："])
            check(ok, f"{reader}: notice title, its text, the report's title block, the overview, "
                      f"the salutation, in that order {at}")
        bare = os.path.join(tmp, "bare.md")
        src = open(example, encoding="utf-8").read()
        # the same report without its own title block
        src = re.sub(r"^——.*会议上\n\n.*王志平\n", "", src, flags=re.M)
        assert "王志平" not in src.split("各位代表：")[0]
        open(bare, "w", encoding="utf-8").write(src)
        for reader, text in texts(binary, bare, tmp).items():
            ok, at = in_order(text, ["关于印发政府工作报告的通知", OVERVIEW, "现将"])
            check(ok, f"{reader}: without a title block of its own, the overview follows the "
                      f"masthead's title {at}")
    if failures:
        print(f"{len(failures)} failed")
        sys.exit(1)


if __name__ == "__main__":
    main()
