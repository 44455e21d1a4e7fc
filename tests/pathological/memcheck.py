#!/usr/bin/env python3
"""Memory hygiene: the main commands under valgrind memcheck (invalid reads
and writes, uninitialised values, definite leaks), with suppressions for
library-internal allocations only (valgrind.supp). Skipped (77) when
valgrind is not installed; the sanitizer build checks the whole suite with
LeakSanitizer besides.

usage: memcheck.py BRIEFING EXAMPLE.md MANIFEST.yaml
"""
import os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    binary, example, manifest = sys.argv[1:4]
    if not shutil.which("valgrind"):
        print("valgrind is not installed: skipped")
        return 77
    tmp = tempfile.mkdtemp(prefix="briefing-memcheck-")
    runs = [
        ["render", example, "-o", os.path.join(tmp, "r.pdf")],
        ["render", example, "-t", "report", "-o", os.path.join(tmp, "r.pdf")],
        ["render", example, "-o", os.path.join(tmp, "r.html")],
        ["lint", example],
        ["indicators", example, "--format", "json"],
        ["batch", manifest, "-o", os.path.join(tmp, "batch"), "-j", "2", "--format", "pdf"],
    ]
    failed = 0
    for args in runs:
        r = subprocess.run(["valgrind", "--error-exitcode=99", "--leak-check=full",
                            "--errors-for-leak-kinds=definite", "--show-leak-kinds=definite",
                            "--num-callers=40", "--suppressions=" + os.path.join(HERE, "valgrind.supp"),
                            binary] + args, capture_output=True, text=True, timeout=1200)
        ok = r.returncode != 99
        failed += not ok
        summary = [l for l in r.stderr.splitlines() if "ERROR SUMMARY" in l]
        print(("ok   " if ok else "FAIL ") + " ".join(args[:1] + [os.path.basename(a) for a in args[1:]])
              + " — " + (summary[-1].split("== ")[-1] if summary else f"exit {r.returncode}"))
        if not ok:  # the first reports, where the cause is
            errors = [b for b in r.stderr.split("==\n") if "lost in loss record" in b or
                      "Invalid" in b or "uninitialised" in b]
            print("\n".join(errors[:4])[:8000])
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(runs) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
