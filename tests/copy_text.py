#!/usr/bin/python3
"""Copied text of the letter-spaced 发文机关标志 and of "——" is exact.

usage: copy_text.py BRIEFING

Renders a 公文 with a long, a middling and a short 发文机关标志 (the long
one justified over the measure, the middling one spread wide with gaps of
0.4 em, the short one centred) and a subtitle opening with "——", in every
template, as a plain PDF and as PDF/A-2b, and reads the text back with
pdftotext and PyMuPDF: the mark is one line of its characters with no
spaces, and "——" is two U+2014 with nothing between. The spread mark copies
exactly through its ActualText; MuPDF 1.21 (Debian 12) reads no ActualText
and puts a space in each gap, so with PyMuPDF that one is checked for its
characters in order, and exactly with TEXT_INHIBIT_SPACES.
Needs Debian python3-fitz and poppler-utils.
"""
import os, subprocess, sys, tempfile
import fitz

DOC = """---
title: {issuer}关于印发政府工作报告的通知
issuer: {issuer}
doc_number: 测试〔2025〕1号
date: 2025-01-13
---

现将《政府工作报告》印发给你们，请认真贯彻落实。

<!-- pagebreak -->

# 政府工作报告

——2025年1月7日在测试区第十八届人民代表大会第六次会议上

各位代表：

现在，我代表区人民政府向大会报告工作，请予审议。
"""
ISSUERS = ["天津市西青区人民政府", "西青区人民政府", "测试机关"]
SPREAD = "西青区人民政府"
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def lines(pdf):
    poppler = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True,
                             text=True, check=True).stdout
    doc = fitz.open(pdf)
    mupdf = "".join(page.get_text() for page in doc)
    tight = "".join(page.get_text(flags=fitz.TEXT_INHIBIT_SPACES) for page in doc)
    return {"pdftotext": [l.strip() for l in poppler.splitlines()],
            "PyMuPDF": [l.strip() for l in mupdf.splitlines()],
            "PyMuPDF (spaces inhibited)": [l.strip() for l in tight.splitlines()]}


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        for issuer in ISSUERS:
            md = os.path.join(tmp, "r.md")
            open(md, "w", encoding="utf-8").write(DOC.format(issuer=issuer))
            for tpl, std in [(t, s) for t in ("gongwen", "briefing", "report")
                             for s in ("none", "a-2b")]:
                pdf = os.path.join(tmp, f"{tpl}.pdf")
                r = subprocess.run([binary, "render", md, "-t", tpl, "--pdf-standard", std, "-q",
                                    "-o", pdf], capture_output=True, text=True, timeout=120)
                tpl = f"{tpl} {std}"
                check(r.returncode == 0, f"{tpl} {issuer}: render exits 0 {r.stderr[-200:]}")
                if r.returncode:
                    continue
                for reader, text in lines(pdf).items():
                    if tpl.startswith("gongwen"):
                        lines_ = text
                        if reader == "PyMuPDF" and issuer == SPREAD:
                            lines_ = [l.replace(" ", "") for l in text]
                        check(issuer + "文件" in lines_,
                              f"{tpl} {issuer}: the 版头 copies as one line with {reader}")
                    dash = [l for l in text if "2025年1月7日" in l]
                    check(bool(dash) and dash[0].startswith("——2025年1月7日"),
                          f"{tpl} {issuer}: '——' copies as two dashes with {reader} {dash[:1]}")
    if failures:
        print(f"{len(failures)} failed")
        sys.exit(1)


if __name__ == "__main__":
    main()
