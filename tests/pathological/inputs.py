"""Generated hostile inputs for pathological.py. Every generator takes a
size factor k (1, 4, 16: the 16x input is the size the issue names) and a
scale that shrinks all sizes (for sanitizer builds), and returns the bytes
of a report, so nothing large is committed."""
import pathlib
import random

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "xiqing-2025" / "report.md"

SENTENCE = ("全年预计地区生产总值同比增长5%，一般公共预算收入同比增长5.1%，"
            "居民人均可支配收入达到51730元，各项主要经济指标继续保持全市前列。")


def example_body():
    """The example report without its front matter."""
    text = EXAMPLE.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        text = text[text.index("\n---\n", 4) + 5:]
    return text


def big_report(k, scale=1.0, total=10 * 1024 * 1024):
    """The example body repeated to total * k / 16 bytes (10 MB at 16x)."""
    body = example_body().encode()
    want = int(total * scale) * k // 16
    reps = max(1, want // len(body))
    return b"---\ntitle: \xe5\xa4\xa7\xe6\x8a\xa5\xe5\x91\x8a\n---\n\n" + body * reps


def long_paragraph(k, scale=1.0, chars=1_000_000):
    """One paragraph of chars * k / 16 characters (1 million at 16x): words
    of random length between random punctuation, which keeps the line-end
    compression busy on every line."""
    n = max(1, int(chars * scale)) * k // 16
    rnd = random.Random(8)
    han = "经济社会发展取得新成效产业焕新见行见效科技创新城市更新民生改善"
    marks = ["，", "。", "、", "；", "：", "”", "“", "《", "》", "（", "）", "——", "……", "！"]
    out, count = [], 0
    while count < n:
        w = "".join(rnd.choice(han) for _ in range(rnd.randint(1, 9))) + rnd.choice(marks)
        out.append(w)
        count += len(w)
    return ("# 一、长段落\n\n" + "".join(out)[:n] + "\n").encode()


def nested_lists(k, scale=1.0, depth=10_000):
    """Lists nested depth * k / 16 deep: "- - - …" opens one list per marker;
    a second item closes them all again."""
    n = max(1, int(depth * scale)) * k // 16
    return ("# 一、列表\n\n" + "- " * n + "第一项\n" + "1. " * (n // 2) + "第二项\n\n正文。\n").encode()


def nested_quotes(k, scale=1.0, depth=10_000):
    """Quotes nested depth * k / 16 deep, a list inside, then body text."""
    n = max(1, int(depth * scale)) * k // 16
    return ("# 一、引文\n\n" + "> " * n + "- 引文\n\n正文。\n").encode()


def big_table(k, scale=1.0, rows=5_000):
    n = max(1, int(rows * scale)) * k // 16
    out = ["| 序号 | 项目名称 | 投资额（亿元） | 进度 |", "| --- | --- | ---: | --- |"]
    out += ["| %d | 第%d个重点项目建设工程 | %d.%d | 已完成%d%% |" % (i, i, i % 97, i % 10, i % 100)
            for i in range(n)]
    return ("# 一、项目表\n\n" + "\n".join(out) + "\n").encode()


def many_indicators(k, scale=1.0, count=10_000):
    n = max(1, int(count * scale)) * k // 16
    paras = []
    for i in range(0, n, 10):
        links = "，".join('指标%d达到[%d.%d亿元](kpi:ind-%d@2024 "指标%d")' % (j, j, j % 10, j, j)
                         for j in range(i, min(n, i + 10)))
        paras.append(links + "。")
    return ("# 一、指标\n\n" + "\n\n".join(paras) + "\n").encode()


def many_indicators_overview(k, scale=1.0, count=10_000):
    """many_indicators in the report template, whose overview cards and
    comparison chart look at every annotation: each id has a 2024 value
    and a 2025 target."""
    n = max(1, int(count * scale)) * k // 16
    paras = []
    for i in range(0, n, 10):
        links = "，".join('指标%d从[%d.%d亿元](kpi:ind-%d@2024 "指标%d")增至[%d.%d亿元](kpi:ind-%d@2025目标)'
                         % (j, j, j % 10, j, j, j + 1, j % 10, j) for j in range(i, min(n, i + 10)))
        paras.append(links + "。")
    return ("---\ntitle: 指标报告\ntemplate: report\n---\n\n# 一、指标\n\n" + "\n\n".join(paras)
            + "\n").encode()


def big_chart(k, scale=1.0, points=10_000):
    n = max(1, int(points * scale)) * k // 16
    rows = ", ".join("[项目%d, %d.%d]" % (i, i % 1000, i % 10) for i in range(n))
    return ("# 一、图表\n\n```chart\ntype: line\ntitle: 大量数据点\nunit: 亿元\ndata: [%s]\n```\n"
            % rows).encode()


def nested_emphasis(k, scale=1.0, depth=30_000):
    n = max(1, int(depth * scale)) * k // 16
    return ("# 一、强调\n\n" + "*" * n + "重点" + "*" * n + "工作。\n\n"
            + "**“三新”**" * (n // 8) + "工作\n").encode()


def unclosed_brackets(k, scale=1.0, count=50_000):
    n = max(1, int(count * scale)) * k // 16
    return ("[" * n + "正文" + "](kpi:x" * (n // 4) + "\n").encode()


SCALING = {
    "big_report": big_report,
    "long_paragraph": long_paragraph,
    "nested_lists": nested_lists,
    "nested_quotes": nested_quotes,
    "big_table": big_table,
    "many_indicators": many_indicators,
    "many_indicators_overview": many_indicators_overview,
    "big_chart": big_chart,
    "nested_emphasis": nested_emphasis,
    "unclosed_brackets": unclosed_brackets,
}


if __name__ == "__main__":
    # inputs.py NAME K SCALE OUT: writes one input (run as its own process,
    # so the test runner stays small and its forks do not inflate the
    # children's peak RSS)
    import sys
    name, k, scale, out = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    pathlib.Path(out).write_bytes(SCALING[name](k, scale))
