#!/bin/bash
# smtp.sh [COUNT] [TLS]: SMTP sending benchmark. Generates COUNT (default 1,000)
# prepared replies of about 3 KB (Japanese, ISO-2022-JP in base64, CRLF lines), starts
# a private Postfix on loopback (the test harness's settings: no content filter, no
# DNS, no input throttling; accepted mail is thrown away by discard(8)), and sends the
# same messages in one run with TLS (default starttls; or implicit) verified against a
# test CA: first over ONE connection with madoguchi-bench smtp (SMTPSession, release
# build, PIPELINING), then with msmtp, one invocation per message as a cron script
# would. Prints messages/s for both and the ratio (the issue's target: at least 3x).
# Test tooling only. Needs root (Postfix's master), postfix, msmtp, openssl, python3.
set -euo pipefail

count=${1:-1000}
tls=${2:-starttls}
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$(id -u)" -ne 0 ]; then echo "smtp.sh: Postfix's master(8) needs root" >&2; exit 77; fi
for tool in /usr/lib/postfix/sbin/master msmtp openssl python3; do
    command -v "$tool" >/dev/null || { echo "smtp.sh: $tool missing (apt-get install postfix msmtp)" >&2; exit 69; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/madoguchi-smtp-bench.XXXXXX")
chmod 755 "$work"
master_pid=
cleanup() {
    if [ -n "$master_pid" ]; then kill "$master_pid" 2>/dev/null || true; wait "$master_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

(cd "$root" && swift build -c release --product madoguchi-bench >&2)
bin=$(cd "$root" && swift build -c release --show-bin-path)

# The messages: what the composer sends for a Japanese reply.
python3 - "$work/corpus" "$count" <<'PY'
import base64, os, sys
out, count = sys.argv[1], int(sys.argv[2])
os.makedirs(out)
line = "いつも株式会社窓口をご利用いただき、誠にありがとうございます。お問い合わせの件について回答いたします。\r\n"
for n in range(count):
    text = "".join(f"{i + 1}. {line}" for i in range(17))
    body = base64.encodebytes(text.encode("iso-2022-jp")).decode().replace("\n", "\r\n")
    subject = base64.b64encode("お問い合わせの件".encode("iso-2022-jp")).decode()
    message = (f"From: =?UTF-8?B?56qT5Y+j?= <support@madoguchi.test>\r\nTo: customer{n}@discard.test\r\n"
               f"Subject: =?ISO-2022-JP?B?{subject}?= [#{n:05d}]\r\nDate: Thu, 3 Dec 2026 12:00:00 +0900\r\n"
               f"Message-ID: <{n}.bench@madoguchi.test>\r\nMIME-Version: 1.0\r\n"
               "Content-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: base64\r\n\r\n" + body)
    open(f"{out}/m{n:05d}.eml", "w", newline="").write(message)
PY
bytes=$(cat "$work"/corpus/*.eml | wc -c)

# Test CA and a server certificate for localhost (EC P-256), as TestCertificates makes.
. "$root/Tests/Benchmarks/test-ca.sh"
make_test_ca "$work"

# Postfix as PostfixServer (Sources/MadoguchiTestSupport) sets it up, delivering to discard(8).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/config" "$work/queue" "$work/data"
chown postfix "$work/data"
echo "discard.test discard:" > "$work/config/transport"
cat > "$work/config/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $work/queue
data_directory = $work/data
meta_directory = /etc/postfix
maillog_file = $work/maillog
maillog_file_prefixes = $work
myhostname = relay.madoguchi.test
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_peername_lookup = no
local_header_rewrite_clients =
in_flow_delay = 0s
relay_domains = discard.test
transport_maps = texthash:$work/config/transport
smtpd_tls_cert_file = $work/server.pem
smtpd_tls_key_file = $work/server.key
smtpd_tls_session_cache_database =
CF
if [ "$tls" = implicit ]; then
    smtpd="smtpd -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt"
    msmtp_tls=(--tls=on --tls-starttls=off)
else
    smtpd="smtpd -o smtpd_tls_security_level=encrypt"
    msmtp_tls=(--tls=on --tls-starttls=on)
fi
cat > "$work/config/master.cf" <<CF
127.0.0.1:$port inet n - n - - $smtpd
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
tlsmgr unix - - n 1000? 1 tlsmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
CF
postfix -c "$work/config" check
/usr/lib/postfix/sbin/master -c "$work/config" &
master_pid=$!
for _ in $(seq 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
    sleep 0.1
done

now() { date +%s.%N; }
rate() { python3 -c "print(f'{$1 / ($3 - $2):.1f}')"; }

echo "$count messages, $bytes bytes, tls=$tls, Postfix $(postconf -d -h mail_version), $(msmtp --version | head -1)"
"$bin/madoguchi-bench" smtp localhost "$port" "$tls" "$work/ca.pem" "$work/corpus" customer@discard.test >/dev/null
echo "(warm-up done)"
start=$(now)
"$bin/madoguchi-bench" smtp localhost "$port" "$tls" "$work/ca.pem" "$work/corpus" customer@discard.test
end=$(now)
ours=$(rate "$count" "$start" "$end")

: > "$work/msmtprc"
chmod 600 "$work/msmtprc"
start=$(now)
for file in "$work"/corpus/*.eml; do
    msmtp -C "$work/msmtprc" --host=localhost --port="$port" "${msmtp_tls[@]}" --tls-trust-file="$work/ca.pem" \
        --auth=off --domain=bench.madoguchi.test --from=bounce@madoguchi.test -- customer@discard.test < "$file"
done
end=$(now)
theirs=$(rate "$count" "$start" "$end")

printf '%-34s %10s msg/s\n' "madoguchi (1 connection, $tls)" "$ours" "msmtp (1 per message, $tls)" "$theirs"
python3 -c "print(f'ratio: {$ours / $theirs:.1f}x msmtp (target: at least 3x)')"
for _ in $(seq 300); do
    accepted=$(grep -c "status=sent" "$work/maillog" || true)
    [ "$accepted" -ge $((3 * count)) ] && break
    sleep 0.1
done
echo "Postfix discarded $accepted messages (expected $((3 * count)))"
