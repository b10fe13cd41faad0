import ArgumentParser
import Benchmarks
import ReportKit

/// `report bench`: how fast the engine trains and infers, against OpenBLAS's sgemm in the same process.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train one epoch at batch 64 and report throughput against cblas_sgemm."
    )

    @OptionGroup var training: TrainingArguments

    @Option(help: "Measure inference over the test set for this model file (.onnx, or a LeNet-5 .safetensors) instead of training.")
    var weights: String?

    func run() {
        if let weights {
            return orFail { try Benchmark.inference(weightsAt: weights, data: training.data, threads: training.threads) }
        }
        orFail { try Benchmark.run(options: training.options, data: training.data, report: ReportOptions().output,
                                 trainLimit: training.trainLimit, threads: training.threads) }
    }
}
