#!/usr/bin/env python3
# fetch-corpus.py DIR COUNT: a deterministic corpus of inquiry mails shaped like
# real forwarded mail for the fetch benchmark: CRLF line ends, Japanese and English
# text, about 1 in 6 with a base64 attachment (PDF/zip-like bytes), average ~20 KB.
# Test tooling only, never part of the product.
import base64
import os
import random
import sys

out, count = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
rng = random.Random(20261129)
JA = ("お世話になっております。株式会社サンプルの山田です。先日ご依頼いただいた見積もりについて、"
      "納期と価格をご確認ください。ご不明な点がございましたらお問い合わせください。")
EN = "Thank you for your inquiry. Please find the details of our offer below. "


def text_of(size):
    parts, total = [], 0
    while total < size:
        line = rng.choice([JA, EN, JA[:30] + " " + EN[:40]])
        parts.append(line)
        total += len(line.encode("utf-8")) + 2
    return "\r\n".join(parts) + "\r\n"


total = 0
for index in range(count):
    header = (
        "Received: from mx.example.jp (mx.example.jp [192.0.2.%d]) by mail.madoguchi.example;"
        " Sun, 29 Nov 2026 10:%02d:00 +0900\r\n"
        "From: =?UTF-8?B?5bGx55Sw?= <user%d@example.jp>\r\nTo: info@madoguchi.example\r\n"
        "Subject: =?UTF-8?B?5LqL5YuZ5omA?= %d\r\nDate: Sun, 29 Nov 2026 10:%02d:00 +0900\r\n"
        "Message-ID: <m%d@example.jp>\r\nMIME-Version: 1.0\r\n" % (index % 250, index % 60, index, index,
                                                                 index % 60, index))
    # Text sizes skewed small (most inquiries are short), a few long threads.
    text = text_of(int(min(60_000, rng.expovariate(1 / 9_000)) + 800))
    if rng.random() < 1 / 6:
        blob = bytes(rng.getrandbits(8) for _ in range(rng.randint(20_000, 90_000)))
        attachment = base64.encodebytes(blob).decode().replace("\n", "\r\n")
        body = ("Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n"
                "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s"
                "--b%d\r\nContent-Type: application/pdf; name=\"quote-%d.pdf\"\r\n"
                "Content-Disposition: attachment; filename=\"quote-%d.pdf\"\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\n%s--b%d--\r\n"
                % (index, index, text, index, index, index, attachment, index))
    else:
        body = "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + text
    data = (header + body).encode("utf-8")
    total += len(data)
    with open(os.path.join(out, "m%05d.eml" % index), "wb") as handle:
        handle.write(data)
print("%d messages, %.1f KB average" % (count, total / count / 1024), file=sys.stderr)
