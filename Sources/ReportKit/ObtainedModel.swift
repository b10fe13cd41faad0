import FileIO
import Foundation
import Network
import ONNX
import MNIST

/// The model the report is about, and where it came from.
struct ObtainedModel {
    enum Source { case trained, reused, loaded }

    /// The network the report is about (a LeNet-5 when trained here).
    let network: Network
    let source: Source
    /// The model file it was read from or written to, and the SHA-256 of its bytes.
    let path: String
    let sha256: String
    /// Training settings and history; nil for weights loaded from elsewhere.
    let options: TrainingOptions?
    let history: TrainingHistory?
    let trainImages: Int
    /// The models saved during training, in step order, for the feature evolution (empty for
    /// weights loaded from elsewhere).
    var checkpoints: [(step: Int, model: Network)] = []
    /// The machine it was trained on, as its file records it (nil when it does not).
    var machine: String? = nil
    /// The dtypes its weights were converted from on loading (F16, BF16, F64); empty for F32.
    var convertedFrom: [String] = []
    /// The test-set evaluation training ended with; nil when the model was not trained now.
    var evaluation: Evaluation? = nil
    /// How a loaded file's tensors were read when their names are not LeNet-5's own
    /// ("features.0 → conv1, …").
    var tensorNames: String? = nil
    /// True when the model's input normalisation is the one its file's metadata records, not
    /// `--normalize`'s.
    var normalizationFromFile = false

    /// What every exported file records of the model: its file's hash and, when it has one, its
    /// input normalisation, in whose scale the projections are.
    var exportMetadata: [String: String] {
        ["model_sha256": sha256].merging(network.normalization?.metadata ?? [:]) { $1 }
    }
}

extension ObtainedModel {
    /// Loads `options.weights`, reuses the model in `folder` (the staging clone of the output
    /// folder) when it was trained with these settings, or trains a new one and writes it with its
    /// history into `folder`. Paths are named as they will be in the output folder.
    static func obtain(_ options: ReportOptions, folder: String, train: Dataset, test: Dataset,
                       checksums: [String: String]) throws -> ObtainedModel {
        // Mean 0 and std 1 is no normalisation: given, it overrides a file's.
        let normalization = options.normalization.flatMap { $0.isIdentity ? nil : $0 }
        if let weights = options.weights, weights.hasSuffix(".onnx") {
            return try loadONNX(weights, options: options, normalization: normalization)
        }
        if let weights = options.weights {
            let (file, sha256) = try read(weights)
            let names = try CheckpointNames(file, path: weights)
            var model = try LeNet5(checkpoint: file, names: names, path: weights)
            let converted = LeNet5.convertedDTypes(in: file)
            print("    using the weights in \(weights); training options are ignored"
                + (converted.isEmpty ? "" : "; converted from \(converted.joined(separator: " and ")) to F32"))
            if let summary = names.summary { print("    read its tensors as \(summary)") }
            model.normalization = inputNormalization(recorded: model.normalization, options: options, normalization: normalization)
            return ObtainedModel(network: model.network(modelNames: names.modules), source: .loaded, path: weights, sha256: sha256, options: nil, history: nil, trainImages: 0,
                                 convertedFrom: converted, tensorNames: names.summary, normalizationFromFile: options.normalization == nil)
        }
        try FileSystem.createFolder(folder)
        let request = TrainingRequest(options: options.training, trainImages: train.count, checksums: checksums,
                                      normalization: normalization)
        let path = options.output.appending(path: TrainingRun.files.model)
        if !options.retrain {
            switch reusable(folder.appending(path: TrainingRun.files.model), named: path, folder: folder, request: request) {
            case .success(let (model, sha256, history, checkpoints, machine)):
                print("    reusing \(path), trained with these settings (--retrain to train again)")
                return ObtainedModel(network: model.network, source: .reused, path: path, sha256: sha256, options: request.options,
                                     history: history, trainImages: train.count, checkpoints: checkpoints.map { ($0.step, $0.model.network) },
                                     machine: machine)
            case .failure(let refusal):
                if let reason = refusal.reason { print("    \(reason); training a new model") }
            }
        }

        let training = request.options
        print("    LeNet-5 (\(LeNet5.parameterCount) parameters), \(training.epochs) epochs of \(training.optimizer.rawValue), "
            + "learning rate \(training.learningRate) (\(training.schedule.rawValue)), batch \(training.batchSize), seed \(training.seed)"
            + (normalization.map { ", inputs normalised as \($0.formula)" } ?? ""))
        var initial = LeNet5(seed: training.seed)
        initial.normalization = normalization
        let trainer = Trainer(model: initial, options: training, threads: options.threads)
        let progress = ProgressLine()
        var checkpoints: [(step: Int, model: LeNet5)] = []
        let history = try trainer.train(on: train, test: test, checkpointSteps: Set(request.checkpointSteps),
                                        checkpoint: { checkpoints.append(($0, $1)) },
                                        progress: progress.update, epochEnded: progress.finish)
        // Training evaluated the final model on the test set after its last epoch.
        let evaluation = trainer.lastTestEvaluation ?? trainer.evaluate(test)
        let run = TrainingRun(request: request, history: history, evaluation: evaluation, checkpoints: checkpoints)
        let machine = Provenance.machine
        let sha256 = try run.write(model: trainer.model, machine: machine, to: folder)
        try TestHook.moment("trained")
        print("    trained in \(Formatted.seconds(run.seconds)); wrote \(TrainingRun.files.model), \(TrainingRun.files.metrics), "
            + "\(TrainingRun.files.epochs), \(TrainingRun.files.steps) and \(checkpoints.count) checkpoints")
        return ObtainedModel(network: trainer.model.network, source: .trained, path: path, sha256: sha256, options: training,
                             history: run.historyAsWritten, trainImages: train.count,
                             checkpoints: checkpoints.map { ($0.step, $0.model.network) }, machine: machine, evaluation: evaluation)
    }

