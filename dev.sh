#!/usr/bin/env bash
# tongket's two jobs on a fresh machine, each setting up what it needs first:
#
#   bash dev.sh report [NĂM ...]   the yearly report (default 2024): reports/NĂM/bao-cao-NĂM.html, .pdf
#   bash dev.sh test [pytest args]  the whole test suite
#
# Python packages go into a virtual environment this script creates (.venv, or
# $TONGKET_VENV), pinned by constraints.txt. Debian packages (fonts, poppler-utils,
# chromium, LibreOffice) are installed with apt-get when missing and the script runs as root;
# elsewhere the tests that need them skip with a reason, except when CI=true.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

VENV=${TONGKET_VENV:-.venv}
PYTHON=${PYTHON:-python3}

say() { printf '\033[1m[tongket]\033[0m %s\n' "$*" >&2; }

# Debian packages: the PDF needs Pango and a Times-metric serif that covers Vietnamese
# (Liberation Serif 2: fonts-liberation 1.07 lacks ơ, ư and most precomposed letters) and
# HarfBuzz's subsetter, with which WeasyPrint embeds only the letters used (without it,
# it falls back to fontTools: a quarter of a CPU second more for every PDF, with a warning
# that a later WeasyPrint will require it);
# the tests also need Chromium (HTML in a real browser), poppler-utils (pdftotext,
# pdffonts, pdftoppm) and LibreOffice Writer (the .docx opened in a real word processor).
REPORT_DEBS=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2
             fonts-dejavu-core)
TEST_DEBS=("${REPORT_DEBS[@]}" chromium poppler-utils libreoffice-writer-nogui)

ensure_debs() {
    local missing=() pkg
    command -v dpkg-query >/dev/null 2>&1 || { say "Không phải Debian: bỏ qua cài gói hệ thống ($*)."; return 1; }
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        say "Thiếu gói Debian: ${missing[*]} (cần quyền root để cài: apt-get install ${missing[*]})."
        return 1
    fi
    say "Cài gói Debian: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_venv() {  # $1: pip extras ("" or "test")
    local extras=$1 want hash stamp="$VENV/.tongket-installed"
    hash="$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)"
    want="$hash-${extras:-base}"
    if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && { grep -qx -- "$want" "$stamp" \
            || { [ -z "$extras" ] && grep -qx -- "$hash-test" "$stamp"; }; }; then
        return 0  # the test environment holds everything the report needs too
    fi
    "$PYTHON" - <<'PY' || { say "Cần Python 3.11 trở lên (đặt PYTHON=/đường/dẫn/python3.11)."; exit 2; }
import sys; sys.exit(sys.version_info < (3, 11))
PY
    [ -x "$VENV/bin/python" ] || { say "Tạo môi trường ảo $VENV"; "$PYTHON" -m venv "$VENV"; }
    say "Cài gói Python vào $VENV (lần đầu mất vài phút)"
    local target="."
    [ -n "$extras" ] && target=".[${extras}]"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        -c constraints.txt -e "$target"
    echo "$want" > "$stamp"
}

# tongket's own modules compiled to bytecode, as pip compiles an installed package: the
# package is installed editable (from this folder), and where Python may not write
# __pycache__ itself (PYTHONDONTWRITEBYTECODE, common in containers) every command would
# compile its 18.000 lines again, a fifth of a CPU second a report. Only what changed is
# compiled; a folder that cannot be written is left as it is.
compile_package() {
    "$VENV/bin/python" -m compileall -q -j 0 tongket_lib >/dev/null 2>&1 || true
}

job=${1:-}
[ $# -gt 0 ] && shift
case "$job" in
    report)
        ensure_debs "${REPORT_DEBS[@]}" || say "Tiếp tục: PDF sẽ dùng phông có sẵn trên máy."
        ensure_venv ""
        compile_package
        [ $# -eq 0 ] && set -- 2024
        for year in "$@"; do
            "$VENV/bin/tongket" report "$year"
        done
        ;;
    test)
        if ! ensure_debs "${TEST_DEBS[@]}"; then
            if [ "${CI:-}" = "true" ]; then
                say "CI=true: không cài được gói Debian cần cho kiểm thử."; exit 1
            fi
            say "Các kiểm thử cần chromium/poppler-utils sẽ bị bỏ qua (có ghi lý do)."
        fi
        ensure_venv test
        compile_package
        say "Kiểm tra mã: ruff (lint, thứ tự import), mypy (kiểu), lint-imports (các tầng)"
        "$VENV/bin/ruff" check . || { say "ruff báo lỗi: sửa rồi chạy lại."; exit 1; }
        "$VENV/bin/mypy" || { say "mypy báo lỗi: sửa rồi chạy lại."; exit 1; }
        "$VENV/bin/lint-imports" --no-cache --no-logo || {
            say "lint-imports báo lỗi: một gói con nhập gói ở tầng trên (xem docs/ARCHITECTURE.md)."
            exit 1; }
        exec "$VENV/bin/python" -m pytest -n "${TONGKET_TEST_WORKERS:-auto}" "$@"
        ;;
    *)
        echo "Cách dùng: bash dev.sh report [NĂM ...] | bash dev.sh test [tham số pytest]" >&2
        exit 2
        ;;
esac
