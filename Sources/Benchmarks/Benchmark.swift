import Foundation
import Network
import MNIST

/// `report bench`: how fast the engine trains and infers, against OpenBLAS's sgemm in the same process.
public enum Benchmark {
    /// Trains one epoch unprofiled and one profiled, times inference, and prints the figures;
    /// the last line is `train_images_per_second=N`.
    public static func run(options: TrainingOptions, data folder: String, report: String, trainLimit: Int?,
                           threads: Int) throws(BenchmarkError) {
        if let missing = missingEngineInstructions() { throw BenchmarkError(missing) }
        BLAS.useHaswellKernels()
        let data: MNIST
        do { data = try MNIST.load(from: folder) } catch { throw BenchmarkError("cannot read MNIST: \(error)") }
        let train = trainLimit.map { data.train.prefix($0) } ?? data.train
        var options = options
        options.epochs = 2   // the timed epoch and the profiled one, on one learning-rate schedule
        let trainer = Trainer(model: LeNet5(seed: options.seed), options: options, threads: threads)

        // The host is shared and its speed drifts, so sgemm is measured right before and right
        // after the timed epoch, and the ratio uses their mean.
        var history = TrainingHistory()
        let sgemmBefore = BLAS.measureSgemmGFLOPs(threads: threads, seconds: 0.5)
        let epoch: (loss: Double, accuracy: Double, seconds: Double)
        do { epoch = try trainer.trainEpoch(1, on: train, history: &history) } catch { throw BenchmarkError("training failed: \(error)") }
        let sgemm = (sgemmBefore + BLAS.measureSgemmGFLOPs(threads: threads, seconds: 0.5)) / 2
        let trainRate = Double(train.count) / epoch.seconds

        // A second, profiled epoch: timing every layer costs a little, so the rate above is unprofiled.
        let profile = Profile()
        let shards = trainer.startProfiling()
        do { _ = try trainer.trainEpoch(2, on: train, history: &history) } catch { throw BenchmarkError("training failed: \(error)") }
        for shard in shards { profile.merge(shard) }

        // Inference as the evaluation runs it, with sgemm measured around it in the same way.
        let repeats = 10   // about as long as each sgemm measurement around it
        let inferenceSgemmBefore = BLAS.measureSgemmGFLOPs(threads: threads, seconds: 0.5)
        let start = Date()
        for _ in 0..<repeats { _ = trainer.evaluate(data.test) }
        let inferenceRate = Double(repeats * data.test.count) / Date().timeIntervalSince(start)
        let inferenceSgemm = (inferenceSgemmBefore + BLAS.measureSgemmGFLOPs(threads: threads, seconds: 0.5)) / 2

        let achieved = trainRate * Double(LeNet5.trainingFLOPs) / 1e9
        let inferenceAchieved = inferenceRate * Double(LeNet5.forwardFLOPs) / 1e9
        print(String(format: "training    %8.0f images/s  (%d images, batch %d, %d threads, %.2f s)",
                     trainRate, train.count, options.batchSize, threads, epoch.seconds))
        print(String(format: "inference   %8.0f images/s  (%d × %d test images)", inferenceRate, repeats, data.test.count))
        print(String(format: "achieved    %8.1f GFLOP/s  (%.2f MFLOP per training image)", achieved, Double(LeNet5.trainingFLOPs) / 1e6))
        print(String(format: "sgemm       %8.1f GFLOP/s  (512³ per thread, %d threads, %@ kernels, this process, around the timed epoch)",
                     sgemm, threads, BLAS.coreName))
        print(String(format: "ratio       %8.1f %%", 100 * achieved / sgemm))
        print(String(format: "inference ratio %4.1f %%  (%.1f GFLOP/s at %.2f MFLOP per image, against sgemm's %.1f around it)",
                     100 * inferenceAchieved / inferenceSgemm, inferenceAchieved, Double(LeNet5.forwardFLOPs) / 1e6, inferenceSgemm))
        print(String(format: "peak memory %8.1f MB", peakMemoryMB()))
        printLayerTable(profile)
        printFullyConnectedComparison(BLAS.compareFullyConnected())
        if let seconds = warmReportSeconds(data: folder, report: report, threads: threads) {
            print(String(format: "warm report %8.2f s  (report on a copy of %@/: the model and the analyses reused; "
                                 + "the faster of two runs)\n", seconds, report))
        } else {
            print("warm report      –    (no report to copy: \(report)/model.safetensors is missing)\n")
        }
        print("train_images_per_second=\(Int(trainRate.rounded()))")
    }

    /// The wall time of `report` run as a user runs it, in a copy of the `report` folder whose model and
    /// analyses it reuses; nil without a report to copy.
    static func warmReportSeconds(data: String, report: String, threads: Int) -> Double? {
        let manager = FileManager.default
        guard manager.fileExists(atPath: "\(report)/model.safetensors") else { return nil }
        let copy = manager.temporaryDirectory.appendingPathComponent("bench-report-\(getpid())").path
        defer { try? manager.removeItem(atPath: copy) }
        guard (try? manager.copyItem(atPath: report, toPath: copy)) != nil else { return nil }
        let times = (0..<2).compactMap { _ -> Double? in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            process.arguments = ["--output", copy, "--data", data, "--threads", "\(threads)"]
            (process.standardOutput, process.standardError) = (FileHandle.nullDevice, FileHandle.nullDevice)
            let start = Date()
            guard (try? process.run()) != nil else { return nil }
            process.waitUntilExit()
            return process.terminationStatus == 0 ? Date().timeIntervalSince(start) : nil
        }
        return times.count == 2 ? times.min() : nil
    }

    /// Milliseconds per stage over the profiled epoch (summed over both shards, i.e. CPU time), and
    /// each stage's share of the total.
    static func printLayerTable(_ profile: Profile) {
        let total = Double(profile.forward.values.reduce(0, +) + profile.backward.values.reduce(0, +))
        print("\nwhere a training epoch's time goes (CPU time over both shards):")
        print("stage                        forward ms  backward ms   share")
        for stage in Profile.Stage.allCases {
            let f = Double(profile.forward[stage] ?? 0), b = Double(profile.backward[stage] ?? 0)
            guard f + b > 0 else { continue }
            print(String(format: "%@ %10.1f  %11.1f  %5.1f %%", stage.rawValue.padding(toLength: 28, withPad: " ", startingAt: 0),
                         f / 1e6, b / 1e6, 100 * (f + b) / total))
        }
        print(String(format: "%@ %10.1f  %11.1f\n", "total".padding(toLength: 28, withPad: " ", startingAt: 0),
                     Double(profile.forward.values.reduce(0, +)) / 1e6, Double(profile.backward.values.reduce(0, +)) / 1e6))
    }

    /// The fully connected layers with the engine's own kernels and with `cblas_sgemm`, the same
    /// shapes in the same process.
    static func printFullyConnectedComparison(_ times: (kernels: FullyConnectedTimes, sgemm: FullyConnectedTimes)) {
        print("fc1 + fc2 + fc3 alone, one epoch's shards of 32 on one thread, fastest of 3 rounds:")
        print("kernels                      forward ms  backward ms")
        for (name, t) in [("own (on the result path)", times.kernels), ("cblas_sgemm (yardstick)", times.sgemm)] {
            print(String(format: "%@ %10.1f  %11.1f", name.padding(toLength: 28, withPad: " ", startingAt: 0),
                         t.forward * 1e3, t.backward * 1e3))
        }
        print(String(format: "own / sgemm time             %9.2f×  %10.2f×\n", times.kernels.forward / times.sgemm.forward,
                     times.kernels.backward / times.sgemm.backward))
    }
}
