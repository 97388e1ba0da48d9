#!/bin/bash
# web.sh [DIR]: the operator page under load (release build), side by side in one run
# with nginx serving a static file of the same size over the same TLS settings.
# Uses the inbox benchmark's corpus in DIR (default /tmp/madoguchi-inbox-bench: 100,000
# filed messages; built by `madoguchi-bench inbox DIR` when missing, ~12 min). Logs in
# once, then runs wrk (2 threads, 32 keep-alive TLS connections, 20 s each) against
# the inbox, a Japanese search, an inquiry page, the reply editor (a draft the bench
# user starts on another inquiry first), and nginx's static file; prints
# requests/s, p50 and p99 per page and madoguchi-web's peak RSS (VmHWM); then the
# inbox again while 20 logins run in parallel (the scrypt gate keeps them off the
# other connections' threads). Between runs the server drains: the next run starts
# after two quiet seconds (searches still running from the last run used to land in
# the next page's numbers). Targets (issue): p99 < 20 ms on every page, the inbox
# >= 40 % of nginx's requests/s, RSS < 300 MB, p99 < 50 ms during the logins.
# Test tooling only. Needs wrk, nginx-light (or nginx), curl, openssl.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-/tmp/madoguchi-inbox-bench}
duration=${BENCH_DURATION:-20}
cd "$root"
swift build -c release --product madoguchi-web >&2
swift build -c release --product madoguchi >&2
swift build -c release --product madoguchi-bench >&2
bin=$(swift build -c release --show-bin-path)
if [ ! -f "$dir/madoguchi.conf" ]; then "$bin/madoguchi-bench" inbox "$dir" 100000 1 >&2; fi
conf="$dir/madoguchi.conf"
work=$(mktemp -d /tmp/madoguchi-web-bench.XXXXXX)
chmod 755 "$work"  # nginx workers run as another user
web_pid=
nginx_pid=
cleanup() {
    [ -n "$web_pid" ] && kill "$web_pid" 2>/dev/null && wait "$web_pid" 2>/dev/null
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

read -r port nginx_port < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
# A copy of the configuration with the bench's own listener and connection caps.
grep -v '^web_listen\|^web_max_connections' "$conf" > "$work/madoguchi.conf"
cat >> "$work/madoguchi.conf" <<CONF
web_listen = 127.0.0.1:$port
web_max_connections_per_peer = 256
CONF
conf="$work/madoguchi.conf"
password="Bench-Password-$(openssl rand -hex 4)"
for n in $(seq 0 20); do
    login=bench$n
    printf '%s\n' "$password" | "$bin/madoguchi" --config "$conf" user add --login "$login" --name "Bench $n" \
        --password-stdin >/dev/null 2>&1 || printf '%s\n' "$password" |
        "$bin/madoguchi" --config "$conf" user passwd "$login" --password-stdin >/dev/null
done

"$bin/madoguchi-web" --config "$conf" >"$work/web.log" 2>&1 &
web_pid=$!
for _ in $(seq 100); do curl -sk -o /dev/null "https://127.0.0.1:$port/login" && break; sleep 0.1; done

login() { # login → session cookie value
    local jar=$work/jar.$1 token
    token=$(curl -sk -c "$jar" "https://127.0.0.1:$port/login" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
    curl -sk -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "login=$1" \
        --data-urlencode "password=$password" "https://127.0.0.1:$port/login"
    awk '$6 == "__Host-sid" { print $7 }' "$jar"
}
sid=$(login bench0)
[ -n "$sid" ] || { echo "login failed" >&2; cat "$work/web.log" >&2; exit 1; }
database=$(grep '^database_file' "$conf" | sed 's/.*= *//')
inquiry=$(sqlite3 "$database" 'SELECT max(id) FROM inquiries' 2>/dev/null || echo 1)
# The editor's draft goes on an inquiry no run has replied to yet: every run measures a
# first draft, and the inquiry page above does not collect a lock and an unlock per run.
replying=$(sqlite3 "$database" "SELECT max(id) FROM inquiries WHERE id < $inquiry
    AND id NOT IN (SELECT inquiry_id FROM replies)" 2>/dev/null || echo 1)
search='/?q=%E8%AB%8B%E6%B1%82%E6%9B%B8'
inbox_bytes=$(curl -sk -b "__Host-sid=$sid" "https://127.0.0.1:$port/" | wc -c)
# A draft for the editor: the reply button's POST with the inquiry page's CSRF token
# (starts the draft or continues the one an earlier run left).
csrf=$(curl -sk -b "__Host-sid=$sid" "https://127.0.0.1:$port/inquiries/$replying" |
    grep -o 'name="csrf" value="[^"]*"' | head -n 1 | sed 's/.*value="//;s/"$//')
editor=$(curl -sk -b "__Host-sid=$sid" -o /dev/null -w '%{redirect_url}' --data-urlencode "csrf=$csrf" \
    "https://127.0.0.1:$port/inquiries/$replying/reply" | sed 's|^https://[^/]*||')
case "$editor" in /replies/[0-9]*) ;; *) echo "no draft for the editor (got '$editor')" >&2; exit 1 ;; esac

# nginx: the same certificate and TLS settings, a static file the inbox page's size.
mkdir -p "$work/nginx/html" "$work/nginx/tmp"
head -c "$inbox_bytes" /dev/urandom | base64 -w 120 | head -c "$inbox_bytes" > "$work/nginx/html/inbox.html"
cert=$(grep '^tls_certificate_file' "$conf" | sed 's/.*= *//')
key=$(grep '^tls_key_file' "$conf" | sed 's/.*= *//')
cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp; fastcgi_temp_path $work/nginx/tmp;
    uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
    server {
        listen 127.0.0.1:$nginx_port ssl;
        ssl_certificate $cert;
        ssl_certificate_key $key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
        ssl_ecdh_curve X25519:prime256v1:secp384r1;
        ssl_prefer_server_ciphers off;
        keepalive_requests 100;
        root $work/nginx/html;
        add_header Cache-Control no-store;
    }
}
NGINX
/usr/sbin/nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
sleep 1

