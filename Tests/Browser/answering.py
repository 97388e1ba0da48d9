#!/usr/bin/python3
"""Answering an inquiry in real headless Chromium browsers, two operators at once.

Run by Tests/MadoguchiWebTests/BrowserTests.swift (`answering`), which builds the
scene of operator_page.py plus a second operator, the mailboxes' reply settings
(support: From and a signature; sales: approval required), a real clamd and
`send_delay = 5s`, and describes it in a JSON file:

    answering.py --scene scene.json --output DIR

Checked: the administrator makes a template on /templates; operators A and B open
one inquiry and each sees the other as 閲覧中 (the presence poll); A starts the reply
with `r`, B's open page then says 対応中のため返信できません（Aさんが返信中） and offers
no reply button; the editor has the tagged subject, the quoted original and the
signature; A inserts the template, attaches a file (scanned by clamd) and is refused
EICAR, saves, logs out and in and finds the draft; A sends, undoes within the window,
sends again and lets the window pass; assign, status and an internal note appear in
the timeline; the administrator takes over a lock; on the mailbox that needs approval
the reply waits, A cannot approve it, the administrator returns it with a comment A
sees in the editor, then approves it. The editor of the XSS inquiries (their subjects
and names are quoted) runs nothing; axe on the editor and the approvals page; no CSP
violation or console error anywhere. The browser, the checks and the listener are in
browser_support.py.
"""

import base64
import os
import re
import sys
import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from browser_support import BrowserRun, script_main

TEMPLATE_BODY = "{customer_name} 様\nお問い合わせありがとうございます。担当の{operator_name}です（受付番号 {inquiry_number}）。"


