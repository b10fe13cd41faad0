// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "CNN-activation-visualization",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "report", targets: ["report"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C libraries, each imported by exactly one Swift module.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        .target(name: "MNIST", dependencies: ["CZlib", "CCrypto"]),
        .target(name: "LeNet", dependencies: ["CBLAS"]),
        .target(name: "Deconvnet", dependencies: ["LeNet"]),
        .executableTarget(
            name: "report",
            dependencies: [
                "MNIST", "LeNet", "Deconvnet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "MNISTTests", dependencies: ["MNIST"]),
        .testTarget(name: "LeNetTests", dependencies: ["LeNet"]),
        .testTarget(name: "DeconvnetTests", dependencies: ["Deconvnet", "LeNet"]),
        .testTarget(name: "EndToEndTests", dependencies: ["MNIST", "LeNet"]),
    ]
)
