#!/usr/bin/env python3
"""Parses the flatpak manifest and checks what the store and the desktop rely on."""
import json
import sys

path, app_id, command = sys.argv[1:4]
with open(path, encoding="utf-8") as f:
    manifest = json.load(f)

problems = []
if manifest.get("id") != app_id:
    problems.append(f"id is {manifest.get('id')!r}, expected {app_id!r}")
if manifest.get("command") != command:
    problems.append(f"command is {manifest.get('command')!r}, expected {command!r}")
if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
    problems.append("runtime/sdk must be the GNOME Platform and SDK")
args = set(manifest.get("finish-args", []))
for needed in ("--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11",
               "--device=dri", "--talk-name=org.freedesktop.secrets"):
    if needed not in args:
        problems.append(f"finish-args lacks {needed}")
modules = manifest.get("modules", [])
if len(modules) != 1 or modules[0].get("buildsystem") != "meson":
    problems.append("expected exactly one meson module (the app)")

for p in problems:
    print("not ok:", p)
sys.exit(1 if problems else 0)
