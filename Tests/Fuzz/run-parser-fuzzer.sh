#!/bin/sh
# run-parser-fuzzer.sh SECONDS: builds the libFuzzer targets for the mail parser and
# the HTML sanitizer (MadoguchiCore, MadoguchiCrypto, MadoguchiMail compiled with
# -sanitize=fuzzer,address) and runs them for SECONDS together (default 60: two
# thirds for the parser, seeded with Tests/Samples and the generated fixtures, one
# third for the sanitizer, seeded with generated hostile HTML). Exits non-zero on any
# crash.
set -eu

seconds=${1:-60}
html_seconds=$((seconds / 3))
parser_seconds=$((seconds - html_seconds))
root=$(cd "$(dirname "$0")/../.." && pwd)
swiftc=${SWIFTC:-swiftc}
work=${FUZZ_WORK:-$root/.build/fuzz}
mkdir -p "$work/corpus" "$work/html-corpus" "$work/artifacts"
cd "$work"

flags="-sanitize=fuzzer,address -parse-as-library -swift-version 6 -enable-upcoming-feature ExistentialAny -O -g -I $work"

echo "building instrumented modules in $work" >&2
$swiftc $flags -emit-library -static -emit-module -module-name MadoguchiCore \
    -o "$work/libMadoguchiCore.a" $(find "$root/Sources/MadoguchiCore" -name '*.swift' | sort)
$swiftc $flags -emit-library -static -emit-module -module-name MadoguchiCrypto \
    -Xcc -fmodule-map-file="$root/Sources/COpenSSL/module.modulemap" -I "$root/Sources/COpenSSL" \
    -o "$work/libMadoguchiCrypto.a" $(find "$root/Sources/MadoguchiCrypto" -name '*.swift' | sort)
$swiftc $flags -emit-library -static -emit-module -module-name MadoguchiMail \
    -Xcc -fmodule-map-file="$root/Sources/COpenSSL/module.modulemap" -I "$root/Sources/COpenSSL" \
    -o "$work/libMadoguchiMail.a" $(find "$root/Sources/MadoguchiMail" -name '*.swift' | sort)
$swiftc $flags -Xcc -fmodule-map-file="$root/Sources/COpenSSL/module.modulemap" -I "$root/Sources/COpenSSL" \
    -o "$work/parser-fuzz" "$root/Tests/Fuzz/ParserFuzz.swift" \
    -L "$work" -lMadoguchiMail -lMadoguchiCrypto -lMadoguchiCore -lssl -lcrypto
$swiftc $flags -Xcc -fmodule-map-file="$root/Sources/COpenSSL/module.modulemap" -I "$root/Sources/COpenSSL" \
    -o "$work/html-fuzz" "$root/Tests/Fuzz/HTMLSanitizerFuzz.swift" \
    -L "$work" -lMadoguchiMail -lMadoguchiCrypto -lMadoguchiCore -lssl -lcrypto

# Seeds: the samples and a few generated hostile shapes.
cp "$root"/Tests/Samples/*.eml "$work/corpus/"
python3 "$root/Tests/Fuzz/make-seeds.py" "$work/corpus" "$work/html-corpus"

echo "fuzzing the parser for $parser_seconds s" >&2
ASAN_OPTIONS=detect_leaks=0 "$work/parser-fuzz" -max_total_time="$parser_seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/corpus"
echo "fuzzing the HTML sanitizer for $html_seconds s" >&2
ASAN_OPTIONS=detect_leaks=0 "$work/html-fuzz" -max_total_time="$html_seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$work/artifacts/html-" -print_final_stats=1 "$work/html-corpus"
