#!/usr/bin/python3
"""Page images: `render -o OUT.png` writes OUT-1.png … one a page, as many
as the PDF has pages, at --dpi; --format png with another name appends
-N.png; --pages picks pages; -o - is a usage error; and a run that fails
part way (a page's name taken by a folder) leaves no page file and no
temporary behind.

usage: png_pages.py BRIEFING REPORT.md
"""
import math, os, re, struct, subprocess, sys, tempfile

failures = []


def expect(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(binary, *args):
    return subprocess.run([binary, "render", "-q", *args], capture_output=True, text=True,
                          timeout=300)


def png_size(path):
    """(width, height) from a PNG's IHDR; None when it is no PNG."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def main():
    binary, src = sys.argv[1:3]
    with tempfile.TemporaryDirectory() as d:
        r = run(binary, src, "-o", os.path.join(d, "r.pdf"))
        info = subprocess.run(["pdfinfo", os.path.join(d, "r.pdf")], capture_output=True,
                              text=True, check=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
        w, h = float(size.group(1)), float(size.group(2))

        out = os.path.join(d, "img")
        os.mkdir(out)
        r = run(binary, src, "-o", os.path.join(out, "r.png"), "--dpi", "36")
        names = sorted(os.listdir(out))
        want = sorted(f"r-{i}.png" for i in range(1, pages + 1))
        expect(r.returncode == 0 and names == want,
               f"-o r.png: r-1.png … r-{pages}.png, one a PDF page, nothing else ({r.returncode}, "
               f"{len(names)} files{', ' + r.stderr.strip()[:200] if r.stderr else ''})")
        sizes = {png_size(os.path.join(out, n)) for n in names}
        expect(sizes == {(math.ceil(w / 2 - 1e-6), math.ceil(h / 2 - 1e-6))},
               f"--dpi 36: half a pixel a point, every page a PNG ({sizes}, page {w} x {h} pt)")

        r = run(binary, src, "--format", "png", "-o", os.path.join(out, "p"), "--pages", "2-3",
                "--dpi", "18")
        got = sorted(n for n in os.listdir(out) if n.startswith("p"))
        expect(r.returncode == 0 and got == ["p-2.png", "p-3.png"],
               f"--format png -o p --pages 2-3: p-2.png and p-3.png ({got})")
        r = run(binary, src, "-o", os.path.join(out, "q.png"), "--pages", str(pages + 1))
        expect(r.returncode == 1 and f"has {pages} pages" in r.stderr
               and not any(n.startswith("q") for n in os.listdir(out)),
               f"--pages past the end: an error, nothing written ({r.stderr.strip()[:200]})")
        r = run(binary, src, "--format", "png", "-o", "-")
        expect(r.returncode == 2 and r.stdout == "", "--format png -o -: a usage error")
        r = run(binary, src, "-o", os.path.join(out, "r.png"), "--dpi", "0")
        expect(r.returncode == 2, "--dpi 0: a usage error")

        # page 3's name is a folder: pages 1 and 2 were written, and go again
        bad = os.path.join(d, "bad")
        os.mkdir(bad)
        os.mkdir(os.path.join(bad, "r-3.png"))
        r = run(binary, src, "-o", os.path.join(bad, "r.png"), "--dpi", "18")
        left = sorted(os.listdir(bad))
        expect(r.returncode == 1 and "r-3.png" in r.stderr and left == ["r-3.png"],
               f"a page that cannot be written: an error, no page file or temporary left ({left}, "
               f"{r.stderr.strip()[:200]})")
        r = run(binary, src, "-o", os.path.join(d, "no", "such", "r.png"), "--dpi", "18")
        expect(r.returncode == 1 and "cannot write" in r.stderr and not os.path.exists(os.path.join(d, "no")),
               f"a folder that does not exist: an error ({r.stderr.strip()[:200]})")
    if failures:
        print(f"{len(failures)} failed")
        sys.exit(1)


main()
