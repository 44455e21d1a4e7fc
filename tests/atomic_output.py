#!/usr/bin/env python3
"""Output files are written atomically (README): a write that fails part
way (a file-size limit, as `ulimit -f`) and a run interrupted in the middle
of writing (SIGINT, SIGTERM, SIGHUP) leave the previous file untouched, no
partial file and no temporary file. The interruption is placed exactly:
pause_shim.so (LD_PRELOAD) stops the program half-way through writing its
first temporary file, or just before renaming it, and the test sends the
signal then. The report and the department manifest are small ones made
here, so the sanitizer build runs this quickly too.

usage: atomic_output.py BRIEFING PAUSE_SHIM.so
"""
import os, re, resource, shutil, signal, subprocess, sys, tempfile, time

OLD = b"the previous, good output\n"
LIMIT = 4096  # bytes: every output below is larger
failures = []
passed = 0


def check(ok, what):
    global passed
    if ok:
        passed += 1
    else:
        failures.append(what)
    print(("ok   " if ok else "FAIL ") + what)
    return ok


def listing(folder):
    return sorted(os.listdir(folder))


def temporaries(folder):
    return [n for n in listing(folder) if n.startswith(".")]


def complete(path):
    data = open(path, "rb").read()
    if path.endswith(".pdf"):
        return data.rstrip().endswith(b"%%EOF")
    if path.endswith(".html"):
        return data.rstrip().endswith(b"</html>")
    return len(data) > 0


def content(path):
    return open(path, "rb").read() if os.path.isfile(path) else None


def limit_file_size():
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def small_report(tmp):
    """A report with a chart and enough indicators for every output to pass
    LIMIT, and a manifest of two departments over it."""
    kpis = "".join(f"第{i}项指标达到[{i * 3 + 1}.5万元](kpi:item-{i}@2024 \"指标{i}\")，"
                   for i in range(40))
    md = os.path.join(tmp, "report.md")
    with open(md, "w", encoding="utf-8") as f:
        f.write("---\ntitle: 关于某区经济运行情况的报告\nissuer: 某区人民政府\ndate: 2025-01-13\n---\n\n"
                "# 一、总体情况\n\n<!-- dept: alpha -->\n\n" + kpis + "全年运行平稳。\n\n"
                "```chart\ntype: column\ntitle: 主要指标\ndata: [item-0@2024, item-1@2024, item-2@2024]\n```\n\n"
                "# 二、下一步工作\n\n<!-- dept: beta -->\n\n推进科技创新，培育新兴产业，扩大有效投资。\n")
    manifest = os.path.join(tmp, "departments.yaml")
    with open(manifest, "w", encoding="utf-8") as f:
        f.write("report: report.md\ntemplate: briefing\nformats: [pdf, html]\ndepartments:\n"
                "  - id: alpha\n    name: 甲局\n    keywords: [运行]\n"
                "  - id: beta\n    name: 乙局\n    keywords: [科技创新]\n")
    return md, manifest


def commands(example, manifest):
    """(name, argv with OUT for the output, the output's name)"""
    return [
        ("render pdf", ["render", example, "-o", "OUT"], "r.pdf"),
        ("render html", ["render", example, "-o", "OUT"], "r.html"),
        ("indicators json", ["indicators", example, "--format", "json", "-o", "OUT"], "k.json"),
    ]


def with_out(argv, out):
    return [out if a == "OUT" else a for a in argv]


def failing_write(binary, name, argv, out_name, tmp):
    folder = tempfile.mkdtemp(dir=tmp)
    out = os.path.join(folder, out_name)
    r = subprocess.run([binary] + with_out(argv, out), capture_output=True, timeout=300)
    check(r.returncode == 0 and os.path.getsize(out) > LIMIT,
          f"{name}: a normal run writes more than {LIMIT} bytes")
    for old in (True, False):
        if old:
            open(out, "wb").write(OLD)
        elif os.path.exists(out):
            os.unlink(out)
        r = subprocess.run([binary] + with_out(argv, out), capture_output=True, text=True,
                           timeout=300, preexec_fn=limit_file_size)
        what = f"{name}, write fails after {LIMIT} bytes, {'over a previous file' if old else 'new file'}"
        check(r.returncode == 1, f"{what}: exit 1 (got {r.returncode})")
        check(re.search(re.escape(out) + r": error: cannot write: File too large", r.stderr) is not None,
              f"{what}: the error names the file ({r.stderr.strip()[-200:]!r})")
        if old:
            check(content(out) == OLD, f"{what}: the previous file is untouched")
        else:
            check(not os.path.exists(out), f"{what}: no partial file")
        check(temporaries(folder) == [], f"{what}: no temporary file left ({temporaries(folder)})")


