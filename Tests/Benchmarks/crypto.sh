#!/bin/sh
# crypto.sh: AES-256-GCM field encryption (FieldCipher.seal/open, 16 KiB, release build)
# side by side with `openssl speed -evp aes-256-gcm -bytes 16384`, plus search tokens/s,
# sealed-box MB/s and scrypt N=2^17 ms/hash. Target: FieldCipher within 2x of openssl.
# Usage: Tests/Benchmarks/crypto.sh [seconds-per-measurement]   (default 3)
set -eu
cd "$(dirname "$0")/../.."
seconds="${1:-3}"

swift build -c release --product madoguchi-bench >/dev/null
bench_output="$(.build/release/madoguchi-bench "$seconds")"
# The "k" figure of `openssl speed` is 1000s of bytes per second.
openssl_k="$(openssl speed -evp aes-256-gcm -bytes 16384 -seconds "$seconds" 2>/dev/null |
    awk '/^AES-256-GCM/ { v = $NF; sub(/k$/, "", v); print v }')"

echo "$bench_output"
echo "$bench_output" | awk -v k="$openssl_k" '
    $1 == "field_seal_16k" { seal = $2 }
    $1 == "field_open_16k" { open = $2 }
    END {
        ossl = k / 1000
        printf "openssl_speed_aes256gcm_16k %.1f MB/s\n", ossl
        printf "ratio openssl/FieldCipher.seal %.2f  openssl/FieldCipher.open %.2f  (target <= 2.00)\n", ossl / seal, ossl / open
        if (ossl / seal > 2) { print "FAIL: FieldCipher.seal is more than 2x slower than openssl speed"; exit 1 }
    }'
