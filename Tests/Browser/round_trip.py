#!/usr/bin/python3
"""The round trip: an operator answers in Chromium, the customer reads it and answers.

Run by Tests/MadoguchiWebTests/RoundTripTests.swift, which files two customer
inquiries through Dovecot, fetch-forwarded-mail and scan-and-file, starts
madoguchi-web, Postfix and clamd, and describes it all in a JSON file:

    round_trip.py --scene scene.json --output DIR

For each inquiry (the first with the mailbox in UTF-8, the second after `madoguchi
mailbox set support --charset iso-2022-jp`): the operator writes the reply with a
file attached, sends it, lets the undo window pass; the built send-replies hands it
to Postfix; the customer's Maildir receives it and Python's `email` reads subject,
body, attachment, charset and the headers (Message-ID, In-Reply-To, References, From,
To) exactly. The customer then answers it (In-Reply-To our Message-ID) through
Postfix into the forwarded mailbox; fetch-forwarded-mail and scan-and-file run and
the answer shows in the same inquiry. The browser and the checks are in
browser_support.py.
"""

import email
import email.policy
import email.utils
import os
import re
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage

from selenium.webdriver.common.by import By

from browser_support import BrowserRun, script_main

ATTACHMENT = ("お見積書_2026.txt", "お見積書\n合計 12,000 円（税込）\n".encode("utf-8"))