def batch_failing_write(binary, manifest, tmp):
    out = os.path.join(tempfile.mkdtemp(dir=tmp), "b")
    r = subprocess.run([binary, "batch", manifest, "-o", out, "--format", "pdf,html", "-j", "2"],
                       capture_output=True, text=True, timeout=600, preexec_fn=limit_file_size)
    what = f"batch, every write fails after {LIMIT} bytes"
    check(r.returncode == 1 and "cannot write: File too large" in r.stderr,
          f"{what}: exit 1 with the error (got {r.returncode})")
    names = listing(out) if os.path.isdir(out) else []
    check([n for n in names if n.startswith(".")] == [], f"{what}: no temporary file left")
    partial = [n for n in names if not complete(os.path.join(out, n))]
    check(partial == [], f"{what}: no partial file ({partial})")


def interrupted(binary, shim, name, argv, out_name, tmp, pause, sig):
    folder = tempfile.mkdtemp(dir=tmp)
    out = os.path.join(folder, out_name)
    if out_name.endswith("/"):
        os.makedirs(out)
        open(os.path.join(out, "index.html"), "wb").write(OLD)
    else:
        open(out, "wb").write(OLD)
    ready = os.path.join(tmp, f"ready-{os.getpid()}-{time.monotonic_ns()}")
    env = dict(os.environ, LD_PRELOAD=shim, BRIEFING_PAUSE=pause, BRIEFING_PAUSE_READY=ready,
               ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0")
    p = subprocess.Popen([binary] + with_out(argv, out.rstrip("/")), env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while not os.path.exists(ready) and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    what = f"{name}, {signal.Signals(sig).name} {'half-way through a write' if pause == 'write' else 'before the rename'}"
    folder_of_temps = out if out_name.endswith("/") else folder
    if not check(os.path.exists(ready), f"{what}: the run reached the pause (exit {p.poll()})"):
        p.kill()
        p.wait()
        return
    check(temporaries(folder_of_temps) != [], f"{what}: a temporary file exists when the signal comes")
    p.send_signal(sig)
    try:
        p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    p.stderr.close()
    check(p.returncode == -sig, f"{what}: the run ends by the signal (got {p.returncode})")
    left = temporaries(folder_of_temps)
    check(left == [], f"{what}: no temporary file left ({left})")
    if out_name.endswith("/"):
        check(content(os.path.join(out, "index.html")) == OLD,
              f"{what}: the previous index.html is untouched")
        partial = [n for n in listing(out) if not complete(os.path.join(out, n))
                   and n != "index.html"]
        check(partial == [], f"{what}: every file written is complete ({partial})")
    else:
        check(content(out) == OLD, f"{what}: the previous file is untouched")
        check(listing(folder) == [out_name], f"{what}: nothing else in the folder ({listing(folder)})")


def main():
    binary, shim = sys.argv[1:3]
    tmp = tempfile.mkdtemp(prefix="briefing-atomic-")
    example, manifest = small_report(tmp)
    for name, argv, out_name in commands(example, manifest):
        failing_write(binary, name, argv, out_name, tmp)
    batch_failing_write(binary, manifest, tmp)
    for pause in ("write", "rename"):
        for sig in (signal.SIGINT, signal.SIGTERM):
            interrupted(binary, shim, "render pdf", ["render", example, "-o", "OUT"], "r.pdf", tmp, pause, sig)
    interrupted(binary, shim, "render html", ["render", example, "-o", "OUT"], "r.html", tmp,
                "write", signal.SIGHUP)
    interrupted(binary, shim, "indicators csv", ["indicators", example, "-o", "OUT"], "k.csv", tmp,
                "rename", signal.SIGINT)
    interrupted(binary, shim, "batch", ["batch", manifest, "-o", "OUT", "--format", "pdf,html", "-j", "2"],
                "b/", tmp, "write", signal.SIGINT)
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
