// `determinism-probe`: trains briefly and projects through the deconvnet, then prints SHA-256
// digests of the results, so that a test can run it in child processes on one thread and two and
// compare the bytes, and says whether a BLAS library was loaded. Not part of the product.
//
//     determinism-probe DATA_DIR [--train-limit N] [--epochs E] [--threads T]
import Deconvnet
import Foundation
import Network
import MNIST

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("determinism-probe: \(message)\n".utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard let directory = arguments.first else { fail("usage: determinism-probe DATA_DIR [--train-limit N] [--epochs E] [--threads T]") }
arguments.removeFirst()
var settings = ["--train-limit": 6000, "--epochs": 1, "--threads": 2]
while arguments.count >= 2, settings[arguments[0]] != nil, let value = Int(arguments[1]) {
    settings[arguments[0]] = value
    arguments.removeFirst(2)
}
guard arguments.isEmpty else { fail("cannot read the arguments \(arguments)") }

let mnist: MNIST
do { mnist = try MNIST.load(from: directory) } catch { fail("\(error)") }
let test = mnist.test.prefix(2000)

/// The digest of a set of tensors as a safetensors file, without metadata.
func digest(_ file: Safetensors) -> String { SHA256.hex(file.encoded()) }

// The deconvnet alone, on a fixed untrained model: every map of both layers for test image 0.
let untrained = Deconvnet(network: LeNet5(seed: 1).network)
let alone = DigitReconstruction(digit: Int(mnist.test.labels[0]), testIndex: 0, image: mnist.test.images(0..<1),
                                deconvnet: untrained, mode: .wholeMap)
print("projection \(digest(DigitReconstruction.file([alone], network: untrained.network, mode: .wholeMap, metadata: [:])))")

// A short training run with the defaults (one epoch by default, so a cosine over that epoch).
var options = TrainingOptions()
options.epochs = settings["--epochs"]!
let trainer = Trainer(model: LeNet5(seed: options.seed), options: options, threads: settings["--threads"]!)
let history: TrainingHistory
do { history = try trainer.train(on: mnist.train.prefix(settings["--train-limit"]!), test: test) } catch { fail("\(error)") }
let model = trainer.model
print("losses \(SHA256.hex(history.stepLosses.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }))")
print("model \(digest(model.checkpoint(metadata: [:])))")

// Evaluation and the deconvnet on the trained model, as the report does them.
let evaluation = model.evaluate(test, threads: settings["--threads"]!)
print("evaluation \(evaluation.correct) \(evaluation.loss.bitPattern)")
let deconvnet = Deconvnet(network: model.network)
do {
    let choices = try DigitChoice.choose(digits: [0, 1, 5, 8], labels: test.labels, predictions: evaluation.predictions,
                                         model: model.network, images: { test.images($0) })
    let digits = choices.map { c in
        DigitReconstruction(digit: c.digit, testIndex: c.testIndex, image: test.images([c.testIndex]), deconvnet: deconvnet,
                            mode: .wholeMap)
    }
    print("deconvnet \(digest(DigitReconstruction.file(digits, network: model.network, mode: .wholeMap, metadata: [:])))")
} catch { fail("\(error)") }
// A BLAS library picks its kernels, and so the order of its sums, by processor: none may be loaded.
let maps = (try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8)) ?? ""
print("blas \(maps.lowercased().contains("blas") ? "loaded" : "none")")
