# postfix.sh: sourced by the benchmarks that send to a local Postfix (smtp.sh,
# send-replies.sh). start_postfix DIR TLS starts a private Postfix on a free loopback
# port as PostfixServer (Sources/MadoguchiTestSupport) sets it up — no content filter,
# no DNS, no input throttling — that throws accepted mail for discard.test away with
# discard(8). TLS is starttls (required before MAIL) or implicit (smtpd_tls_wrappermode),
# with DIR/server.pem and DIR/server.key (make_test_ca in test-ca.sh). Sets
# postfix_port, master_pid (stop it with stop_postfix) and postfix_log. Needs root.
start_postfix() {
    local dir=$1 tls=$2 smtpd
    postfix_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    postfix_log=$dir/maillog
    mkdir -p "$dir/config" "$dir/queue" "$dir/data"
    chown postfix "$dir/data"
    echo "discard.test discard:" > "$dir/config/transport"
    cat > "$dir/config/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
meta_directory = /etc/postfix
maillog_file = $postfix_log
maillog_file_prefixes = $dir
myhostname = relay.madoguchi.test
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_peername_lookup = no
local_header_rewrite_clients =
in_flow_delay = 0s
relay_domains = discard.test
transport_maps = texthash:$dir/config/transport
smtpd_tls_cert_file = $dir/server.pem
smtpd_tls_key_file = $dir/server.key
smtpd_tls_session_cache_database =
CF
    if [ "$tls" = implicit ]; then
        smtpd="smtpd -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt"
    else
        smtpd="smtpd -o smtpd_tls_security_level=encrypt"
    fi
    cat > "$dir/config/master.cf" <<CF
127.0.0.1:$postfix_port inet n - n - - $smtpd
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
    postfix -c "$dir/config" check
    /usr/lib/postfix/sbin/master -c "$dir/config" &
    master_pid=$!
    for _ in $(seq 100); do
        python3 -c "import socket; socket.create_connection(('127.0.0.1', $postfix_port), 1)" 2>/dev/null && break
        sleep 0.1
    done
}

# postfix_bench NAME: the start of a Postfix benchmark: checks for root and the tools,
# makes the work directory $work (removed on exit, with Postfix stopped).
postfix_bench() {
    local name=$1 tool
    if [ "$(id -u)" -ne 0 ]; then echo "$name: Postfix's master(8) needs root" >&2; exit 77; fi
    for tool in /usr/lib/postfix/sbin/master msmtp openssl python3; do
        command -v "$tool" >/dev/null || { echo "$name: $tool missing (apt-get install postfix msmtp)" >&2; exit 69; }
    done
    work=$(mktemp -d "${TMPDIR:-/tmp}/madoguchi-$name.XXXXXX")
    chmod 755 "$work"
    trap 'stop_postfix; rm -rf "$work"' EXIT
}

# stop_postfix: stops the master start_postfix started (idempotent).
stop_postfix() {
    if [ -n "${master_pid:-}" ]; then
        kill "$master_pid" 2>/dev/null || true
        wait "$master_pid" 2>/dev/null || true
        master_pid=
    fi
}

# msmtp_each DIR TLS RECIPIENT FILE...: sends each FILE with its own msmtp run (as a cron
# script would) to the Postfix of start_postfix, TLS verified against DIR/ca.pem, no AUTH;
# an empty RECIPIENT takes the recipients from the message's To (msmtp -t).
msmtp_each() {
    local dir=$1 tls=$2 recipient=$3 file
    shift 3
    local options=(--tls=on --tls-starttls=on) to=(-t)
    [ "$tls" = implicit ] && options=(--tls=on --tls-starttls=off)
    [ -n "$recipient" ] && to=(-- "$recipient")
    : > "$dir/msmtprc"
    chmod 600 "$dir/msmtprc"
    for file in "$@"; do
        msmtp -C "$dir/msmtprc" --host=localhost --port="$postfix_port" "${options[@]}" \
            --tls-trust-file="$dir/ca.pem" --auth=off --domain=bench.madoguchi.test --from=bounce@madoguchi.test \
            "${to[@]}" < "$file"
    done
}

# now: the time in seconds; rate COUNT START END: COUNT per second between the two.
now() { date +%s.%N; }
rate() { python3 -c "print(f'{$1 / ($3 - $2):.1f}')"; }

# compare_with_msmtp LABEL RATE TLS RECIPIENT FILE...: times msmtp_each on the FILEs and
# prints LABEL's RATE (messages/s) beside msmtp's and the ratio (the target: 3x).
compare_with_msmtp() {
    local label=$1 ours=$2 tls=$3 recipient=$4 start end theirs
    shift 4
    start=$(now)
    msmtp_each "$work" "$tls" "$recipient" "$@"
    end=$(now)
    theirs=$(rate "$#" "$start" "$end")
    printf '%-42s %10s msg/s\n' "$label" "$ours" "msmtp (1 run per message, $tls)" "$theirs"
    python3 -c "print(f'ratio: {$ours / $theirs:.1f}x msmtp (target: at least 3x)')"
}

# wait_discarded COUNT: waits (up to 30 s) until Postfix logged COUNT discarded messages;
# prints how many it did.
wait_discarded() {
    local accepted=0
    for _ in $(seq 300); do
        accepted=$(grep -c "status=sent" "$postfix_log" || true)
        [ "$accepted" -ge "$1" ] && break
        sleep 0.1
    done
    echo "$accepted"
}
