// swift-tools-version:6.0
// Madoguchi: on-premise inquiry-mail desk. No Swift package dependencies: only the
// toolchain and the Debian C libraries libsqlite3, OpenSSL 3 and libarchive.
import PackageDescription

let settings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "Madoguchi",
    products: [
        .executable(name: "madoguchi", targets: ["madoguchi"]),
        .executable(name: "fetch-forwarded-mail", targets: ["fetch-forwarded-mail"]),
        .executable(name: "scan-and-file", targets: ["scan-and-file"]),
        .executable(name: "expire-sessions", targets: ["expire-sessions"]),
        .executable(name: "send-replies", targets: ["send-replies"]),
        .executable(name: "madoguchi-web", targets: ["madoguchi-web"]),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),

        .target(name: "MadoguchiCore", swiftSettings: settings),
        .target(name: "MadoguchiCrypto", dependencies: ["MadoguchiCore", "COpenSSL"], swiftSettings: settings),
        .target(
            name: "MadoguchiStore", dependencies: ["MadoguchiCore", "MadoguchiCrypto", "CSQLite"],
            swiftSettings: settings),
        .target(name: "MadoguchiMail", dependencies: ["MadoguchiCore", "MadoguchiCrypto"], swiftSettings: settings),
        .target(
            name: "MadoguchiHTTP", dependencies: ["MadoguchiCore", "MadoguchiCrypto", "COpenSSL"],
            swiftSettings: settings),
        .target(
            name: "MadoguchiFetch", dependencies: ["MadoguchiCore", "MadoguchiCrypto", "MadoguchiMail"],
            swiftSettings: settings),
        .target(
            name: "MadoguchiInbox",
            dependencies: ["MadoguchiCore", "MadoguchiCrypto", "MadoguchiStore", "MadoguchiMail"],
            swiftSettings: settings),
        .target(
            name: "MadoguchiWeb",
            dependencies: [
                "MadoguchiCore", "MadoguchiCrypto", "MadoguchiStore", "MadoguchiMail", "MadoguchiInbox",
                "MadoguchiHTTP",
            ],
            swiftSettings: settings),
        .target(
            name: "MadoguchiPrograms",
            dependencies: [
                "MadoguchiCore", "MadoguchiCrypto", "MadoguchiStore", "MadoguchiMail", "MadoguchiFetch",
                "MadoguchiInbox",
            ],
            swiftSettings: settings),
        .target(
            name: "MadoguchiTestSupport",
            dependencies: [
                "MadoguchiCore", "MadoguchiCrypto", "MadoguchiStore", "MadoguchiMail", "MadoguchiFetch",
                "MadoguchiInbox",
                "MadoguchiPrograms", "CArchive", "MadoguchiHTTP",
            ],
            swiftSettings: settings),

        .executableTarget(
            name: "madoguchi", dependencies: ["MadoguchiPrograms"],
            swiftSettings: settings
        ),

        .executableTarget(
            name: "scan-and-file", dependencies: ["MadoguchiPrograms"], path: "Sources/scan-and-file",
            swiftSettings: settings),
        .executableTarget(
            name: "fetch-forwarded-mail", dependencies: ["MadoguchiFetch"],
            path: "Sources/fetch-forwarded-mail", swiftSettings: settings),
        .executableTarget(
            name: "madoguchi-web", dependencies: ["MadoguchiWeb"], path: "Sources/madoguchi-web",
            swiftSettings: settings),
        .executableTarget(
            name: "expire-sessions", dependencies: ["MadoguchiPrograms"], path: "Sources/expire-sessions",
            swiftSettings: settings),
        .executableTarget(
            name: "send-replies", dependencies: ["MadoguchiPrograms"], path: "Sources/send-replies",
            swiftSettings: settings),

        .executableTarget(
            name: "madoguchi-bench",
            dependencies: ["MadoguchiCore", "MadoguchiCrypto", "MadoguchiStore", "MadoguchiInbox", "MadoguchiMail"],
            path: "Tests/Benchmarks/madoguchi-bench",
            swiftSettings: settings),

        .testTarget(
            name: "MadoguchiCoreTests", dependencies: ["MadoguchiCore", "MadoguchiTestSupport"], swiftSettings: settings
        ),
        .testTarget(
            name: "MadoguchiCryptoTests", dependencies: ["MadoguchiCrypto", "MadoguchiTestSupport"],
            swiftSettings: settings),
        .testTarget(
            name: "MadoguchiStoreTests", dependencies: ["MadoguchiStore", "MadoguchiTestSupport", "CSQLite"],
            swiftSettings: settings),
        .testTarget(
            name: "MadoguchiWebTests", dependencies: ["MadoguchiWeb", "MadoguchiTestSupport"], swiftSettings: settings),
        .testTarget(
            name: "MadoguchiInboxTests", dependencies: ["MadoguchiInbox", "MadoguchiTestSupport"],
            swiftSettings: settings),
        .testTarget(
            name: "MadoguchiMailTests", dependencies: ["MadoguchiMail", "MadoguchiTestSupport"],
            swiftSettings: settings),
        .testTarget(
            name: "MadoguchiFetchTests", dependencies: ["MadoguchiFetch", "MadoguchiTestSupport"],
            swiftSettings: settings),
        .testTarget(
            name: "MadoguchiHTTPTests", dependencies: ["MadoguchiHTTP", "MadoguchiTestSupport"],
            swiftSettings: settings),
        .testTarget(
            name: "MadoguchiProgramsTests", dependencies: ["MadoguchiPrograms", "MadoguchiTestSupport"],
            swiftSettings: settings),
    ],
    swiftLanguageModes: [.v6]
)
