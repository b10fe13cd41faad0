/// Loss and predictions of a model on a labelled set.
public struct Evaluation: Sendable {
    public let loss: Double
    public let correct: Int
    public let predictions: [UInt8]
    public var total: Int { predictions.count }
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    public init(loss: Double, correct: Int, predictions: [UInt8]) {
        self.loss = loss
        self.correct = correct
        self.predictions = predictions
    }
}

extension LeNet5 {
    /// Loss, accuracy and predictions on a whole labelled set, in batches on up to two threads.
    public func evaluate(_ data: some LabeledImages, threads: Int = 2) -> Evaluation {
        let engine = Engine(capacityPerShard: Engine.inferenceChunk, training: false, threads: threads)
        return parameters.withUnsafeBufferPointer {
            Trainer.evaluate($0.baseAddress!, normalization: normalization, on: data, engine: engine)
        }
    }
}

extension Trainer {
    static func evaluate(_ parameters: UnsafePointer<Float>, normalization: InputNormalization?, on data: some LabeledImages,
                         engine: Engine) -> Evaluation {
        let count = data.labels.count
        var predictions = [UInt8](repeating: 0, count: count)
        var tallies = [ShardTally](repeating: ShardTally(), count: Engine.shards)
        predictions.withUnsafeMutableBufferPointer { predictions in
            tallies.withUnsafeMutableBufferPointer { tallies in
                let (predictions, tallies) = (predictions, tallies)
                engine.eachShard { s, w in
                    let range = Engine.shardRange(s, of: count)
                    for start in stride(from: range.lowerBound, to: range.upperBound, by: w.capacity) {
                        let chunk = start..<min(start + w.capacity, range.upperBound)
                        w.load(data, chunk)
                        normalization?.apply(w.input.pointer, count: chunk.count * LeNet5.inputCount)
                        LeNet5.forward(parameters, w, batch: chunk.count, switches: false)
                        let t = w.tally(batch: chunk.count, predictions: predictions.baseAddress! + start)
                        tallies[s].lossSum += t.lossSum
                        tallies[s].correct += t.correct
                    }
                }
            }
        }
        let total = tallies.reduce(into: ShardTally()) { $0.lossSum += $1.lossSum; $0.correct += $1.correct }
        return Evaluation(loss: count == 0 ? 0 : total.lossSum / Double(count), correct: total.correct, predictions: predictions)
    }
}

extension Network {
    /// Loss, accuracy and predictions on a whole labelled set: LeNet-5 as `LeNet5.evaluate`,
    /// any other network through `forward` in chunks, the loss summed in image order.
    public func evaluate(_ data: some LabeledImages, threads: Int = 2) -> Evaluation {
        if let lenet5 { return lenet5.evaluate(data, threads: threads) }
        let count = data.labels.count, chunk = 1000
        var predictions = [UInt8](repeating: 0, count: count), lossSum = 0.0, correct = 0
        let images = Buffer<Float>(count: chunk * inputCount)
        for start in Swift.stride(from: 0, to: count, by: chunk) {
            let indices = Array(start..<min(start + chunk, count))
            indices.withUnsafeBufferPointer { data.fill(images.pointer, with: $0) }
            let pass = forward(images: Array(UnsafeBufferPointer(start: images.pointer, count: indices.count * inputCount)),
                               threads: threads)
            for (i, predicted) in pass.predictions.enumerated() {
                let label = Int(data.labels[start + i])
                lossSum -= Double(pass.logProbabilities[i * classes + label])
                predictions[start + i] = UInt8(predicted)
                if predicted == label { correct += 1 }
            }
        }
        return Evaluation(loss: count == 0 ? 0 : lossSum / Double(count), correct: correct, predictions: predictions)
    }
}
