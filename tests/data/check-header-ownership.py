#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every function a public header of src/ declares (src/*/pd-*.h but not *-private.h) that
returns a pointer says who owns it: the comment right above the declaration carries
"(transfer full)", "(transfer none)", "(transfer container)" or "(transfer floating)"
(HACKING.md, Style). Out-parameters follow the same convention ("NAME: (out) (transfer full)")
but are not checked: a `char **argv` looks the same as a `char **out_text`.

usage: check-header-ownership.py SOURCE_ROOT [--list]   (--list: every declaration it sees)
"""
import glob
import os
import re
import sys

root = sys.argv[1]
listing = "--list" in sys.argv[2:]

# Types that are pointers without a '*'.
POINTER_TYPEDEFS = {"gpointer", "gconstpointer", "GStrv"}
TRANSFER = re.compile(r"\(transfer (full|none|floating|container)\)")


def statements(text):
    """(comment right above or None, statement) for each top-level ';'-terminated statement.
    Preprocessor lines and macro calls without ';' (G_DECLARE_*, G_BEGIN_DECLS, …) end the
    reach of a comment, as a blank line does not."""
    out = []
    comment = None
    comment_end = 0
    i = 0
    n = len(text)
    while i < n:
        if text.startswith("/*", i):
            end = text.index("*/", i) + 2
            comment = text[i:end]
            comment_end = i = end
            continue
        if text[i].isspace():
            i += 1
            continue
        if text[i] == "#":
            while True:
                eol = text.find("\n", i)
                eol = n if eol < 0 else eol
                line = text[i:eol]
                i = eol + 1
                if not line.rstrip().endswith("\\"):
                    break
            comment = None
            continue
        macro = re.match(r"G_[A-Z_]+\b\s*", text[i:])
        if macro:  # G_BEGIN_DECLS, G_DECLARE_FINAL_TYPE (…), G_DEFINE_AUTOPTR_CLEANUP_FUNC (…)
            i += macro.end()
            if text.startswith("(", i):
                depth = 0
                while True:
                    depth += {"(": 1, ")": -1}.get(text[i], 0)
                    i += 1
                    if depth == 0:
                        break
            comment = None
            continue
        # A statement: up to the ';' outside parentheses and braces.
        start = i
        if comment is not None and text.count("\n", comment_end, start) > 1:
            comment = None  # a blank line between: not this declaration's comment
        depth = 0
        while i < n:
            if text.startswith("/*", i):
                i = text.index("*/", i) + 2
                continue
            c = text[i]
            i += 1
            if c in "({":
                depth += 1
            elif c in ")}":
                depth -= 1
            elif c == ";" and depth == 0:
                break
        stmt = re.sub(r"/\*.*?\*/", " ", text[start:i], flags=re.S)
        out.append((comment, " ".join(stmt.split())))
        comment = None
    return out


FUNC = re.compile(r"^(?P<ret>[A-Za-z_][\w\s\*]*?)\s*\b(?P<name>pd_\w+)\s*\((?P<params>.*)\)"
                  r"(\s*G_GNUC_\w+(\s*\([^)]*\))?)*\s*;$")


def check_header(path):
    """(problems, every function declaration seen) of one header."""
    problems = []
    seen = []
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for comment, stmt in statements(text):
        if stmt.startswith(("typedef", "struct", "enum", "extern")):
            continue
        m = FUNC.match(stmt)
        if not m:
            continue
        name, ret = m.group("name"), m.group("ret")
        pointer = "*" in ret or ret.split()[-1] in POINTER_TYPEDEFS
        seen.append(f"{path}: {name}: {'pointer' if pointer else '-'}")
        if pointer and not TRANSFER.search(comment or ""):
            problems.append(f"{path}: {name}: returns a pointer without (transfer …) in the "
                            "comment right above")
    return problems, seen


def main():
    headers = sorted(h for h in glob.glob(os.path.join(root, "src", "*", "pd-*.h"))
                     if not h.endswith("-private.h"))
    if not headers:
        sys.exit(f"no headers under {root}/src")
    problems = []
    count = 0
    for header in headers:
        p, seen = check_header(header)
        problems += p
        count += len(seen)
        if listing:
            print("\n".join(os.path.relpath(s, root) for s in seen))
    if count == 0:
        sys.exit("no function declarations found: the parser is broken")
    for p in problems:
        print(os.path.relpath(p, root) if p.startswith(root) else p)
    if problems:
        print(f"{len(problems)} ownership annotations missing (HACKING.md, Style)")
        sys.exit(1)
    print(f"{count} declarations in {len(headers)} public headers state ownership")


main()
