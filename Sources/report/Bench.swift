import ArgumentParser
import Foundation
import LeNet
import MNIST

/// `report bench`: how fast the engine trains and infers, against OpenBLAS's sgemm in the same process.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train one epoch at batch 64 and report throughput against cblas_sgemm."
    )

    @OptionGroup var training: TrainingArguments

    func run() throws {
        let data = orFail("cannot read MNIST") { try MNIST.load(from: training.data) }
        let train = training.trainLimit.map { data.train.prefix($0) } ?? data.train
        var options = training.options
        options.epochs = 1
        let trainer = Trainer(model: LeNet5(seed: options.seed), options: options, threads: training.threads)

        var history = TrainingHistory()
        let epoch = orFail("training failed") { try trainer.trainEpoch(1, on: train, history: &history) }
        let trainRate = Double(train.count) / epoch.seconds

        let repeats = 3
        let start = Date()
        for _ in 0..<repeats { _ = trainer.evaluate(data.test) }
        let inferenceRate = Double(repeats * data.test.count) / Date().timeIntervalSince(start)

        let achieved = trainRate * Double(LeNet5.trainingFLOPs) / 1e9
        let sgemm = BLAS.measureSgemmGFLOPs(threads: training.threads)
        print(String(format: "training    %8.0f images/s  (%d images, batch %d, %d threads, %.2f s)",
                     trainRate, train.count, options.batchSize, training.threads, epoch.seconds))
        print(String(format: "inference   %8.0f images/s  (%d × %d test images)", inferenceRate, repeats, data.test.count))
        print(String(format: "achieved    %8.1f GFLOP/s  (%.2f MFLOP per training image)", achieved, Double(LeNet5.trainingFLOPs) / 1e6))
        print(String(format: "sgemm       %8.1f GFLOP/s  (512³ per thread, %d threads, this process)", sgemm, training.threads))
        print(String(format: "ratio       %8.1f %%", 100 * achieved / sgemm))
        print(String(format: "peak memory %8.1f MB", peakMemoryMB()))
        print("train_images_per_second=\(Int(trainRate.rounded()))")
    }
}

/// The resident set's high-water mark (Linux reports ru_maxrss in KiB).
func peakMemoryMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
