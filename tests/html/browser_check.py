#!/usr/bin/env python3
"""The HTML preview in headless Chromium (driven over the DevTools protocol
through a pipe, standard library only; every wait has a deadline).

For the example report:
- desktop (1280×900) and phone (375×800, mobile) loads with no console
  error or warning, no exception, and no request besides the page itself;
- screenshots (OUTDIR/desktop.png, OUTDIR/phone.png) that are not blank:
  ink in the table of contents, in the text column and (red) in the
  masthead; on the desktop the contents are a sidebar left of the text, on
  the phone they sit above it; the phone has no horizontal scrolling and a
  body size near 16 px;
- charts: one <figure class="chart"> per ```chart block; the first one is
  scrolled into view and photographed (OUTDIR/chart.png) and must show ink;
- printing (OUTDIR/print.pdf): A4 pages, several of them, without the
  table of contents.
For every further document: the same load checks, no script element, no
on… attribute in the DOM, and no horizontal scrolling on the phone.

A control page with a script error and a remote image must trip the
console and request checks, and a blank page the ink check, so the checks
are known to fail when they should.

usage: browser_check.py BRIEFING OUTDIR EXAMPLE.md [MORE.md ...]
exit 77 (skipped) when no Chromium is installed.
"""
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402
import png  # noqa: E402

DESKTOP = (1280, 900, False)
PHONE = (375, 800, True)

GEOMETRY = """JSON.stringify((() => {
  const box = s => { const e = document.querySelector(s);
    return e ? e.getBoundingClientRect().toJSON() : null; };
  const p = document.querySelector('main.page > p:not([class])');
  return {toc: box('nav.toc'), main: box('main.page'), masthead: box('.masthead .issuer'),
          scrollWidth: document.documentElement.scrollWidth, innerWidth: innerWidth,
          tocPosition: document.querySelector('nav.toc') &&
            getComputedStyle(document.querySelector('nav.toc')).position,
          bodySize: p ? parseFloat(getComputedStyle(p).fontSize) : 0,
          charts: document.querySelectorAll('figure.chart').length,
          scripts: document.scripts.length,
          handlers: [...document.querySelectorAll('*')].flatMap(e =>
            [...e.attributes].filter(a => /^on/i.test(a.name)).map(a => e.tagName + ' ' + a.name))};
})())"""


class Checks:
    def __init__(self):
        self.failures = []

    def expect(self, ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            self.failures.append(what)
        return ok


def render(binary, md, out):
    args_file = md.with_suffix(".args")
    extra = shlex.split(args_file.read_text()) if args_file.exists() else []
    r = subprocess.run([binary, "render", md.name, "--format", "html", "-o", str(out), *extra],
                       cwd=md.parent, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"briefing failed on {md}: {r.stderr}")


def geometry(browser):
    import json
    return json.loads(browser.evaluate(GEOMETRY))


def shot_ink(path, box, test=png.dark):
    w, h, rows = png.read(path)
    return png.ink(rows, box, test)


def nonblank(path):
    w, h, rows = png.read(path)
    inked = sum(1 for row in rows if any(sum(row[i:i + 3]) < 240 for i in range(0, len(row), 3)))
    colours = len({row[i:i + 3] for row in rows[::7] for i in range(0, len(row), 21)})
    return inked, colours


def box_of(rect):
    return (rect["left"], rect["top"], rect["right"], rect["bottom"])


def load(browser, url, size):
    before = len(browser.events)
    browser.viewport(*size)
    browser.load(url)
    problems = cdp.Browser.problems(_View(browser.events[before:]), url)
    return problems


class _View:
    """Lets problems() look at a slice of the events."""

    def __init__(self, events):
        self.events = events


def check_example(c, browser, url, source, outdir):
    charts = len(re.findall(r"^```chart\b", source.read_text(encoding="utf-8"), re.M))
    issuer = re.search(r"^issuer:", source.read_text(encoding="utf-8"), re.M)
    # desktop
    problems = load(browser, url, DESKTOP)
    c.expect(not problems, "desktop: no console errors, exceptions or requests"
             + ("" if not problems else ": " + "; ".join(problems[:5])))
    g = geometry(browser)
    shot = str(outdir / "desktop.png")
    browser.screenshot(shot)
    inked, colours = nonblank(shot)
    c.expect(inked > 300 and colours > 8, f"desktop screenshot not blank ({inked} inked rows, {colours} colours)")
    c.expect(g["toc"] is not None, "desktop: table of contents present")
    if g["toc"]:
        c.expect(g["toc"]["right"] <= g["main"]["left"] and g["tocPosition"] == "sticky",
                 "desktop: contents are a sticky sidebar left of the text")
        c.expect(shot_ink(shot, box_of(g["toc"])) > 400, "desktop: the contents show text")
    c.expect(shot_ink(shot, box_of(g["main"])) > 3000, "desktop: the text column shows text")
    if issuer:
        c.expect(g["masthead"] is not None and shot_ink(shot, box_of(g["main"]), png.red) > 300,
                 "desktop: the red masthead shows")
    c.expect(g["charts"] == charts, f"charts: {g['charts']} figures for {charts} chart blocks")
    # phone
    problems = load(browser, url, PHONE)
    c.expect(not problems, "phone: no console errors, exceptions or requests"
             + ("" if not problems else ": " + "; ".join(problems[:5])))
    g = geometry(browser)
    shot = str(outdir / "phone.png")
    browser.screenshot(shot)
    inked, colours = nonblank(shot)
    c.expect(inked > 300 and colours > 8, f"phone screenshot not blank ({inked} inked rows, {colours} colours)")
    c.expect(g["scrollWidth"] <= g["innerWidth"],
             f"phone: no horizontal scrolling ({g['scrollWidth']} px content in {g['innerWidth']} px)")
    c.expect(14 <= g["bodySize"] <= 18, f"phone: body text {g['bodySize']} px")
    if g["toc"]:
        c.expect(g["toc"]["bottom"] <= g["main"]["top"] + 1, "phone: contents above the text")
        c.expect(shot_ink(shot, box_of(g["toc"])) > 400, "phone: the contents show text")
    if charts:
        browser.viewport(*DESKTOP)
        browser.evaluate("document.querySelector('figure.chart').scrollIntoView({block: 'center'}), true")
        rect = browser.evaluate("JSON.stringify(document.querySelector('figure.chart')"
                                ".getBoundingClientRect())")
        import json
        shot = str(outdir / "chart.png")
        browser.screenshot(shot)
        c.expect(shot_ink(shot, box_of(json.loads(rect))) > 50, "the first chart shows ink")
    check_print(c, browser, outdir)


def check_print(c, browser, outdir):
    pdf = outdir / "print.pdf"
    browser.print_pdf(str(pdf))
    if not shutil.which("pdfinfo"):
        print("skip print checks: no pdfinfo")
        return
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    pages = re.search(r"Pages:\s+(\d+)", info)
    c.expect(size and abs(float(size[1]) - 595.3) < 2 and abs(float(size[2]) - 841.9) < 2,
             f"print: A4 pages ({size[0] if size else '?'})")
    c.expect(pages and int(pages[1]) >= 2, f"print: {pages[1] if pages else '?'} pages")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, timeout=60).stdout
    c.expect("目录" not in text, "print: no table of contents")


