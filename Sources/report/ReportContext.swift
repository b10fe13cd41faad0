import Deconvnet
import Foundation
import LeNet
import MNIST
import Writeup

/// Everything a run computed that the writeup talks about.
struct RunRecord {
    let data: MNIST
    let train: Dataset
    let dataFolder: String
    let obtained: ObtainedModel
    let evaluation: Evaluation
    let digits: [DigitReconstruction]
    let mode: ReconstructionMode
    let unpooling: UnpoolingExample
    let modelSHA256: String
    let figureNames: [String]
    let tableNames = ["class_counts", "architecture", "hyperparameters", "epochs", "per_class", "checksums", "versions", "timings"]
    let timings: [(stage: String, seconds: Double)]
    let commandLine: String
    let commit: String
    let machine: String
    let versions: [(name: String, version: String)]
}

/// The Mustache context of the templates in `Templates/`.
extension RunRecord {
    var context: [String: Any] {
        [
            "title": "LeNet-5 on MNIST, seen through a deconvnet",
            "subtitle": "What the two convolutional layers of a small network learned, mapped back to pixels",
            "fig": Dictionary(uniqueKeysWithValues: figureNames.map { ($0, CrossReferences.placeholder(.figure, $0)) }),
            "tab": Dictionary(uniqueKeysWithValues: tableNames.map { ($0, CrossReferences.placeholder(.table, $0)) }),
            "model": modelContext,
            "data": dataContext,
            "architecture": architectureContext,
            "training": trainingContext,
            "accuracy": accuracyContext,
            "filters": filtersContext,
            "deconv": deconvContext,
            "digits": digitsContext,
            "repro": reproContext,
        ]
    }

    private var modelContext: [String: Any] {
        ["trained": obtained.source == .trained, "reused": obtained.source == .reused,
         "loaded": obtained.source == .loaded, "path": obtained.path]
    }

    private var dataContext: [String: Any] {
        let train = data.train.classCounts, test = data.test.classCounts
        let (trainTotal, testTotal) = (data.train.count, data.test.count)
        let largest = train.indices.max { train[$0] < train[$1] }!, smallest = train.indices.min { train[$0] < train[$1] }!
        return [
            "folder": dataFolder,
            "verified": data.verified.count == data.checksums.count,
            "trainTotal": Formatted.integer(trainTotal), "testTotal": Formatted.integer(testTotal),
            "limited": self.train.count < trainTotal, "trainUsed": Formatted.integer(self.train.count),
            "classes": (0..<10).map { d in
                ["digit": d, "train": Formatted.integer(train[d]), "test": Formatted.integer(test[d]),
                 "trainShare": Formatted.percent(Double(train[d]) / Double(trainTotal), digits: 1),
                 "testShare": Formatted.percent(Double(test[d]) / Double(testTotal), digits: 1)] as [String: Any]
            },
            "largest": "\(largest)", "smallest": "\(smallest)",
            "largestRatio": Formatted.decimal(Double(train[largest]) / Double(train[smallest]), 2),
        ]
    }

    private var architectureContext: [String: Any] {
        func size(_ s: Int?) -> String { s.map(String.init) ?? "–" }
        let c1 = LeNet5.conv1, p1 = LeNet5.pool1, c2 = LeNet5.conv2
        return [
            "parameterCount": Formatted.integer(LeNet5.parameterCount),
            "layers": LeNet5.layers.map { layer in
                ["name": layer.name, "operation": layer.operation,
                 "kernel": layer.kernel.map { "\($0)×\($0)" } ?? "–", "stride": size(layer.stride), "padding": size(layer.padding),
                 "output": layer.outputShape.map(String.init).joined(separator: "×"),
                 "parameters": Formatted.integer(layer.parameterCount)]
            },
            "example1": "(\(c1.inputHeight) + 2·\(c1.padding) − \(c1.kernel)) / \(c1.stride) + 1 = \(c1.outputHeight)",
            "example2": "(\(p1.inputHeight) − \(MaxPool2D.window)) / \(MaxPool2D.window) + 1 = \(p1.outputHeight)",
            "example3": "(\(c2.inputHeight) − \(c2.kernel)) / \(c2.stride) + 1 = \(c2.outputHeight)",
            "forwardMFLOP": Formatted.decimal(Double(LeNet5.forwardFLOPs) / 1e6, 2),
            "trainingMFLOP": Formatted.decimal(Double(LeNet5.trainingFLOPs) / 1e6, 2),
        ]
    }

