#!/usr/bin/env python3
"""Parses the flatpak manifest and checks what the store and the desktop rely on.

usage: check-flatpak-manifest.py MANIFEST APP-ID COMMAND [FLATPAK-BUILDER]
"""
import json
import subprocess
import sys

path, app_id, command = sys.argv[1:4]
flatpak_builder = sys.argv[4] if len(sys.argv) > 4 else None
with open(path, encoding="utf-8") as f:
    manifest = json.load(f)


def modules_of(manifest):
    return [m for m in manifest.get("modules", []) if isinstance(m, dict)] or [{}]


problems = []
if manifest.get("id") != app_id:
    problems.append(f"id is {manifest.get('id')!r}, expected {app_id!r}")
if manifest.get("command") != command:
    problems.append(f"command is {manifest.get('command')!r}, expected {command!r}")
if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
    problems.append("runtime/sdk must be the GNOME Platform and SDK")
version = str(manifest.get("runtime-version", ""))
if not version.isdigit() or int(version) < 48:
    problems.append(f"runtime-version {version!r}: use a supported GNOME runtime (48 or newer)")
args = set(manifest.get("finish-args", []))
for needed in ("--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11",
               "--device=dri"):
    if needed not in args:
        problems.append(f"finish-args lacks {needed}")
# libsecret (>= 0.20) keeps the sign-in in its own keyring, keyed by the Secret portal: no
# access to the host's Secret Service, and no file system beyond the app's own data.
for arg in sorted(args):
    if arg == "--talk-name=org.freedesktop.secrets" or arg.startswith("--filesystem"):
        problems.append(f"finish-args has {arg}, which the app does not need")
# The CLI, its man pages and its completion are part of the app: nothing cleans them away.
for module in modules_of(manifest):
    for pattern in manifest.get("cleanup", []) + module.get("cleanup", []):
        if any(pattern.startswith(p) or p.startswith(pattern.rstrip("*"))
               for p in ("/bin", "/share/man", "/share/bash-completion", "/lib/systemd")):
            problems.append(f"cleanup {pattern!r} removes what the app installs")
modules = manifest.get("modules", [])
if len(modules) != 1 or modules[0].get("buildsystem") != "meson":
    problems.append("expected exactly one meson module (the app)")

if flatpak_builder:
    proc = subprocess.run([flatpak_builder, "--show-manifest", path], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        problems.append(f"flatpak-builder --show-manifest fails: {proc.stderr.strip()}")

for p in problems:
    print("not ok:", p)
sys.exit(1 if problems else 0)
