#!/bin/sh
# inspect-mail.sh [COUNT]: benchmark of `madoguchi inspect-mail --json` against
# Python 3's email package (policy=default, parse + walk + get_content) over the
# same generated corpus (default 2,000 mixed Japanese messages, 2-100 KB), each in
# one process pinned to one core (best of 3 runs each). Prints MB/s, messages/s
# and the ratio.
set -eu

count=${1:-2000}
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${BENCH_CORPUS:-$root/.build/bench-corpus}
here="$root/Tests/Benchmarks"

if [ ! -f "$corpus/m$(printf %05d $((count - 1))).eml" ]; then
    rm -rf "$corpus"
    python3 "$here/inspect-mail-corpus.py" "$corpus" "$count"
fi
(cd "$root" && swift build -c release --product madoguchi >&2)
bin="$root/.build/release/madoguchi"

files=$(ls "$corpus"/m*.eml | head -n "$count")
bytes=$(cat $files | wc -c)

# Best of three wall-clock runs, pinned to CPU 0 (the build machine is shared).
run() {
    best=
    for _ in 1 2 3; do
        start=$(date +%s.%N)
        taskset -c 0 "$@" > /dev/null
        end=$(date +%s.%N)
        elapsed=$(echo "$end - $start" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$elapsed < $best" | bc -l)" = 1 ]; then best=$elapsed; fi
    done
    echo "$best"
}

# Warm the page cache once.
cat $files > /dev/null

swift_s=$(run "$bin" inspect-mail --json $files)
python_s=$(run python3 "$here/inspect-mail-python.py" $files 2>/dev/null)

python3 - "$count" "$bytes" "$swift_s" "$python_s" <<'PY'
import sys
count, size, swift, python = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
mb = size / 1e6
print(f"corpus: {count} messages, {mb:.1f} MB")
print(f"madoguchi inspect-mail: {swift:.3f} s  {mb / swift:.1f} MB/s  {count / swift:.0f} messages/s")
print(f"python3 email:          {python:.3f} s  {mb / python:.1f} MB/s  {count / python:.0f} messages/s")
print(f"ratio (messages/s):     {python / swift:.1f}x")
PY
