"""The indicator value grammar, audited against every figure of the corpus
reports (tests/data/corpus_figures.txt), one export row per id and period,
and broken annotations reported with their line and a "did you mean".

usage: indicator_values.py BRIEFING
"""
import csv
import io
import json
import math
import pathlib
import re
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
failures = []


def expect(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)
    return ok


def run(binary, args, text, tmp):
    md = tmp / "t.md"
    md.write_text(text, encoding="utf-8")
    return subprocess.run([binary, *args[:1], str(md), *args[1:]], capture_output=True, text=True, timeout=120)


def indicators(binary, text, tmp):
    r = run(binary, ["indicators", "--format", "json"], text, tmp)
    return r, json.loads(r.stdout or "[]")


# (as written, number, unit, magnitude, qualifier as exported, number_high)
CASES = [
    ("6600多万", 66000000, "", "万", "多", None),
    ("5000余户", 5000, "户", "", "余", None),
    ("5万余个", 50000, "个", "万", "余", None),
    ("300多家", 300, "家", "", "多", None),
    ("超20%", 20, "%", "", "超", None),
    ("超过5万元", 50000, "元", "万", "超过", None),
    ("逾1000亿元", 100000000000, "元", "亿", "逾", None),
    ("近70万辆", 700000, "辆", "万", "近", None),
    ("约5.5亿元以上", 550000000, "元", "亿", "约…以上", None),
    ("100万亩以上", 1000000, "亩", "万", "以上", None),
    ("5%左右", 5, "%", "", "左右", None),
    ("1.3万亿元", 1.3e12, "元", "万亿", "", None),
    ("3千万元", 30000000, "元", "千万", "", None),
    ("2百万吨", 2000000, "吨", "百万", "", None),
    ("5千克", 5, "千克", "", "", None),
    ("4.5%—5%", 4.5, "%", "", "", 5),
    ("4.5%-5%", 4.5, "%", "", "", 5),
    ("2-3个", 2, "个", "", "", 3),
    ("5至10万元", 50000, "元", "万", "", 10),
    ("2.50:1", 2.5, ":1", "", "", None),
    ("1％", 1, "%", "", "", None),
    ("-3.2%", -3.2, "%", "", "", None),
    ("51,730元", 51730, "元", "", "", None),
    ("0.4个百分点", 0.4, "个百分点", "", "", None),
    # every magnitude, prefix and qualifier of the grammar, and the units
    # that start like a magnitude; a new word of the grammar is one more row
    ("5", 5, "", "", "", None),
    ("+0.5个百分点", 0.5, "个百分点", "", "", None),
    ("1,234,567.89元", 1234567.89, "元", "", "", None),
    ("1万亿", 1e12, "", "万亿", "", None),
    ("-1.5亿元", -1.5e8, "元", "亿", "", None),
    ("2.3万人", 23000, "人", "万", "", None),
    ("3千户", 3000, "户", "千", "", None),
    ("8百人", 800, "人", "百", "", None),
    ("3.5千米", 3.5, "千米", "", "", None),
    ("110千伏", 110, "千伏", "", "", None),
    ("20千瓦", 20, "千瓦", "", "", None),
    ("101千帕", 101, "千帕", "", "", None),
    ("1.2百分点", 1.2, "百分点", "", "", None),
    ("不少于300家", 300, "家", "", "不少于", None),
    ("不低于95%", 95, "%", "", "不低于", None),
    ("不超过35微克/立方米", 35, "微克/立方米", "", "不超过", None),
    ("约2.5万亿元左右", 2.5e12, "元", "万亿", "约…左右", None),
    ("3%以下", 3, "%", "", "以下", None),
    ("3%以内", 3, "%", "", "以内", None),
    ("2.5‰", 2.5, "‰", "", "", None),
    ("18.5℃", 18.5, "℃", "", "", None),
    ("120㎡", 120, "㎡", "", "", None),
    ("30m²", 30, "m²", "", "", None),
    ("3.2万吨（标准煤）", 32000, "吨（标准煤）", "万", "", None),
    ("5亿kWh", 5e8, "kWh", "亿", "", None),
]

# text that is not a value: an error with its line and column
REJECTED = ["很多", "约", "万人", "5#", "1,23元", "5.5亿元!", "五万人"]

