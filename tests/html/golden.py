#!/usr/bin/env python3
"""Golden HTML tests: every golden/NAME.md is rendered with
`briefing render NAME.md --format html -o -` (plus the arguments in
NAME.args, if present, e.g. `-t dots.yaml`; run from the golden folder) and
compared with NAME.html. Only the part from <body on is compared, so a
change to the style sheet does not touch every file; for NAME starting with
"full-" the whole document, style sheet included, is compared.

usage: golden.py BRIEFING DIR [--accept]   (--accept rewrites the .html files)
"""
import difflib
import pathlib
import shlex
import subprocess
import sys


def rendered(binary, md):
    args_file = md.with_suffix(".args")
    extra = shlex.split(args_file.read_text()) if args_file.exists() else []
    r = subprocess.run([binary, "render", md.name, "--format", "html", "-o", "-", *extra],
                       cwd=md.parent, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"exit {r.returncode}\n{r.stderr}")
    out = r.stdout
    if not md.name.startswith("full-"):
        at = out.find("<body")
        if at < 0:
            raise RuntimeError("no <body in the output")
        out = out[at:]
    return out


def main():
    binary, folder = sys.argv[1], pathlib.Path(sys.argv[2])
    if "/" in binary:
        binary = str(pathlib.Path(binary).resolve())  # the runs change folder
    accept = "--accept" in sys.argv
    failed = passed = 0
    for md in sorted(folder.glob("*.md")):
        want_file = md.with_suffix(".html")
        try:
            got = rendered(binary, md)
        except Exception as e:  # a crash or a timeout is a failure, not an abort
            print(f"FAIL {md.name}: {e}")
            failed += 1
            continue
        if accept:
            want_file.write_text(got, encoding="utf-8")
            print(f"accepted {want_file.name}")
            continue
        want = want_file.read_text(encoding="utf-8") if want_file.exists() else ""
        if got != want:
            failed += 1
            print(f"FAIL {md.name}: output differs from {want_file.name}")
            sys.stdout.writelines(difflib.unified_diff(
                want.splitlines(True), got.splitlines(True), "expected", "got", n=1))
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
