#!/usr/bin/env bash
# Make sure Debian's Chromium headless shell (package chromium-headless-shell, the same Chromium
# without the desktop browser) is at /usr/bin/chromium-headless-shell: the browser tests
# (tests/browser) drive it with Playwright (docs/decisions/0006-browser-tests-in-the-headless-shell.md).
# Never `playwright install`: it downloads its own browser, which this project does not use. `make test` (the test-tools target) calls it before the tests; CI installs it up front.
# Installs with apt-get when run as root; otherwise says what to install and exits 1.
set -euo pipefail
CHROMIUM=/usr/bin/chromium-headless-shell
PACKAGE=chromium-headless-shell
if [[ -x $CHROMIUM ]]; then
    echo "Chromium: present ($CHROMIUM)"
    exit 0
fi
if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null; then
    echo "ไม่พบ $CHROMIUM: ต้องติดตั้งแพ็กเกจ $PACKAGE ของ Debian ก่อน (ต้องใช้สิทธิ์ root:" \
        "sudo apt-get install --no-install-recommends $PACKAGE)" >&2
    echo "$CHROMIUM is missing: install Debian's $PACKAGE package as root" \
        "(sudo apt-get install --no-install-recommends $PACKAGE)" >&2
    exit 1
fi
echo "installing: $PACKAGE"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q </dev/null
apt-get install -y -q --no-install-recommends "$PACKAGE" </dev/null
if [[ ! -x $CHROMIUM ]]; then
    echo "ติดตั้ง $PACKAGE แล้วแต่ไม่พบ $CHROMIUM / $PACKAGE was installed but $CHROMIUM is missing" >&2
    exit 1
fi
"$CHROMIUM" --version || true
