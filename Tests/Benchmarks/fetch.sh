#!/bin/bash
# fetch.sh [COUNT]: fetch benchmark. Generates COUNT (default 10,000) messages of
# mixed real-world shape (~20 KB average, 1 in 6 with an attachment), serves them from
# a private Dovecot (same configuration as the test harness, test-CA certificate),
# and measures in one run, refilling the Maildir before each: fetch-forwarded-mail
# (release build) over IMAPS and POP3S into the sealed spool, and fetchmail over
# IMAPS and POP3S with certificate verification against the test CA and an MDA that
# writes each message to a file; then the bare limit, fetch-bare.py, which downloads
# the same mailbox over the same TLS and throws every byte away (POP3 RETR pipelined,
# IMAP one UID FETCH 1:*; no parsing, no file, no fsync, no deletion). Prints a table
# (messages/s, MB/s) and each program's speed relative to fetchmail. Nothing is deleted
# between the measured runs (each gets a fresh output directory): thousands of files
# unlinked just before a run make ext4 search past the recently freed inodes for every
# new file, which measured the cleanup rather than the program; for the same reason
# each measured run waits BENCH_SETTLE seconds (default 31, past ext4's 30-second
# "recently deleted" window) after the server's own deletions and the refill.
# Test tooling only. Needs dovecot-imapd, dovecot-pop3d, fetchmail, openssl, python3, bc.
set -euo pipefail

count=${1:-10000}
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/Tests/Benchmarks"
corpus=${BENCH_FETCH_CORPUS:-$root/.build/fetch-corpus}
# TMPDIR=/dev/shm takes the disk out of the comparison (fetchmail's MDA never fsyncs;
# fetch-forwarded-mail fsyncs every spool file before it deletes anything).
work=$(mktemp -d "${TMPDIR:-/tmp}/madoguchi-fetch-bench.XXXXXX")
chmod 755 "$work"
dovecot_pid=
cleanup() {
    if [ -n "$dovecot_pid" ]; then kill "$dovecot_pid" 2>/dev/null || true; wait "$dovecot_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

if [ ! -f "$corpus/m$(printf %05d $((count - 1))).eml" ] || [ -f "$corpus/m$(printf %05d "$count").eml" ]; then
    rm -rf "$corpus"
    python3 "$here/fetch-corpus.py" "$corpus" "$count"
fi
bytes=$(cat "$corpus"/m*.eml | wc -c)
if [ -z "${BENCH_NO_BUILD:-}" ]; then
    (cd "$root" && swift build -c release --product fetch-forwarded-mail >&2 && swift build -c release --product madoguchi >&2)
fi
bin="$root/.build/release"

# Test CA and a server certificate for localhost (EC P-256), as TestCertificates makes.
. "$root/Tests/Benchmarks/test-ca.sh"
make_test_ca "$work"

# Dovecot on free loopback ports, the harness's configuration.
read -r imaps pop3s < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
user=fetchbench
password=bench-Pass-1
if [ "$(id -u)" = 0 ]; then
    mail_uid=65534; mail_gid=65534
    internal=$(getent passwd dovecot >/dev/null && echo dovecot || echo nobody)
    login=$(getent passwd dovenull >/dev/null && echo dovenull || echo nobody)
else
    mail_uid=$(id -u); mail_gid=$(id -g); internal=$(id -un); login=$(id -un)
fi
mkdir -p "$work/Maildir/new" "$work/Maildir/cur" "$work/Maildir/tmp" "$work/home"
chown -R "$mail_uid:$mail_gid" "$work/Maildir" "$work/home"
echo "$user:{PLAIN}$password" > "$work/passwd"
cat > "$work/dovecot.conf" <<EOF
base_dir = $work/run
state_dir = $work/state
log_path = $work/dovecot.log
protocols = imap pop3
listen = 127.0.0.1
ssl = required
ssl_cert = <$work/server.pem
ssl_key = <$work/server.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
default_internal_user = $internal
default_login_user = $login
first_valid_uid = 1
mail_location = maildir:$work/Maildir
pop3_uidl_format = %08Xu%08Xv
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $work/passwd
}
userdb {
  driver = static
  args = uid=$mail_uid gid=$mail_gid home=$work/home
}
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $imaps
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = $pop3s
    ssl = yes
  }
}
EOF
/usr/sbin/dovecot -F -c "$work/dovecot.conf" > "$work/dovecot.out" 2>&1 &
dovecot_pid=$!
for port in "$imaps" "$pop3s"; do
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
        sleep 0.1
    done
done

