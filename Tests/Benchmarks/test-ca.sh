# test-ca.sh: sourced by the benchmarks that run a TLS server. make_test_ca DIR writes
# a throw-away CA (DIR/ca.pem) and a server certificate for localhost and 127.0.0.1
# (DIR/server.pem, DIR/server.key, EC P-256), as TestCertificates makes for the tests.
make_test_ca() {
    local dir=$1
    local ec="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
    openssl req -x509 $ec -keyout "$dir/ca.key" -out "$dir/ca.pem" -subj "/CN=Madoguchi Bench CA" -days 2 2>/dev/null
    openssl req -new $ec -keyout "$dir/server.key" -out "$dir/server.csr" -subj "/CN=localhost" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$dir/ext.cnf"
    openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
        -out "$dir/server.pem" -days 2 -extfile "$dir/ext.cnf" 2>/dev/null
    chmod 644 "$dir/server.key"
}
