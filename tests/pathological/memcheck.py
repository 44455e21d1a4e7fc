#!/usr/bin/env python3
"""Memory hygiene: the main commands under valgrind memcheck (invalid reads
and writes, uninitialised values, definite leaks), with suppressions for
library-internal allocations only (valgrind.supp). Skipped (77) when
valgrind is not installed; the sanitizer build checks the whole suite with
LeakSanitizer besides.

A run passes only when it exits 0 by itself, valgrind's ERROR SUMMARY is
0 errors and the command did its work (a complete output file, a report).

usage: memcheck.py BRIEFING EXAMPLE.md MANIFEST.yaml [--only render,lint,...]
"""
import json, os, re, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def complete(path):
    """A whole output file: a PDF up to its %%EOF, an HTML page to </html>."""
    if not os.path.isfile(path):
        return False
    data = open(path, "rb").read().rstrip()
    return data.endswith(b"%%EOF") if path.endswith(".pdf") else data.endswith(b"</html>")


def verdict(r, did_work):
    """Why a run under valgrind failed, or None: it must exit 0 by itself
    (not by a signal or an error), valgrind must count no error, and the
    command must have done its work."""
    summary = [l for l in r.stderr.splitlines() if "ERROR SUMMARY:" in l]
    if r.returncode < 0 or r.returncode >= 128 or "Process terminating with default action" in r.stderr:
        return f"killed by a signal (exit {r.returncode})"
    if r.returncode == 99:
        return "valgrind found errors"
    if r.returncode != 0:
        return f"exit {r.returncode}"
    if not summary or not summary[-1].split("ERROR SUMMARY:")[1].strip().startswith("0 errors"):
        return "no clean valgrind ERROR SUMMARY"
    if not did_work(r):
        return "the command did not do its work"
    return None


def main():
    binary, example, manifest = sys.argv[1:4]
    only = sys.argv[sys.argv.index("--only") + 1].split(",") if "--only" in sys.argv else None
    if not shutil.which("valgrind"):
        print("valgrind is not installed: skipped")
        return 77
    tmp = tempfile.mkdtemp(prefix="briefing-memcheck-")
    pdf, html, batch = (os.path.join(tmp, n) for n in ("r.pdf", "r.html", "batch"))

    def fresh(path):
        def did_work(r):
            ok = complete(path)
            if os.path.exists(path):
                os.unlink(path)
            return ok
        return did_work

    def batch_done(r):
        names = os.listdir(batch) if os.path.isdir(batch) else []
        pdfs = [n for n in names if n.endswith(".pdf")]
        return len(pdfs) > 1 and all(complete(os.path.join(batch, n)) for n in pdfs)

    runs = [
        (["render", example, "-o", pdf], fresh(pdf)),
        (["render", example, "-t", "report", "-o", pdf], fresh(pdf)),
        (["render", example, "-t", "briefing", "--pdf-standard", "a-2b", "-o", pdf], fresh(pdf)),
        (["render", example, "-o", html], fresh(html)),
        (["lint", example], lambda r: re.search(r"report\.md:\d+:\d+: warning\[", r.stderr) is not None),
        (["indicators", example, "--format", "json"], lambda r: len(json.loads(r.stdout or "[]")) > 10),
        (["batch", manifest, "-o", batch, "-j", "2", "--format", "pdf"], batch_done),
    ]
    if only:
        runs = [run for run in runs if run[0][0] in only]
    failed = 0
    for args, did_work in runs:
        r = subprocess.run(["valgrind", "--error-exitcode=99", "--leak-check=full",
                            "--errors-for-leak-kinds=definite", "--show-leak-kinds=definite",
                            "--num-callers=40", "--suppressions=" + os.path.join(HERE, "valgrind.supp"),
                            binary] + args, capture_output=True, text=True, timeout=1200)
        why = verdict(r, did_work)
        failed += why is not None
        summary = [l for l in r.stderr.splitlines() if "ERROR SUMMARY" in l]
        print(("ok   " if why is None else "FAIL ") + " ".join(args[:1] + [os.path.basename(a) for a in args[1:]])
              + " — " + (summary[-1].split("== ")[-1] if summary else f"exit {r.returncode}")
              + ("" if why is None else f" — {why}"))
        if why is not None:  # the first reports, where the cause is
            errors = [b for b in r.stderr.split("==\n") if "lost in loss record" in b or
                      "Invalid" in b or "uninitialised" in b or "Process terminating" in b]
            print(("\n".join(errors[:4]) or r.stderr[-3000:])[:8000])
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(runs) - failed} passed, {failed} failed")
    return 1 if failed or not runs else 0


if __name__ == "__main__":
    sys.exit(main())
