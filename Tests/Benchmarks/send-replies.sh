#!/bin/bash
# send-replies.sh [COUNT] [TLS]: the send-replies benchmark (issue 10). Release build; a
# fresh instance (madoguchi init --dir) with the mailbox `support` set up for ISO-2022-JP
# replies and COUNT (default 1,000) replies of about 3 KB of Japanese queued through the
# answering domain with their undo window over (madoguchi-bench replies); a private
# Postfix on loopback (postfix.sh, as smtp.sh starts it) that discards what it accepts;
# TLS (default starttls; or implicit) verified against a test CA. Times one send-replies
# run delivering all COUNT replies (database work included: due, the pre-dot records,
# the sent records with their thread messages and audit entries), then msmtp sending
# the same COUNT messages (as send-replies sent them) one invocation per message, as a
# cron script would. Prints messages/s for both, the ratio (target: at least 3x), the
# run's relay vs database time (send-replies -v) and the load average.
# Test tooling only. Needs root (Postfix's master), postfix, msmtp, openssl, python3.
set -euo pipefail

count=${1:-1000}
tls=${2:-starttls}
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/Tests/Benchmarks/test-ca.sh"
. "$root/Tests/Benchmarks/postfix.sh"
postfix_bench replies-bench

cd "$root"
for product in madoguchi send-replies madoguchi-bench; do swift build -c release --product "$product" >&2; done
bin=$(swift build -c release --show-bin-path)

make_test_ca "$work"
start_postfix "$work" "$tls"

# The instance: the outbox filled through the domain.
"$bin/madoguchi" init --dir "$work/instance" >/dev/null
conf=$work/instance/madoguchi.conf
cat >> "$conf" <<CONF
password_hash_cost = 10
smtp_relay = localhost:$postfix_port
smtp_tls = $tls
smtp_ca_file = $work/ca.pem
smtp_helo_name = bench.madoguchi.test
CONF
printf 'Bench-Password-%s\n' "$(openssl rand -hex 4)" |
    "$bin/madoguchi" --config "$conf" user add --login bench --name "山田 太郎" --password-stdin >/dev/null
"$bin/madoguchi-bench" replies "$conf" "$count" bench

echo "$count replies, tls=$tls, Postfix $(postconf -d -h mail_version), $(msmtp --version | head -1)"
start=$(now)
"$bin/send-replies" --config "$conf" -v 2> "$work/send-replies.log"
end=$(now)
ours=$(rate "$count" "$start" "$end")
sent=$(python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM replies WHERE state = '"'sent'"'").fetchone()[0])' \
    "$work/instance/data/madoguchi.db")
echo "send-replies: $sent replies sent; $(grep -o 'relay .*' "$work/send-replies.log" | tail -1)"

mkdir "$work/corpus"
"$bin/madoguchi-bench" replies-export "$conf" "$work/corpus" >/dev/null
echo "$(cat "$work"/corpus/*.eml | wc -c) bytes in $count messages"
compare_with_msmtp "send-replies (1 run, 1 connection, $tls)" "$ours" "$tls" "" "$work"/corpus/*.eml
accepted=$(wait_discarded $((2 * count)))
echo "Postfix discarded $accepted messages (expected $((2 * count))); load average $(cut -d' ' -f1-3 /proc/loadavg)"
