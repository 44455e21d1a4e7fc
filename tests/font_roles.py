#!/usr/bin/python3
"""Every Han character and CJK punctuation mark of the body takes its glyph
from the font of its role: the 公文 body from the 仿宋 role (the free
朱雀仿宋 when no office font is installed), never from a fallback face.

usage: font_roles.py BRIEFING TEMPLATE REPORT.md...

1. All Han characters and CJK marks of the reports, set as plain body text,
   come from the 仿宋 role's family. Symbols the font lacks (Ⅳ ℃ ＋) are
   neither Han nor CJK marks and may fall back; a Han character may only
   when the role's font file has no glyph for it (朱雀仿宋 lacks 囍), and
   each such character is listed.
2. In each report as rendered, a body line's Han text comes from the 仿宋
   role or from the roles its emphasis asks for (黑体, 楷体), nothing else.
"""
import glob, os, re, subprocess, sys, tempfile
import fitz

MARKS = set("，。、；：？！“”‘’（）《》〈〉【】〔〕［］—…·～「」『』")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
RUN = re.compile(r'^    run .*?font="(.+) [0-9.]+" \|(.*)\|$')
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def needs_role(ch):
    return bool(HAN.match(ch)) or ch in MARKS


def render(binary, md, template):
    r = subprocess.run([binary, "render", md, "-t", template, "--format", "layout", "-o", "-"],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        sys.exit(f"{md}: exit {r.returncode}\n{r.stderr}")
    return r.stdout, r.stderr


def role_family(stderr, role, template_file):
    """The family a role resolved to: named in the substitution warning, or
    the template's first choice when that is installed."""
    m = re.search(rf"\b{role} → (.+?)[,)]", stderr)
    if m:
        return m.group(1).strip()
    for line in open(template_file, encoding="utf-8"):
        m = re.match(rf"\s*{role}:\s*\[([^,\]]+)", line)
        if m:
            return m.group(1).strip()
    sys.exit(f"no {role} role in {template_file}")


def font_file(family, root):
    """The file of a family, in the project's fonts/ or installed."""
    files = glob.glob(f"{root}/fonts/**/*.[ot]t[fc]", recursive=True)
    for path in files:
        r = subprocess.run(["fc-scan", "--format", "%{family}\n", path], capture_output=True, text=True)
        if family in r.stdout.replace(",", "\n").splitlines():
            return path
    r = subprocess.run(["fc-list", f":family={family}", "file"], capture_output=True, text=True)
    return r.stdout.split(":")[0].strip() or None


def body_runs(dump, elements=("body",)):
    """(family, text) of every run on the lines of the given elements."""
    out, current = [], None
    for line in dump.splitlines():
        if line.startswith("  line "):
            current = line.split()[1]
        m = RUN.match(line)
        if m and current in elements:
            out.append((m.group(1), m.group(2)))
    return out


def main():
    binary, template, reports = sys.argv[1], sys.argv[2], sys.argv[3:]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    template_file = f"{root}/templates/{template}.yaml"
    chars = set()
    for md in reports:
        chars |= {c for c in open(md, encoding="utf-8").read() if needs_role(c)}
    chars = sorted(chars)
    with tempfile.NamedTemporaryFile("w", suffix=".md", encoding="utf-8") as f:
        for i in range(0, len(chars), 24):
            f.write("".join(chars[i:i + 24]) + "\n\n")
        f.flush()
        dump, err = render(binary, f.name, template)
    fangsong = role_family(err, "fangsong", template_file)
    face = fitz.Font(fontfile=font_file(fangsong, root))
    elsewhere = sorted({c for fam, text in body_runs(dump) if fam != fangsong
                        for c in text if needs_role(c)})
    lacking = [c for c in elsewhere if not face.has_glyph(ord(c))]
    wrong = [c for c in elsewhere if c not in lacking]
    check(len(chars) > 1000 and not wrong,
          f"{len(chars)} Han characters and marks of {len(reports)} reports from {fangsong} "
          f"({len(wrong)} from another face: {''.join(wrong[:40])})")
    check(len(lacking) <= 2, f"{fangsong} lacks {len(lacking)} of them: {''.join(lacking)}")
    for md in reports:
        dump, err = render(binary, md, template)
        allowed = {fangsong, role_family(err, "hei", template_file),
                   role_family(err, "kai", template_file)}
        stray = [(fam, text) for fam, text in body_runs(dump) if fam not in allowed
                 and any(needs_role(c) and c not in lacking for c in text)]
        check(not stray, f"{md.rsplit('/', 1)[-1]}: body text only from {sorted(allowed)} "
                         f"{stray[:3]}")
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