MAGNITUDE = {"万亿": 1e12, "千万": 1e7, "百万": 1e6, "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def check_cases(binary, tmp):
    text = "".join(f"第{i}项[{v}](kpi:v{i}@2024 \"值{i}\")。\n\n" for i, (v, *_) in enumerate(CASES))
    r, items = indicators(binary, text, tmp)
    expect(r.returncode == 0, f"the value grammar cases parse {r.stderr.strip()[:300]}")
    by = {i["value"]: i for i in items}
    for written, number, unit, magnitude, qualifier, high in CASES:
        got = by.get(written, {})
        ok = (got and close(got["number"], number) and got["unit"] == unit and got["magnitude"] == magnitude
              and got["qualifier"] == qualifier and (high is None) == ("number_high" not in got)
              and (high is None or close(got["number_high"], high * MAGNITUDE.get(magnitude, 1))))
        expect(bool(ok), f"{written}: {number:g} {unit!r} {magnitude!r} {qualifier!r}"
               + (f" up to {high:g}" if high else "") + ("" if ok else f" — got {got}"))


def check_rejected(binary, tmp):
    for text in REJECTED:
        r, _ = indicators(binary, f"前文\n\n增长[{text}](kpi:x@2024 \"某\")。\n", tmp)
        expect(r.returncode == 1 and f"t.md:3:3: error[indicator-annotation]: indicator '{text}'" in r.stderr,
               f"{text!r} is refused with its line and column (exit {r.returncode}: {r.stderr.strip()[:160]})")


def oracle(figure):
    """The figure's value by an independent reading: (value, inner qualifier)."""
    s = figure.replace("％", "%")
    m = re.match(r"(?:不少于|不低于|不超过|超过|超|约|近|逾)?([\d,]+(?:\.\d+)?)", s)
    number = float(m.group(1).replace(",", ""))
    rest = s[m.end():]
    rest = re.sub(r"^%?[—\-～~至到][\d,.]+%?", "", rest)
    inner = ""
    if rest[:1] in ("多", "余"):
        inner, rest = rest[0], rest[1:]
    scale = 1
    for word, k in MAGNITUDE.items():
        if rest.startswith(word) and not re.match(r"千[克米瓦伏帕]|百分点", rest):
            scale, rest = k, rest[len(word):]
            break
    if not inner and rest[:1] in ("多", "余"):
        inner = rest[0]
    return number * scale, inner


def check_corpus(binary, tmp):
    figures = [line.split("\t")[0] for line in (HERE / "data" / "corpus_figures.txt").read_text(encoding="utf-8")
               .split("\n") if line and not line.startswith("#")]
    text = "".join(f"[{f}](kpi:c{i}@2024 \"值\")\n\n" for i, f in enumerate(figures))
    r, items = indicators(binary, text, tmp)
    bad = re.findall(r"error.*", r.stderr)
    expect(r.returncode == 0 and not bad, f"all {len(figures)} corpus figures parse {bad[:3]}")
    by = {i["value"]: i for i in items}
    wrong = []
    for f in figures:
        got = by.get(f)
        if not got:
            continue
        value, inner = oracle(f)
        if not close(got["number"], value) or (inner and inner not in got["qualifier"]) \
                or got["unit"][:1] in ("多", "余", "万", "亿"):
            wrong.append((f, got["number"], got["unit"], got["qualifier"]))
    expect(not wrong, f"corpus figures read as their value, qualifier and unit {wrong[:5]}")


def check_one_row(binary, tmp):
    text = ("增长[5%](kpi:gdp@2024 \"增速\")。\n\n再说增长[5%](kpi:gdp@2024)。\n\n"
            "目标[5%左右](kpi:gdp@2025目标)。\n")
    r, items = indicators(binary, text, tmp)
    rows = [i for i in items if i["id"] == "gdp" and i["period"] == "2024"]
    expect(len(rows) == 1, f"the same id and period twice: one JSON row ({len(rows)})")
    expect(rows and [o["line"] for o in rows[0]["occurrences"]] == [1, 3], "the row lists both occurrences")
    r = run(binary, ["indicators", "--format", "csv"], text, tmp)
    table = list(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    gdp = [t for t in table if t["id"] == "gdp" and t["period"] == "2024"]
    expect(len(gdp) == 1 and gdp[0]["occurrences"].split(";")[0].startswith("1:")
           and gdp[0]["occurrences"].count(";") == 1, f"one CSV row with occurrences {gdp}")


BROKEN = [
    ("unclosed annotation", "制定法规[10件](kpi:law-bills@2023 \"地方性法规\"，比上年多。\n",
     r":1:5: error\[indicator-annotation\]: .*no closing parenthesis.*did you mean "
     r"'\[10件\]\(kpi:law-bills@2023 \"地方性法规\"\)'"),
    ("kpl: scheme", "第一段。\n\n增长[5%](kpl:gdp@2024 \"增速\")。\n",
     r":3:3: error\[indicator-annotation\]: link scheme 'kpl:' .*did you mean 'kpi:'"),
    ("id typo", "增长[5%](kpi:gdp-growth@2024 \"增速\")，\n目标[5%左右](kpi:gdp-grwoth@2025)。\n",
     r":2:3: warning: indicator 'gdp-grwoth' .*did you mean 'gdp-growth'"),
    ("chart id typo", "增长[5%](kpi:gdp-growth@2024 \"增速\")。\n\n```chart\ntype: bar\ndata: [gdp-growht@2024]\n```\n",
     r":5:8: error: chart: unknown indicator 'gdp-growht': did you mean 'gdp-growth'"),
]


def check_broken(binary, tmp):
    for name, text, pattern in BROKEN:
        for command in (["render", "-o", str(tmp / "t.pdf")], ["lint"]):
            (tmp / "t.pdf").unlink(missing_ok=True)
            r = run(binary, command, text, tmp)
            hit = re.search(pattern, r.stderr)
            error = "error" in pattern
            expect(bool(hit) and (r.returncode == 1) == error and
                   (command[0] != "render" or (tmp / "t.pdf").exists() != error),
                   f"{command[0]}: {name} /{pattern[:60]}/ (exit {r.returncode})")
    r = run(binary, ["render", "-o", str(tmp / "t.pdf")], "```\n示例：[10件](kpi:a@2023 \"件数\"\n```\n", tmp)
    expect(r.returncode == 0, "an annotation shown in a code block is not checked")


def main():
    binary = str(pathlib.Path(sys.argv[1]).resolve()) if "/" in sys.argv[1] else sys.argv[1]
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        check_cases(binary, tmp)
        check_rejected(binary, tmp)
        check_corpus(binary, tmp)
        check_one_row(binary, tmp)
        check_broken(binary, tmp)
    print(f"{len(failures)} checks failed" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