    /// A network from an ONNX file (PyTorch's exporters, tf2onnx), with what its reading folded
    /// away printed; refused unless it classifies MNIST's ten digits with at least one
    /// convolutional layer, which is what the writeup is about.
    private static func loadONNX(_ path: String, options: ReportOptions, normalization: InputNormalization?) throws -> ObtainedModel {
        let bytes = try FileSystem.read(path)
        let folder = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        let model = try ONNXModel(bytes: bytes, path: path) { (location: String) throws(FileError) -> [UInt8] in
            try FileSystem.read(folder + location)
        }
        var network = model.network
        guard network.classes == 10 else {
            throw ReportError("\(path): the network has \(network.classes) classes; MNIST has 10 digits")
        }
        guard !network.convolutionalLayers.isEmpty else {
            throw ReportError("\(path): the network has no convolutional layer; the report shows what convolutional layers learned")
        }
        let producer = [model.producerName, model.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
        print("    using the network in \(path) (ONNX\(producer.isEmpty ? "" : " from \(producer)")): "
            + "\(Formatted.count(network.convolutionalLayers.count, "convolutional layer")), \(Formatted.integer(network.parameterCount)) parameters; "
            + "training options are ignored")
        for note in model.notes { print("    \(note)") }
        network.normalization = inputNormalization(recorded: network.normalization, options: options, normalization: normalization)
        return ObtainedModel(network: network, source: .loaded, path: path, sha256: SHA256.hex(bytes), options: nil, history: nil,
                             trainImages: 0, tensorNames: model.notes.isEmpty ? nil : model.notes.joined(separator: " "),
                             normalizationFromFile: options.normalization == nil)
    }

    /// The normalisation a loaded model runs with: `--normalize`'s when given, else the one its
    /// file records; says which, and that the option overrides a different recorded one.
    private static func inputNormalization(recorded: InputNormalization?, options: ReportOptions,
                                           normalization: InputNormalization?) -> InputNormalization? {
        let chosen = options.normalization != nil ? normalization : recorded
        if let n = chosen {
            print("    inputs normalised as \(n.formula) (\(options.normalization == nil ? "the file's metadata" : "--normalize"))")
        }
        if let recorded, recorded != chosen {
            print("    note: --normalize overrides the file's metadata, which records \(recorded.formula)")
        }
        return chosen
    }

    /// A safetensors file and the SHA-256 of its bytes, read once.
    private static func read(_ path: String) throws(FileError) -> (Safetensors, String) {
        let bytes = try FileSystem.read(path)
        return (try Safetensors.decode(bytes, path: path), SHA256.hex(bytes))
    }

    /// The model at `location` (named `path` in messages) with its history, when it was trained
    /// for `request`; otherwise why not (nil when there is simply no model file yet).
    private static func reusable(_ location: String, named path: String, folder: String, request: TrainingRequest)
        -> Result<(LeNet5, String, TrainingHistory, [(step: Int, model: LeNet5)], String?), ReuseRefusal> {
        guard FileSystem.exists(location) else { return .failure(ReuseRefusal(nil)) }
        let file: Safetensors, sha256: String
        do { (file, sha256) = try read(location) } catch { return .failure(ReuseRefusal(FileError(path: path, error.problem).description)) }
        guard request.matches(file.metadata) else {
            let identity = request.identity
            let differing = request.identityKeys.filter { file.metadata[$0] != identity[$0] }
            return .failure(ReuseRefusal("\(path) was trained with other settings (\(differing.joined(separator: ", ")))"))
        }
        let model: LeNet5
        do { model = try LeNet5(checkpoint: file, path: path) } catch { return .failure(ReuseRefusal("\(error.description)")) }
        guard let history = TrainingRun.readHistory(from: folder, for: request, model: file.metadata) else {
            return .failure(ReuseRefusal("the training history beside \(path) is missing or is not that model's"))
        }
        guard let checkpoints = TrainingRun.readCheckpoints(from: folder, for: request, model: file.metadata) else {
            return .failure(ReuseRefusal("the checkpoints beside \(path) are missing or are not that model's"))
        }
        return .success((model, sha256, history, checkpoints, file.metadata["machine"]))
    }

    private struct ReuseRefusal: Error {
        let reason: String?
        init(_ reason: String?) { self.reason = reason }
    }
}
