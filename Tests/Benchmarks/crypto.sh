#!/bin/sh
# crypto.sh: AES-256-GCM field encryption (FieldCipher.seal/open, 16 KiB, release build)
# side by side with `openssl speed -evp aes-256-gcm -bytes 16384`, plus search tokens/s,
# sealed-box MB/s and scrypt N=2^17 ms/hash. Target: FieldCipher within 2x of openssl.
# The machine is shared, so each side is measured three times, alternating, and the
# best run of each is compared.
# Usage: Tests/Benchmarks/crypto.sh [seconds-per-measurement]   (default 3)
set -eu
cd "$(dirname "$0")/../.."
seconds="${1:-3}"

swift build -c release --product madoguchi-bench >/dev/null
bench=.build/release/madoguchi-bench
runs=""
for round in 1 2 3; do
    # The "k" figure of `openssl speed` is 1000s of bytes per second.
    ossl="$(openssl speed -evp aes-256-gcm -bytes 16384 -seconds "$seconds" 2>/dev/null |
        awk '/^AES-256-GCM/ { v = $NF; sub(/k$/, "", v); print v / 1000 }')"
    runs="$runs
openssl $ossl
$("$bench" "$seconds" field)"
done

"$bench" "$seconds" | grep -v '^field_'
echo "$runs" | awk '
    function max(a, b) { return a > b ? a : b }
    $1 == "openssl" { ossl = max(ossl, $2) }
    $1 == "field_seal_16k" { seal = max(seal, $2) }
    $1 == "field_open_16k" { open = max(open, $2) }
    END {
        printf "field_seal_16k %.1f MB/s (best of 3)\n", seal
        printf "field_open_16k %.1f MB/s (best of 3)\n", open
        printf "openssl_speed_aes256gcm_16k %.1f MB/s (best of 3)\n", ossl
        printf "ratio openssl/FieldCipher.seal %.2f  openssl/FieldCipher.open %.2f  (target <= 2.00)\n", ossl / seal, ossl / open
        if (ossl / seal > 2) { print "FAIL: FieldCipher.seal is more than 2x slower than openssl speed"; exit 1 }
    }'
