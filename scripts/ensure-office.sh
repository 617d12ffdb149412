#!/usr/bin/env bash
# Make sure LibreOffice (PDF from DOCX) and poppler-utils (pdftotext, pdftoppm, pdffonts) are here.
# `make test` (its test-tools target) calls it before the tests; CI installs both in its first step.
# Installs with apt-get when run as root; otherwise says what to install and exits 1.
set -euo pipefail
missing=()
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
if [[ ${#missing[@]} -eq 0 ]]; then
    echo "LibreOffice and poppler-utils: present"
    exit 0
fi
if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null; then
    echo "ต้องติดตั้ง ${missing[*]} ก่อน (ต้องใช้สิทธิ์ root: sudo apt-get install ${missing[*]})" >&2
    exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q </dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
