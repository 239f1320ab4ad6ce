#!/usr/bin/env python3
"""Runs the bash completion function the way bash does on <TAB> (COMP_WORDS, COMP_CWORD; no
interactive shell) and checks its answers against the built CLI (TAP): the commands of
`--help`, each command's options, the filters and formats the CLI accepts, the keys of `set`
and `edit-bill-to`.

usage: check-completion.py BASH COMPLETION-SCRIPT CLI
"""
import os
import re
import subprocess
import sys
import tempfile

bash, script, cli = (os.path.abspath(p) for p in sys.argv[1:4])
env = dict(os.environ, LC_ALL="C.UTF-8")
env.pop("LANGUAGE", None)
results = []

COMPLETE = r'''
source "$1" || exit 99
shift
COMP_CWORD=$1
shift
COMP_WORDS=("$@")
COMP_LINE="${COMP_WORDS[*]}"
COMP_POINT=${#COMP_LINE}
complete -p partner-desk-cli >/dev/null || exit 98
"$(complete -p partner-desk-cli | sed -n 's/.*-F \([^ ]*\) .*/\1/p')" \
  partner-desk-cli "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
'''


def complete(line):
    """Completions for `line`, whose last word (possibly empty) is under the cursor. '='
    stands alone as bash's COMP_WORDBREAKS makes it."""
    words = ["partner-desk-cli"] + re.sub(r"=", " = ", line).split(" ")
    words = [w for i, w in enumerate(words) if w != "" or i == len(words) - 1]
    proc = subprocess.run([bash, "--norc", "--noprofile", "-c", COMPLETE, "bash", script,
                           str(len(words) - 1), *words],
                          capture_output=True, text=True, env=env, cwd=workdir)
    if proc.returncode != 0 or proc.stderr:
        return [f"<bash exited {proc.returncode}: {proc.stderr.strip()}>"]
    return [w for w in proc.stdout.split("\n") if w]


def check(ok, name, detail=""):
    results.append((ok, name, detail))


def expect(line, wanted, exact=True):
    got = complete(line)
    ok = sorted(got) == sorted(wanted) if exact else set(wanted) <= set(got)
    check(ok, f"'partner-desk-cli {line}<TAB>'", f"got {got}, expected {sorted(wanted)}")


def cli_output(*args):
    proc = subprocess.run([cli, "--db", os.path.join(workdir, "none.db"), *args],
                          capture_output=True, text=True, env=env)
    return proc.stdout + proc.stderr


def one_of(*args):
    m = re.search(r"\(one of: ([^)]*)\)", cli_output(*args))
    return m.group(1).split(", ") if m else ["<no 'one of' in the CLI's answer>"]


def keys(description):
    text = re.sub(r"\([^)]*\)", "", description.split(":", 1)[1])
    text = text.split(". ")[0].split(".\n")[0]
    return [re.match(r"\s*([\w.-]+)", k).group(1) for k in text.split(",")]


with tempfile.TemporaryDirectory() as workdir:
    top = cli_output("--help")
    commands = [l.split()[0] for l in
                top.split("Commands:\n", 1)[1].split("\n\n", 1)[0].splitlines()]

    expect("sy", ["sync"])
    expect("", commands)
    expect("--", ["--db", "--version", "--help"])
    expect("--db x.db li", ["list", "link"])
    for command in commands:
        help_text = cli_output(command, "--help")
        options = re.findall(r"^\s+(?:-\w, )?(--[\w-]+)", help_text, re.M)
        expect(f"{command} --", options, exact=False)

    filters = [f for f in one_of("list", "--filter", "bogus") if f != "all"]
    expect("list --filter ", filters, exact=False)
    expect("list --filter ", ["incomplete", "local-edits", "duplicates", "manual", "removed",
                              "unreadable", "under-review", "new"])
    expect("list --filter=", filters, exact=False)
    expect("export -f lo", ["local-edits"])
    expect("list --filter=lo", ["local-edits"])
    expect("list --format ", one_of("list", "--format", "bogus"))
    expect("show --format=", one_of("show", "x", "--format", "bogus"))
    expect("status --format ", one_of("status", "--format", "bogus"))
    expect("list --search foo --fo", ["--format"])

    set_keys = keys(cli_output("set", "--help").split("\n\n")[-1])
    expect("set contoso.com ", [k + "=" for k in set_keys])
    expect("set contoso.com erp-id=1 reg", ["registration-number="])
    expect("set contoso.com status=", ["new", "active", "blocked"])
    bill_to_keys = keys(cli_output("edit-bill-to", "--help").split("\n\n")[-1])
    expect("edit-bill-to contoso.com ", [k + "=" for k in bill_to_keys])
    expect("revert-bill-to contoso.com address.c", ["address.city", "address.country"])

    open(os.path.join(workdir, "customers.csv"), "w").close()
    expect("export cust", ["customers.csv"])

print(f"1..{len(results)}")
for i, (ok, name, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok:
        print("# " + detail)
sys.exit(0 if all(ok for ok, _, _ in results) else 1)
