"""Reading `briefing render --format layout` dumps in tests: the grid and
every text line with its page, element, position and text."""
import re, subprocess, sys, tempfile

GRID = re.compile(r"grid left=(\S+) top=(\S+) right=(\S+) bottom=(\S+) pitch=(\S+) "
                  r"lines=(\d+) chars=(\d+) body=(\S+)")
LINE = re.compile(r"  line (\S+) x=(\S+) y=(\S+) w=(\S+)(?: [^|]*)? \|(.*)\|$")


class Line:
    def __init__(self, page, el, x, y, w, text):
        self.page, self.el, self.x, self.y, self.w = page, el, x, y, w
        self.text = text.replace("\u200b", "").replace("\u2060", "")

    def __repr__(self):
        return f"p{self.page} {self.el} x={self.x:.2f} |{self.text}|"


class Dump:
    def __init__(self, text):
        self.text = text
        m = GRID.search(text)
        self.left, self.top, self.right, self.bottom, self.pitch = (float(m.group(i)) for i in range(1, 6))
        self.body = float(m.group(8))
        self.lines = []
        page = 0
        for raw in text.splitlines():
            if raw.startswith("page "):
                page = int(raw.split()[1])
            elif (lm := LINE.match(raw)):
                self.lines.append(Line(page, lm.group(1), float(lm.group(2)), float(lm.group(3)),
                                       float(lm.group(4)), lm.group(5)))

    def paragraphs(self, el="body"):
        """Lines of el grouped into paragraphs: a paragraph opens with the
        two-character indent (the test documents indent every paragraph)."""
        paras = []
        indent = self.left + 2 * self.body
        for line in self.lines:
            if line.el != el:
                continue
            if abs(line.x - indent) < 1 or not paras:
                paras.append([])
            paras[-1].append(line)
        return paras


def render_layout(binary, md_path, template, extra=()):
    r = subprocess.run([binary, "render", md_path, "-t", template, "--format", "layout", "-o", "-",
                        *extra], capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise SystemExit(f"render {md_path} -t {template} failed ({r.returncode}):\n{r.stderr[-2000:]}")
    return Dump(r.stdout)


FILL = "国家发展改革委员会推进经济社会高质量发展取得新成效全面深化改革扩大开放"


def fill(n, start=0):
    """n Han characters of running text (no punctuation)."""
    return "".join(FILL[(start + i) % len(FILL)] for i in range(n))


def run_templates(check, summary):
    """main() of a test over templates: argv is BRIEFING [TEMPLATE...];
    check(binary, template, tmpdir, failures) appends what failed."""
    binary = sys.argv[1]
    templates = sys.argv[2:] or ["gongwen", "briefing", "report"]
    tmp = tempfile.mkdtemp(prefix="briefing-test-")
    failures = []
    for t in templates:
        check(binary, t, tmp, failures)
    for f in failures:
        print("FAIL " + f)
    print(summary(failures))
    return 1 if failures else 0
