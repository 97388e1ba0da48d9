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
. "$root/Tests/Benchmarks/postfix.sh"
postfix_bench smtp-bench

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
start_postfix "$work" "$tls"
port=$postfix_port

echo "$count messages, $bytes bytes, tls=$tls, Postfix $(postconf -d -h mail_version), $(msmtp --version | head -1)"
"$bin/madoguchi-bench" smtp localhost "$port" "$tls" "$work/ca.pem" "$work/corpus" customer@discard.test >/dev/null
echo "(warm-up done)"
start=$(now)
"$bin/madoguchi-bench" smtp localhost "$port" "$tls" "$work/ca.pem" "$work/corpus" customer@discard.test
end=$(now)
ours=$(rate "$count" "$start" "$end")

compare_with_msmtp "madoguchi (1 connection, $tls)" "$ours" "$tls" customer@discard.test "$work"/corpus/*.eml
accepted=$(wait_discarded $((3 * count)))
echo "Postfix discarded $accepted messages (expected $((3 * count)))"
