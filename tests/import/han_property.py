#!/usr/bin/python3
"""A property over made-up reports (a fixed seed, so the same 300 every
run): lines mixing numbering, title-block phrases, notes, attachments,
web noise, figures and Markdown's own characters, in UTF-8 or GB18030.
Whatever the importer makes of them, every Han character of the lines it
does not list as dropped is in the output, in order; stderr is valid UTF-8;
a second import gives the same bytes.

usage: han_property.py BRIEFING"""
import os
import random
import re
import subprocess
import sys
import tempfile

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
PIECES = ["一、", "二、", "十一、", "（一）", "（十一）", "（1）", "1.", "1．", "2、", "01综合",
          "02 农业", "——", "各位代表：", "各位代表！", "注释", "名词解释", "附件", "附件1", "［1］",
          "[1]", "第十四届", "2024年3月5日", "增长5.2%", "1244万人", "超过126万亿元", "5%左右",
          "3%安排", "分别增长", "高于全市0.3个百分点", "新增高新技术企业45家", "**", "*", "_",
          "`", "<", "&amp;", "#", "> ", "- ", "1) ", "|", "~", "\\", "。", "，", "；", "：", "“",
          "”", "责任编辑：", "相关报道：", "来源：", "本报记者 张三摄", "作政府工作报告。", "十五五",
          "回顾", "目标", "abc123", "PM2.5", "5G", "\t", "    ", "　", "\u00a0", "李　强",
          "国务院总理", "市长", "工作报告"]


def han_of_output(md):
    title = ""
    if md.startswith("---\n"):
        end = md.index("\n---\n", 4)
        title = next((l for l in md[4:end].splitlines() if l.startswith("title:")), "")
        md = md[end + 5:]
    md = re.sub(r"^<!-- briefing import of .*?-->", "", md, count=1, flags=re.S | re.M)
    return "".join(HAN.findall(title + md))


def main():
    binary = sys.argv[1]
    rng = random.Random(5)
    failures = []
    with tempfile.TemporaryDirectory(prefix="import-han-") as tmp:
        for i in range(300):
            lines = ["".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 8)))
                     for _ in range(rng.randrange(1, 25))]
            codec = rng.choice(["utf-8", "utf-8", "gb18030"])
            src = os.path.join(tmp, f"r{i}.txt")
            open(src, "wb").write("\n".join(lines).encode(codec))
            out = os.path.join(tmp, f"r{i}.md")
            p = subprocess.run([binary, "import", src, "-o", out], capture_output=True)
            try:
                err = p.stderr.decode("utf-8")
            except UnicodeDecodeError:
                failures.append(f"case {i}: stderr is not UTF-8")
                continue
            if p.returncode:
                if "no text to import" not in err:
                    failures.append(f"case {i}: exit {p.returncode}: {err[-200:]}")
                continue
            dropped = {int(m) for m in re.findall(r":(\d+):1: note: dropped", err)}
            want = "".join(HAN.findall("".join(l for n, l in enumerate(lines, 1)
                                               if n not in dropped)))
            md = open(out, encoding="utf-8").read()
            if han_of_output(md) != want:
                failures.append(f"case {i}: Han characters lost or moved:\n  "
                                + "\n  ".join(lines))
            again = subprocess.run([binary, "import", src, "-o", "-"], capture_output=True).stdout
            if again != md.encode():
                failures.append(f"case {i}: a second import differs")
    if failures:
        print("\n".join(failures[:10]))
        sys.exit(1)
    print("ok")


main()
