#!/usr/bin/python3
"""The operator page in a real headless Chromium (chromedriver, WebDriver).

Run by Tests/MadoguchiWebTests/BrowserTests.swift, which builds the scene (an instance
with an operator and an administrator, Japanese inquiries, an attachment, an HTML
part with remote images, the XSS payloads of madoguchi-security(7) A1-A8), starts
two madoguchi-web servers on it (the second with session_idle_timeout = 1m) and
describes them in a JSON file:

    operator_page.py --scene scene.json --output DIR

It starts the loopback "remote content" listener the payloads call (every
connection is recorded, plain HTTP or not), drives the page, saves screenshots
(PNG) in DIR, and exits 1 with one line per failed check. Each check prints
"ok ..." when it passes. The browser, the checks and the listener are in
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

from browser_support import BrowserRun, script_main


class Run(BrowserRun):
    """The operator page's checks."""

    # MARK: the checks

    def listener_control(self, listener):
        """In a browser of its own, which then quits, so that no connection it keeps
        to the listener is counted later."""
        driver = self.browser("control")
        try:
            driver.get("http://127.0.0.1:%d/control" % self.scene["listener_port"])
            self.wait(driver, lambda d: d.title == "fetched", "the listener's control page fetched /xss-control")
        finally:
            driver.quit()
        time.sleep(0.5)
        seen = listener.take()
        self.require(any("/xss-control" in r for r in seen), "positive control: a script calling the listener is recorded", repr(seen))

    def start_idle(self):
        """Logs the administrator in on the server with session_idle_timeout = 1m and
        leaves the inbox open; `finish_idle` checks where the countdown sent it."""
        driver = self.add_driver("idle")
        base = self.scene["idle_base_url"]
        self.login(driver, base, self.scene["administrator"])
        driver.get(base + "/quarantine")
        title = driver.find_element(By.CSS_SELECTOR, "h1.title")
        self.check(title.text == "検疫" and title.rect["width"] > 600, "the administrator's quarantine page, one wide column", repr(title.rect))
        self.console(driver, "the quarantine page")
        driver.get(base + "/")
        self.idle_started = time.monotonic()
        countdown = driver.find_element(By.ID, "countdown")
        self.check(
            "自動ログアウトまで" in countdown.text, "the header shows the auto-logout countdown", countdown.text)
        self.wait(driver, lambda d: "warn" in (d.find_element(By.ID, "countdown").get_attribute("class") or ""),
                  "the countdown warns in the last minute", timeout=5)
        self.ok("the countdown warns in the last minute")
        self.check(driver.find_elements(By.CSS_SELECTOR, "a[href='/quarantine']"), "the administrator's header links the quarantine")
        return driver

    def finish_idle(self, driver):
        timeout = self.scene["idle_timeout"]
        left = timeout + 40 - (time.monotonic() - self.idle_started)
        self.wait(
            driver, lambda d: "/login" in d.current_url and "無操作のためログアウトしました" in self.text(d),
            "the countdown sends the idle browser to the login page with 無操作のためログアウトしました",
            timeout=max(1, left))
        elapsed = time.monotonic() - self.idle_started
        self.check(elapsed >= timeout - 5, "auto-logout after %.0f s of inactivity (timeout %d s)" % (elapsed, timeout))
        self.screenshot(driver, "auto-logout-ja")
        driver.get(self.scene["idle_base_url"] + "/")
        self.check("/login" in driver.current_url, "the idle session no longer opens the inbox", driver.current_url)
        self.console(driver, "the auto-logout pages")

    def main_flow(self, driver, listener):
        scene, base = self.scene, self.base
        operator = scene["operator"]
        inquiries = {i["id"]: i for i in scene["inquiries"]}

        # Login page (ja), a failed attempt, then the login.
        driver.get(base + "/login")
        self.wait(driver, lambda d: d.find_elements(By.ID, "login"), "the login form")
        self.check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja", "the login page is in Japanese")
        self.screenshot(driver, "login-ja")
        self.console(driver, "the login page")
        self.axe(driver, "the login page")
        self.login(driver, base, {"login": operator["login"], "password": "wrong-password-1"}, expect_inbox=False)
        self.wait(driver, lambda d: "ログイン名またはパスワードが違います" in self.text(d), "a wrong password is refused")
        self.ok("a wrong password gets ログイン名またはパスワードが違います")
        self.login(driver, base, operator)
        self.ok("logged in as %s" % operator["login"])
        self.no_alert(driver, "the inbox")
        who = driver.find_element(By.CSS_SELECTOR, ".who").text
        self.check(who == "%s (%s)" % (operator["name"], operator["login"]), "the header shows the operator's name and login", who)
        meta = driver.find_element(By.CSS_SELECTOR, ".meta").text
        self.check("初回ログイン" in meta or "前回ログイン" in meta, "the header has the previous-login line", meta)
        self.check(re.search(r"ログイン失敗 \d+ 回", meta), "the header counts the failed attempt", meta)

        # The inbox lists every inquiry but the trash.
        listed = self.rows(driver)
        expected = {i["id"] for i in scene["inquiries"]} | {x["inquiry"] for x in scene["xss"]}
        self.check(set(listed) == expected, "the inbox lists the inquiries", "listed %s, expected %s" % (sorted(listed), sorted(expected)))
        narrow = driver.execute_script("""
            var table = document.querySelector('table.list').getBoundingClientRect().width;
            return Array.prototype.filter.call(document.querySelectorAll('td.subject'), function (td) {
              return td.getBoundingClientRect().width < 0.3 * table;
            }).length;
        """)
        self.check(narrow == 0, "long customer names leave the subject column its room", "%d narrow subject cells" % narrow)
        self.screenshot(driver, "inbox-ja")
        self.console(driver, "the inbox")
        self.axe(driver, "the inbox")

        # Filters: status, assignee, mailbox (links in the sidebar).
        for label, key, value in [("対応中", "status", "in_progress"), ("自分", "assignee", "yamada"), ("sales", "mailbox", "sales")]:
            driver.get(base + "/")
            link = [
                a for a in driver.find_elements(By.CSS_SELECTOR, "aside.side a")
                if a.find_element(By.CSS_SELECTOR, "span").text.strip() == label
            ]
            self.require(link, "the sidebar has the filter " + label)
            link[0].click()
            self.wait(driver, lambda d: key + "=" in d.current_url, "the filter page of " + label)
            want = {i["id"] for i in scene["inquiries"] if i[key] == value}
            got = set(self.rows(driver))
            self.check(got == want, "the filter %s narrows the list" % label, "got %s, want %s" % (sorted(got), sorted(want)))
            self.console(driver, "the inbox filtered by " + label)

        # Search: '/' focuses the field; Japanese text and Enter.
        driver.get(base + "/")
        ActionChains(driver).send_keys("/").perform()
        active = driver.switch_to.active_element
        self.check(active.get_attribute("id") == "search", "'/' focuses the search field")
        active.send_keys(scene["search"]["query"] + Keys.ENTER)
        self.wait(driver, lambda d: "q=" in d.current_url, "the search result page")
        got = self.rows(driver)
        self.check(got == scene["search"]["inquiries"], "the search for %s finds the inquiry" % scene["search"]["query"], "got %s" % got)
        self.screenshot(driver, "search-ja")
        self.console(driver, "the search result")

        # Open it with the keyboard: j selects the first row, Enter opens it.
        ActionChains(driver).send_keys("j").perform()
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        thread_id = scene["attachment"]["inquiry"]
        self.wait(driver, lambda d: d.current_url.endswith("/inquiries/%d" % thread_id), "j then Enter opens the inquiry")
        self.ok("j then Enter opens the inquiry")
        self.no_alert(driver, "the inquiry")
        messages = driver.find_elements(By.CSS_SELECTOR, "article.message")
        self.check(len(messages) == 3, "the inquiry shows its thread (two mails and our reply)", "%d messages" % len(messages))
        self.check(len(driver.find_elements(By.CSS_SELECTOR, "article.message.ours")) == 1, "our reply is marked as ours")
        self.check(
            driver.find_element(By.CSS_SELECTOR, ".who").text.startswith(operator["name"]),
            "the inquiry page header shows the operator")
        thread, panel = (driver.find_element(By.CSS_SELECTOR, c).rect for c in ("article.inquiry", "aside.related-panel"))
        self.check(
            thread["width"] > 600 and thread["x"] < panel["x"] and abs(thread["y"] - panel["y"]) < 5,
            "the thread is the wide column, the customer's other inquiries beside it", "%s, %s" % (thread, panel))
        self.screenshot(driver, "inquiry-thread-ja")
        self.console(driver, "the inquiry")
        self.axe(driver, "the inquiry")

        # Download the attachment: bytes as filed, and the page is not replaced.
        attachment = scene["attachment"]
        before = driver.current_url
        link = driver.find_element(By.CSS_SELECTOR, ".attachments a")
        self.check(link.text == attachment["name"], "the attachment is listed by its name", link.text)
        link.click()
        path = os.path.join(driver.downloads, attachment["name"])
        deadline = time.monotonic() + 15
        while not os.path.exists(path) and time.monotonic() < deadline:
            time.sleep(0.2)
        files = os.listdir(driver.downloads)
        self.require(os.path.exists(path), "the attachment is downloaded as %s" % attachment["name"], "files: %s" % files)
        with open(path, "rb") as handle:
            data = handle.read()
        self.check(data == base64.b64decode(attachment["base64"]), "the downloaded file has the attachment's bytes")
        self.check(driver.current_url == before and len(driver.window_handles) == 1, "the browser did not render the attachment")
        self.console(driver, "the download")

        # The HTML part in its sandboxed frame, remote content blocked.
        html = scene["html"]
        driver.get(base + "/inquiries/%d" % html["inquiry"])
        toggle = [a for a in driver.find_elements(By.CSS_SELECTOR, "a.toggle") if a.text == "HTML で表示"]
        self.require(toggle, "the message has the link HTML で表示")
        toggle[0].click()
        self.wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "iframe.mail-html"), "the HTML frame")
        frame = driver.find_element(By.CSS_SELECTOR, "iframe.mail-html")
        sandbox = frame.get_attribute("sandbox")
        self.check(
            sandbox is not None and "allow-scripts" not in sandbox and "allow-same-origin" not in sandbox,
            "the HTML part is in a sandboxed frame without scripts or same-origin", repr(sandbox))
        blocked = driver.find_element(By.CSS_SELECTOR, ".blocked").text
        self.check("外部画像をブロックしました" in blocked, "the page says 外部画像をブロックしました", blocked)
        driver.switch_to.frame(frame)
        self.wait(driver, lambda d: html["text"] in self.text(d), "the frame shows the HTML part")
        self.check(self.remote_references(driver) == [], "the frame references nothing remote", repr(self.remote_references(driver)))
        driver.switch_to.default_content()
        time.sleep(1)
        self.screenshot(driver, "inquiry-html-blocked-ja")
        self.console(driver, "the inquiry with its HTML part")
        self.check(listener.take() == [], "remote images of the HTML mail are never fetched")

        # The XSS payloads: each inquiry, text view and HTML view.
        for xss in scene["xss"]:
            where = "XSS inquiry #%d (%s)" % (xss["inquiry"], ", ".join(xss["cases"]))
            driver.get(base + "/inquiries/%d" % xss["inquiry"])
            time.sleep(0.3)
            self.no_alert(driver, where)
            self.inert(driver, where)
            self.console(driver, where)
            if xss["html"]:
                driver.get(base + "/inquiries/%d?html=%d" % (xss["inquiry"], xss["message"]))
                frames = driver.find_elements(By.CSS_SELECTOR, "iframe.mail-html")
                self.check(frames, where + ": the HTML view has its frame")
                time.sleep(0.5)
                self.no_alert(driver, where + " HTML view")
                if frames:
                    driver.switch_to.frame(frames[0])
                    self.frame_inert(driver, where)
                    driver.switch_to.default_content()
                self.console(driver, where + " HTML view")
        driver.get(base + "/")
        time.sleep(1)
        self.no_alert(driver, "the inbox with the XSS subjects")
        self.inert(driver, "the inbox with the XSS subjects")
        self.console(driver, "the inbox with the XSS subjects")
        time.sleep(1)
        seen = listener.take()
        self.check(seen == [], "no XSS payload or remote reference reached the listener", repr(seen))

        # Logout: the login page, and the old session no longer works.
        old = driver.get_cookie("__Host-sid")
        self.require(old is not None, "the session cookie is set")
        driver.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
        self.wait(driver, lambda d: d.find_elements(By.ID, "login"), "logout returns to the login page")
        self.ok("logout returns to the login page")
        self.console(driver, "the login page after logout")
        status, location = self.fetch("/", cookie="__Host-sid=" + old["value"])
        self.check(status == 303 and location.startswith("/login"), "the old session no longer opens the inbox", "%s %s" % (status, location))

        # English: the login page's link, then the inbox in English with the previous login.
        link = [a for a in driver.find_elements(By.CSS_SELECTOR, "p.lang a") if a.text == "English"]
        self.require(link, "the login page links English")
        link[0].click()
        self.wait(driver, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", "the English login page")
        self.login(driver, base, operator)
        self.check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", "the inbox is in English")
        meta = driver.find_element(By.CSS_SELECTOR, ".meta").text
        self.check("Previous login" in meta and "(127.0.0.1)" in meta, "the header shows the previous login and its address", meta)
        self.screenshot(driver, "inbox-en")
        self.console(driver, "the English inbox")

def main():
    def body(run, listener):
        run.listener_control(listener)
        main_driver = run.add_driver("main")
        idle = run.start_idle()
        run.main_flow(main_driver, listener)
        run.finish_idle(idle)
        seen = listener.take()
        run.check(seen == [], "the listener received nothing during the whole run", repr(seen))

    return script_main(__doc__.split("\n")[0], Run, body)


if __name__ == "__main__":
    sys.exit(main())
