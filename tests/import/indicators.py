#!/usr/bin/python3
"""briefing import --indicators on the 2024 national report: the figures
listed here (hand-checked against the text) are annotated with the right
value, unit, qualifier, id and period; no date, ordinal or article number
is; the text is otherwise unchanged; `briefing indicators` reads every
annotation back and the result renders.

usage: indicators.py BRIEFING CORPUS_DIR"""
import csv
import io
import os
import re
import subprocess
import sys
import tempfile

# value as written, id, period, number, unit (with magnitude applied), qualifier
EXPECTED = [
    ("超过126万亿元", "gdp", "2023", 126e12, "元", "超过"),
    ("5.2%", "gdp-growth", "2023", 5.2, "%", ""),
    ("1244万人", "new-jobs", "2023", 12440000, "人", ""),
    ("5.2%", "unemployment-rate", "2023", 5.2, "%", ""),
    ("0.2%", "cpi", "2023", 0.2, "%", ""),
    ("28.6%", "tech-contracts-growth", "2023", 28.6, "%", ""),
    ("1.39万亿斤", "grain-output", "2023", 1.39e12, "斤", ""),
    ("6.1%", "income-growth", "2023", 6.1, "%", ""),
    ("8.4%", "tuo-pin-de-qu-nong-cun-ju-min-shou-ru-growth", "2023", 8.4, "%", ""),
    ("超过2.2万亿元", "xin-zeng-shui-fei-you-hui", "2023", 2.2e12, "元", "超过"),
    ("超过50%", "5g-yong-hu-pu-ji-lu", "2023", 50, "%", "超过"),
    ("超过60%", "xin-neng-yuan-qi-che-chan-xiao-liang", "2023", 60, "%", "超过"),
    ("66.2%", "urbanization-rate", "2023", 66.2, "%", ""),
    ("超过3300万", "poverty-employment", "2023", 33e6, "", "超过"),
    ("5%左右", "gdp-growth", "2024目标", 5, "%", "左右"),
    ("1200万人以上", "new-jobs", "2024目标", 12e6, "人", "以上"),
    ("5.5%左右", "unemployment-rate", "2024目标", 5.5, "%", "左右"),
    ("3%左右", "cpi", "2024目标", 3, "%", "左右"),
    ("1.3万亿斤以上", "grain-output", "2024目标", 1.3e12, "斤", "以上"),
    ("2.5%左右", "energy-intensity-decline", "2024目标", 2.5, "%", "左右"),
    ("3%", "deficit-ratio", "2024目标", 3, "%", ""),
    ("4.06万亿元", "deficit", "2024目标", 4.06e12, "元", ""),
    ("1800亿元", "deficit-increase", "2024目标", 1800e8, "元", ""),
    ("28.5万亿元", "budget-expenditure", "2024目标", 28.5e12, "元", ""),
    ("1.1万亿元", "budget-expenditure-increase", "2024目标", 1.1e12, "元", ""),
    ("3.9万亿元", "special-bonds", "2024目标", 3.9e12, "元", ""),
    ("1000亿元", "special-bonds-increase", "2024目标", 1000e8, "元", ""),
    ("7000亿元", "central-budget-investment", "2024目标", 7000e8, "元", ""),
    ("超过1170万人", "graduates", "2024目标", 1170e4, "人", "超过"),
    ("30元", "ju-min-yi-bao-ren-jun-cai-zheng-bu-zhu-increase", "2024目标", 30, "元", ""),
    ("20元", "basic-pension-increase", "2024目标", 20, "元", ""),
]
LINK = re.compile(r'\[([^\]]*)\]\(kpi:([a-z0-9-]+)@(\S+) "[^"]*"\)')
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def main():
    binary, corpus = sys.argv[1:3]
    src = os.path.join(corpus, "national_2024.txt")
    failures = []
    with tempfile.TemporaryDirectory(prefix="import-kpi-") as tmp:
        out = os.path.join(tmp, "national.md")
        p = subprocess.run([binary, "import", src, "--indicators", "-o", out],
                           capture_output=True, text=True)
        if p.returncode:
            sys.exit(f"import --indicators: exit {p.returncode}\n{p.stderr}")
        md = open(out, encoding="utf-8").read()
        links = LINK.findall(md)
        found = {(v, i, per) for v, i, per in links}
        for value, id_, period, *_ in EXPECTED:
            if (value, id_, period) not in found:
                failures.append(f"not annotated: [{value}](kpi:{id_}@{period})")
        for value, id_, _ in links:
            if re.search(r"\d[年月日届次号条]", value) or value.startswith("第"):
                failures.append(f"a date or ordinal annotated: {value} ({id_})")
        for m in re.finditer(r"第[^\[\]]{0,3}\[|\[[^\]]*\]\(kpi:[^)]*\)[年月日届]", md):
            failures.append(f"an ordinal or date annotated: {m.group(0)}")
        plain = import_plain(binary, src, tmp)
        body = re.sub(r"\]\(kpi:[^)]*\)", "]", md)
        if HAN.findall(strip(body)) != HAN.findall(strip(plain)):
            failures.append("the annotated text's Han characters differ from the plain import")
        q = subprocess.run([binary, "indicators", out, "--format", "csv"],
                           capture_output=True, text=True)
        if q.returncode:
            failures.append(f"briefing indicators: {q.returncode} {q.stderr[-400:]}")
        rows = {(r["id"], r["period"]): r for r in csv.DictReader(io.StringIO(q.stdout.lstrip("\ufeff")))}
        for value, id_, period, number, unit, qual in EXPECTED:
            r = rows.get((id_, period))
            if not r:
                failures.append(f"briefing indicators lacks {id_}@{period}")
                continue
            if abs(float(r["number"]) - number) > 1e-6 * max(1, number) or r["unit"] != unit \
                    or r["qualifier"] != qual or r["value"] != value:
                failures.append(f"{id_}@{period}: read back as {r['value']} {r['number']} "
                                f"{r['unit']!r} {r['qualifier']!r}, want {value} {number} "
                                f"{unit!r} {qual!r}")
        pdf = os.path.join(tmp, "national.pdf")
        r = subprocess.run([binary, "render", out, "-t", "briefing", "-o", pdf],
                           capture_output=True, text=True)
        if r.returncode:
            failures.append(f"render -t briefing: {r.returncode} {r.stderr[-400:]}")
    if len(EXPECTED) < 30:
        failures.append("the test must list at least 30 figures")
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print(f"ok: {len(links)} figures annotated, {len(EXPECTED)} checked")


def strip(md):
    md = md.split("\n---\n", 1)[1] if md.startswith("---\n") else md
    return re.sub(r"<!--.*?-->", "", md, flags=re.S)


def import_plain(binary, src, tmp):
    out = os.path.join(tmp, "plain.md")
    subprocess.run([binary, "import", src, "-o", out], capture_output=True, check=True)
    return open(out, encoding="utf-8").read()


main()
