#!/usr/bin/env python3
# fetch-bare.py PROTO HOST PORT USER PASSWORD CAFILE: the "bare limit" of the fetch
# benchmark. Downloads every message of the mailbox over implicit TLS (certificate
# and host name verified against CAFILE) and throws the bytes away: no parsing
# beyond finding where each answer ends, no un-stuffing, no file, no fsync, no
# deletion. POP3: RETR pipelined 32 at a time (RFC 2449), answers counted by their
# CRLF.CRLF terminators (dot-stuffing makes that sequence unique). IMAP: one
# UID FETCH 1:* BODY.PEEK[], literals skipped by their announced size.
# Prints "messages bytes". Test tooling only.
import socket
import ssl
import sys

proto, host, port, user, password, cafile = sys.argv[1:7]
context = ssl.create_default_context(cafile=cafile)
context.minimum_version = ssl.TLSVersion.TLSv1_2
connection = context.wrap_socket(socket.create_connection((host, int(port)), timeout=120), server_hostname=host)
buffer = bytearray()
total = 0


def fill():
    global total
    chunk = connection.recv(1 << 20)
    if not chunk:
        sys.exit("server closed the connection")
    total += len(chunk)
    buffer.extend(chunk)


def line():
    while True:
        end = buffer.find(b"\r\n")
        if end >= 0:
            text = bytes(buffer[:end])
            del buffer[: end + 2]
            return text
        fill()


def send(text):
    connection.sendall(text.encode())


if proto == "pop3":
    line()
    send("USER %s\r\n" % user)
    line()
    send("PASS %s\r\n" % password)
    if not line().startswith(b"+OK"):
        sys.exit("login refused")
    send("STAT\r\n")
    count = int(line().split()[1])
    window, sent, done = 32, 0, 0
    # Each answer is "+OK …" CRLF, the stuffed message, "." CRLF: counting CRLF.CRLF
    # from the status line's CRLF on finds each end once.
    while done < count:
        if sent - done <= window // 2 and sent < count:
            batch = min(count, done + window)
            send("".join("RETR %d\r\n" % n for n in range(sent + 1, batch + 1)))
            sent = batch
        end = buffer.find(b"\r\n.\r\n")
        if end < 0:
            keep = buffer[-4:]
            buffer.clear()
            buffer.extend(keep)
            fill()
            continue
        del buffer[: end + 5]
        done += 1
    send("QUIT\r\n")
    line()
else:
    line()
    send('A1 LOGIN "%s" "%s"\r\n' % (user, password))
    while not line().startswith(b"A1 "):
        pass
    send("A2 SELECT INBOX\r\n")
    while not line().startswith(b"A2 "):
        pass
    send("A3 UID FETCH 1:* (BODY.PEEK[])\r\n")
    count = 0
    while True:
        text = line()
        if text.startswith(b"A3 "):
            break
        if text.startswith(b"* ") and b" FETCH " in text:
            count += 1
        while text.endswith(b"}"):
            size = int(text[text.rindex(b"{") + 1 : -1])
            while len(buffer) < size:
                fill()
            del buffer[:size]
            text = line()
    send("A4 LOGOUT\r\n")
print(count, total)
