"""Everyday command line: an unknown output extension is a usage error, the
fonts not installed are one warning a run naming the folder to put them in
(-q hides it), `cmake --install` gives a briefing that finds its templates
and fonts from any folder, and the messages for a chart without a type and
a bad front matter `template:` name their line.

usage: cli_items.py BRIEFING BUILD_DIR
"""
import os
import pathlib
import re
import subprocess
import sys
import tempfile

failures = []
DOC = "---\ntitle: 测试\n---\n\n# 一、总体\n\n全年增长[5%](kpi:gdp@2024 \"增速\")。\n"


def expect(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)
    return ok


def run(cmd, cwd=None):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=cwd)


def main():
    binary = str(pathlib.Path(sys.argv[1]).resolve())
    build = pathlib.Path(sys.argv[2]).resolve()
    source = pathlib.Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        md = tmp / "r.md"
        md.write_text(DOC, encoding="utf-8")

        r = run([binary, "render", str(md), "-o", str(tmp / "r.docx")])
        expect(r.returncode == 2 and "unknown output extension" in r.stderr and ".pdf" in r.stderr
               and ".html" in r.stderr and not (tmp / "r.docx").exists(),
               f"-o r.docx: usage error listing the formats, nothing written ({r.returncode})")
        r = run([binary, "render", str(md), "--format", "pdf", "-o", str(tmp / "r.bin")])
        expect(r.returncode == 0 and (tmp / "r.bin").exists(), "--format overrides the extension")

        # a template whose fonts are surely missing: one warning, the folder's full path
        tpl = tmp / "t.yaml"
        tpl.write_text("extends: report\nfonts:\n  song: [缺失字体甲, Noto Serif CJK SC]\n"
                       "  hei: [缺失字体乙, Noto Sans CJK SC]\n", encoding="utf-8")
        r = run([binary, "render", str(md), "-t", str(tpl), "-o", str(tmp / "r.pdf")])
        lines = [l for l in r.stderr.splitlines() if "font" in l]
        fonts_dir = str((source / "fonts").resolve())
        expect(len(lines) == 1 and "缺失字体甲" in lines[0] and "缺失字体乙" in lines[0]
               and fonts_dir in lines[0] and "-q" in lines[0],
               f"missing fonts: one line naming both and {fonts_dir} ({lines})")
        r = run([binary, "render", str(md), "-q", "-t", str(tpl), "-o", str(tmp / "r.pdf")])
        expect(r.returncode == 0 and r.stderr == "", f"-q: no warnings ({r.stderr.strip()[:200]})")
        manifest = tmp / "m.yaml"
        manifest.write_text(f"report: r.md\ntemplate: {tpl}\nformats: [pdf]\ndepartments:\n"
                            "  - {id: a, name: 甲局, keywords: [增长]}\n  - {id: b, name: 乙局, keywords: [增长]}\n"
                            "  - {id: c, name: 丙局, keywords: [增长]}\n", encoding="utf-8")
        r = run([binary, "batch", str(manifest), "-o", str(tmp / "out"), "-j", "2"])
        expect(len([l for l in r.stderr.splitlines() if "fonts not installed" in l]) == 1,
               "batch: the missing fonts said once for the run")

        # messages with their lines
        chart = tmp / "c.md"
        chart.write_text("正文。\n\n```chart\ntitle: 无类型\ndata: [[甲, 1]]\n```\n", encoding="utf-8")
        r = run([binary, "render", str(chart), "-o", str(tmp / "c.pdf")])
        expect(r.returncode == 1 and re.search(r"c\.md:4:1: error: chart: the chart has no type: add a line "
                                               r"such as 'type: column'", r.stderr) is not None
               and "(missing)" not in r.stderr, f"a chart without type: ({r.stderr.strip()[:200]})")
        chart.write_text("正文。\n\n```chart\ntype: colum\ndata: [[甲, 1]]\n```\n", encoding="utf-8")
        r = run([binary, "render", str(chart), "-o", str(tmp / "c.pdf")])
        expect(re.search(r"c\.md:4:7: error: chart: unknown chart type 'colum': did you mean 'column'\?", r.stderr)
               is not None, f"a chart type typo: did you mean ({r.stderr.strip()[:200]})")
        bad = tmp / "b.md"
        bad.write_text("---\ntitle: 测试\ntemplate: nosuch\n---\n\n正文。\n", encoding="utf-8")
        r = run([binary, "render", str(bad), "-o", str(tmp / "b.pdf")])
        expect(r.returncode == 1 and re.search(r"b\.md:3:1: error: unknown template 'nosuch'", r.stderr)
               is not None, f"a bad template: in front matter names its line ({r.stderr.strip()[:200]})")

        # a template path in front matter or a manifest is taken from that file's folder,
        # whatever the current folder; a summary's Markdown names the file in full
        sub = tmp / "sub"
        sub.mkdir()
        (sub / "own.yaml").write_text("extends: report\ndescription: 本目录模板\n", encoding="utf-8")
        (sub / "r.md").write_text("---\ntitle: 测试\ntemplate: own.yaml\n---\n\n经济增长5%。\n", encoding="utf-8")
        r = subprocess.run([binary, "render", str(sub / "r.md"), "-q", "-o", str(tmp / "own.pdf")],
                           capture_output=True, text=True, cwd="/")
        expect(r.returncode == 0, f"front matter template: own.yaml is found beside the report ({r.stderr.strip()[:200]})")
        (sub / "m.yaml").write_text("report: r.md\ntemplate: own.yaml\ndepartments:\n"
                                    "  - {id: a, name: 甲局, keywords: [增长]}\n", encoding="utf-8")
        r = subprocess.run([binary, "batch", str(sub / "m.yaml"), "-q", "-o", str(tmp / "own"), "--format", "md"],
                           capture_output=True, text=True, cwd="/")
        summary = (tmp / "own" / "a.md").read_text(encoding="utf-8") if r.returncode == 0 else ""
        expect(r.returncode == 0 and f'template: "{(sub / "own.yaml").resolve()}"' in summary,
               f"manifest template: own.yaml is found beside the manifest ({r.stderr.strip()[:200]})")

        # cmake --install, then the installed briefing run from another folder
        prefix = tmp / "prefix"
        r = run(["cmake", "--install", str(build), "--prefix", str(prefix)])
        installed = prefix / "bin" / "briefing"
        expect(r.returncode == 0 and installed.exists()
               and (prefix / "share" / "briefing" / "templates" / "gongwen.yaml").exists()
               and (prefix / "share" / "briefing" / "fonts" / "fonts.conf").exists(),
               "cmake --install puts the binary, templates and fonts under the prefix")
        env = dict(os.environ)
        env.pop("BRIEFING_DATADIR", None)
        r = subprocess.run([str(installed), "templates"], capture_output=True, text=True, cwd="/", env=env)
        expect(r.returncode == 0 and "gongwen" in r.stdout, "the installed briefing lists its templates from /")
        r = subprocess.run([str(installed), "render", str(md), "-q", "-o", str(tmp / "i.pdf")],
                           capture_output=True, text=True, cwd="/", env=env)
        expect(r.returncode == 0 and (tmp / "i.pdf").exists(), f"the installed briefing renders from / ({r.stderr[:200]})")
        # it uses its own share/briefing, not the source tree: a template only there is found
        (prefix / "share" / "briefing" / "templates" / "only-installed.yaml").write_text(
            "extends: report\ndescription: 只在安装目录\n", encoding="utf-8")
        r = subprocess.run([str(installed), "templates"], capture_output=True, text=True, cwd="/", env=env)
        expect("only-installed" in r.stdout, "the installed briefing reads the installed templates")
    print(f"{len(failures)} checks failed" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
