// swift-tools-version:6.0
import PackageDescription

/// The engine's loops are compiled for AVX2 and FMA (every x86-64 server of the last decade,
/// and the machines this project runs on); `report` checks the processor before using them.
/// Without errno, a square root is one instruction the optimiser can vectorise, not a libm call.
#if arch(x86_64)
let engineSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell", "-Xcc", "-fno-math-errno"])]
#else
let engineSettings: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-fno-math-errno"])]
#endif

/// A fuzz target has no top-level code: `<Target>_main`, which SwiftPM links as `main`, hands over
/// to libFuzzer.
let fuzzTargetSettings: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

/// Test modules that only call the libraries (which stay optimized) build without optimization:
/// the optimizer was most of their build time, and their own code runs for a moment. The modules
/// whose Double references and finite differences loop over every weight stay optimized.
let callerTestSettings: [SwiftSetting] = [.unsafeFlags(["-Onone"])]

let package = Package(
    name: "CNN-activation-visualization",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "report", targets: ["report"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C libraries, each imported by exactly one Swift module.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CCmarkGFM", pkgConfig: "libcmark-gfm", providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),

        // Files read and written with errors in the project's words, and written atomically.
        .target(name: "FileIO"),
        .target(name: "MNIST", dependencies: ["FileIO", "Network", "CZlib", "CCrypto"]),
        .target(name: "Network", dependencies: ["FileIO"], swiftSettings: engineSettings),
        // The user's own network from an ONNX file: a protobuf wire-format reader of the subset it needs.
        .target(name: "ONNX", dependencies: ["Network", "FileIO"]),
        .target(name: "Deconvnet", dependencies: ["Network"]),
        // Dataset-wide experiments on a model: top-9, evolution, invariance, occlusion, sanity checks.
        .target(name: "Analyses", dependencies: ["Deconvnet", "Network"]),
        // The only user of Cairo, Pango and libpng: canvas, text, surfaces, PNGs, geometry, colour maps.
        .target(name: "Graphics", dependencies: ["CCairo", "CPangoCairo", "CPNG"]),
        // Kinds of figure, drawn with Graphics.
        .target(name: "Charts", dependencies: ["Graphics"]),
        .target(name: "Writeup", dependencies: [
            "Graphics", "FileIO", "CCmarkGFM", .product(name: "Mustache", package: "swift-mustache"),
        ]),
        // explorer.html: the model and test images embedded in one offline page that computes in the browser.
        .target(name: "Explorer", dependencies: ["FileIO", "Network"]),
        // The pipeline: stages, model cache, the files of Report/, one file per chapter.
        .target(name: "ReportKit", dependencies: ["FileIO", "MNIST", "Network", "ONNX", "Deconvnet", "Analyses", "Graphics", "Charts", "Writeup", "Explorer"],
                plugins: ["ToolchainVersion"]),
        // Writes the compiler's version into ReportKit at build time.
        .plugin(name: "ToolchainVersion", capability: .buildTool()),
        // `report bench`: the engine's speed against OpenBLAS's cblas_sgemm, the one user of OpenBLAS.
        .target(name: "Benchmarks", dependencies: ["Network", "ONNX", "MNIST", "CBLAS"], swiftSettings: engineSettings),
        // The command line and nothing else.
        .executableTarget(
            name: "report",
            dependencies: ["ReportKit", "Benchmarks", "Network", "Deconvnet", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Prints digests of a short run's results, for the test that runs it in child processes.
        .executableTarget(name: "determinism-probe", dependencies: ["MNIST", "Network", "Deconvnet"]),

        // libFuzzer targets for the readers (Tests/Fuzz), in this package so that they build with the
        // modules they fuzz and cannot drift from them. An ordinary build links them as programs that
        // only say how to build them; `make fuzz` builds them with -sanitize=fuzzer.
        .target(name: "LibFuzzerDriver", path: "Tests/Fuzz/Sources/LibFuzzerDriver"),
        .executableTarget(name: "FuzzIDX", dependencies: ["MNIST", "FileIO", "LibFuzzerDriver"], path: "Tests/Fuzz/Sources/FuzzIDX",
                          swiftSettings: fuzzTargetSettings),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["Network", "FileIO", "LibFuzzerDriver"],
                          path: "Tests/Fuzz/Sources/FuzzSafetensors", swiftSettings: fuzzTargetSettings),
        .executableTarget(name: "FuzzMarkdown", dependencies: ["Writeup", "Graphics", "LibFuzzerDriver"],
                          path: "Tests/Fuzz/Sources/FuzzMarkdown", swiftSettings: fuzzTargetSettings),

        .testTarget(name: "FileIOTests", dependencies: ["FileIO"],
                    swiftSettings: callerTestSettings),
        .testTarget(name: "MNISTTests", dependencies: ["MNIST", "FileIO"],
                    swiftSettings: callerTestSettings),
        .testTarget(name: "NetworkTests", dependencies: ["Network", "FileIO"]),
        .testTarget(name: "GraphicsTests", dependencies: ["Graphics"],
                    swiftSettings: callerTestSettings),
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "Graphics"],
                    swiftSettings: callerTestSettings),
        .testTarget(name: "WriteupTests", dependencies: ["Writeup", "Graphics"],
                    swiftSettings: callerTestSettings),
        .testTarget(name: "DeconvnetTests", dependencies: ["Deconvnet", "Network"]),
        .testTarget(name: "ONNXTests", dependencies: ["ONNX", "Network", "FileIO", "MNIST"],
                    swiftSettings: callerTestSettings),
        // MNIST for the analyses on the real test set.
        .testTarget(name: "AnalysesTests", dependencies: ["Analyses", "Deconvnet", "Network", "MNIST"]),
        // Runs the page in headless Chromium against the Swift engine on the committed model and MNIST.
        .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "Analyses", "Deconvnet", "Network", "MNIST", "Graphics"], exclude: ["harness.js", "network.test.js"],
                    swiftSettings: callerTestSettings),
        .testTarget(name: "ReportKitTests", dependencies: ["ReportKit", "Charts", "Graphics", "Writeup", "Analyses", "MNIST", "Network", "Deconvnet",
                                                     "FileIO"],
                    swiftSettings: callerTestSettings),
        .testTarget(name: "EndToEndTests", dependencies: ["report", "determinism-probe", "ReportKit", "FileIO", "MNIST", "Network"],
                    swiftSettings: callerTestSettings),
    ]
)
