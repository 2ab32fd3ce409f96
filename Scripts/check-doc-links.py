#!/usr/bin/env python3
"""Checks the documentation for dangling references (stdlib only).

For README.md and Docs/*.md (or the Markdown files given as arguments, relative to the repository root):

- every relative Markdown link `[text](path)`, `[text](path#anchor)`, `[text](#anchor)`, image and reference
  definition `[label]: path` must name a file or folder that exists, and an `#anchor` into a Markdown file must be
  one of its headings' anchors (GitHub's rules: lowercase, spaces become `-`, punctuation other than `-` and `_`
  dropped, a repeated heading gets `-1`, `-2`, ...; `<a id="...">`/`<a name="...">` also count);
- every backticked repository path (a code span holding a word that starts with `Scripts/`, `Sources/`, `Docs/`,
  `Tests/` or `SampleLogs/`) must exist. `*`, `<placeholder>` and `…` in such a path are wildcards (it must match
  at least one path); a `:LINE` suffix and an `#anchor` are ignored.

Links to other sites (`http:`, `https:`, `mailto:`) and anything inside fenced code blocks are not checked.
Prints one line per problem (`file:line: message`) and exits 1 when there is any, 0 otherwise.

    python3 Scripts/check-doc-links.py              # README.md and Docs/*.md
    python3 Scripts/check-doc-links.py Scripts/README.md
"""

import glob
import os
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATH_PREFIXES = ("Scripts/", "Sources/", "Docs/", "Tests/", "SampleLogs/")

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
HTML_ANCHOR = re.compile(r"<a\s+[^>]*?(?:id|name)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# [text](target) and ![alt](target); the text may hold one level of brackets; the target may be <...> or end
# with a "title".
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(\S+)")
REPO_PATH = re.compile(r"(?<![\w./-])((?:Scripts|Sources|Docs|Tests|SampleLogs)/[^\s`'\"(),;|]*)")


def slug(heading):
    """GitHub's anchor for a heading's text (github-slugger), after removing inline markup."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links: their text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML tags
    text = text.replace("`", "")
    out = []
    for ch in text.lower():
        if ch == " ":
            out.append("-")
        elif ch in "-_" or ch.isalnum() or unicodedata.category(ch).startswith("M"):
            out.append(ch)
    return "".join(out)


def strip_code_spans(line):
    return CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


class Document:
    """A Markdown file's lines outside fenced code blocks, its anchors."""

    def __init__(self, path):
        self.path = path
        with open(path, encoding="utf-8") as f:
            raw = f.read().split("\n")
        self.lines = []  # (line number, text) outside fences
        fence = None
        for number, line in enumerate(raw, 1):
            m = FENCE.match(line)
            if fence is None and m:
                fence = m.group(1)[0] * len(m.group(1))
                continue
            if fence is not None:
                if line.strip().startswith(fence) and line.strip().strip(fence[0]) == "":
                    fence = None
                continue
            self.lines.append((number, line))
        self.anchors = set()
        seen = {}
        for _, line in self.lines:
            m = HEADING.match(line)
            if m:
                base = slug(m.group(2))
                n = seen.get(base, 0)
                seen[base] = n + 1
                self.anchors.add(base if n == 0 else "%s-%d" % (base, n))
            for a in HTML_ANCHOR.findall(line):
                self.anchors.add(a)


_documents = {}


def document(path):
    path = os.path.normpath(path)
    if path not in _documents:
        _documents[path] = Document(path)
    return _documents[path]


def check_link(doc, number, target, problems):
    if target.startswith("<") and target.endswith(">"):
        target = target[1:-1]
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):  # http:, https:, mailto:, ...
        return
    path, _, anchor = target.partition("#")
    where = "%s:%d" % (os.path.relpath(doc.path, ROOT), number)
    if path:
        resolved = os.path.normpath(os.path.join(os.path.dirname(doc.path), path))
        if not resolved.startswith(ROOT + os.sep) and resolved != ROOT:
            problems.append("%s: link %s leaves the repository" % (where, target))
            return
        if not os.path.exists(resolved):
            problems.append("%s: link %s: no such file or folder" % (where, target))
            return
    else:
        resolved = doc.path
    if anchor and resolved.endswith(".md") and os.path.isfile(resolved):
        if anchor not in document(resolved).anchors:
            problems.append("%s: link %s: no heading with anchor #%s in %s"
                            % (where, target, anchor, os.path.relpath(resolved, ROOT)))


def path_exists(candidate):
    candidate = re.sub(r":\d+(-\d+)?$", "", candidate.split("#")[0])
    candidate = candidate.rstrip(".")
    if not candidate:
        return True
    pattern = re.sub(r"<[^>]*>", "*", candidate).replace("…", "*").replace("...", "*")
    if any(c in pattern for c in "*?["):
        return bool(glob.glob(os.path.join(ROOT, pattern)))
    return os.path.exists(os.path.join(ROOT, candidate))


def check(doc, problems):
    for number, line in doc.lines:
        plain = strip_code_spans(line)
        for m in INLINE_LINK.finditer(plain):
            check_link(doc, number, m.group(1), problems)
        m = REF_DEF.match(plain)
        if m:
            check_link(doc, number, m.group(1), problems)
        for span in CODE_SPAN.finditer(line):
            for p in REPO_PATH.findall(span.group(2)):
                if not path_exists(p):
                    problems.append("%s:%d: `%s`: no such file or folder in the repository"
                                    % (os.path.relpath(doc.path, ROOT), number, p))


def main(argv):
    if argv:
        files = [os.path.join(ROOT, a) if not os.path.isabs(a) else a for a in argv]
    else:
        files = [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "Docs", "*.md")))
    problems = []
    for f in files:
        check(document(f), problems)
    for p in problems:
        print(p)
    checked = ", ".join(os.path.relpath(f, ROOT) for f in files) if argv else "README.md and Docs/*.md"
    if problems:
        print("check-doc-links: %d dangling reference(s) in %s" % (len(problems), checked), file=sys.stderr)
        return 1
    print("check-doc-links: no dangling references in %s (%d files)" % (checked, len(files)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
