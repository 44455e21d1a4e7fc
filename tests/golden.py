#!/usr/bin/env python3
"""Golden dump tests: every golden/NAME.md is rendered with
`briefing render NAME.md --format FORMAT` (layout unless --format says
otherwise) and compared with NAME.FORMAT in the same folder. --input DOC.md
adds a document from elsewhere, expected in the folder as DOC.FORMAT.

usage: golden.py BRIEFING DIR [--format layout|tree] [--input DOC.md]... [--accept]
(--accept rewrites the expected files)
"""
import difflib, pathlib, subprocess, sys


def arg_values(name):
    return [sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == name]


def main():
    binary, folder = sys.argv[1], pathlib.Path(sys.argv[2])
    accept = "--accept" in sys.argv
    fmt = (arg_values("--format") or ["layout"])[0]
    docs = sorted(folder.glob("*.md")) + [pathlib.Path(p) for p in arg_values("--input")]
    failed = passed = 0
    for md in docs:
        want_file = folder / (md.stem + "." + fmt)
        r = subprocess.run([binary, "render", str(md), "--format", fmt, "-o", "-"],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            print(f"FAIL {md.name}: exit {r.returncode}\n{r.stderr}")
            failed += 1
            continue
        if accept:
            want_file.write_text(r.stdout, encoding="utf-8")
            print(f"accepted {want_file.name}")
            continue
        want = want_file.read_text(encoding="utf-8") if want_file.exists() else ""
        if r.stdout != want:
            failed += 1
            print(f"FAIL {md.name}: {fmt} differs from {want_file.name}")
            sys.stdout.writelines(difflib.unified_diff(
                want.splitlines(True), r.stdout.splitlines(True), "expected", "got", n=1))
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