def check_other(c, browser, url, name):
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        problems = load(browser, url, size)
        c.expect(not problems, f"{name} {label}: no console errors or requests"
                 + ("" if not problems else ": " + "; ".join(problems[:5])))
        g = geometry(browser)
        c.expect(g["scripts"] == 0 and not g["handlers"],
                 f"{name} {label}: no script, no on… attribute {g['handlers'][:3]}")
        if size is PHONE:
            c.expect(g["scrollWidth"] <= g["innerWidth"],
                     f"{name} phone: no horizontal scrolling ({g['scrollWidth']} px)")


def check_controls(c, browser, outdir):
    bad = outdir / "control.html"
    bad.write_text('<!DOCTYPE html><p>x</p><img src="http://control.invalid/x.png">'
                   "<script>undefined_function()</script>", encoding="utf-8")
    problems = load(browser, bad.as_uri(), DESKTOP)
    c.expect(any(p.startswith("exception") for p in problems)
             and any(p.startswith("request") for p in problems),
             "control: a script error and a remote image are detected")
    blank = outdir / "blank.html"
    blank.write_text("<!DOCTYPE html><title>blank</title>", encoding="utf-8")
    load(browser, blank.as_uri(), DESKTOP)
    browser.screenshot(str(outdir / "blank.png"))
    inked, colours = nonblank(str(outdir / "blank.png"))
    c.expect(inked == 0, "control: a blank page counts as blank")


def main():
    binary, outdir, example = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    others = [pathlib.Path(p) for p in sys.argv[4:]]
    chromium = cdp.find_chromium()
    if not chromium:
        print("skipped: no chromium (apt-get install chromium)")
        return 77
    if "/" in binary:
        binary = str(pathlib.Path(binary).resolve())
    outdir.mkdir(parents=True, exist_ok=True)
    c = Checks()
    pages = []
    for md in [example, *others]:
        out = (outdir / md.name).with_suffix(".html").resolve()
        render(binary, md.resolve(), out)
        pages.append((md, out))
    with cdp.Browser(chromium) as browser:
        browser.open_page()
        check_controls(c, browser, outdir.resolve())
        check_example(c, browser, pages[0][1].as_uri(), example, outdir.resolve())
        for md, out in pages[1:]:
            check_other(c, browser, out.as_uri(), md.name)
    print(f"screenshots: {outdir.resolve()}/desktop.png, phone.png, chart.png; print: print.pdf")
    if c.failures:
        print(f"{len(c.failures)} checks failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
