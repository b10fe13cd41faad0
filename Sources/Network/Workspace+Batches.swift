/// What one shard's pass measured.
struct ShardTally {
    var lossSum = 0.0
    var correct = 0
}

extension Workspace {
    /// Copies the images and labels at `indices` into this workspace.
    func load(_ data: some LabeledImages, _ indices: some Collection<Int>) {
        let labels = data.labels
        withUnsafeTemporaryAllocation(of: Int.self, capacity: indices.count) { rows in
            var row = 0
            for index in indices {
                (rows[row], self.labels.pointer[row]) = (index, Int32(labels[index]))
                row += 1
            }
            data.fill(input.pointer, with: UnsafeBufferPointer(rows))
        }
    }

    /// Summed loss and correct predictions of the first `n` rows after a forward pass; writes each
    /// row's predicted class to `predictions` when given.
    func tally(batch n: Int, predictions: UnsafeMutablePointer<UInt8>? = nil) -> ShardTally {
        let classes = LeNet5.classes
        var tally = ShardTally()
        tally.lossSum = NLLLoss.forward(logProbabilities: logProbabilities.pointer, labels: labels.pointer, batch: n, classes: classes)
        for row in 0..<n {
            let scores = logProbabilities.pointer + row * classes
            var best = 0
            for j in 1..<classes where scores[j] > scores[best] { best = j }
            if best == Int(labels.pointer[row]) { tally.correct += 1 }
            predictions?[row] = UInt8(best)
        }
        return tally
    }
}
