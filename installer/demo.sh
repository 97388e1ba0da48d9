#!/usr/bin/env bash
# The "run it" command of README.md: installs the build dependencies and ClamAV,
# builds the release binaries, creates a self-contained demo instance (default
# ./demo), queues the sample inquiries (and one EICAR test "virus"), scans and files
# them with a private clamd, shows the inquiries, a Japanese search and the
# quarantine, then serves the operator page on https://127.0.0.1:8443 with two demo
# logins (printed; kept in demo/demo-logins, mode 0600) until Ctrl-C. Safe to run
# again: the instance, its mail and its logins are kept.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PACKAGES=(libsqlite3-dev libssl-dev libarchive-dev pkg-config openssl clamav-daemon)
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
CONF="$DEMO/madoguchi.conf"
CLAMD="$DEMO/clamd"

first_run=no
if [ ! -f "$CONF" ]; then
    "$BIN/madoguchi" init --dir "$DEMO"
    echo "clamd_address = $CLAMD/clamd.sock" >>"$CONF"
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
trap 'kill $CLAMD_PID 2>/dev/null || true; wait $CLAMD_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
    [ -S "$CLAMD/clamd.sock" ] && break
    kill -0 $CLAMD_PID 2>/dev/null || { cat "$CLAMD/clamd.out" >&2; exit 69; }
    sleep 0.1
done

if [ "$first_run" = yes ]; then
    # scan-and-file files only into mailboxes the database has.
    "$BIN/madoguchi" --config "$CONF" mailbox add --import-only --name demo
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
echo
echo "Instance: $DEMO (configuration $CONF). See man/man8/madoguchi.8 for the commands."
echo
echo "== The operator page: https://127.0.0.1:8443 (self-signed certificate $DEMO/tls/cert.pem)"
echo "   Demo logins (login, role, password):"
sed 's/^/   /' "$LOGINS"
echo "   Stop with Ctrl-C."
exec "$BIN/madoguchi-web" --config "$CONF"
