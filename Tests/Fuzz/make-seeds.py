#!/usr/bin/env python3
# make-seeds.py DIR [HTMLDIR]: writes small hostile seed messages (test tooling only) for
# the parser fuzzer: nesting, boundaries, broken encodings, charset tricks, RFC 2231;
# with HTMLDIR also hostile HTML seeds for the sanitizer fuzzer (madoguchi-security(7) A1-A6).
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

html_seeds = {
    "script.html": b"<p>x<script>alert(1)</script><img src=x onerror=alert(1)><svg onload=alert(1)>",
    "links.html": b"<a href=\"jav&#x09;ascript:alert(1)\">a</a><a href=' javascript:x'>b</a><a href=https://x/?a=1&amp;b>c</a>",
    "mxss.html": b"<math><mtext><table><mglyph><style><img src=x onerror>"
    b"<form><math><mtext></form><form><mglyph><svg><mtext><style><path id=\"</style><img onerror=alert(1) src>\">",
    "noscript.html": b"<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"><!--> <!---> --!> <![CDATA[x]]>",
    "script-escapes.html": b"<script><!--<script></script>x</script><title>&amp;</title><textarea></textarea><plaintext><b>",
    "refs.html": b"&#0;&#x110000;&#128;&#xD800;&amp&notit;&copy=<a title='&copy=&amp;'>",
    "style.html": b"<p style=\"color:red;background:url(http://e/);position:fixed\">x</p><style>@import 'x';</style>",
    "tables.html": b"<table><tr><td>a<td>b<tr><td><div><p>c<ul><li>d<li>e</table><b><i>x</b>y</i>",
    "implied-ends.html": b"<table><td><li>d<li>e<p>c<tr><li>d<dl><dt>a<p>b<dd>c<h1>d<h2>e",
    "images.html": b"<img src=cid:logo><img src='data:image/png;base64,iVBORw0KGgo='><img src=//e/x srcset=a>",
}
if len(sys.argv) > 2:
    for name, data in html_seeds.items():
        with open(os.path.join(sys.argv[2], name), "wb") as handle:
            handle.write(data)
