#!/usr/bin/env bash
# `npm test`'s pretest: the machine tools the tests need and npm cannot install. Browser tests drive
# Debian's Chromium (playwright-core downloads no browser); certificate tests read PDFs with
# poppler's pdftotext, pdffonts and pdftoppm; screenshots need a CJK font, or every Chinese
# character is drawn as a box (the web client's font stack names Noto Sans CJK SC). What is missing
# is installed with apt-get when this user can (root, or sudo without a password); otherwise this
# stops at once with the one command to run.
set -euo pipefail

packages=()
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] || packages+=(chromium)
for tool in pdftotext pdffonts pdftoppm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    packages+=(poppler-utils)
    break
  fi
done
if ! command -v fc-list >/dev/null 2>&1; then
  packages+=(fontconfig fonts-noto-cjk)
elif [ -z "$(fc-list :lang=zh family)" ]; then
  packages+=(fonts-noto-cjk)
fi

[ ${#packages[@]} -eq 0 ] && exit 0

command_line="apt-get update && apt-get install -y --no-install-recommends ${packages[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "npm test needs ${packages[*]} (Debian package names): install them, then run npm test again." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo)
else
  echo "npm test needs ${packages[*]}. Run this, then npm test again:" >&2
  echo "  sudo sh -c '$command_line'" >&2
  exit 1
fi

echo "pretest: installing ${packages[*]} with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

# Installed but still not found (a CHROMIUM_PATH elsewhere, a font cache not rebuilt): say so now
# rather than as a failing browser test much later.
if [ ! -x "$chromium" ] || ! command -v pdftotext >/dev/null 2>&1 ||
  [ -z "$(fc-list :lang=zh family)" ]; then
  echo "pretest: installed ${packages[*]}, yet chromium ($chromium), pdftotext or a CJK font (fc-list :lang=zh) is still missing" >&2
  exit 1
fi