    private var trainingContext: [String: Any] {
        guard let options = obtained.options, let history = obtained.history, !history.epochs.isEmpty else { return ["hasHistory": false] }
        let seconds = history.epochs.reduce(0) { $0 + $1.seconds }
        let best = history.epochs.max { $0.testAccuracy < $1.testAccuracy }!
        let optimizerName = options.optimizer == .adam ? "Adam" : "SGD with momentum 0.9"
        return [
            "hasHistory": true,
            "optimizerName": optimizerName,
            "learningRate": "\(options.learningRate)",
            "scheduleText": options.schedule == .cosine ? "decayed to 0 along a cosine over the run" : "constant",
            "batchSize": options.batchSize, "epochs": options.epochs, "seed": options.seed,
            "stepsPerEpoch": Formatted.integer(history.stepLosses.count / max(options.epochs, 1)),
            "steps": Formatted.integer(history.stepLosses.count),
            "smoothing": ReportFigures.smoothingWindow,
            "trainImages": Formatted.integer(obtained.trainImages),
            "secondsText": Formatted.seconds(seconds),
            "imagesPerSecond": Formatted.integer(Int(Double(obtained.trainImages * options.epochs) / max(seconds, 1e-9))),
            "machine": machine,
            "bestAccuracy": Formatted.percent(best.testAccuracy), "bestEpoch": best.epoch,
            "rows": history.epochs.map { e in
                ["epoch": e.epoch, "trainLoss": Formatted.decimal(e.trainLoss, 4), "trainAccuracy": Formatted.percent(e.trainAccuracy),
                 "testLoss": Formatted.decimal(e.testLoss, 4), "testAccuracy": Formatted.percent(e.testAccuracy),
                 "seconds": Formatted.decimal(e.seconds, 1)] as [String: Any]
            },
        ]
    }

    private var accuracyContext: [String: Any] {
        let matrix = confusionMatrix(labels: data.test.labels, predictions: evaluation.predictions)
        let perClass = (0..<10).map { d in (digit: d, correct: matrix[d][d], total: matrix[d].reduce(0, +)) }
        let rate = { (c: (digit: Int, correct: Int, total: Int)) in Double(c.correct) / Double(max(c.total, 1)) }
        let worst = perClass.min { rate($0) < rate($1) }!, best = perClass.max { rate($0) < rate($1) }!
        let offDiagonal = (0..<10).flatMap { t in (0..<10).filter { $0 != t }.map { (t, $0, matrix[t][$0]) } }
        let top = offDiagonal.max { $0.2 < $1.2 }
        var context: [String: Any] = [
            "percent": Formatted.percent(evaluation.accuracy), "correct": Formatted.integer(evaluation.correct),
            "total": Formatted.integer(evaluation.total), "errors": Formatted.integer(evaluation.total - evaluation.correct),
            "loss": Formatted.decimal(evaluation.loss, 4),
            "worstDigit": worst.digit, "worstPercent": Formatted.percent(rate(worst)),
            "bestDigit": best.digit, "bestPercent": Formatted.percent(rate(best)),
            "perClass": perClass.map { c in
                ["digit": c.digit, "total": Formatted.integer(c.total), "correct": Formatted.integer(c.correct),
                 "percent": Formatted.percent(rate(c))] as [String: Any]
            },
            "misclassifiedShown": min(ReportFigures.misclassifiedShown, evaluation.total - evaluation.correct),
        ]
        if let top, top.2 > 0 { context["topConfusion"] = ["true": top.0, "predicted": top.1, "count": top.2] }
        return context
    }

