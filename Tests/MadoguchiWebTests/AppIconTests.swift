// AppIconTests: every document names an icon that /static/ serves, so a browser never
// asks for /favicon.ico — a 404 that Chromium logs as a console error on every page
// (BrowserTests checks the console; this fails without the icon link).

import MadoguchiWeb
import Testing

@Suite struct AppIconTests {
    @Test("every document links /static/favicon.svg, served as image/svg+xml")
    func icon() throws {
        let page = String(decoding: LoginPage.html(language: .ja, csrfToken: "t").bytes, as: UTF8.self)
        #expect(page.contains("<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"))
        let icon = try #require(StaticAssets.files["/static/favicon.svg"])
        #expect(icon.contentType == "image/svg+xml")
        #expect(String(decoding: icon.bytes, as: UTF8.self).hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    }
}