# Refill the Maildir with the corpus (fresh names each time, owned by the mail user).
round=0
fill() {
    round=$((round + 1))
    python3 - "$corpus" "$work/Maildir/new" "$round" "$mail_uid" "$mail_gid" <<'EOF'
import os, shutil, sys
src, dst, run, uid, gid = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
for name in sorted(os.listdir(src)):
    target = os.path.join(dst, "r%s.%s" % (run, name))
    shutil.copyfile(os.path.join(src, name), target)
    os.chown(target, uid, gid)
EOF
}
remaining() { find "$work/Maildir/new" "$work/Maildir/cur" -type f | wc -l; }
settle() { sync; sleep "${BENCH_SETTLE:-31}"; }

# A Madoguchi instance with one IMAPS and one POP3S mailbox on the same Maildir.
"$bin/madoguchi" init --dir "$work/instance"
cat >> "$work/instance/madoguchi.conf" <<EOF
fetch_max_messages = $((count * 2))
fetch_session_timeout = 1h
EOF
conf="$work/instance/madoguchi.conf"
for proto in imap pop3; do
    port=$imaps; [ "$proto" = pop3 ] && port=$pop3s
    echo "$password" | "$bin/madoguchi" --config "$conf" mailbox add --name "bench-$proto" --protocol "$proto" \
        --host localhost --port "$port" --tls implicit --user "$user" --password-stdin --ca-file "$work/ca.pem"
done

results=()
measure() { # label proto command...: runs the command, prints seconds
    local start end
    start=$(date +%s.%N)
    "$@" >&2 || echo "$1 exited $?" >&2
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

for proto in imap pop3; do
    fill
    spool="$work/instance/spool"
    if [ -n "$(ls -A "$spool/incoming")" ]; then
        mv "$spool/incoming" "$spool/incoming.before-$proto"
        install -d -m "$(stat -c %a "$spool/incoming.before-$proto")" "$spool/incoming"
    fi
    rm -rf "$work/instance/fetch-state"
    settle
    seconds=$(measure "$bin/fetch-forwarded-mail" --config "$conf" --mailbox "bench-$proto")
    got=$(find "$work/instance/spool/incoming" -type f | wc -l)
    results+=("fetch-forwarded-mail ${proto^^}S $got $seconds $(remaining)")
done

export HOME="$work"
for proto in imap pop3; do
    fill
    out="$work/fetchmail-out-$proto"
    mkdir -p "$out"
    port=$imaps; [ "$proto" = pop3 ] && port=$pop3s
    cat > "$work/fetchmailrc" <<EOF
set no syslog
set no bouncemail
poll localhost proto ${proto^^} port $port timeout 120
  user "$user" there with password "$password" is "root" here
  ssl sslcertck sslcertfile "$work/ca.pem" sslproto "TLS1.2+"
  fetchall nokeep
  mda "cat > $out/\$\$"
EOF
    chmod 600 "$work/fetchmailrc"
    settle
    seconds=$(measure fetchmail -f "$work/fetchmailrc" -N -s --pidfile "$work/fetchmail.pid" \
        -i "$work/fetchmail.ids" 2>"$work/fetchmail.err")
    got=$(find "$out" -type f | wc -l)
    results+=("fetchmail ${proto^^}S $got $seconds $(remaining)")
done

# The bare limit on the same messages (it deletes nothing, so one fill serves both).
fill
settle
bare() { python3 "$here/fetch-bare.py" "$1" localhost "$2" "$user" "$password" "$work/ca.pem" > "$work/bare.out"; }
for proto in pop3 imap; do
    port=$imaps; [ "$proto" = pop3 ] && port=$pop3s
    seconds=$(measure bare "$proto" "$port")
    got=$(cut -d' ' -f1 "$work/bare.out")
    results+=("bare-limit ${proto^^}S $got $seconds $(remaining)")
done

echo
echo "Fetch benchmark: $count messages, $((bytes / count)) bytes average, $(nproc) cores, $(date -u +%FT%TZ)," \
    "files on $(df --output=fstype "$work" | tail -1)"
printf '%-22s %-6s %9s %9s %9s %8s %10s\n' program proto messages seconds 'msg/s' 'MB/s' 'left-on-server'
for line in "${results[@]}"; do
    set -- $line
    rate=$(echo "$3 / $4" | bc -l)
    mbs=$(echo "$bytes / $4 / 1000000 * $3 / $count" | bc -l)
    printf '%-22s %-6s %9d %9.2f %9.0f %8.1f %10d\n' "$1" "$2" "$3" "$4" "$rate" "$mbs" "$5"
done
echo
for proto in IMAPS POP3S; do
    base=
    for line in "${results[@]}"; do
        set -- $line
        if [ "$1" = fetchmail ] && [ "$2" = "$proto" ]; then base=$4; fi
    done
    for line in "${results[@]}"; do
        set -- $line
        if [ "$2" = "$proto" ] && [ -n "$base" ]; then
            printf '%-6s %-22s %6.2fx fetchmail\n' "$proto" "$1" "$(echo "$base / $4" | bc -l)"
        fi
    done
done
