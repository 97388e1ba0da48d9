// WebConfigurationTests: the web_* parameters and ip_allow as madoguchi.conf reads
// them: defaults, the derived base URL, and that the ip_allow default is the
// allow-list's own default and parses.

import MadoguchiCore
import MadoguchiHTTP
import Testing

@Suite struct WebConfigurationTests {
    static func configuration(_ text: String) throws -> Configuration {
        try Configuration.parse(text, path: "/etc/madoguchi/madoguchi.conf", baseDirectory: "/etc/madoguchi")
    }

    @Test("defaults: 127.0.0.1:8443, no redirect listener, base URL derived, 256 and 20 connections")
    func defaults() throws {
        let configuration = try Self.configuration("")
        #expect(configuration[.webListen] == "127.0.0.1:8443")
        #expect(configuration[.webRedirectListen] == "")
        #expect(configuration.webBaseURL == "https://127.0.0.1:8443")
        #expect(configuration[.webMaxConnections] == 256)
        #expect(configuration[.webMaxConnectionsPerPeer] == 20)
        #expect(try IPAllowList(parsing: configuration[.ipAllow]) == IPAllowList.privateRanges)
        #expect(ConfigKey.ipAllow.parameter.defaultValue == IPAllowList.defaultText)
    }

    @Test("HTTPServer.Configuration takes web_listen and the connection caps from madoguchi.conf")
    func serverSettings() throws {
        let settings = try Self.configuration(
            "web_listen = [::]:443\nweb_max_connections = 64\nweb_max_connections_per_peer = 0\n")
        let server = HTTPServer.Configuration(settings: settings)
        #expect(server.listen == "[::]:443")
        #expect(server.maxConnections == 64)
        #expect(server.maxConnectionsPerPeer == 1)
        #expect(server.idleTimeout == 5)
        #expect(HTTPServer.Configuration(settings: try Self.configuration("")).maxConnectionsPerPeer == 20)
    }

    @Test("a configured base URL wins over web_listen and loses its trailing slash")
    func baseURL() throws {
        let configuration = try Self.configuration(
            "web_listen = 0.0.0.0:443\nweb_base_url = https://madoguchi.example.co.jp/\n")
        #expect(configuration.webBaseURL == "https://madoguchi.example.co.jp")
        let derived = try Self.configuration("web_listen = [::1]:8443\n")
        #expect(derived.webBaseURL == "https://[::1]:8443")
    }
}
