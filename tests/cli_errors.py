#!/usr/bin/env python3
"""Bad input gives a GCC-style diagnostic, the documented exit status, and
no output file; an existing output file is left untouched.

usage: cli_errors.py BRIEFING
"""
import os, re, subprocess, sys, tempfile

failures = []
passes = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    (passes if ok else failures).append(what)


def run(binary, args, stdin=None):
    return subprocess.run([binary] + args, input=stdin, capture_output=True, timeout=60)


def main():
    binary = sys.argv[1]
    tmp = tempfile.mkdtemp()

    def path(name, data=None):
        p = os.path.join(tmp, name)
        if data is not None:
            with open(p, "wb") as f:
                f.write(data)
        return p

    good = path("good.md", "# 一、标题\n\n正文。\n".encode())
    cases = [
        ("missing input", [path("nope.md")], rb"nope\.md: error: cannot open", 1),
        ("invalid UTF-8", [path("bad.md", "第一行\n第二\xff行\n".encode("latin-1", "ignore")
                                      if False else "第一行\n第二".encode() + b"\xff" + "行\n".encode())],
         rb"bad\.md:2:3: error: invalid UTF-8", 1),
        ("NUL byte", [path("nul.md", b"abc\n\x00\n")], rb"nul\.md:2:1: error:", 1),
        ("malformed front matter", [path("fm.md", "---\ntitle: [未闭合\n---\n正文\n".encode())],
         rb"fm\.md:3:1: error: malformed YAML", 1),
        ("unclosed front matter", [path("fm2.md", "---\ntitle: 标题\n正文\n".encode())],
         rb"fm2\.md:1:1: error: front matter", 1),
        ("bad date", [path("date.md", "---\ndate: 2025-13-01\n---\n正文\n".encode())],
         rb"date\.md:2:7: error: front matter 'date'", 1),
        ("overview naming an unknown indicator",
         [path("ov.md", "---\ntitle: 标题\noverview: [gdp, nosuch]\n---\n增长[5%](kpi:gdp)。\n".encode())],
         rb"ov\.md:3:1: error: front matter 'overview': 'nosuch' is not an indicator", 1),
        ("unknown template", [good, "-t", "nosuch"], rb"error: unknown template 'nosuch' \(built-in: ", 1),
        ("broken template file", [good, "-t", path("t.yaml", b"extends: gongwen\npage: {widht: 10mm}\n")],
         rb"t\.yaml:2:8: error: template: unknown key 'page\.widht'", 1),
        ("unknown pdf_standard in a template",
         [good, "-t", path("std.yaml", b"extends: gongwen\npdf_standard: A2B\n")],
         rb"std\.yaml:2:15: error: template: unknown pdf_standard 'A2B' \(none or a-2b\) "
         rb"\(suggestion: did you mean 'a-2b'\?\)", 1),
        ("unknown --pdf-standard", [good, "--pdf-standard", "pdfa-2b"],
         rb"error: unknown --pdf-standard: pdfa-2b \(use none or a-2b; did you mean a-2b\?\)", 2),
    ]
    for name, args, pattern, status in cases:
        out = path("out.pdf")
        r = run(binary, ["render"] + args + ["-o", out])
        check(r.returncode == status, f"{name}: exit {status} (got {r.returncode})")
        check(re.search(pattern, r.stderr) is not None, f"{name}: message {pattern!r} (got {r.stderr[:200]!r})")
        check(not os.path.exists(out), f"{name}: no output file")
        check(not [f for f in os.listdir(tmp) if f.startswith(".out.pdf")], f"{name}: no temporary file left")

    keep = path("keep.pdf", b"%PDF-1.5 previous good file")
    r = run(binary, ["render", path("nul.md"), "-o", keep])
    check(r.returncode == 1 and open(keep, "rb").read() == b"%PDF-1.5 previous good file",
          "a failed render leaves an existing output untouched")

    r = run(binary, ["render", good, "-o", os.path.join(tmp, "no", "such", "dir.pdf")])
    check(r.returncode == 1 and b"cannot write" in r.stderr, "unwritable output: exit 1 and a message")

    for args, what in [([], "no command"), (["render"], "render without input"),
                       (["render", good], "render without -o"), (["render", good, "-x"], "unknown option"),
                       (["frobnicate"], "unknown command"),
                       (["render", good, "-o", path("x.pdf"), "--format", "docx"], "unknown format")]:
        r = run(binary, args)
        check(r.returncode == 2 and b"error:" in r.stderr, f"usage error ({what}): exit 2")

    for args in (["--help"], ["--version"], ["render", "--help"], ["templates"], ["render", "--version"],
                 ["batch", "--help"], ["indicators", "--help"], ["lint", "--help"], ["lint", "--version"],
                 ["batch", "--version"]):
        r = run(binary, args)
        check(r.returncode == 0 and r.stdout, f"{' '.join(args)} works")
    r = run(binary, ["templates"])
    check(b"gongwen" in r.stdout, "templates lists gongwen")

    r = run(binary, ["render", "-", "-o", "-"], stdin="# 一、标题\n\n正文。\n".encode())
    check(r.returncode == 0 and r.stdout.startswith(b"%PDF-"), "stdin to stdout")

    print(f"{len(passes)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
