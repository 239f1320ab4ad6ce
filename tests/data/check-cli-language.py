#!/usr/bin/env python3
"""check-cli-language.py CLI PO LANG — 'partner-desk-cli --help' (and 'sync --help') speak LANG.

Runs the built CLI with LANGUAGE=LANG LC_ALL=C.UTF-8 (no locale needs to be installed) on the
catalogues the build made from po/ (PARTNER_DESK_LOCALEDIR, set by the test environment). Each
message of PO that the English --help shows (the commands' summary lines, "Commands:", the
environment block, an option's description) must appear as PO translates it, and its English
text must not appear, unless PO translates it to itself.
"""
import os
import re
import subprocess
import sys

cli, po_path, lang = sys.argv[1:4]


def unquote(text):
    return bytes(text, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def read_po(path):
    entries, entry, key = [], {}, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {}, None
            continue
        if line.startswith("#,") and "fuzzy" in line:
            entry["fuzzy"] = True
        if line.startswith("#"):
            continue
        m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if m:
            key = m.group(1)
            entry[key] = unquote(m.group(2))
        elif line.startswith('"') and key:
            entry[key] += unquote(line[1:-1])
    if "msgid" in entry:
        entries.append(entry)
    return entries


def run(args, language):
    env = dict(os.environ, LC_ALL="C.UTF-8")
    env.pop("LANGUAGE", None)
    if language:
        env["LANGUAGE"] = language
    out = subprocess.run([cli] + args, env=env, capture_output=True, text=True, check=True)
    return out.stdout


def shows(text, output):
    """TRUE when text is a whole line of output, or the description column of one."""
    for line in output.split("\n"):
        line = line.strip()
        if line == text or line.endswith("  " + text):
            return True
    return False


failures, checked = [], 0
for args in (["--help"], ["sync", "--help"], ["list", "--help"]):
    english = run(args, None)
    translated = run(args, lang)
    if translated == english:
        failures.append(f"'{' '.join(args)}' under LANGUAGE={lang} is the English text")
    for entry in read_po(po_path):
        msgid, msgstr = entry["msgid"], entry.get("msgstr", "")
        # A message as --help prints it: whole lines of the output (the help wraps nothing).
        if not msgid or entry.get("msgid_plural") or "%" in msgid or len(msgid) < 4:
            continue
        lines = [l.strip() for l in msgid.strip("\n").split("\n")]
        if not all(l and shows(l, english) for l in lines):
            continue
        checked += 1
        if entry.get("fuzzy") or not msgstr:
            failures.append(f"{' '.join(args)}: no {lang} translation of “{msgid}”")
            continue
        if msgstr == msgid:
            continue
        for l in (l.strip() for l in msgstr.strip("\n").split("\n")):
            if l and not shows(l, translated):
                failures.append(f"{' '.join(args)}: the {lang} text “{l}” is missing")
        for l in lines:
            if l not in msgstr and shows(l, translated):
                failures.append(f"{' '.join(args)}: English “{l}” shown under LANGUAGE={lang}")

print(f"{checked} messages of the CLI's help checked in {lang}")
if checked < 20:
    failures.append(f"only {checked} messages of the help found in {po_path}: is it the CLI's?")
for f in failures:
    print(f)
sys.exit(1 if failures else 0)
