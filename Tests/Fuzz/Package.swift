// swift-tools-version:6.0
import PackageDescription

/// libFuzzer targets for the readers, built only by `make fuzz` (see the Makefile).
///
/// A package of its own so that the main package's `swift build` never sees them: a fuzz target
/// has no `main` of its own and links only with `-sanitize=fuzzer`. SwiftPM refuses targets outside
/// a package's root, so `Sources/<Module>` here are symbolic links to the real modules, and the
/// targets below repeat the main package's declarations of the modules they need.
#if arch(x86_64)
let engineSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell", "-Xcc", "-fno-math-errno"])]
#else
let engineSettings: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-fno-math-errno"])]
#endif
/// No top-level code: `<Target>_main`, which SwiftPM links as `main`, hands over to libFuzzer.
let fuzzTargetSettings: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "Fuzz",
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", pkgConfig: "zlib"),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto"),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo"),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo"),
        .systemLibrary(name: "CCmarkGFM", pkgConfig: "libcmark-gfm"),
        .target(name: "FileIO"),
        .target(name: "MNIST", dependencies: ["FileIO", "CZlib", "CCrypto"]),
        .target(name: "Network", dependencies: ["FileIO"], swiftSettings: engineSettings),
        .target(name: "Graphics", dependencies: ["CCairo", "CPangoCairo"]),
        .target(name: "Writeup", dependencies: [
            "Graphics", "FileIO", "CCmarkGFM", .product(name: "Mustache", package: "swift-mustache"),
        ]),

        .target(name: "LibFuzzerDriver"),
        .executableTarget(name: "FuzzIDX", dependencies: ["MNIST", "LibFuzzerDriver"], swiftSettings: fuzzTargetSettings),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["Network", "LibFuzzerDriver"], swiftSettings: fuzzTargetSettings),
        .executableTarget(name: "FuzzMarkdown", dependencies: ["Writeup", "Graphics", "LibFuzzerDriver"], swiftSettings: fuzzTargetSettings),
    ]
)
