#!/bin/sh
# html.sh: HTMLSanitizer on a generated 200 KB newsletter (release build): mean and
# best milliseconds per document and MB/s. Target: a few milliseconds per document.
# Usage: Tests/Benchmarks/html.sh [seconds]   (default 3)
set -eu
cd "$(dirname "$0")/../.."
swift build -c release --product madoguchi-bench >/dev/null
.build/release/madoguchi-bench html "${1:-3}"
