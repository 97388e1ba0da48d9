#!/usr/bin/env bash
# The test command of README.md (and of .ci/run): installs every Debian package the
# tests need, then checks the module layout, builds without warnings, lints the man
# pages and the formatting, runs the parser fuzzer for 60 s and the whole Swift test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Build: the C libraries. Tests: mandoc for the man pages, openssl for test
# certificates, Dovecot as the forwarded mailbox (strace to check its deletes follow
# the fsyncs), clamd as the scanner, Postfix as the SMTP relay (preseeded to "No
# configuration", so the package leaves no system Postfix on port 25; the tests start
# their own, as root), python3
# and zip for generated fixtures; headless Chromium, chromedriver and Selenium for the
# browser tests (Tests/Browser), Japanese fonts for their screenshots, venv for axe-core.
PACKAGES=(
    libsqlite3-dev libssl-dev libarchive-dev pkg-config
    mandoc openssl ca-certificates python3 zip
    dovecot-imapd dovecot-pop3d strace
    clamav-daemon clamav
    postfix
    chromium chromium-driver python3-selenium fonts-noto-cjk python3-venv
)
missing=()
for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# axe-core for the browser tests' accessibility check, from PyPI into a venv under
# .build (never system-wide); BrowserTests uses it when it is there and otherwise
# says that it skips that check.
VENV=.build/browser-venv
if [ ! -x "$VENV/bin/python3" ] || ! "$VENV/bin/python3" -c "import selenium_axe_python" 2>/dev/null; then
    rm -rf "$VENV"
    if /usr/bin/python3 -m venv --system-site-packages "$VENV" &&
        timeout 120 "$VENV/bin/pip" install -q --disable-pip-version-check selenium-axe-python==2.2.0; then
        echo "axe-core: selenium-axe-python installed in $VENV"
    else
        rm -rf "$VENV"
        echo "note: selenium-axe-python could not be installed from PyPI; the browser tests skip the axe-core check" >&2
    fi
fi

echo "== layout (module arrows, commands, one-call executables)"
python3 Tests/check-layout.py

echo "== build (warnings are errors)"
log=$(mktemp)
swift build --build-tests 2>&1 | tee "$log" | grep -E "error|warning:|Compiling|Build complete" | grep -v Compiling || true
if grep -q "warning:" "$log"; then echo "build produced warnings" >&2; exit 1; fi
if ! grep -q "Build complete" "$log"; then echo "build failed" >&2; exit 1; fi
rm -f "$log"

echo "== man pages"
find man -type f -name '*.[1-8]' -print0 | xargs -0 mandoc -T lint -W warning

echo "== formatting"
swift format lint --strict -r Sources Tests Package.swift

if [ -x Tests/Fuzz/run-parser-fuzzer.sh ]; then
    echo "== parser fuzzer (60 s)"
    Tests/Fuzz/run-parser-fuzzer.sh 60
fi

echo "== tests"
swift test --skip-build