class Run(BrowserRun):
    """The round trip's checks."""

    def command(self, name, *extra):
        argv = self.scene["commands"][name] + list(extra)
        done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        output = done.stdout.decode("utf-8", "replace")
        self.require(done.returncode == 0, "%s exits 0" % os.path.basename(argv[0]), output)
        return output

    def maildir(self, path):
        names = []
        for sub in ("new", "cur"):
            names += [os.path.join(path, sub, n) for n in sorted(os.listdir(os.path.join(path, sub)))]
        return names

    def wait_for_mail(self, path, count, what):
        deadline = time.monotonic() + 30
        while len(self.maildir(path)) < count:
            if time.monotonic() > deadline:
                self.require(False, what, "%d messages in %s" % (len(self.maildir(path)), path))
            time.sleep(0.2)

    def reply(self, driver, inquiry):
        """Writes and sends the reply; returns what the editor sent (subject, body)."""
        driver.get(self.base + "/inquiries/%d" % inquiry["id"])
        self.wait(driver, lambda d: d.find_elements(By.ID, "reply-start"), "the inquiry #%d" % inquiry["id"])
        driver.find_element(By.ID, "reply-start").click()
        self.wait(driver, lambda d: "/replies/" in d.current_url and d.find_elements(By.ID, "body"), "the reply editor")
        reply = int(driver.current_url.split("/replies/")[1].split("?")[0])
        path = os.path.join(self.scratch, ATTACHMENT[0])
        with open(path, "wb") as handle:
            handle.write(ATTACHMENT[1])
        driver.find_element(By.ID, "file").send_keys(path)
        driver.find_element(By.CSS_SELECTOR, "button[name=action][value=attach]").click()
        self.wait(driver, lambda d: ATTACHMENT[0] in d.find_element(By.CSS_SELECTOR, "div.attachments").text,
                  "the file is scanned and attached", timeout=20)
        body = driver.find_element(By.ID, "body")
        body.send_keys("佐藤様\nお問い合わせありがとうございます。担当の山田です。\nご依頼の件、本日手配いたしました。")
        subject = driver.find_element(By.ID, "subject").get_attribute("value")
        text = body.get_attribute("value")
        driver.find_element(By.CSS_SELECTOR, "button[name=action][value=send]").click()
        self.wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#r%d .undo[data-left]" % reply), "the reply is queued")
        self.wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, "#r%d .undo" % reply),
                  "the undo window passes", timeout=self.scene["send_delay"] + 15)
        self.ok("reply %d to inquiry %d queued and its undo window passed" % (reply, inquiry["id"]))
        self.console(driver, "the inquiry with the queued reply")
        return subject, text

    def read(self, path, inquiry, subject, text):
        """The customer reads the delivered reply with Python's email."""
        with open(path, "rb") as handle:
            raw = handle.read()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        where = "the %s reply" % inquiry["charset"]
        self.check(message.defects == [], where + " parses without defects", repr(message.defects))
        self.check(message["Subject"] == subject, where + ": the subject decodes exactly", repr(message["Subject"]))
        self.check(max(raw) < 128, where + ": every byte is 7-bit (encoded words, a 7-bit transfer encoding)")
        self.check(email.utils.parseaddr(message["From"])[1] == self.scene["reply_from"],
                   where + ": From is the mailbox's reply address", message["From"])
        self.check(email.utils.parseaddr(message["To"])[1] == self.scene["customer"], where + ": To is the customer", message["To"])
        self.check(message["In-Reply-To"] == inquiry["message_id"], where + ": In-Reply-To is the customer's Message-ID",
                   repr(message["In-Reply-To"]))
        self.check(inquiry["message_id"] in (message["References"] or ""), where + ": References names it", repr(message["References"]))
        ours = message["Message-ID"] or ""
        self.check(re.fullmatch(r"<madoguchi\.%d\.[^@<>\s]+@[^@<>\s]+>" % inquiry["id"], ours),
                   where + ": our Message-ID carries the inquiry and its code", ours)
        parts = [p for p in message.walk() if not p.is_multipart()]
        bodies = [p for p in parts if p.get_content_type() == "text/plain" and not p.get_filename()]
        self.require(len(bodies) == 1, where + ": one text part", repr([p.get_content_type() for p in parts]))
        part = bodies[0]
        self.check(part.get_content_charset() == inquiry["charset"], where + ": the body's charset is " + inquiry["charset"],
                   part.get_content_charset())
        self.check(part["Content-Transfer-Encoding"] in ("7bit", "base64", "quoted-printable"),
                   where + ": a transfer encoding that survives 7-bit relays", part["Content-Transfer-Encoding"])
        got = part.get_content().replace("\r\n", "\n").rstrip("\n")
        want = text.replace("\r\n", "\n").rstrip("\n")
        self.check(got == want, where + ": the body decodes exactly", "got %r\nwant %r" % (got[:300], want[:300]))
        files = [p for p in parts if p.get_filename()]
        self.check(len(files) == 1 and files[0].get_filename() == ATTACHMENT[0]
                   and files[0].get_payload(decode=True) == ATTACHMENT[1],
                   where + ": the attachment's name and bytes decode exactly", repr([p.get_filename() for p in files]))
        return message

    def answer(self, message, number):
        """The customer answers our reply through Postfix, into the forwarded mailbox."""
        answer = EmailMessage()
        answer["From"] = "佐藤 一郎 <%s>" % self.scene["customer"]
        answer["To"] = message["From"]
        answer["Subject"] = "Re: " + message["Subject"]
        answer["Message-ID"] = "<answer-%d@customer.example>" % number
        answer["In-Reply-To"] = message["Message-ID"]
        answer["References"] = (message["References"] or "") + " " + message["Message-ID"]
        answer["Date"] = email.utils.formatdate(localtime=True)
        words = "ご返信ありがとうございます。合言葉は「回答%d号」です。" % number
        answer.set_content(words)
        with smtplib.SMTP("127.0.0.1", self.scene["smtp_port"], timeout=30) as smtp:
            smtp.send_message(answer, from_addr=self.scene["customer"], to_addrs=[self.scene["company_address"]])
        return words

    def flow(self):
        scene = self.scene
        driver = self.add_driver("round-trip")
        self.login(driver, self.base, scene["operator"])
        answers = []
        for number, inquiry in enumerate(scene["inquiries"], start=1):
            if inquiry["charset"] != "utf-8":
                self.command("charset", inquiry["charset"])
            subject, text = self.reply(driver, inquiry)
            self.command("send")
            self.wait_for_mail(scene["customer_maildir"], number, "the reply reaches the customer's Maildir")
            self.ok("send-replies delivered reply %d through Postfix" % number)
            message = self.read(self.maildir(scene["customer_maildir"])[number - 1], inquiry, subject, text)
            driver.get(self.base + "/inquiries/%d" % inquiry["id"])
            ours = driver.find_elements(By.CSS_SELECTOR, "article.message.ours")
            self.check(ours and "ご依頼の件、本日手配いたしました。" in ours[-1].text, "the sent reply is in the thread")
            answers.append((inquiry, self.answer(message, number)))

        # The customer's answers: into the forwarded mailbox, fetched, filed.
        self.wait_for_mail(scene["company_maildir"], len(answers), "the customer's answers reach the forwarded mailbox")
        self.command("fetch")
        self.command("file")
        for inquiry, words in answers:
            driver.get(self.base + "/inquiries/%d" % inquiry["id"])
            messages = driver.find_elements(By.CSS_SELECTOR, "article.message")
            self.check(messages and words in messages[-1].text, "the customer's answer lands in inquiry #%d" % inquiry["id"],
                       repr([m.text[:60] for m in messages]))
        self.screenshot(driver, "round-trip-answer-threaded-ja")
        self.console(driver, "the inquiry with the customer's answer")


def main():
    return script_main(__doc__.split("\n")[0], Run, lambda run, listener: run.flow())


if __name__ == "__main__":
    sys.exit(main())
