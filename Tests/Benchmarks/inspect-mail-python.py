#!/usr/bin/env python3
# inspect-mail-python.py FILE...: the Python 3 baseline for the inspect-mail
# benchmark: email.parser with policy=default, walk, get_content() of every leaf,
# SHA-256 of non-text leaves (as inspect-mail does). Test tooling only.
import email
import email.policy
import hashlib
import sys

count = 0
for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    str(message["subject"]), str(message["from"]), str(message["to"]), str(message["date"])
    for part in message.walk():
        if part.is_multipart():
            continue
        try:
            content = part.get_content()
        except Exception:
            content = part.get_payload(decode=True) or b""
        if isinstance(content, bytes):
            hashlib.sha256(content).hexdigest()
    count += 1
print(count, file=sys.stderr)
