#!/usr/bin/python3
"""What the browser scripts share (operator_page.py, answering.py, round_trip.py):
headless Chromium through chromedriver (WebDriver), the checks' reporting, waiting,
logging in, screenshots, the console and CSP check, axe-core, the checks that a page
or the sanitised mail frame holds nothing active, the loopback listener the XSS
payloads call, and the script's frame (arguments, teardown, the summary).

Python 3 from Debian with python3-selenium; axe-core (selenium-axe-python, installed
by Tests/run-all.sh into .build/browser-venv) when importable, otherwise the
accessibility check is skipped with a note.
"""

import argparse
import base64
import json
import os
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
from selenium.webdriver.common.by import By
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


class BrowserRun:
    """One run of a script's checks; `failures` collects what did not hold."""

    def __init__(self, scene, output, scratch):
        self.scene = scene
        self.output = output
        self.scratch = scratch
        self.base = scene["base_url"]
        self.failures = []
        self.logs = []
        self.axe_notes = []
        self.drivers = []

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
    # MARK: what a page may hold

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
        handler attribute, and no link or frame points at javascript: or the listener
        (a text field may hold such text as its value); the only DETAILS is the page's
        own internal-note form."""
        found = driver.execute_script("""
            var port = ':' + arguments[0];
            var found = [];
            document.querySelectorAll('*').forEach(function (e) {
              for (var i = 0; i < e.attributes.length; i++) {
                var a = e.attributes[i];
                if (/^on/i.test(a.name)) { found.push(e.tagName + '[' + a.name + ']'); }
                if (/^\\s*(javascript|vbscript|data):/i.test(a.value) || a.value.indexOf(port) >= 0) {
                  // A text field's value is text (the reply editor's subject quotes the customer's).
                  var text = a.name === 'value' && e.tagName === 'INPUT' && e.type === 'text';
                  if (a.name !== 'data-idle' && a.name !== 'data-warn' && !text) { found.push(e.tagName + '[' + a.name + ']=' + a.value); }
                }
              }
              if (e.tagName === 'SCRIPT' && e.getAttribute('src') !== '/static/app.js') { found.push('SCRIPT ' + e.outerHTML.slice(0, 80)); }
              if (/^(SVG|IMG|IFRAME|OBJECT|EMBED|DETAILS|MATH|BASE|META)$/i.test(e.tagName)
                  && !(e.tagName === 'IFRAME' && e.classList.contains('mail-html'))
                  && !(e.tagName === 'DETAILS' && e.classList.contains('note-form'))
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


    def add_driver(self, name, language="ja"):
        """A browser that the frame quits at the end (screenshotted first if a check failed)."""
        driver = self.browser(name, language)
        self.drivers.append(driver)
        return driver


def script_main(description, make_run, body):
    """The frame of a browser script: `--scene FILE --output DIR`, the scratch
    directory (profiles, downloads, chromedriver logs), the loopback listener of the
    scene's `listener_port`, then `body(run, listener)`; afterwards every browser of
    `run.add_driver` is quit (a screenshot `failed-<n>.png` of each first when a check
    failed), the browser log is written to DIR/browser-log-<script>.txt and the checks
    are summed up. Returns the exit status: 0 when every check held."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scene", required=True, help="the JSON file the Swift test writes")
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
    script = os.path.splitext(os.path.basename(sys.argv[0]))[0]
    # Browser profiles, downloads and chromedriver logs; only screenshots and the
    # browser log stay in the output directory.
    scratch = tempfile.mkdtemp(prefix=script.replace("_", "-") + "-")
    run = make_run(scene, arguments.output, scratch)
    listener = Listener(scene["listener_port"])
    started = time.monotonic()
    try:
        body(run, listener)
    except Failure as failure:
        print("stopped: %s" % failure)
        if str(failure) not in run.failures:
            run.failures.append(str(failure))
    except WebDriverException as error:
        run.failures.append("WebDriver: %s" % error.msg)
        print("FAIL WebDriver: %s" % error.msg)
        traceback.print_exc(file=sys.stdout)
    finally:
        for index, driver in enumerate(run.drivers):
            try:
                if run.failures:
                    driver.save_screenshot(os.path.join(arguments.output, "failed-%s-%d.png" % (script, index)))
                driver.quit()
            except WebDriverException:
                pass
        listener.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    for note in run.axe_notes:
        print("note: axe-core (moderate/minor): " + note)
    with open(os.path.join(arguments.output, "browser-log-%s.txt" % script), "w", encoding="utf-8") as handle:
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
