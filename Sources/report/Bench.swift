import ArgumentParser
import Benchmarks
import ReportKit

/// `report bench`: how fast the engine trains and infers, against OpenBLAS's sgemm in the same process.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train one epoch at batch 64 and report throughput against cblas_sgemm."
    )

    @OptionGroup var training: TrainingArguments

    func run() {
        orFail { try Benchmark.run(options: training.options, data: training.data, report: ReportOptions().output, trainLimit: training.trainLimit,
                                 threads: training.threads) }
    }
}
