#!/usr/bin/env python3
# inspect-mail-corpus.py DIR COUNT: generates a deterministic benchmark corpus of
# mixed inquiry mails (Shift_JIS, ISO-2022-JP, EUC-JP, UTF-8; plain, alternative,
# mixed with attachments; 2-100 KB). Test tooling only, never part of the product.
import base64
import os
import quopri
import random
import sys

out, count = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
rng = random.Random(20230404)
JA = ("お世話になっております。株式会社サンプルの山田です。先日ご依頼いただいた見積もりについて、"
      "納期と価格をご確認ください。ご不明な点がございましたらお問い合わせください。")
EN = "Thank you for your inquiry. Please find the details of our offer below. "


def text_of(size):
    parts = []
    total = 0
    while total < size:
        line = rng.choice([JA, EN, JA[:30] + " " + EN[:40]])
        parts.append(line)
        total += len(line.encode("utf-8"))
    return "\r\n".join(parts) + "\r\n"


def word(text, charset):
    codec = {"iso-2022-jp": "iso2022_jp", "shift_jis": "cp932", "euc-jp": "euc_jp", "utf-8": "utf-8"}[charset]
    return "=?%s?B?%s?=" % (charset.upper(), base64.b64encode(text.encode(codec)).decode())


def body_part(text, charset, encoding):
    codec = {"iso-2022-jp": "iso2022_jp", "shift_jis": "cp932", "euc-jp": "euc_jp", "utf-8": "utf-8"}[charset]
    data = text.encode(codec, errors="replace")
    if encoding == "base64":
        payload = base64.encodebytes(data).replace(b"\n", b"\r\n")
    elif encoding == "quoted-printable":
        payload = quopri.encodestring(data).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    else:
        payload = data
    head = "Content-Type: text/plain; charset=%s\r\nContent-Transfer-Encoding: %s\r\n\r\n" % (charset, encoding)
    return head.encode() + payload


for index in range(count):
    charset = rng.choice(["iso-2022-jp", "shift_jis", "euc-jp", "utf-8"])
    encoding = {"iso-2022-jp": "7bit", "shift_jis": rng.choice(["base64", "8bit"]),
                "euc-jp": "8bit", "utf-8": rng.choice(["base64", "quoted-printable"])}[charset]
    target = rng.randint(2_000, 100_000)
    header = (
        "From: %s <user%d@example.jp>\r\nTo: info@madoguchi.example\r\nCc: \"Sales\" <sales@madoguchi.example>\r\n"
        "Subject: %s\r\nDate: Tue, %d Apr 2023 10:%02d:00 +0900\r\nMessage-ID: <m%d@example.jp>\r\n"
        "MIME-Version: 1.0\r\n" % (word("山田 太郎", charset), index, word("見積もりのお願い %d" % index, charset),
                                   1 + index % 28, index % 60, index))
    shape = rng.choice(["plain", "alternative", "mixed"])
    text_size = target if shape == "plain" else min(target, rng.randint(1_000, 8_000))
    text = text_of(text_size)
    if shape == "plain":
        message = header.encode() + body_part(text, charset, encoding)
    else:
        html = "<html><body><p>" + text.replace("\r\n", "</p><p>") + "</p></body></html>"
        alternative = (b"Content-Type: multipart/alternative; boundary=\"alt-%d\"\r\n\r\n--alt-%d\r\n" % (index, index)
                       + body_part(text, charset, encoding)
                       + b"\r\n--alt-%d\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" % index
                       + base64.encodebytes(html.encode()).replace(b"\n", b"\r\n") + b"--alt-%d--\r\n" % index)
        if shape == "alternative":
            message = header.encode() + alternative
        else:
            attachment = rng.randbytes(max(500, (target - text_size) * 3 // 4))
            name = "見積書%d.pdf" % index
            message = (header.encode() + b"Content-Type: multipart/mixed; boundary=\"mix-%d\"\r\n\r\n--mix-%d\r\n" % (index, index)
                       + alternative + b"\r\n--mix-%d\r\n" % index
                       + ("Content-Type: application/pdf; name=\"%s\"\r\nContent-Disposition: attachment; filename*=UTF-8''%s\r\n"
                          "Content-Transfer-Encoding: base64\r\n\r\n" % (word(name, "utf-8"),
                                                                      "".join("%%%02X" % b for b in name.encode()))).encode()
                       + base64.encodebytes(attachment).replace(b"\n", b"\r\n") + b"--mix-%d--\r\n" % index)
    with open(os.path.join(out, "m%05d.eml" % index), "wb") as handle:
        handle.write(message)
