#!/usr/bin/env bash
# The "run it" command of README.md: installs the build dependencies, ClamAV and
# Postfix, builds the release binaries, creates a self-contained demo instance (default
# ./demo), queues the sample inquiries (and one EICAR test "virus"), scans and files
# them with a private clamd, shows the inquiries, a Japanese search and the
# quarantine, then serves the operator page on https://127.0.0.1:8443 with two demo
# logins (printed; kept in demo/demo-logins, mode 0600) until Ctrl-C. Replies the
# operators send go, after the undo window, through send-replies (run every 10 s here,
# as cron would every minute) to a private Postfix on 127.0.0.1:8025 that delivers
# every one into the "customers'" Maildir demo-relay/customer-mail/. Safe to run again: the
# instance, its mail and its logins are kept.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PACKAGES=(libsqlite3-dev libssl-dev libarchive-dev pkg-config openssl clamav-daemon postfix)
missing=()
for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    # Postfix without a system configuration: only the demo's private instance runs.
    echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

swift build -c release
BIN="$(swift build -c release --show-bin-path)"
DEMO="${MADOGUCHI_DEMO_DIR:-$PWD/demo}"
CONF="$DEMO/madoguchi.conf"
CLAMD="$DEMO/clamd"

first_run=no
if [ ! -f "$CONF" ]; then
    "$BIN/madoguchi" init --dir "$DEMO"
    {
        echo "clamd_address = $CLAMD/clamd.sock"
        # The demo's relay is the private Postfix below, on loopback (plaintext is
        # allowed only there); a real instance uses implicit TLS to the company relay.
        echo "smtp_relay = 127.0.0.1:8025"
        echo "smtp_tls = none"
        echo "send_delay = 20s"
    } >>"$CONF"
    first_run=yes
fi
"$BIN/madoguchi" -n --config "$CONF"

