#!/usr/bin/env python3
"""`briefing indicators`: values taken apart correctly, CSV that a
spreadsheet opens, and annotation and chart errors with their lines.

usage: indicators.py BRIEFING EXAMPLE.md
"""
import csv, io, json, os, re, subprocess, sys, tempfile

results = {"passed": 0, "failed": 0}


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    results["passed" if ok else "failed"] += 1


def run(binary, args, stdin=None):
    return subprocess.run([binary] + args, input=stdin, capture_output=True, text=True, timeout=120)


def main():
    binary, example = sys.argv[1], sys.argv[2]
    r = run(binary, ["indicators", example, "--format", "json"])
    check(r.returncode == 0, f"indicators on the example exits 0 {r.stderr[-200:]}")
    items = json.loads(r.stdout or "[]")
    ids = {(i["id"], i["period"]) for i in items}
    check(len(ids) >= 40, f"at least 40 indicators ({len(ids)})")
    pairs = {i for i, p in ids if (i, "2024") in ids and (i, "2025目标") in ids}
    check(len(pairs) >= 7, f"pairs that can be compared ({len(pairs)})")
    by = {i["value"]: i for i in items}
    check(by.get("2.3万人", {}).get("number") == 23000, "2.3万人 → 23000")
    check(by.get("5.5亿元", {}).get("number") == 550000000, "5.5亿元 → 550000000")
    check(all(i["page"] > 0 and i["line"] > 0 and i["label"] for i in items), "every indicator has a label, line and page")
    src = open(example, encoding="utf-8").read().splitlines()
    check(all(f'[{i["value"]}](kpi:{i["id"]}' in src[i["line"] - 1] for i in items),
          "each line number points at the annotation")

    r = run(binary, ["indicators", example])
    check(r.stdout.startswith("\ufeffid,label,period,value,number,unit,qualifier,section,line,page"),
          "CSV has a BOM and a header")
    rows = list(csv.reader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    check(len(rows) == len(items) + 1 and all(len(row) == 12 for row in rows), "CSV rows parse with 12 fields")

    tmp = tempfile.mkdtemp()
    cases = [
        ("unparseable value", "增长[很多](kpi:x@2024 \"某\")。\n", r":1:3: error\[indicator-annotation\]: indicator '很多'"),
        ("two values", "增长[5%](kpi:g@2024 \"增速\")。\n\n又[6%](kpi:g@2024)。\n", r":3:2: error\[indicator-conflict\]: indicator g@2024 is '6%' here but '5%' at line 1"),
        ("bad id", "[5%](kpi:G_1@2024)\n", r":1:1: error: bad indicator reference"),
        ("unknown chart type", "```chart\ntype: radar\ndata: [[a, 1]]\n```\n", r":2:7: error: chart: unknown chart type 'radar'"),
        ("unknown indicator", "```chart\ntype: bar\ndata: [nope@2024]\n```\n", r":3:8: error: chart: unknown indicator 'nope'"),
        ("mixed units", "[5%](kpi:a@2024 \"甲\")[3亿元](kpi:b@2024 \"乙\")\n\n```chart\ntype: column\ndata: [a@2024, b@2024]\n```\n",
         r":5:16: error: chart: mixed units"),
        ("malformed YAML", "文字\n\n```chart\ntype: bar\ndata: [[a, 1]\n```\n", r":\d+:\d+: error: malformed YAML"),
        ("unknown chart key", "```chart\ntype: bar\ncolour: red\ndata: [[a, 1]]\n```\n", r":3:1: error: chart: unknown key 'colour'"),
    ]
    for name, text, pattern in cases:
        md = os.path.join(tmp, "t.md")
        open(md, "w", encoding="utf-8").write(text)
        out = os.path.join(tmp, "t.pdf")
        r = run(binary, ["render", md, "-o", out])
        check(r.returncode == 1 and re.search(pattern, r.stderr) is not None and not os.path.exists(out),
              f"{name}: exit 1, {pattern!r}, no output (got {r.stderr.strip()[:160]!r})")

    # front matter `overview:` picks and orders the overview's indicators
    body = ("甲为[5家](kpi:alpha@2024 \"甲指标\")，目标[8家](kpi:alpha@2025目标)；"
            "乙为[6家](kpi:beta@2024 \"乙指标\")；丙为[7家](kpi:gamma@2024 \"丙指标\")。\n")

    def overview_of(front):
        md = os.path.join(tmp, "ov.md")
        open(md, "w", encoding="utf-8").write(f"---\ntitle: 简报\n{front}---\n\n{body}")
        out = os.path.join(tmp, "ov.html")
        r = run(binary, ["render", md, "-t", "briefing", "-o", out])
        page = open(out, encoding="utf-8").read() if r.returncode == 0 else ""
        m = re.search(r'<section class="overview".*?</section>', page, flags=re.S)
        return r.returncode, m.group(0) if m else ""

    rc, every = overview_of("")
    check(rc == 0 and all(x in every for x in ("甲指标", "乙指标", "丙指标")),
          "without `overview:` the overview shows every indicator")
    rc, chosen = overview_of("overview: [gamma, alpha]\n")
    check(rc == 0 and "乙指标" not in chosen and 0 <= chosen.find("丙指标") < chosen.find("甲指标"),
          "`overview: [gamma, alpha]` shows those two, in that order")
    rc, none = overview_of("overview: []\n")
    check(rc == 0 and none == "", "`overview: []` shows no overview")

    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
