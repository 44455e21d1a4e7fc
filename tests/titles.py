#!/usr/bin/python3
"""Long titles break between words only and balance (GB/T 9704 7.3.3:
标题回行时要做到词意完整，排列对称，长短适宜).

usage: titles.py BRIEFING TITLES.txt

TITLES.txt holds one title a line, with | where a line may break. Each is
set as a centred level-1 heading in every template; the test checks that
every line ends at a marked place, that no line ends with a word that
leads on (的 和 与 及 关于 …), and that no line is more than 1.5 times as
wide as another.
"""
import re, subprocess, sys, tempfile

LEADING = ("的", "和", "与", "及", "关于", "对于", "对", "在", "为", "向", "从", "把", "将", "并", "或")
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def heading_lines(dump):
    """The lines of each level-1 heading, in order (joiners dropped)."""
    out = []
    for line in dump.splitlines():
        m = re.match(r"  line h1 .*?w=([\d.]+)( h1)? \|(.*)\|$", line)
        if m:
            text = m.group(3).replace("\u2060", "").replace("\u200b", "")
            if m.group(2):
                out.append([])
            out[-1].append((text, float(m.group(1))))
    return out


def main():
    binary, titles_file = sys.argv[1], sys.argv[2]
    titles = [l.strip() for l in open(titles_file, encoding="utf-8")
              if l.strip() and not l.startswith("#")]
    with tempfile.NamedTemporaryFile("w", suffix=".md", encoding="utf-8") as f:
        f.write("".join(f"# {t.replace('|', '')}\n\n" for t in titles))
        f.flush()
        for tpl in ("gongwen", "briefing", "report"):
            r = subprocess.run([binary, "render", f.name, "-t", tpl, "--format", "layout", "-o", "-"],
                               capture_output=True, text=True, timeout=60)
            check(r.returncode == 0, f"{tpl}: renders")
            got = heading_lines(r.stdout)
            check(len(got) == len(titles), f"{tpl}: {len(got)} titles of {len(titles)}")
            for marked, lines in zip(titles, got):
                plain = marked.replace("|", "")
                ends, pos = set(), 0
                for word in marked.split("|")[:-1]:
                    pos += len(word)
                    ends.add(pos)
                pos, bad = 0, []
                for text, _ in lines[:-1]:
                    pos += len(text)
                    if pos not in ends or text.endswith(LEADING):
                        bad.append(text)
                check("".join(t for t, _ in lines) == plain and not bad,
                      f"{tpl}: {' | '.join(t for t, _ in lines)} breaks between words {bad}")
                widths = [w for _, w in lines]
                check(max(widths) <= 1.5 * min(widths),
                      f"{tpl}: {plain[:12]}… lines balance ({', '.join(f'{w:.0f}' for w in widths)} pt)")
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
