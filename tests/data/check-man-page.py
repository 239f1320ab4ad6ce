#!/usr/bin/env python3
"""Checks a man page against the built CLI's own --help (TAP): every command the CLI lists
has a subsection naming each option of its `COMMAND --help`; the global options, environment
variables and exit statuses appear in their sections; groff formats it without a warning.

usage: check-man-page.py CLI MANPAGE [GROFF]
"""
import os
import re
import subprocess
import sys

cli, manpage = sys.argv[1:3]
groff = sys.argv[3] if len(sys.argv) > 3 else None
env = dict(os.environ, LC_ALL="C.UTF-8")
env.pop("LANGUAGE", None)  # the English --help, whatever the machine's locale

results = []


def check(ok, name, detail=""):
    results.append((ok, name, detail))


def run_help(*args):
    proc = subprocess.run([cli, *args, "--help"], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"Bail out! {' '.join([cli, *args])} --help exited {proc.returncode}")
    return proc.stdout


def section(text, title):
    """The lines of `text` after the line `title`, up to the first blank line."""
    lines = text.splitlines()
    start = lines.index(title) + 1
    out = []
    for line in lines[start:]:
        if not line.strip():
            break
        out.append(line)
    return out


def options_of(help_text):
    names = []
    for line in section(help_text, "Options:"):
        m = re.match(r"\s+(?:(-\w), )?(--[\w-]+)", line)
        if m:
            names += [n for n in m.groups() if n]
    return names


def roff_to_text(source):
    text = "\n".join(l for l in source.splitlines() if not l.startswith('.\\"'))
    text = re.sub(r"\\f[BIRP]", "", text)
    return text.replace("\\-", "-").replace("\\&", "").replace("\\(em", "-")


def man_sections(text):
    """{'.SH TITLE': body} and {'.SS name': body}."""
    sections, subsections = {}, {}
    current = None
    for line in text.splitlines():
        if line.startswith(".SH "):
            current = sections.setdefault(line[4:].strip().strip('"'), [])
            sub = None
        elif line.startswith(".SS "):
            sub = subsections.setdefault(line[4:].strip(), [])
            current = sub
        elif current is not None:
            current.append(line)
    return ({k: "\n".join(v) for k, v in sections.items()},
            {k: "\n".join(v) for k, v in subsections.items()})


def names(body, word):
    return re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", body) is not None


with open(manpage, encoding="utf-8") as f:
    source = f.read()
sections, subsections = man_sections(roff_to_text(source))

top = run_help()
commands = [line.split()[0] for line in section(top, "Commands:")]
check(len(commands) >= 10, "the CLI lists its commands", f"got {commands}")

for option in options_of(top):
    check(names(sections.get("GLOBAL OPTIONS", ""), option), f"global option {option}")

for var in re.findall(r"^\s+(PARTNER_DESK_\w+)", top, re.M):
    check(names(sections.get("ENVIRONMENT", ""), var), f"environment variable {var}")

codes = re.findall(r"(\d) [a-z]", " ".join(section(top, "Exit status:")))
check(codes == ["0", "1", "2", "3", "4"], "the CLI lists exit statuses 0-4", f"got {codes}")
for code in codes:
    check(re.search(rf"^\.B {code}$", sections.get("EXIT STATUS", ""), re.M) is not None,
          f"exit status {code}")

for command in commands:
    body = subsections.get(command)
    check(body is not None, f"command {command} has a subsection")
    if body is None:
        continue
    for option in options_of(run_help(command)):
        # -h/--help are documented once for every command, above the subsections.
        where = body + sections.get("COMMANDS", "") if option in ("-h", "--help") else body
        check(names(where, option), f"{command} {option}")

for documented in subsections:
    check(documented in commands, f"documented command {documented} exists in the CLI")

if groff:
    proc = subprocess.run([groff, "-man", "-ww", "-z", manpage], capture_output=True, text=True)
    check(proc.returncode == 0 and not proc.stderr, "groff -man -ww formats it cleanly",
          proc.stderr.strip())

print(f"1..{len(results)}")
for i, (ok, name, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok and detail:
        print("# " + detail.replace("\n", "\n# "))
sys.exit(0 if all(ok for ok, _, _ in results) else 1)