# A private clamd for the demo. When the machine has the official ClamAV signature
# databases (freshclam) it uses them; otherwise only a local signature for the EICAR
# test file, which is enough to show the quarantine but is NOT virus protection.
mkdir -p "$CLAMD/db" "$CLAMD/tmp"
if ls /var/lib/clamav/*.c[vl]d >/dev/null 2>&1; then
    SIGNATURES=/var/lib/clamav
else
    SIGNATURES="$CLAMD/db"
    EICAR='X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
    printf 'Madoguchi.Demo.EICAR:0:*:%s\n' "$(printf '%s' "$EICAR" | od -An -tx1 | tr -d ' \n')" \
        >"$CLAMD/db/demo-eicar.ndb"
    echo "note: no official ClamAV signatures on this machine; the demo clamd detects only the EICAR test file" >&2
fi
cat >"$CLAMD/clamd.conf" <<CONF
Foreground yes
LocalSocket $CLAMD/clamd.sock
LocalSocketMode 600
DatabaseDirectory $SIGNATURES
TemporaryDirectory $CLAMD/tmp
LogFile $CLAMD/clamd.log
PidFile $CLAMD/clamd.pid
Bytecode no
OfficialDatabaseOnly no
ScanMail yes
ScanArchive yes
HeuristicAlerts yes
AlertExceedsMax yes
AlertEncrypted yes
DisableCache yes
MaxScanSize 100M
MaxFileSize 100M
MaxRecursion 17
MaxFiles 10000
MaxScanTime 30000
StreamMaxLength 30M
CONF
/usr/sbin/clamd -c "$CLAMD/clamd.conf" >"$CLAMD/clamd.out" 2>&1 &
CLAMD_PID=$!
RELAY_PID=
SENDER_PID=
cleanup() {
    for pid in $SENDER_PID $CLAMD_PID; do kill "$pid" 2>/dev/null || true; done
    if [ -n "$RELAY_PID" ]; then $SUDO kill "$RELAY_PID" 2>/dev/null || true; fi
    wait 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 600); do
    [ -S "$CLAMD/clamd.sock" ] && break
    kill -0 $CLAMD_PID 2>/dev/null || { cat "$CLAMD/clamd.out" >&2; exit 69; }
    sleep 0.1
done

if [ "$first_run" = yes ]; then
    # scan-and-file files only into mailboxes the database has.
    "$BIN/madoguchi" --config "$CONF" mailbox add --import-only --name demo
    printf '%s\n' "--" "窓口サポート (demo)" "support@example.com" >"$DEMO/signature.txt"
    "$BIN/madoguchi" --config "$CONF" mailbox set demo --reply-from support@example.com \
        --reply-from-name "窓口サポート" --signature-file "$DEMO/signature.txt"
    rm -f "$DEMO/signature.txt"
    "$BIN/madoguchi" --config "$CONF" enqueue --mailbox demo Tests/Samples/*.eml
    {
        printf 'From: "Mallory" <mallory@example.net>\r\nTo: support@example.com\r\n'
        printf 'Subject: invoice\r\nMessage-ID: <eicar.demo@example.net>\r\n\r\n'
        printf '%s\r\n' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
    } >"$DEMO/eicar-test.eml"
    "$BIN/madoguchi" --config "$CONF" enqueue --mailbox demo "$DEMO/eicar-test.eml"
    rm -f "$DEMO/eicar-test.eml"
fi
"$BIN/scan-and-file" --config "$CONF"

echo
echo "== Inquiries (madoguchi list)"
"$BIN/madoguchi" --config "$CONF" list
echo
echo "== Search for 請求書 (madoguchi search 請求書)"
"$BIN/madoguchi" --config "$CONF" search 請求書 || true
echo
echo "== Quarantine (madoguchi quarantine list)"
"$BIN/madoguchi" --config "$CONF" quarantine list
LOGINS="$DEMO/demo-logins"
if [ ! -f "$LOGINS" ]; then
    (
        umask 077
        for account in "admin:管理者 (demo):administrator" "yamada:山田 花子:operator"; do
            IFS=: read -r login name role <<<"$account"
            password="demo-$(openssl rand -hex 6)"
            printf '%s\n' "$password" |
                "$BIN/madoguchi" --config "$CONF" user add --login "$login" --name "$name" --role "$role" --password-stdin
            printf '%-8s %-14s %s\n' "$login" "$role" "$password" >>"$LOGINS"
        done
    )
fi
kill $CLAMD_PID 2>/dev/null || true

# The relay: a private Postfix (its master(8) needs root) on 127.0.0.1:8025 that
# delivers every recipient into demo-relay/customer-mail/ (Maildir), owned by the user
# running the demo. Nothing leaves the machine. It lives beside the instance, not in
# it: Postfix's own processes may not enter the instance directory (mode 0750).
RELAY="$DEMO-relay"
MAIL_OWNER=$(stat -c %u "$DEMO")
[ "$MAIL_OWNER" -ne 0 ] || MAIL_OWNER=$(id -u postfix)
mkdir -p "$RELAY/config" "$RELAY/queue" "$RELAY/data" "$RELAY/customer-mail"
chmod 755 "$RELAY" "$RELAY/config"
cat >"$RELAY/config/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $RELAY/queue
data_directory = $RELAY/data
meta_directory = /etc/postfix
maillog_file = $RELAY/maillog
maillog_file_prefixes = $RELAY
myhostname = relay.demo.invalid
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_peername_lookup = no
biff = no
virtual_mailbox_domains = static:all
virtual_mailbox_base = $RELAY
virtual_mailbox_maps = static:customer-mail/
virtual_minimum_uid = 1
virtual_uid_maps = static:$MAIL_OWNER
virtual_gid_maps = static:$(id -g "$MAIL_OWNER" 2>/dev/null || echo "$MAIL_OWNER")
CF
cat >"$RELAY/config/master.cf" <<CF
127.0.0.1:8025 inet n - n - - smtpd
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
virtual unix - n n - - virtual
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
CF
$SUDO chown "$MAIL_OWNER" "$RELAY/customer-mail"
$SUDO chown postfix "$RELAY/data"
if $SUDO postfix -c "$RELAY/config" check >"$RELAY/check.log" 2>&1; then
    $SUDO /usr/lib/postfix/sbin/master -c "$RELAY/config" >"$RELAY/master.log" 2>&1 &
    RELAY_PID=$!
    # send-replies every 10 s, as cron would run it every minute.
    (while sleep 10; do "$BIN/send-replies" --config "$CONF" || true; done) &
    SENDER_PID=$!
else
    echo "note: the demo relay did not start ($RELAY/check.log); replies stay in the outbox" >&2
fi
echo
echo "Instance: $DEMO (configuration $CONF). See man/man8/madoguchi.8 for the commands."
echo "Replies leave 20 s after 送信 (send_delay; 送信取消 until then) and arrive in"
echo "$RELAY/customer-mail/new/ (the customers' Maildir of the demo relay)."
echo
echo "== The operator page: https://127.0.0.1:8443 (self-signed certificate $DEMO/tls/cert.pem)"
echo "   Demo logins (login, role, password):"
sed 's/^/   /' "$LOGINS"
echo "   Stop with Ctrl-C."
# Not exec: the relay and the sending loop stop with the page (Ctrl-C).
"$BIN/madoguchi-web" --config "$CONF"