drain() { # until madoguchi-web used under 5 % of a core for two seconds in a row (at most 2 min)
    local quiet=0 before after
    for _ in $(seq 120); do
        before=$(awk '{print $14 + $15}' "/proc/$web_pid/stat")
        sleep 1
        after=$(awk '{print $14 + $15}' "/proc/$web_pid/stat")
        if [ $((after - before)) -le $(($(getconf CLK_TCK) / 20)) ]; then
            quiet=$((quiet + 1))
            [ "$quiet" -ge 2 ] && return 0
        else
            quiet=0
        fi
    done
}
run() { # label url [cookie]
    local out
    out=$(wrk -t2 -c32 -d"${duration}s" --latency ${3:+-H "Cookie: __Host-sid=$3"} "$2")
    local rps p50 p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)
    printf '%-28s %10s req/s  p50 %8s  p99 %8s  %s\n' "$1" "$rps" "$p50" "$p99" "$errors"
}
echo "Web benchmark: $(nproc) cores, $(date -u +%FT%TZ), corpus $dir, inbox page $inbox_bytes bytes"
drain
run "nginx static ($inbox_bytes B)" "https://127.0.0.1:$nginx_port/inbox.html"
drain
run "madoguchi-web inbox" "https://127.0.0.1:$port/" "$sid"
drain
run "madoguchi-web search 請求書" "https://127.0.0.1:$port$search" "$sid"
drain
run "madoguchi-web inquiry #$inquiry" "https://127.0.0.1:$port/inquiries/$inquiry" "$sid"
drain
run "madoguchi-web editor ${editor#/replies/}" "https://127.0.0.1:$port$editor" "$sid"
echo "madoguchi-web peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$web_pid/status)"
# The inbox while 20 logins (scrypt at password_hash_cost) run at once.
drain
( for round in 1 2 3; do for n in $(seq 1 20); do login "bench$n" >/dev/null & done; wait; done ) &
logins=$!
run "inbox during 20 logins" "https://127.0.0.1:$port/" "$sid"
wait $logins
echo "madoguchi-web peak RSS after the logins: $(awk '/VmHWM/ {print $2, $3}' /proc/$web_pid/status)"
