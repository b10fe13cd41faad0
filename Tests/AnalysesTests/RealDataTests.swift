import Dispatch
import Foundation
import Testing
import Analyses
import Deconvnet
import LeNet
import MNIST

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The four analyses on the 10,000 test images with the committed model, timed: the issue's
/// budget is 3 s for all four on a warm run.
@Suite struct RealDataTests {
    @Test func allFourOnTheTestSet() throws {
        let mnist = try MNIST.load(from: repository.appendingPathComponent("Data").path)
        let path = repository.appendingPathComponent("Report/model.safetensors").path
        let model = try LeNet5(checkpoint: Safetensors.read(from: path), path: path)
        let testImages = mnist.test.images(0..<mnist.test.count)

        // Wall time, and the process's CPU time: on a shared host the second says more about
        // what a quiet one would take (about half of it, with both cores busy).
        func cpuSeconds() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        var cpuTotal = 0.0
        func timed<T>(_ what: String, _ body: () -> T) -> (T, Double) {
            let (start, cpu) = (DispatchTime.now(), cpuSeconds())
            let result = body()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9, used = cpuSeconds() - cpu
            if what != "choice of digits" { cpuTotal += used }
            print("analysis \(what): \(String(format: "%.3f", seconds)) s, CPU \(String(format: "%.3f", used)) s")
            return (result, seconds)
        }

        let (predictions, tPredict) = timed("choice of digits") { () -> [UInt8] in
            let p = model.activations(images: testImages, keeping: .logProbabilities).logProbabilities
            return (0..<mnist.test.count).map { (i: Int) -> UInt8 in
                let row = p[(i * 10)..<(i * 10 + 10)]
                return UInt8(row.indices.max { row[$0] < row[$1] }! - i * 10)
            }
        }
        let indices = try DigitChoice.firstCorrect(digits: [0, 1, 5, 8], labels: mnist.test.labels, predictions: predictions)
        let digits = zip([0, 1, 5, 8], indices).map { DigitImage(digit: $0, testIndex: $1, image: mnist.test.images([$1])) }

        let (top, tTop) = timed("top-9") { TopActivations(model: model, testImages: testImages) }
        // Untrained models stand in for the six earlier checkpoints (they cost the same); the last
        // is the final model, whose ranking the top-9 already did.
        let checkpoints = zip([117, 234, 469, 938, 1876, 4690, 9380], 1...7).map { (step: $0, model: $1 == 7 ? model : LeNet5(seed: UInt64($1))) }
        let (evolution, tEvolution) = timed("evolution (7 checkpoints)") {
            FeatureEvolution(checkpoints: checkpoints, testImages: testImages, reusing: top)
        }
        let (invariance, tInvariance) = timed("invariance") { Invariance(model: model, digits: digits) }
        let (fill, tFill) = timed("mean training pixel") { Occlusion.meanPixel(mnist.train.pixels) }
        let (occlusion, tOcclusion) = timed("occlusion") { Occlusion(model: model, digits: digits, fill: fill) }
        let (files, tExport) = timed("exports (encoded)") {
            [top.safetensors(), evolution.safetensors(), invariance.safetensors(), occlusion.safetensors()].map { $0.encoded().count }
        }
        let total = tTop + tEvolution + tInvariance + tFill + tOcclusion + tExport
        print("analysis total: \(String(format: "%.3f", total)) s, CPU \(String(format: "%.3f", cpuTotal)) s "
              + "(+ \(String(format: "%.3f", tPredict)) s choosing digits); files \(files) bytes")

        for layer in ConvLayer.allCases {
            for best in top.maps(layer) {
                #expect(best.count == 9 && zip(best, best.dropFirst()).allSatisfy { $0.score >= $1.score })
            }
        }
        #expect(evolution.snapshots.last!.conv2.map(\.testIndex) == top.conv2.map { $0[0].testIndex })
        #expect(abs(fill - 0.1307) < 5e-4, "the training set's mean pixel is \(fill)")
        for d in invariance.digits {
            let p = d.curves[.translation]!.probability[8]
            #expect(p > 0.5, "digit \(d.image.digit) unshifted: probability \(p)")
        }
        for d in occlusion.digits {
            #expect(d.unoccludedProbability > 0.5 && d.probability.min()! < d.unoccludedProbability)
        }
    }
}
