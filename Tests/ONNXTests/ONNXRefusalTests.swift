import FileIO
import Foundation
import Network
import Testing
@testable import ONNX

/// What the reader refuses: networks that are not a chain of the supported layers, inputs of
/// another kind, external data outside the model's folder, truncated and foreign files. Each in
/// one line that names the file, and the node with its operator (or the input, or the tensor)
/// and what is supported.
@Suite struct ONNXRefusalTests {
    static func path(_ name: String) -> String { ONNXFixtureTests.path(name) }

    static func refusal(_ name: String) -> String? {
        do {
            _ = try ONNXModel(contentsOf: path(name))
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        ("skip-connection-legacy.onnx", "node /Add (Add) combines 2 results of the network (/Relu_output_0, /Relu_1_output_0): "
            + "a skip connection or branch; supported: a chain, each layer feeding only the next"),
        ("sigmoid-legacy.onnx", "node /Sigmoid (Sigmoid) is not supported; supported: a chain of Conv, Relu, MaxPool, AveragePool, "
            + "BatchNormalization (after a Conv or Gemm), Dropout, Identity, Flatten or Reshape to one vector per image, Gemm, "
            + "MatMul (+ Add), and a final Softmax or LogSoftmax, with shape computations on constants"),
        ("grouped-convolution-legacy.onnx", "node /conv2/Conv (Conv) has 2 groups; supported: Conv with one group "
            + "(no grouped or depthwise convolutions) and dilation 1"),
        ("input-32x32-legacy.onnx", "the input input has shape (1, 1, 32, 32): 32×32 images; supported: one grey channel, "
            + "(N, 1, H, W) or (N, H, W, 1), of the data's 28×28 images"),
        ("input-3-channels-legacy.onnx", "the input input has shape (1, 3, 28, 28): 3 channels, not one grey channel; "
            + "supported: one grey channel, (N, 1, H, W) or (N, H, W, 1), of the data's 28×28 images"),
        ("escaping-data.onnx", "initializer conv1.weight: its external data ../lenet5-dynamo.onnx.data is outside the model's folder; "
            + "supported: a location beside the model, such as NAME.onnx.data"),
        ("short-data.onnx", "initializer conv1.weight needs bytes 246680..<247280 of lenet5-dynamo.onnx.data, which has 246696"),
        ("truncated.onnx", "is not an ONNX model (or is truncated): field 7 at byte 19 claims 248574 bytes, only 124299 remain"),
        ("foreign.png", "is not an ONNX model (or is truncated): byte 10 holds no valid field key (field number 0)"),
        ("rectangular-kernel.onnx", "node /conv/Conv (Conv) has a 3×5 kernel; supported: square kernels"),
        ("asymmetric-pads.onnx", "node /conv/Conv (Conv) has pads [1, 1, 0, 0]; supported: the same padding on every side"),
        ("dilated.onnx", "node /conv/Conv (Conv) has dilations [2, 2]; supported: Conv with dilation 1 and one group"),
        ("ceil-mode.onnx", "node /pool/MaxPool (MaxPool) has ceil_mode 1; supported: pooling with ceil_mode 0 and no padding"),
        ("pool-padding.onnx", "node /pool/MaxPool (MaxPool) has pads [1, 1, 1, 1]; supported: pooling without padding"),
        ("batchnorm-after-pool.onnx", "node /bn/BatchNormalization (BatchNormalization) follows no Conv or Gemm it could be folded into; "
            + "supported: BatchNormalization right after a Conv, Gemm or MatMul"),
        ("foreign.txt", "is not an ONNX model (or is truncated): field 12 at byte 0 has wire type 3, which ONNX does not use"),
    ])
    func refusedInOneLine(_ name: String, _ problem: String) throws {
        let message = try #require(Self.refusal(name), "\(name) was read")
        #expect(message == "\(Self.path(name)): \(problem)")
        #expect(!message.contains("\n"))
    }

    @Test func aMissingSideFileIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-\(getpid())-side").path
        try FileSystem.createFolder(folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileSystem.write(FileSystem.read(Self.path("lenet5-dynamo.onnx")), to: folder + "/lenet5-dynamo.onnx")
        do {
            _ = try ONNXModel(contentsOf: folder + "/lenet5-dynamo.onnx")
            Issue.record("read without its data")
        } catch {
            #expect(error.description == "\(folder)/lenet5-dynamo.onnx: initializer conv1.weight: its external data "
                + "\(folder)/lenet5-dynamo.onnx.data: cannot be read: not found")
        }
    }

    @Test(arguments: ["data", "./data", "sub/data", "sub/../data"])
    func locationsInsideTheFolder(_ location: String) { #expect(ONNXModel.staysInside(location)) }

    @Test(arguments: ["", ".", "..", "../data", "/etc/passwd", "sub/../../data", "a\\..\\b"])
    func locationsOutsideTheFolder(_ location: String) { #expect(!ONNXModel.staysInside(location)) }

    /// Every prefix of a model at hundreds of lengths, and copies with bytes changed, are read or
    /// refused in one line: never a crash, a hang or a read out of bounds.
    @Test func truncatedAndDamagedFilesNeverCrash() throws {
        for name in ["lenet5-legacy.onnx", "keras-lenet5.onnx", "strided-unoptimized.onnx"] {
            let bytes = try FileSystem.read(Self.path(name))
            let data = name.hasSuffix("unoptimized.onnx") ? try FileSystem.read(Self.path("strided-unoptimized.onnx.data")) : []
            func read(_ bytes: [UInt8]) -> String? {
                do {
                    _ = try ONNXModel(bytes: bytes, path: name) { (_: String) throws(FileError) -> [UInt8] in data }
                    return nil
                } catch {
                    return error.description
                }
            }
            var lengths = Set(0..<min(400, bytes.count))
            for k in 0..<400 { lengths.insert(bytes.count * k / 400) }
            lengths.insert(bytes.count - 1)
            var refused = 0
            for length in lengths.sorted() {
                if let message = read(Array(bytes.prefix(length))) {
                    refused += 1
                    #expect(!message.contains("\n") && message.hasPrefix("\(name): "), "\(message)")
                }
            }
            #expect(refused >= lengths.count - 2, "\(name): \(lengths.count - refused) truncations read as a model")
            #expect(read(bytes) == nil)

            var generator = SplitMix64(seed: 24)
            for _ in 0..<300 {
                var damaged = bytes
                for _ in 0..<4 {
                    damaged[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
                }
                if let message = read(damaged) { #expect(!message.contains("\n"), "\(message)") }
            }
        }
    }
}
