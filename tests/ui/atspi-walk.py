#!/usr/bin/python3
# atspi-walk.py — walks a running Partner Desk as assistive technology sees it (AT-SPI) and
# fails on any control a screen reader cannot announce properly.
#
#   atspi-walk.py [--pid PID] [--expect ROLE[=NAME]]... [--focused ROLE=NAME]
#                 [--focused-description TEXT]
#
# Every interactive element (push button, toggle button, check box, entry/text, combo box,
# menu item, table row, focusable list item…) must have a name, and that name must not be
# doubled ("Sync Now Sync Now": GTK 4.8 joins an accessible label and a labelled-by relation)
# nor contain "_" (a mnemonic read out: "_Approve"). Each --expect ROLE must occur at least
# once (so that the walk really saw the list's rows, the menu's items…); ROLE=NAME asks for an
# element of that role whose name starts with NAME. --focused ROLE=NAME asks that the element in
# the focused state be of that role and named so (what a screen reader announces on Tab: a
# text field that takes the focus without saying so is silent). --focused-description TEXT asks
# that the focused element's description start with TEXT (read after its name: why a field is
# marked wrong). Problems go to stdout, one a line; the exit status is 1 when there is any.
#
# tests/ui/test-atspi.c runs it against the real window in each state (list, editor, sync
# view, menu). By hand (see shared/recipes.md):
#   dbus-run-session -- sh -c '/usr/libexec/at-spi-bus-launcher --launch-immediately &
#     GTK_A11Y=atspi partner-desk --demo & sleep 15; /usr/bin/python3 tests/ui/atspi-walk.py'
import argparse
import sys
import time

import pyatspi

INTERACTIVE = {
    'push button', 'toggle button', 'check box', 'radio button', 'text', 'entry',
    'password text', 'combo box', 'menu button', 'spin button', 'slider', 'switch', 'link',
    'menu item', 'check menu item', 'radio menu item', 'table row', 'tree table', 'table',
    'page tab',
}
# Rows of a GtkListBox are interactive when they take the focus (an AdwExpanderRow's outer
# row and a plain group's rows do not).
FOCUSABLE_ONLY = {'list item'}


def is_doubled(name):
    words = name.split()
    half = len(words) // 2
    return len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]


def problem_of(name):
    if not name or not name.strip():
        return 'no name'
    if is_doubled(name):
        return 'doubled name'
    if '_' in name:
        return 'underscore in name'
    if name.startswith('Gtk') or name.startswith('Adw'):
        return 'type name as name'
    return None


def walk(acc, path, out, seen, names, focused):
    try:
        role = acc.getRoleName()
        name = acc.name or ''
        states = acc.getState()
    except Exception:
        return
    seen[role] = seen.get(role, 0) + 1
    names.setdefault(role, []).append(name)
    if states.contains(pyatspi.STATE_FOCUSED):
        focused.append(('%s=%s' % (role, name), acc.description or ''))
    check = role in INTERACTIVE or (role in FOCUSABLE_ONLY
                                    and states.contains(pyatspi.STATE_FOCUSABLE))
    here = '%s > %s %r' % (path, role, name) if path else '%s %r' % (role, name)
    if check:
        problem = problem_of(name)
        if problem is not None:
            out.append('%s: %s' % (problem, here))
    try:
        n = acc.childCount
    except Exception:
        return
    # The path keeps the last named ancestors: enough to find the widget.
    short = here if name else path
    for i in range(n):
        try:
            child = acc.getChildAtIndex(i)
        except Exception:
            continue
        if child is not None:
            walk(child, ' > '.join(short.split(' > ')[-2:]), out, seen, names, focused)


def find_app(pid):
    desk = pyatspi.Registry.getDesktop(0)
    for app in desk:
        if app is None:
            continue
        try:
            if pid is not None and app.get_process_id() != pid:
                continue
            if pid is None and 'partner' not in (app.name or '').lower():
                continue
        except Exception:
            continue
        return app
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--pid', type=int)
    parser.add_argument('--expect', action='append', default=[])
    parser.add_argument('--focused')
    parser.add_argument('--focused-description')
    args = parser.parse_args()

    # The application registers itself with the registry once its window is up: wait for it
    # (bounded), as the caller starts the walk right after showing the window.
    deadline = time.monotonic() + 30
    app = find_app(args.pid)
    while app is None and time.monotonic() < deadline:
        time.sleep(0.2)
        app = find_app(args.pid)
    if app is None:
        print('application not found on the AT-SPI bus')
        return 1
    problems = []
    seen = {}
    names = {}
    focused = []
    walk(app, '', problems, seen, names, focused)
    focused_names = [element for element, _ in focused]
    if args.focused is not None and args.focused not in focused_names:
        problems.append('focused: %r, not %r' % (focused_names, args.focused))
    # The description of the element --focused names (of any focused one without it).
    if args.focused_description is not None and not any(
            description.startswith(args.focused_description)
            for element, description in focused
            if args.focused is None or element == args.focused):
        problems.append('focused: %r, not described as %r…' % (focused,
                                                               args.focused_description))
    for expect in args.expect:
        role, _, prefix = expect.partition('=')
        if not any(name.startswith(prefix) for name in names.get(role, [])):
            problems.append('no %r named %r…' % (role, prefix))
    for line in problems:
        print(line)
    sys.stderr.write('roles seen: %s\n' % ', '.join('%s %d' % kv for kv in sorted(seen.items())))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
