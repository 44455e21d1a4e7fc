#!/usr/bin/env python3
"""Check that an example report.md carries exactly the text of its seed.

Usage: python3 tests/check_example_text.py SEED.txt REPORT.md

The seed is the plain text a report was transcribed from; REPORT.md is the
annotated Markdown made from it.  The script

  * strips the YAML front matter, HTML comments and Markdown markup from
    REPORT.md (through `cmark-gfm -t xml --sourcepos` when that command is
    installed, otherwise with a regex strip of the markup),
  * reduces both texts to the sequence of Han characters, CJK punctuation,
    ASCII letters and digits and a few ASCII signs that occur in numbers
    (% + . / and the like), ignoring all whitespace,
  * drops from the seed the lines that moved into the front matter: the
    notice title (first non-empty line), the 主送 line after it (ends
    with ：) and the date line (e.g. 2025年1月13日) right after the notice
    paragraph,
  * compares the two sequences and prints the first differences with
    context and line numbers.

It also fails when REPORT.md

  * keeps an ASCII space between a Han character (or CJK punctuation) and
    a digit, in either order (also "10% 以上"),
  * has a paragraph line that does not end with sentence-final
    punctuation (。！？：； optionally followed by ”’）》) -- which is how
    paragraphs broken mid-sentence show up.  Exempt are headings, the
    subtitle (a line starting with ——), the speaker line ("西青区区长 王志平"),
    a line that is one parenthesised note ("（此件主动公开）"), a date line,
    table rows, fenced code blocks, HTML comments and the front matter,
  * spreads one paragraph over several physical lines,
  * has leading or trailing whitespace (including U+3000) on a line,
  * has a line that Markdown would read as a list item, block quote,
    thematic break, setext underline or indented code.

Exit status: 0 when everything matches, 1 on any difference or failed
check, 2 on a usage error.  Standard library only.
"""

import difflib
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = "\u3001-\u303f\uff01-\uffef\u2018\u2019\u201c\u201d\u2014\u2026\u00b7\u2027\u30fb"
# ASCII signs that belong to the text (numbers, units, "科创+产业") and are
# not Markdown markup characters.
ASCII_SIGNS = "%+./,:;?!&=@$'\"()-"
KEEP_RE = re.compile("[" + HAN + CJK_PUNCT + "A-Za-z0-9" + re.escape(ASCII_SIGNS) + "]")

HANP = "[" + HAN + CJK_PUNCT + "]"
SPACE_RES = [
    (re.compile("(" + HANP + ")( +)([0-9])"), "Han/CJK punctuation + space + digit"),
    (re.compile("([0-9%])( +)(" + HANP + ")"), "digit/% + space + Han/CJK punctuation"),
]

END_RE = re.compile("[。！？：；][”’）》」』]*$")
SPEAKER_RE = re.compile("^[" + HAN + "]{2,20} [" + HAN + "·]{2,6}$")
NOTE_RE = re.compile("^（[^（）]*）$")
DATE_RE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
HEADING_RE = re.compile(r"^#{1,6}(\s|$)")
FENCE_RE = re.compile(r"^(`{3,}|~{3,})\s*([^`\s]*)")
ACCIDENTAL_RES = [
    (re.compile(r"^\d{1,9}[.)](\s|$)"), "would become an ordered list item"),
    (re.compile(r"^[-+*](\s|$)"), "would become a bullet list item"),
    (re.compile(r"^>"), "would become a block quote"),
    (re.compile(r"^(\*\s*){3,}$|^(-\s*){3,}$|^(_\s*){3,}$"), "would become a thematic break"),
    (re.compile(r"^=+\s*$"), "would become a setext heading underline"),
    (re.compile(r"^( {4}|\t)"), "would become indented code"),
]

MAX_DIFFS = 12
CONTEXT = 20


