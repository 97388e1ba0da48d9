#!/usr/bin/env bash
# The "run it" command of README.md: installs the build dependencies, builds the
# release binaries, creates a self-contained demo instance (default ./demo) and
# shows what Madoguchi makes of the sample inquiries shipped under Tests/Samples.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PACKAGES=(libsqlite3-dev libssl-dev libarchive-dev pkg-config openssl)
missing=()
for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

swift build -c release
BIN="$(swift build -c release --show-bin-path)"
DEMO="${MADOGUCHI_DEMO_DIR:-$PWD/demo}"

if [ ! -f "$DEMO/madoguchi.conf" ]; then
    "$BIN/madoguchi" init --dir "$DEMO"
fi
"$BIN/madoguchi" -n --config "$DEMO/madoguchi.conf"
echo
echo "== The sample inquiries as Madoguchi reads them"
"$BIN/madoguchi" --config "$DEMO/madoguchi.conf" inspect-mail Tests/Samples/*.eml
