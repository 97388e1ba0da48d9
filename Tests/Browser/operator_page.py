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
"ok ..." when it passes. Python 3 from Debian with python3-selenium; axe-core
(selenium-axe-python, installed by Tests/run-all.sh into .build/browser-venv) when
importable, otherwise the accessibility check is skipped with a note.
"""

import argparse
import base64
import json
import os
import re
import shutil
import socketserver
import ssl
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import (
    NoAlertPresentException, NoSuchElementException, StaleElementReferenceException, TimeoutException,
    WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

try:
    from selenium_axe_python import Axe
except ImportError:  # the venv of Tests/run-all.sh is missing
    Axe = None

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


class Failure(Exception):
    """A check that did not hold."""


class Listener:
    """The loopback listener remote content and XSS payloads would reach: records
    every connection (its first line, or that it was not HTTP, e.g. a TLS hello from
    an upgraded request) and answers HTTP with a 1x1 GIF. `/control` serves a page
    whose own script calls `/xss-control`: the positive control that the browser
    can reach the listener and that a script calling it is seen."""

    GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==")

    def __init__(self, port):
        self.requests = []
        self.lock = threading.Lock()
        listener = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                # Recorded as soon as it is accepted: a browser's spare connection may
                # send nothing for a minute, or never.
                entry = {"line": "(a connection without a request)"}
                with listener.lock:
                    listener.requests.append(entry)
                try:
                    line = self.rfile.readline(4096)
                except OSError:
                    line = b""
                text = line.decode("latin-1").strip()
                if text and not text.split(" ")[0].isalpha():
                    text = "(not HTTP: %r)" % line[:16]
                if text:
                    entry["line"] = text
                while True:
                    header = self.rfile.readline(4096)
                    if header in (b"\r\n", b"\n", b""):
                        break
                if text.startswith("GET /control "):
                    body = (
                        b"<!DOCTYPE html><title>control</title><script>"
                        b"fetch('/xss-control').then(function () { document.title = 'fetched'; });"
                        b"</script>"
                    )
                    kind = b"text/html"
                else:
                    body, kind = Listener.GIF, b"image/gif"
                self.wfile.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: " + kind + b"\r\nContent-Length: "
                    + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self.server = Server(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def take(self):
        """The requests recorded so far, forgetting them."""
        with self.lock:
            taken, self.requests = self.requests, []
        return [entry["line"] for entry in taken]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Run:
    """One run of the checks; `failures` collects what did not hold."""

    def __init__(self, scene, output, scratch):
        self.scene = scene
        self.output = output
        self.scratch = scratch
        self.base = scene["base_url"]
        self.failures = []
        self.logs = []
        self.axe_notes = []

    # MARK: reporting

    def ok(self, text):
        print("ok   " + text, flush=True)

    def check(self, condition, text, detail=""):
        if condition:
            self.ok(text)
        else:
            message = text + (": " + detail if detail else "")
            print("FAIL " + message, flush=True)
            self.failures.append(message)
        return condition

    def require(self, condition, text, detail=""):
        if not self.check(condition, text, detail):
            raise Failure(text)

    # MARK: the browser

    def browser(self, name, language="ja"):
        profile = os.path.join(self.scratch, "profile-" + name)
        downloads = os.path.join(self.scratch, "downloads-" + name)
        os.makedirs(downloads, exist_ok=True)
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in [
            "--headless=new", "--no-sandbox", "--ignore-certificate-errors", "--window-size=1280,800",
            "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-extensions", "--lang=" + language,
            "--user-data-dir=" + profile, "--hide-scrollbars", "--force-device-scale-factor=1",
        ]:
            options.add_argument(argument)
        options.add_experimental_option("prefs", {
            "download.default_directory": downloads, "download.prompt_for_download": False,
            "intl.accept_languages": language, "safebrowsing.enabled": False,
        })
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # An alert stays open, so that the checks below see it instead of it being dismissed.
        options.set_capability("unhandledPromptBehavior", "ignore")
        service = Service(executable_path=CHROMEDRIVER, log_path=os.path.join(self.scratch, "chromedriver-" + name + ".log"))
        driver = webdriver.Chrome(service=service, options=options)
        driver.set_page_load_timeout(30)
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
        driver.downloads = downloads
        return driver

    def screenshot(self, driver, name):
        path = os.path.join(self.output, name + ".png")
        driver.save_screenshot(path)
        self.ok("screenshot " + path)

    def no_alert(self, driver, where):
        try:
            alert = driver.switch_to.alert
            text = alert.text
            alert.dismiss()
            self.check(False, "no alert dialog on " + where, "alert(%r) ran" % text)
        except NoAlertPresentException:
            pass

    def console(self, driver, where, strict=True):
        """The browser log since the last call; on our own pages no CSP violation and
        no console error may appear."""
        entries = driver.get_log("browser")
        self.logs += [(where, entry) for entry in entries]
        bad = [
            entry["message"] for entry in entries
            if entry.get("level") == "SEVERE" or "Content Security Policy" in entry.get("message", "")
            or "sandboxed" in entry.get("message", "")
        ]
        if strict:
            self.check(not bad, "no CSP violation or console error on " + where, "; ".join(bad))
        return bad

    def wait(self, driver, condition, text, timeout=10):
        try:
            return WebDriverWait(
                driver, timeout, ignored_exceptions=[NoSuchElementException, StaleElementReferenceException]
            ).until(condition)
        except TimeoutException:
            raise Failure("%s (waited %s s; at %s)" % (text, timeout, driver.current_url))

    def text(self, driver):
        return driver.find_element(By.TAG_NAME, "body").text

    def login(self, driver, base, account, expect_inbox=True):
        driver.get(base + "/login")
        self.wait(driver, lambda d: d.find_elements(By.ID, "login"), "the login form")
        driver.find_element(By.ID, "login").send_keys(account["login"])
        driver.find_element(By.ID, "password").send_keys(account["password"])
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        if expect_inbox:
            self.wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "table.list, p.empty"), "the inbox after login")

    def rows(self, driver):
        """The inquiry ids the list shows, in order."""
        ids = []
        for link in driver.find_elements(By.CSS_SELECTOR, "tr.row td.subject a"):
            href = link.get_attribute("href") or ""
            ids.append(int(href.rsplit("/", 1)[-1]))
        return ids

    def axe(self, driver, where):
        if Axe is None:
            return
        axe = Axe(driver)
        axe.inject()
        results = axe.run(options={"resultTypes": ["violations"]})
        serious = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
        for violation in results["violations"]:
            if violation not in serious:
                self.axe_notes.append("%s: %s (%s, %d nodes)" % (
                    where, violation["id"], violation.get("impact"), len(violation["nodes"])))
        detail = "; ".join(
            "%s (%s): %s at %s" % (
                v["id"], v["impact"], v["help"], ", ".join(" ".join(n["target"]) for n in v["nodes"][:3]))
            for v in serious)
        self.check(not serious, "axe-core %s: no serious or critical violation on %s" % (
            driver.execute_script("return axe.version"), where), detail)

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
        driver = self.browser("idle")
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

    def remote_references(self, driver):
        """What in the current frame could load from outside: img/source/video sources,
        srcset, CSS url() in style attributes, link, style, base, meta refresh."""
        return driver.execute_script("""
            var found = [];
            document.querySelectorAll('*').forEach(function (e) {
              ['src', 'srcset', 'poster', 'background', 'data', 'action', 'formaction'].forEach(function (a) {
                var v = e.getAttribute(a);
                if (v !== null && !/^data:image\\//i.test(v)) { found.push(e.tagName + '[' + a + ']=' + v); }
              });
              var s = e.getAttribute('style');
              if (s && /url\\s*\\(|@import|image-set/i.test(s)) { found.push(e.tagName + '[style]=' + s); }
              if (/^(LINK|STYLE|BASE|META|SCRIPT|IFRAME|OBJECT|EMBED|FORM|SVG|MATH)$/i.test(e.tagName)
                  && !(e.tagName === 'META' && e.getAttribute('charset'))) { found.push(e.tagName); }
            });
            return found;
        """)

    def inert(self, driver, where):
        """On our own page: the only script is /static/app.js, no element has an event
        handler attribute, and no link or frame points at javascript: or the listener."""
        found = driver.execute_script("""
            var port = ':' + arguments[0];
            var found = [];
            document.querySelectorAll('*').forEach(function (e) {
              for (var i = 0; i < e.attributes.length; i++) {
                var a = e.attributes[i];
                if (/^on/i.test(a.name)) { found.push(e.tagName + '[' + a.name + ']'); }
                if (/^\\s*(javascript|vbscript|data):/i.test(a.value) || a.value.indexOf(port) >= 0) {
                  if (a.name !== 'data-idle' && a.name !== 'data-warn') { found.push(e.tagName + '[' + a.name + ']=' + a.value); }
                }
              }
              if (e.tagName === 'SCRIPT' && e.getAttribute('src') !== '/static/app.js') { found.push('SCRIPT ' + e.outerHTML.slice(0, 80)); }
              if (/^(SVG|IMG|IFRAME|OBJECT|EMBED|DETAILS|MATH|BASE|META)$/i.test(e.tagName)
                  && !(e.tagName === 'IFRAME' && e.classList.contains('mail-html'))
                  && !(e.tagName === 'META' && /^(viewport|referrer)$/.test(e.getAttribute('name') || ''))
                  && !(e.tagName === 'META' && e.getAttribute('charset'))) { found.push(e.tagName); }
            });
            return found;
        """, str(self.scene["listener_port"]))
        self.check(found == [], where + ": subjects and names are shown as text, nothing active", "; ".join(found))

    def frame_inert(self, driver, where):
        """Inside the mail frame: nothing that runs, loads or submits survived the sanitiser."""
        found = driver.execute_script("""
            var found = [];
            document.querySelectorAll('*').forEach(function (e) {
              for (var i = 0; i < e.attributes.length; i++) {
                var a = e.attributes[i];
                if (/^on/i.test(a.name)) { found.push(e.tagName + '[' + a.name + ']'); }
              }
              if (e.tagName === 'A') {
                var h = e.getAttribute('href');
                if (h !== null && !/^\\/go\\?/.test(h)) { found.push('A[href]=' + h); }
              }
            });
            return found;
        """) + self.remote_references(driver)
        self.check(found == [], where + ": the sanitised frame has no script, handler, remote reference or raw link", "; ".join(found))

    def fetch(self, path, cookie):
        """One request outside the browser (no redirects followed)."""
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect)
        request = urllib.request.Request(self.base + path, headers={"Cookie": cookie})
        try:
            response = opener.open(request, timeout=10)
            return response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scene", required=True, help="the JSON file BrowserTests writes")
    parser.add_argument("--output", required=True, help="where screenshots and logs go")
    arguments = parser.parse_args()
    with open(arguments.scene, encoding="utf-8") as handle:
        scene = json.load(handle)
    os.makedirs(arguments.output, exist_ok=True)
    for missing in [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]:
        print("FAIL %s is missing (Debian packages chromium and chromium-driver)" % missing)
        return 1
    if Axe is None:
        print("note: axe-core is not installed (selenium-axe-python in .build/browser-venv, made by "
              "Tests/run-all.sh); the accessibility check is SKIPPED")

    # Browser profiles, downloads and chromedriver logs; only screenshots and the
    # browser log stay in the output directory.
    scratch = tempfile.mkdtemp(prefix="operator-page-")
    run = Run(scene, arguments.output, scratch)
    listener = Listener(scene["listener_port"])
    drivers = []
    started = time.monotonic()
    try:
        run.listener_control(listener)
        main_driver = run.browser("main")
        drivers.append(main_driver)
        idle = run.start_idle()
        drivers.append(idle)
        run.main_flow(main_driver, listener)
        run.finish_idle(idle)
        seen = listener.take()
        run.check(seen == [], "the listener received nothing during the whole run", repr(seen))
    except Failure as failure:
        print("stopped: %s" % failure)
        if str(failure) not in run.failures:
            run.failures.append(str(failure))
    except WebDriverException as error:
        run.failures.append("WebDriver: %s" % error.msg)
        print("FAIL WebDriver: %s" % error.msg)
        traceback.print_exc(file=sys.stdout)
    finally:
        for index, driver in enumerate(drivers):
            try:
                if run.failures:
                    driver.save_screenshot(os.path.join(arguments.output, "failed-%d.png" % index))
                driver.quit()
            except WebDriverException:
                pass
        listener.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    for note in run.axe_notes:
        print("note: axe-core (moderate/minor): " + note)
    with open(os.path.join(arguments.output, "browser-log.txt"), "w", encoding="utf-8") as handle:
        for where, entry in run.logs:
            handle.write("%s\t%s\t%s\n" % (where, entry.get("level"), entry.get("message")))
    print("%.0f s; screenshots in %s" % (time.monotonic() - started, arguments.output))
    if run.failures:
        print("%d check(s) failed:" % len(run.failures))
        for failure in run.failures:
            print("  - " + failure)
        return 1
    print("all browser checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
