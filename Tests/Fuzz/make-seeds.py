#!/usr/bin/env python3
# make-seeds.py DIR: writes small hostile seed messages (test tooling only) for the
# parser fuzzer: nesting, boundaries, broken encodings, charset tricks, RFC 2231.
import os
import sys

out = sys.argv[1]
seeds = {
    "nested.eml": b"".join(b"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n" % (i, i) for i in range(40)) + b"x",
    "rfc822.eml": b"Content-Type: message/rfc822\n\n" * 5 + b"Subject: x\n\nbody",
    "boundary.eml": b"Content-Type: multipart/alternative; boundary=\"a\"\r\n\r\n--a\r\nContent-Type: text/plain; charset=iso-2022-jp\r\n\r\n\x1b$B-!-j\x1b(B\r\n--a \r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\nPGI+eDwvYj4=\r\n--a--\r\n",
    "qp.eml": b"Content-Type: text/plain; charset=shift_jis\nContent-Transfer-Encoding: quoted-printable\n\n=95\\=8E=A6=\n=ZZ=",
    "words.eml": b"Subject: =?ISO-2022-JP?B?GyRCLSEbKEI=?= =?utf-8?q?=E6=97?= =?UTF-8?Q?=A5?= =?x?b?@@?=\nFrom: \"=?UTF-8?B?5bGx55Sw?=\" <A@B>, g: c@d;, (x) e@f\nDate: Mon, 31 Dec 99 23:59:60 -1259\n\nx",
    "params.eml": b"Content-Type: application/x; name*0*=utf-8'ja'%E8%A6; name*1*=%8B.pdf; name=\"\x95\\\"\"\nContent-Disposition: attachment; filename*=''%2F\n\nx",
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as handle:
        handle.write(data)
