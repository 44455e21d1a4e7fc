#!/usr/bin/python3
"""Imports each tests/import/golden/NAME.txt (with the options in NAME.args,
if any) and compares the Markdown with NAME.md and the notes on stderr with
NAME.notes (both hand-checked).
`--accept` rewrites them after a deliberate change (read the diff!).

usage: golden.py BRIEFING GOLDEN_DIR [--accept]"""
import difflib
import glob
import os
import subprocess
import sys
import tempfile


def main():
    binary, folder = sys.argv[1:3]
    accept = "--accept" in sys.argv
    failures = []
    with tempfile.TemporaryDirectory(prefix="import-golden-") as tmp:
        for src in sorted(glob.glob(os.path.join(folder, "*.txt"))):
            name = os.path.splitext(os.path.basename(src))[0]
            out = os.path.join(tmp, name + ".md")
            # run from the folder so the notes name the file the same way everywhere
            args_file = os.path.join(folder, name + ".args")
            args = open(args_file).read().split() if os.path.exists(args_file) else []
            p = subprocess.run([os.path.abspath(binary), "import", name + ".txt", "-o", out, *args],
                               capture_output=True, text=True, cwd=folder)
            if p.returncode:
                failures.append(f"{name}: exit {p.returncode}: {p.stderr}")
                continue
            got = {"md": open(out, encoding="utf-8").read(), "notes": p.stderr}
            for ext, text in got.items():
                path = os.path.join(folder, f"{name}.{ext}")
                if accept:
                    open(path, "w", encoding="utf-8").write(text)
                    continue
                want = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
                if text != want:
                    failures.append(f"{name}.{ext} differs:\n" + "".join(difflib.unified_diff(
                        want.splitlines(True), text.splitlines(True), "expected", "got")))
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print("ok")


main()
