#!/usr/bin/python3
# atspi-walk.py — lists the controls of a running Partner Desk as assistive technology sees
# them (AT-SPI), and how many have no name. Not a registered test (it needs the AT-SPI bus);
# run by hand, see shared/recipes.md:
#   dbus-run-session -- sh -c '/usr/libexec/at-spi-bus-launcher --launch-immediately &
#     GTK_A11Y=atspi partner-desk --demo & sleep 15; /usr/bin/python3 tests/ui/atspi-walk.py'
# It found that GTK 4.8 names an icon button with only a tooltip "GtkButton"; the icon
# buttons now carry accessible labels, and test-accessible-names no longer accepts tooltips.
import pyatspi, sys
INTERACTIVE = {'push button','toggle button','check box','text','entry','combo box','menu button','radio button','spin button','slider','table','tree table','link','switch','password text'}
def walk(acc, depth, out):
    try:
        role = acc.getRoleName()
        name = acc.name
    except Exception:
        return
    if role in INTERACTIVE:
        out.append((role, name))
    for i in range(acc.childCount):
        try:
            walk(acc.getChildAtIndex(i), depth+1, out)
        except Exception:
            pass
desk = pyatspi.Registry.getDesktop(0)
for app in desk:
    if app is None: continue
    if 'partner' not in (app.name or '').lower(): continue
    out = []
    walk(app, 0, out)
    unnamed = [r for r in out if not r[1]]
    print("controls", len(out), "unnamed", len(unnamed))
    for r in out[:80]: print(" ", r)
