import Foundation
import FileIO
import MNIST
import Network
import ONNX

extension Benchmark {
    /// `inference` for the model in `path`: an ONNX file, or a LeNet-5 in safetensors.
    public static func inference(weightsAt path: String, data folder: String, threads: Int) throws(BenchmarkError) {
        let network: Network
        do throws(FileError) {
            if path.hasSuffix(".onnx") {
                network = try ONNXModel(contentsOf: path).network
            } else {
                let file = try Safetensors.decode(try FileSystem.read(path), path: path)
                network = try LeNet5(checkpoint: file, names: try CheckpointNames(file, path: path), path: path).network
            }
        } catch {
            throw BenchmarkError(error.description)
        }
        try inference(network, name: path, data: folder, threads: threads)
    }

    /// Inference over the test set for any network, on the engine's general kernels (or
    /// LeNet-5's own), against `cblas_sgemm` measured right before and after in the same process.
    public static func inference(_ network: Network, name: String, data folder: String, threads: Int) throws(BenchmarkError) {
        if let missing = missingEngineInstructions() { throw BenchmarkError(missing) }
        BLAS.useHaswellKernels()
        let data: MNIST
        do { data = try MNIST.load(from: folder) } catch { throw BenchmarkError("cannot read MNIST: \(error)") }
        guard network.imageHeight == MNISTImage.side, network.imageWidth == MNISTImage.side else {
            throw BenchmarkError(
                "\(name) takes \(network.imageHeight)×\(network.imageWidth) images, not MNIST's \(MNISTImage.side)×\(MNISTImage.side)")
        }
        let images = data.test.images(Array(0..<data.test.count))
        _ = network.forward(images: Array(images[0..<(100 * network.inputCount)]), threads: threads)   // warm up
        let flops = Double(network.forwardFLOPs)
        let repeats = max(1, Int((2e11 / (flops * Double(data.test.count))).rounded(.up)))   // about a second at 200 GFLOP/s
        let sgemmBefore = BLAS.measureSgemmGFLOPs(threads: threads, seconds: 0.5)
        let start = Date()
        var correct = 0
        for _ in 0..<repeats {
            let predictions = network.forward(images: images, threads: threads).predictions
            correct = zip(predictions, data.test.labels).filter { $0 == Int($1) }.count
        }
        let seconds = Date().timeIntervalSince(start)
        let sgemm = (sgemmBefore + BLAS.measureSgemmGFLOPs(threads: threads, seconds: 0.5)) / 2
        let rate = Double(repeats * data.test.count) / seconds
        let achieved = rate * flops / 1e9
        print("\(name): \(network.displayNames.count) layers, \(network.parameterCount) parameters, "
            + String(format: "%.2f MFLOP per image%@", flops / 1e6, network.isLeNet5 ? " (LeNet-5's own kernels)" : " (general kernels)"))
        print(String(format: "inference   %8.0f images/s  (%d × %d test images, %d threads, %d of them right)",
                     rate, repeats, data.test.count, threads, correct))
        print(String(format: "achieved    %8.1f GFLOP/s", achieved))
        print(String(format: "sgemm       %8.1f GFLOP/s  (512³ per thread, %d threads, %@ kernels, this process, around the timed runs)",
                     sgemm, threads, BLAS.coreName))
        print(String(format: "inference ratio %4.1f %%", 100 * achieved / sgemm))
        print("inference_images_per_second=\(Int(rate.rounded()))")
    }
}
