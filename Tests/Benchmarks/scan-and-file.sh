#!/bin/sh
# scan-and-file.sh [COUNT [CONCURRENCY...]]: benchmark of scan-and-file with a real
# clamd (clamav-daemon, local EICAR signature only, like the tests). For each
# clamd_concurrency given (default "1 4"): a fresh instance (`madoguchi init`), COUNT
# (default 3000) generated inquiry mails of mixed real-world shape (~20 KB average,
# a quarter with attachments) sealed into its spool as the fetcher seals them, one
# release-build run of scan-and-file; prints messages/s, CPU seconds of scan-and-file
# and clamd, and the time per stage (read+decrypt, clamd, parse, search tokens,
# encrypt+insert, index, commit, unlink).
set -eu

count=${1:-3000}
shift || true
concurrencies=${*:-1 4}
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${BENCH_CORPUS:-$root/.build/bench-scan-corpus}
work=$(mktemp -d "${TMPDIR:-/tmp}/madoguchi-scan-bench.XXXXXX")
clamd_pid=
cleanup() {
    if [ -n "$clamd_pid" ]; then kill "$clamd_pid" 2>/dev/null || true; wait "$clamd_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

(cd "$root" && swift build -c release --product madoguchi >&2 && swift build -c release --product scan-and-file >&2)
bin="$root/.build/release"

# Deterministic corpus: log-normal sizes (median ~12 KB, mean ~20 KB), Japanese and
# English text in UTF-8/ISO-2022-JP/Shift_JIS, plain, alternative or mixed with a
# PDF-like attachment, threads of replies by a few hundred customers.
if [ ! -f "$corpus/m$(printf %05d $((count - 1))).eml" ]; then
    rm -rf "$corpus"
    python3 - "$corpus" "$count" <<'PY'
import base64, math, os, random, sys
out, count = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
rng = random.Random(20261129)
JA = ("お世話になっております。株式会社サンプルの山田です。先日ご依頼いただいた請求書の再発行について、"
      "宛名と金額をご確認ください。パスワードの再設定方法も教えてください。")
EN = "Thank you for your support. Please find the details of my question below. "
CODEC = {"utf-8": "utf-8", "iso-2022-jp": "iso2022_jp", "shift_jis": "cp932"}
def text(size):
    parts, total = [], 0
    while total < size:
        line = rng.choice([JA, EN, JA[:40] + " " + EN[:30]])
        parts.append(line); total += len(line.encode())
    return "\r\n".join(parts) + "\r\n"
def word(s, cs):
    return "=?%s?B?%s?=" % (cs.upper(), base64.b64encode(s.encode(CODEC[cs])).decode())
def part(body, cs):
    enc = "base64" if cs != "iso-2022-jp" else "7bit"
    data = body.encode(CODEC[cs], errors="replace")
    payload = base64.encodebytes(data).replace(b"\n", b"\r\n") if enc == "base64" else data
    return ("Content-Type: text/plain; charset=%s\r\nContent-Transfer-Encoding: %s\r\n\r\n" % (cs, enc)).encode() + payload
for i in range(count):
    size = min(400_000, int(rng.lognormvariate(math.log(12_000), 0.9)))
    cs = rng.choice(list(CODEC))
    customer = rng.randrange(300)
    reply = ("In-Reply-To: <m%d@example.jp>\r\n" % rng.randrange(i)) if i > 10 and rng.random() < 0.3 else ""
    head = ("From: %s <customer%d@example.jp>\r\nTo: support@madoguchi.example\r\nSubject: %s\r\n"
            "Date: Sun, 29 Nov 2026 10:%02d:00 +0900\r\nMessage-ID: <m%d@example.jp>\r\n%sMIME-Version: 1.0\r\n"
            % (word("山田 太郎", cs), customer, word("請求書の再発行 %d" % i, cs), i % 60, i, reply)).encode()
    shape = rng.choices(["plain", "alternative", "mixed"], [50, 25, 25])[0]
    if shape == "plain":
        msg = head + part(text(size), cs)
    else:
        body = text(min(size, rng.randint(1_000, 6_000)))
        html = "<html><body><p>" + body.replace("\r\n", "</p><p>") + "</p></body></html>"
        alt = (b"Content-Type: multipart/alternative; boundary=\"a%d\"\r\n\r\n--a%d\r\n" % (i, i) + part(body, cs)
               + b"\r\n--a%d\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" % i
               + base64.encodebytes(html.encode()).replace(b"\n", b"\r\n") + b"--a%d--\r\n" % i)
        if shape == "alternative":
            msg = head + alt
        else:
            blob = rng.randbytes(max(500, (size - len(body.encode())) * 3 // 4))
            msg = (head + b"Content-Type: multipart/mixed; boundary=\"m%d\"\r\n\r\n--m%d\r\n" % (i, i) + alt
                   + b"\r\n--m%d\r\nContent-Type: application/pdf; name=\"quote%d.pdf\"\r\n" % (i, i)
                   + b"Content-Disposition: attachment; filename=\"quote%d.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" % i
                   + base64.encodebytes(blob).replace(b"\n", b"\r\n") + b"--m%d--\r\n" % i)
    with open(os.path.join(out, "m%05d.eml" % i), "wb") as f:
        f.write(msg)
PY
fi
files=$(ls "$corpus"/m*.eml | head -n "$count")
bytes=$(cat $files | wc -c)

# clamd with a private configuration and a local EICAR signature (no freshclam).
mkdir -p "$work/clamd/db" "$work/clamd/tmp"
python3 - "$work/clamd/db/bench.ndb" <<'PY'
import sys
eicar = r"*H+H$!ELIF-TSET-SURIVITNA-DRADNATS-RACIE$}7)CC7)^P(45XZP\4[PA@%P!O5X"[::-1]
open(sys.argv[1], "w").write("Madoguchi.Test.EICAR:0:*:%s\n" % eicar.encode().hex())
PY
cat > "$work/clamd/clamd.conf" <<CONF
Foreground yes
LocalSocket $work/clamd/clamd.sock
LocalSocketMode 600
DatabaseDirectory $work/clamd/db
TemporaryDirectory $work/clamd/tmp
LogFile $work/clamd/clamd.log
PidFile $work/clamd/clamd.pid
Bytecode no
OfficialDatabaseOnly no
MaxThreads 8
ScanMail yes
ScanArchive yes
ScanPDF yes
ScanHTML yes
AlertExceedsMax yes
AlertEncrypted yes
AlertBrokenExecutables yes
StreamMaxLength 30M
# Every run rescans the same corpus: without this, runs after the first hit clamd's
# clean-file cache and measure almost no scanning at all.
DisableCache yes
CONF
/usr/sbin/clamd -c "$work/clamd/clamd.conf" > "$work/clamd/clamd.out" 2>&1 &
clamd_pid=$!
for _ in $(seq 1 300); do
    [ -S "$work/clamd/clamd.sock" ] && break
    sleep 0.1
done
[ -S "$work/clamd/clamd.sock" ] || { echo "clamd did not start" >&2; cat "$work/clamd/clamd.out" >&2; exit 1; }

# clamd's user+system CPU seconds so far (/proc/PID/stat fields 14 and 15, in clock ticks).
clamd_cpu() {
    awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$clamd_pid/stat"
}

echo "corpus: $count messages, $((bytes / 1000000)) MB," \
    "average $((bytes / count / 1000)) KB; $(nproc) CPUs; clamd $(/usr/sbin/clamd -V | cut -d/ -f1)"
for concurrency in $concurrencies; do
    instance="$work/instance-$concurrency"
    "$bin/madoguchi" init --dir "$instance"
    printf 'clamd_address = %s\nclamd_concurrency = %s\n' "$work/clamd/clamd.sock" "$concurrency" \
        >> "$instance/madoguchi.conf"
    "$bin/madoguchi" --config "$instance/madoguchi.conf" mailbox add --import-only --name support
    echo "$files" | xargs "$bin/madoguchi" --config "$instance/madoguchi.conf" enqueue --mailbox support
    sync
    clamd_before=$(clamd_cpu)
    start=$(date +%s.%N)
    status=0
    MADOGUCHI_TIMINGS=1 /usr/bin/time -f "%U %S" -o "$work/cpu" \
        "$bin/scan-and-file" --config "$instance/madoguchi.conf" 2> "$work/run.log" || status=$?
    end=$(date +%s.%N)
    clamd_after=$(clamd_cpu)
    left=$(ls "$instance/spool/incoming" | wc -l)
    db=$(du -k "$instance/data" | tail -1 | cut -f1)
    python3 - "$count" "$start" "$end" "$concurrency" "$status" "$left" "$db" "$work/run.log" "$work/cpu" \
        "$clamd_before" "$clamd_after" <<'PY'
import sys, re
count, start, end = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
concurrency, status, left, db, log = sys.argv[4], sys.argv[5], int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
user, system = (float(x) for x in open(sys.argv[9]).read().split()[-2:])
clamd = float(sys.argv[11]) - float(sys.argv[10])
text = open(log).read()
secs = end - start
print(f"clamd_concurrency={concurrency}: {secs:.2f} s, {count / secs:.0f} messages/s, exit {status}, "
      f"{left} left in the spool, database {db / 1024:.0f} MB ({db * 1024 / count / 1000:.1f} KB/message)")
cpu = user + system
print(f"    CPU: scan-and-file user {user:.2f} s + sys {system:.2f} s = {cpu * 1000 / count:.2f} ms/message "
      f"({count / cpu:.0f} messages per CPU-second); clamd {clamd:.2f} s = {clamd * 1000 / count:.2f} ms/message; "
      f"both {count / (cpu + clamd):.0f} messages per CPU-second")
m = re.search(r"timings: (.*)", text)
if m:
    stages = dict(re.findall(r"(\w+)=([\d.]+)s", m.group(1)))
    total = float(stages.pop("total", secs))
    names = {"read": "spool read+decrypt", "scan": "clamd", "parse": "parse", "tokens": "search tokens",
             "wait": "filer waits for scans", "store": "encrypt+insert", "index": "search index",
             "commit": "commit (fsync)", "unlink": "unlink+dir fsync"}
    for key, label in names.items():
        value = float(stages.get(key, 0))
        print(f"    {label:20s} {value:7.2f} s  {value * 1000 / count:6.2f} ms/message")
    print("    (read, clamd, parse and search tokens are summed over the scanning threads; they overlap)")
if status != "0":
    print(text[-2000:])
PY
done
