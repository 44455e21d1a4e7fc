#!/usr/bin/python3
"""A report saved from a government web page: the 2024 national report's
paragraphs inside an article <div>, with the site's menu, a 来源/时间 line,
scripts and a footer around it, saved in UTF-8 and in GBK. Both import to
the same Markdown as the plain text, and the menu and footer are listed as
dropped, never silently.

usage: html_twin.py BRIEFING CORPUS_DIR"""
import html
import os
import re
import subprocess
import sys
import tempfile

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>政府工作报告_中国政府网</title>
<script>var x = "<p>不是正文</p>";</script><style>p {{ margin: 0 }}</style></head>
<body>
<div class="nav"><a href="/">首页</a> | <a href="/zhengce">政策</a> | <a href="/hudong">互动</a></div>
<div class="crumb">当前位置：首页 &gt; 政府工作报告</div>
<div class="article">
<h1>政府工作报告</h1>
<div class="info">来源：新华社</div>
{paragraphs}
</div>
<div class="footer"><p>版权所有：中国政府网</p><p>网站标识码bm01000001</p></div>
</body></html>
"""


def run(binary, src, out):
    p = subprocess.run([binary, "import", src, "-o", out], capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"import {src}: {p.returncode}\n{p.stderr}")
    return open(out, encoding="utf-8").read(), p.stderr


def body(md):
    return re.sub(r"<!--.*?-->", "", md, count=1, flags=re.S)


def main():
    binary, corpus = sys.argv[1:3]
    lines = open(os.path.join(corpus, "national_2024.txt"), encoding="utf-8").read().splitlines()
    text = lines[4:]  # after the copy header and the title
    failures = []
    with tempfile.TemporaryDirectory(prefix="import-html-") as tmp:
        plain = os.path.join(tmp, "plain.txt")
        open(plain, "w", encoding="utf-8").write("\n".join(lines[3:]) + "\n")
        want, _ = run(binary, plain, os.path.join(tmp, "plain.md"))
        paragraphs = "\n".join(f"<p>{html.escape(t)}</p>" for t in text)
        for charset, codec in (("utf-8", "utf-8"), ("gb2312", "gb18030")):
            page = os.path.join(tmp, f"page-{charset}.html")
            open(page, "wb").write(PAGE.format(charset=charset, paragraphs=paragraphs).encode(codec))
            got, err = run(binary, page, os.path.join(tmp, f"page-{charset}.md"))
            if body(got) != body(want):
                import difflib
                failures.append(f"{charset}: differs from the plain text:\n" + "".join(
                    list(difflib.unified_diff(body(want).splitlines(True),
                                              body(got).splitlines(True)))[:40]))
            for dropped in ("首页", "当前位置", "来源：新华社", "版权所有", "网站标识码"):
                if not re.search(rf":\d+:1: note: dropped [^\n]*{dropped}", err):
                    failures.append(f"{charset}: not listed as dropped: {dropped}")
            if "不是正文" in got:
                failures.append(f"{charset}: script text in the output")
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print("ok")


main()