def read(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------
# seed


def seed_sequence(seed_text):
    """Return (chars, lines, dropped) for the seed."""
    lines = seed_text.split("\n")
    nonblank = [i for i, l in enumerate(lines) if l.strip(" \u3000\t")]
    dropped = {}
    if nonblank:
        title = nonblank[0]
        dropped[title] = "notice title (front matter `title`)"
        k = 1
        if k < len(nonblank) and lines[nonblank[k]].strip(" \u3000\t").endswith("："):
            dropped[nonblank[k]] = "主送 line (front matter `recipients`)"
            k += 1
        # the date line right after the notice paragraph(s)
        for idx in nonblank[k:k + 6]:
            s = lines[idx].strip(" \u3000\t")
            if DATE_RE.match(s):
                dropped[idx] = "date line (front matter `date`)"
                break
    chars, where = [], []
    for i, l in enumerate(lines):
        if i in dropped:
            continue
        for ch in l:
            if KEEP_RE.match(ch):
                chars.append(ch)
                where.append(i + 1)
    return chars, where, {i + 1: (why, lines[i].strip()) for i, why in dropped.items()}


# --------------------------------------------------------------------------
# report


def split_front_matter(lines):
    """Return the index of the first body line (0 if no front matter)."""
    if lines and lines[0].rstrip() == "---":
        for i in range(1, len(lines)):
            if lines[i].rstrip() in ("---", "..."):
                return i + 1
        return None  # unterminated
    return 0


def blank_out(lines, body_start):
    """Lines with the front matter and HTML comments replaced by blanks,
    keeping line numbers."""
    out = [""] * body_start + lines[body_start:]
    text = "\n".join(out)

    def repl(m):
        return "\n" * m.group(0).count("\n")

    text = re.sub(r"<!--.*?-->", repl, text, flags=re.S)
    return text.split("\n")


def strip_with_cmark(body_text):
    """Text characters with their source lines, via cmark-gfm's XML AST."""
    proc = subprocess.run(
        ["cmark-gfm", "-e", "table", "-e", "strikethrough", "-e", "autolink",
         "--sourcepos", "-t", "xml"],
        input=body_text.encode("utf-8"), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, check=True)
    root = ET.fromstring(proc.stdout)
    chars, where = [], []

    def local(tag):
        return tag.rsplit("}", 1)[-1]

    def walk(node, line):
        sp = node.get("sourcepos")
        if sp:
            line = int(sp.split(":", 1)[0])
        tag = local(node.tag)
        if tag in ("html_block", "html_inline"):
            return
        if tag == "code_block" and (node.get("info") or "").split()[:1] == ["chart"]:
            return
        if tag in ("text", "code", "code_block"):
            # a text node may span soft breaks only through separate nodes,
            # so its line is the enclosing block's start line plus the
            # newlines seen so far inside code blocks
            off = 0
            for ch in node.text or "":
                if ch == "\n":
                    off += 1
                elif KEEP_RE.match(ch):
                    chars.append(ch)
                    where.append(line + off)
            return
        for child in node:
            walk(child, line)

    walk(root, 1)
    return chars, where


def strip_with_regex(lines):
    """Fallback: strip common Markdown markup line by line."""
    chars, where = [], []
    fence = None
    for n, l in enumerate(lines, 1):
        m = FENCE_RE.match(l)
        if fence is None and m:
            fence = (m.group(1)[0], m.group(2))
            continue
        if fence is not None:
            if l.startswith(fence[0] * 3):
                fence = None
                continue
            if fence[1] == "chart":
                continue
        s = re.sub(r"^#{1,6}\s+", "", l)
        s = re.sub(r"\s+#+\s*$", "", s) if HEADING_RE.match(l) else s
        s = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", s)     # links / kpi
        s = re.sub(r"<[^>]*>", "", s)                         # inline html
        s = re.sub(r"\\([!-/:-@\[-`{-~])", lambda m: "\x00" + m.group(1), s)
        s = re.sub(r"[*_~`]", "", s)                          # emphasis
        s = s.replace("\x00", "")
        for ch in s:
            if KEEP_RE.match(ch):
                chars.append(ch)
                where.append(n)
    return chars, where


# --------------------------------------------------------------------------
# line checks


def line_checks(lines, body_start):
    problems = []
    fence = None
    in_comment = False
    prev_content = None  # line number of previous content line, if adjacent
    for n in range(body_start + 1, len(lines) + 1):
        raw = lines[n - 1]
        if raw != raw.strip(" \t\u3000") and raw.strip(" \t\u3000"):
            problems.append((n, "leading or trailing whitespace", raw))
        if "\u3000" in raw:
            problems.append((n, "U+3000 ideographic space", raw))
        for rx, what in SPACE_RES:
            for m in rx.finditer(raw):
                problems.append((n, "ASCII space between " + what,
                                 m.group(0)))
        s = raw.strip(" \t\u3000")
        if not s:
            prev_content = None
            continue
        # fenced code
        m = FENCE_RE.match(s)
        if fence is None and m:
            fence = m.group(1)[0]
            prev_content = None
            continue
        if fence is not None:
            if s.startswith(fence * 3):
                fence = None
            continue
        # html comments (possibly multi-line)
        if in_comment or s.startswith("<!--"):
            in_comment = "-->" not in s
            prev_content = None
            continue
        for rx, what in ACCIDENTAL_RES:
            if rx.match(raw):
                problems.append((n, "line " + what, raw))
        if HEADING_RE.match(s):
            prev_content = None
            continue
        if s.startswith("|"):  # table rows follow each other
            prev_content = None
            continue
        if prev_content is not None:
            problems.append((n, "paragraph continues on a second physical "
                                "line (join it to line %d)" % prev_content, s))
        prev_content = n
        if s.startswith("——") or SPEAKER_RE.match(s) or NOTE_RE.match(s) \
                or DATE_RE.match(s):
            continue
        bare = re.sub(r"[*_]+$", "", s)
        if not END_RE.search(bare):
            problems.append((n, "paragraph does not end with 。！？：； "
                                "(split mid-sentence?)", "…" + s[-20:]))
    return problems


# --------------------------------------------------------------------------


def show(seq, i, j):
    left = "".join(seq[max(0, i - CONTEXT):i])
    mid = "".join(seq[i:j])
    right = "".join(seq[j:j + CONTEXT])
    return "%s[%s]%s" % (left, mid, right)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    seed_path, report_path = argv[1], argv[2]
    seed = read(seed_path)
    report = read(report_path)

    a, a_line, dropped = seed_sequence(seed)
    for n, (why, text) in sorted(dropped.items()):
        print("seed line %d skipped as %s: %s" % (n, why, text))

    lines = report.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    body_start = split_front_matter(lines)
    failures = 0
    if body_start is None:
        print("FAIL: front matter opened with --- but never closed")
        return 1
    if body_start == 0:
        print("note: %s has no front matter" % report_path)

    blanked = blank_out(lines, body_start)
    if shutil.which("cmark-gfm"):
        how = "cmark-gfm"
        b, b_line = strip_with_cmark("\n".join(blanked) + "\n")
    else:
        how = "regex strip (cmark-gfm not installed)"
        b, b_line = strip_with_regex(blanked)
    print("markup stripped with %s; seed %d chars, report %d chars"
          % (how, len(a), len(b)))

    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    diffs = [op for op in sm.get_opcodes() if op[0] != "equal"]
    if diffs:
        failures += len(diffs)
        print("FAIL: text differs in %d place(s)%s:" %
              (len(diffs), "" if len(diffs) <= MAX_DIFFS else
               " (first %d shown)" % MAX_DIFFS))
        for tag, i1, i2, j1, j2 in diffs[:MAX_DIFFS]:
            sl = a_line[min(i1, len(a_line) - 1)] if a_line else 0
            rl = b_line[min(j1, len(b_line) - 1)] if b_line else 0
            print("  %s: seed line %d / report line %d" % (tag, sl, rl))
            print("    seed:   " + show(a, i1, i2))
            print("    report: " + show(b, j1, j2))
    else:
        print("text: identical (%d characters compared)" % len(a))

    problems = line_checks(lines, body_start)
    if problems:
        failures += len(problems)
        print("FAIL: %d line problem(s):" % len(problems))
        for n, what, text in problems:
            print("  %s:%d: %s: %s" % (report_path, n, what, text))
    else:
        print("lines: ok (spacing, paragraph ends, one line per paragraph)")

    print("RESULT: %s" % ("FAIL" if failures else "OK"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
