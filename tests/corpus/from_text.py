#!/usr/bin/python3
"""Plain Markdown from a corpus report (../shared/corpus/NAME.txt format:
`source:` and `title:` lines, a blank line, one paragraph a line).

usage: from_text.py IN.txt > OUT.md

A simple conversion, kept so the files in this folder can be made again:
the first line is the title (#), 一、 lines are ## headings and （一） lines
### headings when they are short and not sentences; everything else is a
paragraph, word for word. Markdown's own marks are escaped.
"""
import re, sys

H1 = re.compile(r"^[一二三四五六七八九十]+、")
H2 = re.compile(r"^（[一二三四五六七八九十]+）")


def escape(line):
    line = re.sub(r"([\\`*_<>\[\]])", r"\\\1", line)
    if re.match(r"^([#>+\-=]|\d+[.)] )", line):
        line = "\\" + line
    return line


def is_heading(line):
    return len(line) <= 40 and not re.search(r"[。；：]", line[:-1]) and not line.endswith("。")


def convert(text):
    head, _, body = text.partition("\n\n")
    meta = dict(l.split(": ", 1) for l in head.splitlines() if ": " in l)
    lines = [l.strip() for l in body.splitlines() if l.strip()]
    place = re.sub(r"^\d+年|政府工作报告$", "", meta["title"])
    author = place if place.endswith("国务院") else place + "人民政府"
    out = ["---", f"title: {meta['title']}", f"author: {author}", f"# source: {meta['source']}",
           "---", ""]
    out += ["# " + escape(lines[0]), ""]
    for line in lines[1:]:
        if H1.match(line) and is_heading(line):
            out.append("## " + escape(line))
        elif H2.match(line) and is_heading(line):
            out.append("### " + escape(line))
        else:
            out.append(escape(line))
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(convert(open(sys.argv[1], encoding="utf-8").read()))
