// swift-tools-version:6.1
import PackageDescription

// Layering (enforced by the dependency lists below):
//   C shims  ->  WebhookTLS / WebhookServer  (transport, knows nothing of Kubernetes)
//   JSON -> JSONPatch -> AdmissionAPI -> AdmissionRules -> BuiltinRules  (no sockets, no C)
//   AdmissionWebhook joins rules to HTTP values; only `mpa-admission` sees everything.

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

// Resident memory (issue 9). OpenSSL and nghttp2 come from the static archives of libssl-dev and
// libnghttp2-dev: only the objects we call are linked in, laid out next to each other, instead of
// mapping all of libcrypto.so (ELF relocations, symbol tables and scattered pages: 3.9 MiB
// resident for ~2 MiB used). `-l:libX.a` is passed to the linker as is.
let staticCLibraries: [LinkerSetting] = [
    .linkedLibrary(":libssl.a"), .linkedLibrary(":libcrypto.a"), .linkedLibrary(":libnghttp2.a"),
]
// The release executable is linked by lld with packed relative relocations (DT_RELR, glibc 2.36+):
// the position-independent executable needs ~81,000 R_X86_64_RELATIVE relocations (Swift metadata
// pointers); as .rela.dyn they are 1.9 MiB that ld.so reads at every start, as RELR 22 KiB.
// PIE (and so ASLR of our code and the linked-in OpenSSL) is kept on purpose: `-no-pie` would
// also save the ~1.2 MiB of .data.rel.ro pages the relocations dirty, at the cost of fixed addresses.
// Linking/static-libstdc++ holds a linker script that makes the toolchain's `-lstdc++` link
// libstdc++.a: the few objects used instead of libstdc++.so.6 (1.5 MiB resident).
let releaseExecutableLinking: [LinkerSetting] = [
    .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                  "-L", Context.packageDirectory + "/Linking/static-libstdc++"],
                 .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "mpa-admission",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mpa-admission", targets: ["mpa-admission"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // --- C system libraries and shims -------------------------------------------
        // Headers only (Debian puts them in /usr/include): the libraries are linked by WebhookTLS
        // from their static archives (see `staticCLibraries`), so no pkg-config `-l` flags here.
        .systemLibrary(name: "COpenSSL", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CNghttp2", providers: [.apt(["libnghttp2-dev"])]),
        .systemLibrary(name: "CLinux"),

        // --- transport ----------------------------------------------------------------
        .target(name: "WebhookHTTP", swiftSettings: strict),
        // The only module holding C pointers: OpenSSL objects and the nghttp2 session
        // (HTTP/2 framing lives inside the TLS stream), one final class per C object.
        .target(name: "WebhookTLS", dependencies: ["COpenSSL", "CNghttp2", "CLinux"], swiftSettings: strict,
                linkerSettings: staticCLibraries),
        .target(name: "WebhookServer",
                dependencies: ["WebhookHTTP", "WebhookTLS", "CLinux",
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),

        // --- data ---------------------------------------------------------------------
        .target(name: "JSON", swiftSettings: strict),
        .target(name: "JSONPatch", dependencies: ["JSON"], swiftSettings: strict),
        .target(name: "Quantity", swiftSettings: strict),

        // --- admission ----------------------------------------------------------------
        .target(name: "AdmissionAPI", dependencies: ["JSON", "JSONPatch"], swiftSettings: strict),
        .target(name: "AdmissionRules",
                dependencies: ["AdmissionAPI", "JSON", "JSONPatch",
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        .target(name: "YAMLValue",
                dependencies: ["JSON", .product(name: "Yams", package: "Yams")],
                swiftSettings: strict),
        .target(name: "MPA",
                dependencies: ["JSON", "Quantity", "YAMLValue", .product(name: "Yams", package: "Yams")],
                swiftSettings: strict),
        .target(name: "BuiltinRules",
                dependencies: ["AdmissionRules", "AdmissionAPI", "MPA", "JSON", "JSONPatch", "Quantity",
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // The `--config` rules file (YAML, errors with file:line) and `mpa-admission test` suites
        // of AdmissionReview cases with expectations; the engine comes from the composition root.
        .target(name: "RuleSuites",
                dependencies: ["AdmissionRules", "AdmissionAPI", "JSON", "JSONPatch", "YAMLValue"],
                swiftSettings: strict),
        .target(name: "AdmissionWebhook",
                dependencies: ["AdmissionRules", "AdmissionAPI", "JSON", "WebhookHTTP",
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "Metrics", package: "swift-metrics")],
                swiftSettings: strict),

        // --- Kubernetes API client (live cluster state, webhook self-registration) ----------
        .target(name: "KubeClient",
                dependencies: ["WebhookTLS", "JSON", "MPA", "YAMLValue",
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),

        // --- observability (metrics registry, health, log handlers; the app creates and passes them down)
        .target(name: "Observability",
                dependencies: ["WebhookHTTP",
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "CoreMetrics", package: "swift-metrics"),
                               .product(name: "Metrics", package: "swift-metrics"),
                               .product(name: "Prometheus", package: "swift-prometheus")],
                swiftSettings: strict),

        // --- the assembled service: TLS server + admission handlers + metrics listener,
        //     certificate reload, readiness, shutdown (what `serve` runs; testable in-process)
        .target(name: "AdmissionService",
                dependencies: ["WebhookServer", "WebhookTLS", "WebhookHTTP", "AdmissionWebhook",
                               "AdmissionRules", "AdmissionAPI", "Observability",
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "Prometheus", package: "swift-prometheus")],
                swiftSettings: strict),

        // --- composition root -----------------------------------------------------------
        .executableTarget(name: "mpa-admission",
                          dependencies: ["AdmissionService", "Observability",
                                         "WebhookServer", "WebhookTLS", "WebhookHTTP",
                                         "AdmissionWebhook", "AdmissionRules", "AdmissionAPI",
                                         "BuiltinRules", "MPA", "JSON", "JSONPatch", "YAMLValue", "RuleSuites", "KubeClient",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                         .product(name: "Logging", package: "swift-log"),
                                         .product(name: "Metrics", package: "swift-metrics"),
                                         .product(name: "Prometheus", package: "swift-prometheus")],
                          swiftSettings: strict, linkerSettings: releaseExecutableLinking),

        // --- benchmark harness (release: `swift run -c release AdmissionBench`; not a product) --
        // Counts heap allocations by interposing malloc; linked into AdmissionBench only.
        .target(name: "CAllocationCounter"),
        .executableTarget(name: "AdmissionBench",
                          dependencies: ["CAllocationCounter", "AdmissionWebhook", "AdmissionRules", "BuiltinRules", "MPA",
                                         "AdmissionAPI", "JSON", "JSONPatch", "WebhookHTTP",
                                         .product(name: "Logging", package: "swift-log")],
                          swiftSettings: strict),

        // --- tests ----------------------------------------------------------------------
        .testTarget(name: "JSONTests", dependencies: ["JSON"], resources: [.copy("Fixtures")]),
        .testTarget(name: "JSONPatchTests", dependencies: ["JSONPatch", "JSON"], resources: [.copy("Fixtures")]),
        .testTarget(name: "QuantityTests", dependencies: ["Quantity"]),
        .testTarget(name: "WebhookHTTPTests", dependencies: ["WebhookHTTP"]),
        .testTarget(name: "ObservabilityTests",
                    dependencies: ["Observability", "WebhookHTTP",
                                   .product(name: "Logging", package: "swift-log"),
                                   .product(name: "Prometheus", package: "swift-prometheus")]),
        .testTarget(name: "WebhookTLSTests", dependencies: ["WebhookTLS", "CNghttp2"]),
        .testTarget(name: "WebhookServerTests",
                    dependencies: ["WebhookServer", "WebhookTLS", "WebhookHTTP", "CLinux"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "AdmissionAPITests", dependencies: ["AdmissionAPI", "JSON", "JSONPatch"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "AdmissionRulesTests",
                    dependencies: ["AdmissionRules", "AdmissionAPI", "JSON", "JSONPatch"]),
        .testTarget(name: "AdmissionWebhookTests",
                    dependencies: ["AdmissionWebhook", "AdmissionRules", "AdmissionAPI", "JSON", "WebhookHTTP",
                                   .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "KubeClientTests",
                    dependencies: ["KubeClient", "WebhookTLS", "JSON", "MPA",
                                   .product(name: "Logging", package: "swift-log")],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ServeTests",
                    dependencies: ["AdmissionService", "AdmissionRules", "AdmissionAPI", "Observability",
                                   "WebhookServer", "WebhookTLS", "WebhookHTTP", "JSON", "JSONPatch",
                                   .product(name: "Logging", package: "swift-log"),
                                   .product(name: "Prometheus", package: "swift-prometheus")],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "YAMLValueTests", dependencies: ["YAMLValue", "JSON"], resources: [.copy("Fixtures")]),
        .testTarget(name: "MPATests", dependencies: ["MPA", "JSON", "Quantity", "YAMLValue"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RuleSuitesTests",
                    dependencies: ["RuleSuites", "AdmissionRules", "AdmissionAPI", "JSON", "JSONPatch"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "BuiltinRulesTests",
                    dependencies: ["BuiltinRules", "AdmissionRules", "AdmissionAPI", "MPA", "YAMLValue", "JSON", "JSONPatch", "Quantity"],
                    resources: [.copy("Fixtures")]),

        // --- fuzzing --------------------------------------------------------------------
        // One entry point per fuzz target, each returning the invariants its input broke. Plain
        // code: the regression tests replay saved crashers through it in the normal test run.
        .target(name: "FuzzTargets",
                dependencies: ["JSON", "JSONPatch", "Quantity", "AdmissionAPI", "AdmissionRules",
                               "WebhookServer", "WebhookTLS", "WebhookHTTP"],
                swiftSettings: strict),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets"], resources: [.copy("Fixtures")]),
    ]
)

// libFuzzer executables (Fuzz/<Name>/main.swift) exist only when scripts/fuzz sets MPA_FUZZ=1
// and builds them with `-sanitize=fuzzer,address` into .build-fuzz: a normal `swift build` or
// `swift test` never sees them.
if Context.environment["MPA_FUZZ"] == "1" {
    for name in FuzzTarget.allCases.map(\.rawValue) {
        package.targets.append(.executableTarget(name: name, dependencies: ["FuzzTargets"],
                                                 path: "Fuzz/\(name)", swiftSettings: strict))
        package.products.append(.executable(name: name, targets: [name]))
    }
}

enum FuzzTarget: String, CaseIterable {
    case FuzzHTTP1Parser, FuzzHTTP2Session, FuzzJSONParser, FuzzJSONPatch, FuzzQuantity, FuzzAdmissionReview
}