class Run(BrowserRun):
    """The answering checks."""

    def visible(self, driver, selector):
        return [e for e in driver.find_elements(By.CSS_SELECTOR, selector) if e.is_displayed()]

    def inquiry(self, driver, inquiry):
        driver.get(self.base + "/inquiries/%d" % inquiry)
        self.wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "div.actions"), "the inquiry page #%d" % inquiry)

    def press(self, driver, selector, where):
        buttons = self.visible(driver, selector)
        self.require(buttons, "%s: the button %s is there" % (where, selector))
        buttons[0].click()

    def editor(self, driver, where):
        self.wait(driver, lambda d: "/replies/" in d.current_url and d.find_elements(By.ID, "body"), where)
        return int(driver.current_url.split("/replies/")[1].split("?")[0])

    def body(self, driver):
        return driver.find_element(By.ID, "body").get_attribute("value")

    def notice(self, driver):
        return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, "p.note[role=alert]"))

    def timeline(self, driver):
        return [e.text for e in driver.find_elements(By.CSS_SELECTOR, "p.event, article.message.note")]

    def logout(self, driver):
        driver.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
        self.wait(driver, lambda d: d.find_elements(By.ID, "login"), "logout returns to the login page")

    def file(self, name, data):
        path = os.path.join(self.scratch, name)
        with open(path, "wb") as handle:
            handle.write(data)
        return path

    # MARK: the checks

    def template(self, admin):
        driver = admin
        driver.get(self.base + "/templates")
        self.wait(driver, lambda d: d.find_elements(By.ID, "new-name"), "the templates page")
        driver.find_element(By.ID, "new-name").send_keys("お問い合わせへのお礼")
        driver.find_element(By.ID, "new-body").send_keys(TEMPLATE_BODY)
        driver.find_element(By.CSS_SELECTOR, "form[action='/templates'] button[type=submit]").click()
        self.wait(driver, lambda d: "n=saved" in d.current_url, "the new template is saved")
        names = [e.get_attribute("value") for e in driver.find_elements(By.CSS_SELECTOR, "input[id^='name-']")]
        self.check("お問い合わせへのお礼" in names, "the administrator made a template on /templates", repr(names))
        self.screenshot(driver, "templates-ja")
        self.console(driver, "the templates page")
        self.axe(driver, "the templates page")

    def presence_and_lock(self, a, b):
        scene = self.scene
        thread = scene["answering"]["thread"]
        inquiry = thread["inquiry"]
        name_a, name_b = scene["operator"]["name"], scene["second_operator"]["name"]
        self.inquiry(a, inquiry)
        self.inquiry(b, inquiry)
        started = time.monotonic()
        self.wait(b, lambda d: name_a in d.find_element(By.CSS_SELECTOR, "#presence .viewers").text
                  and d.find_element(By.ID, "presence").is_displayed(), "B sees 閲覧中: A", timeout=15)
        self.ok("B sees 閲覧中: %s after %.1f s" % (name_a, time.monotonic() - started))
        self.wait(a, lambda d: name_b in d.find_element(By.CSS_SELECTOR, "#presence .viewers").text
                  and d.find_element(By.ID, "presence").is_displayed(), "A sees 閲覧中: B", timeout=15)
        self.ok("A sees 閲覧中: %s" % name_b)
        self.check(self.visible(b, "#reply-start"), "B has the reply button before A starts")

        # A presses r: the editor with the tagged subject, the quote and the signature.
        ActionChains(a).send_keys("r").perform()
        reply = self.editor(a, "r opens the reply editor")
        self.ok("r opens the reply editor (reply %d)" % reply)
        subject = a.find_element(By.ID, "subject").get_attribute("value")
        self.check(subject.startswith(thread["subject"] + " ") and re.search(r"\[#%d-[0-9A-Za-z]+\]$" % inquiry, subject),
                   "the subject is Re: and the inquiry's tag", subject)
        text = self.body(a)
        self.check(re.search(r"\d{4}年\d+月\d+日\(.\) \d\d:\d\d %s 様:" % thread["customer"], text),
                   "the body starts with the customer's date and name line", text[:200])
        self.check(thread["quoted"] in text, "the body quotes the original with >", text[:400])
        self.check(text.rstrip().endswith(scene["answering"]["signature"]), "the body ends with the mailbox signature", text[-200:])
        recipient = a.find_element(By.CSS_SELECTOR, "p.to").text
        self.check("sato.ichiro@example.co.jp" in recipient, "the recipient is the customer's address, filled by the server", recipient)
        self.check(a.switch_to.active_element.get_attribute("id") == "body", "the editor puts the cursor in the body",
                   a.switch_to.active_element.get_attribute("id"))
        self.no_alert(a, "the reply editor")
        self.console(a, "the reply editor")

        # B's page, open all along, learns of the lock from the presence poll.
        locked = "対応中のため返信できません（%sさんが返信中）" % name_a
        started = time.monotonic()
        self.wait(b, lambda d: d.find_element(By.ID, "lock-holder").is_displayed()
                  and d.find_element(By.ID, "lock-holder").text == locked, "B's page shows " + locked, timeout=15)
        self.ok("B's open page shows %s after %.1f s" % (locked, time.monotonic() - started))
        self.check(not self.visible(b, "#reply-start"), "B's open page no longer offers the reply button")
        self.screenshot(b, "inquiry-locked-second-operator-ja")
        self.console(b, "the locked inquiry (B)")
        b.refresh()
        self.wait(b, lambda d: d.find_element(By.ID, "lock-holder").text == locked, "B's reloaded page shows the lock")
        self.check(not b.find_elements(By.ID, "reply-start") and not b.find_elements(By.CSS_SELECTOR, "form[action$='/take-over']"),
                   "B (no take_over) has neither the reply nor the take-over button")
        self.console(b, "the locked inquiry (B, reloaded)")
        return inquiry, reply

    def compose(self, a, inquiry, reply):
        scene = self.scene
        name_a = scene["operator"]["name"]
        # The template, its placeholders filled.
        Select(a.find_element(By.ID, "template")).select_by_visible_text("お問い合わせへのお礼")
        a.find_element(By.CSS_SELECTOR, "button[name=action][value=template]").click()
        self.wait(a, lambda d: "担当の%sです" % name_a in self.body(d), "the template is inserted")
        text = self.body(a)
        self.check(text.startswith("%s 様\nお問い合わせありがとうございます。担当の%sです（受付番号 %d）。" % (
            scene["answering"]["thread"]["customer"], name_a, inquiry)), "the template's placeholders are filled in", text[:120])
        self.check(scene["answering"]["thread"]["quoted"] in text, "the quote stays under the template")

        # A clean file (clamd scans it) and EICAR (refused with the page's notice).
        clean = self.file("請求書_再発行.txt", "株式会社サンプル商事 経理部 御中\n".encode("utf-8"))
        a.find_element(By.ID, "file").send_keys(clean)
        a.find_element(By.CSS_SELECTOR, "button[name=action][value=attach]").click()
        self.wait(a, lambda d: "請求書_再発行.txt" in d.find_element(By.CSS_SELECTOR, "div.attachments").text,
                  "the scanned file is attached", timeout=20)
        self.check(self.notice(a) == "", "attaching the clean file shows no refusal", self.notice(a))
        self.ok("the clean file passed clamd and is attached")
        eicar = self.file("eicar.com", base64.b64decode(scene["answering"]["eicar_base64"]))
        a.find_element(By.ID, "file").send_keys(eicar)
        a.find_element(By.CSS_SELECTOR, "button[name=action][value=attach]").click()
        self.wait(a, lambda d: "ウイルスが検出されたため添付できません" in self.notice(d), "EICAR is refused with a notice", timeout=20)
        files = a.find_element(By.CSS_SELECTOR, "div.attachments").text
        self.check("eicar.com" not in files and "請求書_再発行.txt" in files, "EICAR is not attached, the clean file stays", files)
        self.check("担当の%sです" % name_a in self.body(a), "the text survives the refused upload")

        # Edit, save, screenshot.
        body = a.find_element(By.ID, "body")
        body.click()
        ActionChains(a).key_down(Keys.CONTROL).send_keys(Keys.HOME).key_up(Keys.CONTROL).perform()
        body.send_keys("追記：再発行した請求書を本日発送いたします。\n")
        a.find_element(By.CSS_SELECTOR, "button[name=action][value=save]").click()
        self.wait(a, lambda d: "下書きを保存しました" in self.notice(d), "save says 下書きを保存しました")
        self.ok("the draft is saved")
        # The whole editor in one picture: subject, template, text with quote and
        # signature, attachments, buttons.
        a.set_window_size(1280, 1500)
        a.execute_script("window.scrollTo(0, 0)")
        self.screenshot(a, "reply-editor-ja")
        a.set_window_size(1280, 800)
        self.console(a, "the reply editor after save")
        self.axe(a, "the reply editor")
        layout = a.execute_script("""
            var r = function (s) { var e = document.querySelector(s); return e ? e.getBoundingClientRect() : null; };
            return {body: r('#body'), subject: r('#subject'), main: r('main')};
        """)
        self.check(layout["body"]["width"] > 600 and layout["body"]["height"] > 250,
                   "the body field is wide and tall enough to write in", repr(layout["body"]))

        # Log out and in again: the draft is still there.
        self.logout(a)
        self.login(a, self.base, scene["operator"])
        self.inquiry(a, inquiry)
        self.check(a.find_element(By.ID, "reply-start").text.startswith("下書きを開く"), "the inquiry offers 下書きを開く after a new login",
                   a.find_element(By.ID, "reply-start").text)
        a.find_element(By.ID, "reply-start").click()
        again = self.editor(a, "the draft opens after a new login")
        text = self.body(a)
        self.check(again == reply and text.startswith("追記：再発行した請求書を本日発送いたします。") and "担当の%sです" % name_a in text,
                   "the saved draft is there after logout and login", text[:120])
        self.check("請求書_再発行.txt" in a.find_element(By.CSS_SELECTOR, "div.attachments").text, "the attachment is kept with the draft")
        self.console(a, "the reopened draft")

    def undo(self, a, inquiry, reply):
        delay = self.scene["answering"]["send_delay"]
        a.find_element(By.CSS_SELECTOR, "button[name=action][value=send]").click()
        self.wait(a, lambda d: d.current_url.endswith("/inquiries/%d#r%d" % (inquiry, reply))
                  and d.find_elements(By.CSS_SELECTOR, "#r%d .undo[data-left]" % reply), "send shows the queued reply with its undo timer")
        undo = a.find_element(By.CSS_SELECTOR, "#r%d .undo" % reply)
        self.check("送信まで" in undo.text and "送信取消" in undo.text, "the undo form shows the time left and 送信取消", undo.text)
        self.screenshot(a, "reply-queued-undo-ja")
        self.console(a, "the queued reply")
        undo.find_element(By.TAG_NAME, "button").click()
        self.editor(a, "送信取消 returns to the editor")
        self.check("追記：再発行した請求書を本日発送いたします。" in self.body(a), "the undone reply is a draft with its text")
        self.ok("送信取消 within the window returns the reply to the editor")

        a.find_element(By.CSS_SELECTOR, "button[name=action][value=send]").click()
        self.wait(a, lambda d: d.find_elements(By.CSS_SELECTOR, "#r%d .undo[data-left]" % reply), "sending again queues it")
        started = time.monotonic()
        self.wait(a, lambda d: not d.find_elements(By.CSS_SELECTOR, "#r%d .undo" % reply)
                  and d.find_elements(By.CSS_SELECTOR, "#r%d" % reply), "the undo timer ends", timeout=delay + 15)
        self.ok("the undo window passed after %.1f s (send_delay %d s)" % (time.monotonic() - started, delay))
        state = a.find_element(By.CSS_SELECTOR, "#r%d .reply-state" % reply).text
        self.check(state == "送信待ちの返信", "after the window the reply waits for send-replies", state)
        self.check(self.visible(a, "#reply-start") and a.find_element(By.ID, "reply-start").text.startswith("返信"),
                   "sending released the lock: 返信 is offered again")
        events = self.timeline(a)
        for word in ["返信を開始", "返信を送信待ちに", "送信を取り消し"]:
            self.check(any(word in e for e in events), "the timeline shows " + word, repr(events))
        self.console(a, "the inquiry after the undo window")

    def working(self, a, inquiry):
        name_b = self.scene["second_operator"]["name"]
        Select(a.find_element(By.ID, "assignee-select")).select_by_visible_text(name_b)
        a.find_element(By.CSS_SELECTOR, "form[action$='/assign'] button").click()
        self.wait(a, lambda d: any("担当者を設定: " + name_b in e for e in self.timeline(d)), "the assignment appears in the timeline")
        self.check(self.notice(a) == "", "assigning shows no refusal", self.notice(a))
        self.ok("assigned to %s; the timeline says so" % name_b)
        Select(a.find_element(By.ID, "status-select")).select_by_visible_text("対応済")
        a.find_element(By.CSS_SELECTOR, "form[action$='/status'] button").click()
        self.wait(a, lambda d: any("→ 対応済" in e for e in self.timeline(d)), "the status change appears in the timeline")
        self.ok("status changed to 対応済; the timeline says so")
        a.find_element(By.CSS_SELECTOR, "details.note-form summary").click()
        note = "<b>社内メモ</b> 経理部に宛名を確認済み"
        a.find_element(By.ID, "note-text").send_keys(note)
        a.find_element(By.CSS_SELECTOR, "form[action$='/notes'] button").click()
        self.wait(a, lambda d: any(note in e for e in self.timeline(d)), "the note appears in the timeline as text")
        self.check(not a.find_elements(By.CSS_SELECTOR, "article.message.note b"), "the note's markup is shown as text")
        self.screenshot(a, "inquiry-timeline-ja")
        self.no_alert(a, "the timeline")
        self.console(a, "the inquiry with assignment, status and note")

    def take_over(self, a, admin):
        scene = self.scene
        inquiry = scene["answering"]["take_over"]["inquiry"]
        self.inquiry(a, inquiry)
        a.find_element(By.ID, "reply-start").click()
        self.editor(a, "A starts a reply on the take-over inquiry")
        self.inquiry(admin, inquiry)
        lock = admin.find_element(By.ID, "lock-holder").text
        self.check(lock == "対応中のため返信できません（%sさんが返信中）" % scene["operator"]["name"], "the administrator sees A's lock", lock)
        self.check(not admin.find_elements(By.ID, "reply-start"), "the administrator has no reply button while A holds the lock")
        self.press(admin, "form[action$='/take-over'] button", "the administrator (take_over)")
        self.editor(admin, "taking over opens the editor for the administrator")
        self.ok("the administrator took over the lock")
        self.console(admin, "the taken-over editor")
        self.inquiry(a, inquiry)
        lock = a.find_element(By.ID, "lock-holder").text
        self.check(lock == "対応中のため返信できません（%sさんが返信中）" % scene["administrator"]["name"], "A now sees the administrator's lock", lock)
        self.check(any("返信を引き継ぎ" in e for e in self.timeline(a)), "the timeline records the take-over", repr(self.timeline(a)))
        self.console(a, "the taken-over inquiry (A)")

    def approval(self, a, admin):
        scene = self.scene
        inquiry = scene["answering"]["approval"]["inquiry"]
        self.inquiry(a, inquiry)
        a.find_element(By.ID, "reply-start").click()
        reply = self.editor(a, "A starts a reply on the mailbox that needs approval")
        send = a.find_element(By.CSS_SELECTOR, "button[name=action][value=send]")
        self.check(send.text == "承認を依頼", "the send button says 承認を依頼", send.text)
        body = a.find_element(By.ID, "body")
        body.click()
        ActionChains(a).key_down(Keys.CONTROL).send_keys(Keys.HOME).key_up(Keys.CONTROL).perform()
        body.send_keys("鈴木様\n納期は来週水曜日の予定です。\n")
        send.click()
        self.wait(a, lambda d: d.find_elements(By.CSS_SELECTOR, "#r%d .reply-state.awaiting_approval" % reply), "the reply waits for approval")
        self.check(not a.find_elements(By.CSS_SELECTOR, "form[action='/replies/%d/approve']" % reply), "A cannot approve A's own reply")
        self.check(not a.find_elements(By.CSS_SELECTOR, "a[href='/approvals']"), "an operator has no approvals link")
        status, _ = self.fetch("/approvals", cookie="__Host-sid=" + a.get_cookie("__Host-sid")["value"])
        self.check(status == 403, "an operator is refused /approvals", str(status))
        self.console(a, "the reply awaiting approval (A)")

        admin.find_element(By.CSS_SELECTOR, "a[href='/approvals']").click()
        self.wait(admin, lambda d: d.find_elements(By.CSS_SELECTOR, "a[href='/inquiries/%d#r%d']" % (inquiry, reply)), "the approvals page lists the reply")
        self.screenshot(admin, "approvals-ja")
        self.console(admin, "the approvals page")
        self.axe(admin, "the approvals page")
        admin.find_element(By.CSS_SELECTOR, "a[href='/inquiries/%d#r%d']" % (inquiry, reply)).click()
        self.wait(admin, lambda d: d.find_elements(By.ID, "return-%d" % reply), "the administrator has the return form")
        comment = "納期は倉庫に確認してから書いてください"
        admin.find_element(By.ID, "return-%d" % reply).send_keys(comment)
        admin.find_element(By.CSS_SELECTOR, "form[action='/replies/%d/return'] button" % reply).click()
        self.wait(admin, lambda d: any("返信を差し戻し" in e for e in self.timeline(d)), "the return appears in the timeline")
        self.console(admin, "the returned reply (administrator)")

        self.inquiry(a, inquiry)
        self.check(comment in a.find_element(By.ID, "r%d" % reply).text, "A's inquiry page shows the return comment")
        a.find_element(By.CSS_SELECTOR, "#r%d a[href='/replies/%d']" % (reply, reply)).click()
        self.editor(a, "A opens the returned draft")
        self.check(comment in self.notice(a) + " ".join(e.text for e in a.find_elements(By.CSS_SELECTOR, "p.note")),
                   "the editor shows the return comment", a.find_element(By.TAG_NAME, "main").text[:300])
        self.screenshot(a, "reply-editor-returned-ja")
        self.console(a, "the returned draft")
        a.find_element(By.CSS_SELECTOR, "button[name=action][value=send]").click()
        self.wait(a, lambda d: d.find_elements(By.CSS_SELECTOR, "#r%d .reply-state.awaiting_approval" % reply), "sent again for approval")

        self.inquiry(admin, inquiry)
        self.press(admin, "form[action='/replies/%d/approve'] button" % reply, "the administrator")
        self.wait(admin, lambda d: d.find_elements(By.CSS_SELECTOR, "#r%d .undo[data-left]" % reply), "the approved reply is queued with its undo timer")
        self.ok("the administrator approved it: queued with the undo window")
        self.check(any("返信を承認" in e for e in self.timeline(admin)), "the timeline records the approval")
        self.console(admin, "the approved reply")

    def hostile_quotes(self, a, listener):
        """The XSS subjects and names are in the editor's subject field and quote."""
        for xss in self.scene["xss"][:4]:
            where = "the reply editor of XSS inquiry #%d" % xss["inquiry"]
            self.inquiry(a, xss["inquiry"])
            a.find_element(By.ID, "reply-start").click()
            self.editor(a, where)
            time.sleep(0.3)
            self.no_alert(a, where)
            self.inert(a, where)
            subject = a.find_element(By.ID, "subject").get_attribute("value")
            self.check("/xss-" in subject, where + ": the subject field holds the payload as text", subject)
            self.console(a, where)
            a.find_element(By.CSS_SELECTOR, "button[name=action][value=discard]").click()
            self.wait(a, lambda d: "/inquiries/%d" % xss["inquiry"] in d.current_url, "discarding returns to the inquiry")
        time.sleep(1)
        seen = listener.take()
        self.check(seen == [], "no XSS payload in a quote or subject reached the listener", repr(seen))


def main():
    def body(run, listener):
        scene = run.scene
        admin = run.add_driver("admin")
        run.login(admin, run.base, scene["administrator"])
        run.template(admin)
        a = run.add_driver("operator-a")
        b = run.add_driver("operator-b")
        run.login(a, run.base, scene["operator"])
        run.login(b, run.base, scene["second_operator"])
        inquiry, reply = run.presence_and_lock(a, b)
        run.compose(a, inquiry, reply)
        run.undo(a, inquiry, reply)
        run.working(a, inquiry)
        run.take_over(a, admin)
        run.approval(a, admin)
        run.hostile_quotes(a, listener)

    return script_main(__doc__.split("\n")[0], Run, body)


if __name__ == "__main__":
    sys.exit(main())
