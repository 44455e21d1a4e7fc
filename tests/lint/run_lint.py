#!/usr/bin/env python3
"""Tests for `briefing lint` (standard library only).

Usage:
  run_lint.py BIN doc NAME          lint NAME.md here, compare with NAME.expected
  run_lint.py BIN example REPORT    the example report: only the real finding(s)
  run_lint.py BIN json              --format json agrees with the text output
  run_lint.py BIN cli               options, usage errors and exit status

A document's exit status must be 1 when its expected output has an error,
else 0. Documents run from this folder so file names in the output are
relative.
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run(bin_, *args, stdin=None):
    p = subprocess.run([bin_, "lint", *args], cwd=HERE, input=stdin,
                       capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def check_doc(bin_, name):
    with open(os.path.join(HERE, name + ".expected"), encoding="utf-8") as f:
        want = f.read()
    rc, err, out = run(bin_, name + ".md")  # text findings are on stderr
    if out != want:
        import difflib
        sys.stdout.writelines(difflib.unified_diff(
            want.splitlines(True), out.splitlines(True), "expected", "actual"))
        fail(f"{name}: output differs")
    want_rc = 1 if "error[" in want or ": error:" in want else 0
    if rc != want_rc:
        fail(f"{name}: exit status {rc}, expected {want_rc}; stderr: {err}")
    if err:
        fail(f"{name}: unexpected stdout: {err}")


def check_example(bin_, report):
    with open(report, encoding="utf-8") as f:
        lines = f.read().split("\n")
    hits = [(i + 1, line.index(" and ") + 2) for i, line in enumerate(lines)
            if "创新型企业 and 科技成果转化" in line]
    if len(hits) != 1:
        fail("the example no longer has the 'and' of the seed text")
    line, col = hits[0]
    rc, err, out = run(bin_, report)  # text findings are on stderr
    want = (f"{report}:{line}:{col}: warning[latin-word]: English word 'and' in "
            "Chinese text (suggestion: write it in Chinese ('和'))\n"
            f"1 problem in {report}\n")
    if out != want or rc != 0:
        fail(f"example: expected only\n{want}got (exit {rc}):\n{out}{err}")


def check_json(bin_):
    for name in ("straight-quote", "unbalanced-bracket", "date-format"):
        rc_t, _, text = run(bin_, name + ".md")  # text findings are on stderr
        rc_j, out, _ = run(bin_, "--format", "json", name + ".md")
        if rc_t != rc_j:
            fail(f"{name}: json exit {rc_j}, text exit {rc_t}")
        items = json.loads(out)
        lines = text.splitlines()
        if lines[-1] != f"{len(items)} problem{'' if len(items) == 1 else 's'} in {name}.md":
            fail(f"{name}: text ends with {lines[-1]!r}, not the summary line")
        lines = lines[:-1]
        if len(items) != len(lines):
            fail(f"{name}: {len(items)} json items for {len(lines)} text lines")
        for it, line in zip(items, lines):
            keys = {"file", "line", "column", "severity", "rule", "message", "suggestion"}
            if set(it) != keys:
                fail(f"{name}: keys {sorted(it)}")
            head = f"{it['file']}:{it['line']}:{it['column']}: {it['severity']}"
            head += f"[{it['rule']}]: " if it["rule"] else ": "
            tail = f" (suggestion: {it['suggestion']})" if it["suggestion"] else ""
            if line != head + it["message"] + tail:
                fail(f"{name}: json {it} does not match text {line!r}")
    rc, out, _ = run(bin_, "--format", "json", "-", stdin="全区经济发展取得新成效。\n")
    if rc != 0 or json.loads(out) != []:
        fail(f"clean input: exit {rc}, output {out!r}")


def check_cli(bin_):
    cases = [
        # args, stdin, exit status, text expected in stdout, in stderr
        (["--disable", "latin-word", "latin-word.md"], None, 0, "", ""),
        (["--disable=latin-word,space-in-han", "space-in-han.md"], None, 0, "", ""),
        (["--disable", "unbalanced-bracket,halfwidth-punct", "unbalanced-bracket.md"], None, 0,
         "", ""),
        (["--disable", "no-such-rule", "latin-word.md"], None, 2, "", "no-such-rule"),
        (["--disable"], None, 2, "", "missing value"),
        (["--format", "xml", "latin-word.md"], None, 2, "", "--format"),
        ([], None, 2, "", "input file"),
        (["a.md", "b.md"], None, 2, "", "more than one"),
        (["--bogus", "a.md"], None, 2, "", "unknown option"),
        (["no-such-file.md"], None, 1, "", "cannot open"),
        (["--help"], None, 0, "--disable RULE", ""),
        (["--list-rules"], None, 0, "heading-numbering", ""),
        (["-"], "打造创新型企业 and 科技成果转化。\n", 0, "",
         "<stdin>:1:9: warning[latin-word]"),
        (["-"], "“未闭合的引号。\n", 1, "", "<stdin>:1:1: error[unbalanced-bracket]"),
    ]
    for args, stdin, want_rc, want_out, want_err in cases:
        rc, out, err = run(bin_, *args, stdin=stdin)
        silent = want_out == "" and out != ""
        if rc != want_rc or want_out not in out or want_err not in err or silent:
            fail(f"lint {' '.join(args)}: exit {rc} (want {want_rc})\n"
                 f"stdout: {out}\nstderr: {err}")
    rc, out, _ = run(bin_, "--list-rules")
    for rule in ("halfwidth-punct", "fullwidth-in-latin", "space-in-han",
                 "space-number-unit", "latin-word", "unbalanced-bracket",
                 "straight-quote", "heading-numbering", "doc-number", "date-format",
                 "repeated-word", "doubled-punct", "indicator-conflict"):
        if rule not in out:
            fail(f"--list-rules lacks {rule}")


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    bin_, mode = os.path.abspath(sys.argv[1]), sys.argv[2]
    if mode == "doc":
        check_doc(bin_, sys.argv[3])
    elif mode == "example":
        check_example(bin_, sys.argv[3])
    elif mode == "json":
        check_json(bin_)
    elif mode == "cli":
        check_cli(bin_)
    else:
        print(__doc__)
        sys.exit(2)
    print("ok")


if __name__ == "__main__":
    main()
