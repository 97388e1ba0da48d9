// OriginCheckTests: the Origin check on POST as real browsers send it. Under our
// `Referrer-Policy: no-referrer` Chromium and Firefox send `Origin: null` with
// `Sec-Fetch-Site: same-origin` on the page's own login and logout forms
// (BrowserTests found that nobody could log in); `null` from anywhere else, or
// without the browser's same-origin marker, is still refused (madoguchi-security(7) F1).

import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct OriginCheckTests {
    @Test(
        "Origin: null passes only with Sec-Fetch-Site: same-origin, as a browser posts under no-referrer",
        .timeLimit(.minutes(1)))
    func nullOrigin() throws {
        let web = try WebFixture()
        func login(_ headers: [String]) throws -> String? {
            let form = try web.request("GET", "/login")
            let pre = try #require(WebFixture.cookie("__Host-pre", in: form))
            let response = try web.request(
                "POST", "/login", cookies: ["__Host-pre": pre],
                form: [
                    ("csrf", WebFixture.csrf(form.text) ?? ""), ("login", "yamada"), ("password", WebFixture.password),
                ],
                headers: headers)
            return WebFixture.cookie("__Host-sid", in: response)
        }
        let browser = ["Origin: null", "Sec-Fetch-Site: same-origin", "Sec-Fetch-Mode: navigate"]
        let sid = try #require(try login(browser), "the browser's own login form post logs in")
        #expect(try login(["Origin: null"]) == nil)
        #expect(try login(["Origin: null", "Sec-Fetch-Site: cross-site"]) == nil)
        #expect(try login(["Origin: null", "Sec-Fetch-Site: same-site"]) == nil)
        #expect(try login(["Origin: https://evil.example", "Sec-Fetch-Site: same-origin"]) == nil)

        let page = try web.request("GET", "/", cookies: ["__Host-sid": sid])
        let token = try #require(WebFixture.csrf(page.text))
        let refused = try web.request(
            "POST", "/logout", cookies: ["__Host-sid": sid], form: [("csrf", token)],
            headers: ["Origin: null", "Sec-Fetch-Site: cross-site"])
        #expect(refused.status == 403)
        let out = try web.request(
            "POST", "/logout", cookies: ["__Host-sid": sid], form: [("csrf", token)], headers: browser)
        #expect(out.status == 303 && out.header("location") == "/login")
    }
}
