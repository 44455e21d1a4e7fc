#!/usr/bin/env python3
"""Hostile input: script tags, javascript: links, quotes in attributes and in
front matter, </svg> and <script> in chart titles, on* attributes in raw
HTML. The HTML preview of it must be inert. Checks, on the raw bytes (as a
naive scan would) and on the parsed document:

- no `<script`, no `javascript:` and no ` on…=` anywhere in the file;
- only known elements; no attribute named on…; links only to http(s),
  mailto and #anchors; no attribute value that decodes to javascript:;
- one <style>, with no url(), @import or external reference;
- the hostile text itself is still there, escaped (nothing was lost).

usage: check_hostile.py BRIEFING HOSTILE.md
"""
import html.parser
import re
import subprocess
import sys

ELEMENTS = {
    "html", "head", "meta", "title", "style", "body", "nav", "main", "header", "section", "div",
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ol", "ul", "li", "a", "span", "strong", "em", "del",
    "code", "pre", "blockquote", "hr", "br", "sup", "table", "thead", "tbody", "tr", "th", "td",
    "figure", "figcaption", "time",
    # inline SVG charts, once they are drawn
    "svg", "g", "path", "rect", "line", "polyline", "polygon", "circle", "ellipse", "text",
    "tspan", "desc", "defs", "clippath", "lineargradient", "stop",
}
URL_ATTRS = {"href", "src", "xlink:href", "action", "formaction", "data", "poster"}


class Audit(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.errors, self.styles, self.stack, self.text = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag not in ELEMENTS:
            self.errors.append(f"element <{tag}> is not allowed")
        for name, value in attrs:
            value = value or ""
            squeezed = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
            if name.startswith("on"):
                self.errors.append(f"event handler attribute {name}= on <{tag}>")
            if "javascript:" in squeezed or "vbscript:" in squeezed:
                self.errors.append(f"script URL in {name}= on <{tag}>: {value!r}")
            if name in URL_ATTRS and name != "href":
                self.errors.append(f"{name}= on <{tag}> would make a request")
            if name == "href" and not re.match(r"(https?:|mailto:|#)", value, re.I):
                self.errors.append(f"href to a disallowed destination: {value!r}")
            if name == "http-equiv" and value.lower() != "content-security-policy":
                self.errors.append(f"meta http-equiv={value!r}")
            if name == "style":
                self.errors.append(f"style attribute on <{tag}>")

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style":
            self.styles.append(data)
        else:
            self.text.append(data)


def main():
    binary, source = sys.argv[1], sys.argv[2]
    r = subprocess.run([binary, "render", source, "--format", "html", "-o", "-"],
                       capture_output=True, text=True, timeout=60)
    errors = []
    if r.returncode != 0:
        print(f"FAIL: exit {r.returncode}\n{r.stderr}")
        return 1
    out = r.stdout
    for pattern, what in [(r"<\s*script", "<script"), (r"javascript\s*:", "javascript:"),
                          (r"\son[a-z]+\s*=", "an on…= attribute"), (r"<\s*iframe", "<iframe"),
                          (r"<\s*img", "<img"), (r"<\s*object", "<object"),
                          (r"<\s*embed", "<embed"), (r"<\s*link", "<link"), (r"<\s*base", "<base"),
                          (r"<\s*foreignobject", "<foreignObject")]:
        for m in re.finditer(pattern, out, re.I):
            errors.append(f"raw output contains {what}: …{out[max(m.start() - 40, 0):m.end() + 40]!r}…")
    audit = Audit()
    audit.feed(out)
    audit.close()
    errors += audit.errors
    if len(audit.styles) != 1 or out.lower().count("<style") != 1:
        errors.append(f"expected exactly one <style>, found {out.lower().count('<style')}")
    css = "".join(audit.styles)
    for bad in ("url(", "@import", "http:", "https:", "//"):
        if bad in css.lower().replace("\\3a ", ":"):
            errors.append(f"style sheet contains {bad!r}")
    text = "".join(audit.text)
    for kept in ['"><script>alert(4)</script>', "<img src=x onerror=alert(3)>",
                 "</svg><script>alert(30)</script>", "各单位' onmouseover='alert(5)"]:
        if kept not in text:
            errors.append(f"hostile text was lost instead of escaped: {kept!r}")
    for e in errors:
        print("FAIL:", e)
    print(f"{'FAIL' if errors else 'ok'}: {len(out)} bytes checked")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
