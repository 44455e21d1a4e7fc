#!/usr/bin/python3
"""Malformed input to briefing import: each ends with exit status 1, an
error naming the file, no output file, and a good file already at the
output path left as it was.

usage: bad_input.py BRIEFING"""
import io
import os
import subprocess
import sys
import tempfile
import zipfile

CT = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
      'content-types"/>')
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOC = f'<w:document {W}><w:body><w:p><w:r><w:t>各位代表：</w:t></w:r></w:p></w:body></w:document>'


def docx(parts):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        for name, data in parts.items():
            z.writestr(name, data)
    return b.getvalue()


def cases():
    good = docx({"word/document.xml": DOC})
    laughs = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈">'
              + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
                        for p, c in zip("abcdefgh", "bcdefghi"))
              + f']><w:document {W}><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body>'
              '</w:document>')
    xxe = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           f'<w:document {W}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')
    return {
        "truncated.docx": (good[:len(good) // 2], "damaged .docx"),
        "no-document.docx": (docx({"word/other.xml": DOC}), "has no word/document.xml"),
        "bad-xml.docx": (docx({"word/document.xml": DOC[:-20]}), "is not XML"),
        "laughs.docx": (docx({"word/document.xml": laughs}), ("declares a DTD", "entity reference loop")),
        "xxe.docx": (docx({"word/document.xml": xxe}), "declares a DTD"),
        "bomb.docx": (docx({"word/document.xml": " " * (80 << 20)}), "zip bomb"),
        "invalid.txt": ("各位代表：\n现在，".encode() + b"\xff\xfe\x80\n", "neither UTF-8 nor GB18030"),
        "utf16.txt": ("各位代表".encode("utf-16"), "UTF-16 text: save it as UTF-8"),
        "old.doc": (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + bytes(500), "save it as .docx"),
        "report.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "a PDF"),
        "image.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary data"),
        "empty.txt": (b"", "no text to import"),
    }


def main():
    binary = os.path.abspath(sys.argv[1])
    failures = []
    with tempfile.TemporaryDirectory(prefix="import-bad-") as tmp:
        for name, (data, why) in cases().items():
            src = os.path.join(tmp, name)
            open(src, "wb").write(data)
            out = os.path.join(tmp, name + ".md")
            keep = os.path.join(tmp, name + ".keep.md")
            open(keep, "w").write("good\n")
            for target in (out, keep):
                p = subprocess.run([binary, "import", src, "-o", target],
                                   capture_output=True, text=True, timeout=60)
                if p.returncode != 1:
                    failures.append(f"{name}: exit status {p.returncode} (want 1): {p.stderr}")
                reasons = why if isinstance(why, tuple) else (why,)
                if src not in p.stderr or "error:" not in p.stderr or \
                        not any(r in p.stderr for r in reasons):
                    failures.append(f"{name}: error should name the file and say {why!r}: "
                                    f"{p.stderr.strip()}")
                if "passwd" in p.stderr or "root:" in p.stderr:
                    failures.append(f"{name}: an external entity was read")
            if os.path.exists(out):
                failures.append(f"{name}: an output file was written")
            if open(keep).read() != "good\n":
                failures.append(f"{name}: a good output file was overwritten")
            leftovers = [f for f in os.listdir(tmp) if f.startswith(".") or "tmp" in f]
            if leftovers:
                failures.append(f"{name}: temporary files left: {leftovers}")
        for args, want in ((["import"], "needs an input file"),
                           (["import", "a.txt", "--indicator"], "did you mean --indicators"),
                           (["import", "a.txt", "b.txt"], "more than one input file"),
                           (["import", "a.txt", "-o"], "missing value for")):
            p = subprocess.run([binary, *args], capture_output=True, text=True, cwd=tmp)
            if p.returncode != 2 or want not in p.stderr:
                failures.append(f"{args}: exit {p.returncode}, {p.stderr.strip()!r} (want 2, {want!r})")
        p = subprocess.run([binary, "import", "missing.txt", "-o", "out.md"],
                           capture_output=True, text=True, cwd=tmp)
        if p.returncode != 1 or "missing.txt" not in p.stderr or os.path.exists(
                os.path.join(tmp, "out.md")):
            failures.append(f"a missing input: exit {p.returncode}, {p.stderr.strip()!r}")
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print("ok")


main()