    private var filtersContext: [String: Any] {
        ["conv1Limit": Formatted.decimal(Double(ReportFigures.limit(obtained.model.conv1Filters)), 3),
         "conv2Limit": Formatted.decimal(Double(ReportFigures.limit(obtained.model.conv2Filters)), 3)]
    }

    private var deconvContext: [String: Any] {
        [
            "mode": mode.rawValue, "modeName": mode == .wholeMap ? "whole map" : "strongest activation",
            "modeSummary": mode.summary,
            "digitList": digits.map { "\($0.digit)" }.joined(separator: ", "),
            "exampleDigit": unpooling.digit, "exampleMap": unpooling.map,
            "exampleRows": "\(unpooling.top)–\(unpooling.top + 3)", "exampleColumns": "\(unpooling.left)–\(unpooling.left + 3)",
        ]
    }

    private var digitsContext: [[String: Any]] {
        digits.enumerated().map { position, d in
            let features = "digit\(d.digit)_features", reconstructions = "digit\(d.digit)_reconstructions"
            return [
                "position": position + 1, "digit": d.digit, "testIndex": d.testIndex, "predicted": d.predicted,
                "figFeatures": CrossReferences.placeholder(.figure, features), "featuresFile": features,
                "figReconstructions": CrossReferences.placeholder(.figure, reconstructions), "reconstructionsFile": reconstructions,
                "pool1Max": Formatted.decimal(Double(d.activations.pool1.max() ?? 0), 2),
                "pool2Max": Formatted.decimal(Double(d.activations.pool2.max() ?? 0), 2),
                "observations": observations(d),
            ]
        }
    }

    /// What the data says about one image's maps: which are silent, which respond most.
    func observations(_ d: DigitReconstruction) -> String {
        func describe(_ layer: ConvLayer) -> String {
            let pooled = layer == .conv1 ? d.activations.pool1 : d.activations.pool2
            let plane = pooled.count / layer.maps
            let sums = (0..<layer.maps).map { m in pooled[(m * plane)..<((m + 1) * plane)].reduce(0, +) }
            let silent = sums.indices.filter { sums[$0] == 0 }
            let ranked = sums.indices.sorted { sums[$0] > sums[$1] }.prefix(2)
            var text = "In \(layer.rawValue), map\(ranked.count > 1 ? "s" : "") "
                + ranked.map { "\($0) (total pooled activation \(Formatted.decimal(Double(sums[$0]), 1)))" }.joined(separator: " and ")
                + " respond most"
            text += silent.isEmpty ? "; no map is silent." : "; map\(silent.count > 1 ? "s" : "") "
                + silent.map(String.init).joined(separator: ", ") + (silent.count > 1 ? " are" : " is") + " silent, so \(silent.count > 1 ? "their" : "its") reconstruction is blank."
            return text
        }
        return describe(.conv1) + " " + describe(.conv2)
    }

    private var reproContext: [String: Any] {
        let checksums = data.checksums.sorted { $0.key < $1.key }.map { ["file": "\(dataFolder)/\($0.key)", "sum": $0.value] }
            + [["file": obtained.path, "sum": modelSHA256]]
        return [
            "commandLine": commandLine, "commit": commit, "machine": machine,
            "checksums": checksums,
            "versions": versions.map { ["name": $0.name, "version": $0.version] },
            "timings": timings.map { timing in
                let stage = timing.stage == "training" && obtained.source != .trained ? "training (model reused or loaded)" : timing.stage
                return ["stage": stage, "seconds": Formatted.decimal(timing.seconds, 2)]
            },
        ]
    }
}

/// matrix[true][predicted]: how many images of each digit got each prediction.
func confusionMatrix(labels: [UInt8], predictions: [UInt8]) -> [[Int]] {
    var matrix = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
    for (label, prediction) in zip(labels, predictions) { matrix[Int(label)][Int(prediction)] += 1 }
    return matrix
}
