// Man pages: lint-clean under mandoc, every configuration parameter documented in
// madoguchi.conf(5) with its default, and each SYNOPSIS equal to the program's
// usage line (the idea of Postfix's check-postconf-undocumented and OpenSMTPD's
// usage()-versus-page discipline).

import Foundation
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct ManPageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static var pages: [String] {
        let dirs = ["man/man5", "man/man7", "man/man8"]
        return dirs.flatMap { dir in
            ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + dir)) ?? []).sorted().map {
                root + "/" + dir + "/" + $0
            }
        }
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
        let outcome = try ChildProcess.run(executable, arguments)
        return (outcome.status, outcome.output)
    }

    static let mandoc = ["/usr/bin/mandoc", "/usr/local/bin/mandoc"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test("every man page is lint-clean under mandoc -T lint -W warning")
    func lint() throws {
        let mandoc = try #require(Self.mandoc, "mandoc is not installed (apt-get install mandoc)")
        #expect(Self.pages.count >= 3)
        for page in Self.pages {
            let (status, output) = try Self.run(mandoc, ["-T", "lint", "-W", "warning", page])
            #expect(status == 0 && output.isEmpty, "\(page): \(output)")
        }
    }

    @Test("every declared parameter is documented in madoguchi.conf(5) with its default")
    func parametersDocumented() throws {
        let text = try String(contentsOfFile: Self.root + "/man/man5/madoguchi.conf.5", encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        for parameter in ConfigSchema.all {
            let entry = lines.first { $0.hasPrefix(".It Cm \(parameter.name) ") }
            #expect(entry != nil, "\(parameter.name) is missing from madoguchi.conf(5)")
            if let entry {
                // An empty default is written `Pq empty` (String.contains("") is false).
                let written = parameter.defaultValue.isEmpty ? "Pq empty" : parameter.defaultValue
                #expect(entry.contains(written), "\(parameter.name): default \(parameter.defaultValue)")
            }
        }
        let documented = lines.filter { $0.hasPrefix(".It Cm ") && $0.contains(" Pq ") }.map {
            String($0.dropFirst(".It Cm ".count).prefix { $0 != " " })
        }
        for name in documented {
            #expect(ConfigSchema.parameter(named: name) != nil, "madoguchi.conf(5) documents unknown \(name)")
        }
    }

    @Test("every executable has a section 8 page whose SYNOPSIS is its usage line")
    func synopsisMatchesUsage() throws {
        let mandoc = try #require(Self.mandoc, "mandoc is not installed (apt-get install mandoc)")
        let manifest = try String(contentsOfFile: Self.root + "/Package.swift", encoding: .utf8)
        let regex = try NSRegularExpression(pattern: #"\.executable\(\s*name:\s*"([^"]+)""#)
        let names = regex.matches(in: manifest, range: NSRange(manifest.startIndex..., in: manifest)).map {
            String(manifest[Range($0.range(at: 1), in: manifest)!])
        }
        #expect(!names.isEmpty)
        let binaries = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for name in names {
            let page = Self.root + "/man/man8/\(name).8"
            #expect(FileManager.default.fileExists(atPath: page), "no man page for \(name)")
            let (_, rendered) = try Self.run(mandoc, ["-T", "ascii", page])
            let synopsis = Self.section("SYNOPSIS", of: rendered)
            let binary = binaries.appendingPathComponent(name).path
            try #require(FileManager.default.isExecutableFile(atPath: binary), "\(binary) not built")
            let (status, usage) = try Self.run(binary, ["--help"])
            #expect(status == 0)
            let usageText = usage.replacingOccurrences(of: "usage:", with: "")
            #expect(Self.squeeze(synopsis) == Self.squeeze(usageText), "\(name): SYNOPSIS differs from usage")
        }
    }

    /// The text of one section of `mandoc -T ascii` output, overstrikes removed.
    static func section(_ name: String, of rendered: String) -> String {
        var plain = ""
        var scalars = Array(rendered.unicodeScalars)
        var index = 0
        while index < scalars.count {
            if index + 1 < scalars.count, scalars[index + 1] == "\u{8}" {
                index += 2
                continue
            }
            plain.unicodeScalars.append(scalars[index])
            index += 1
        }
        scalars = []
        var inside = false
        var body: [String] = []
        for line in plain.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty {
                inside = line == name
                continue
            }
            if inside { body.append(String(line)) }
        }
        return body.joined(separator: " ")
    }

    static func squeeze(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }
}
