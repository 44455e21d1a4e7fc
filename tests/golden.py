#!/usr/bin/env python3
"""Golden layout tests: every golden/NAME.md is rendered with
`briefing render NAME.md --format layout` and compared with NAME.layout.

usage: golden.py BRIEFING DIR [--accept]   (--accept rewrites the .layout files)
"""
import difflib, pathlib, subprocess, sys


def main():
    binary, folder = sys.argv[1], pathlib.Path(sys.argv[2])
    accept = "--accept" in sys.argv
    failed = passed = 0
    for md in sorted(folder.glob("*.md")):
        want_file = md.with_suffix(".layout")
        r = subprocess.run([binary, "render", str(md), "--format", "layout", "-o", "-"],
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
            print(f"FAIL {md.name}: layout differs from {want_file.name}")
            sys.stdout.writelines(difflib.unified_diff(
                want.splitlines(True), r.stdout.splitlines(True), "expected", "got", n=1))
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
