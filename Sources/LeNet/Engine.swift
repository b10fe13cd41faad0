import Dispatch

/// Runs passes of the network over a batch split into a fixed number of shards, one workspace each.
///
/// The partition does not depend on the thread count, and shard gradients are summed in shard
/// order, so a run gives bit-identical weights on one thread or two.
final class Engine: @unchecked Sendable {
    static let shards = 2
    let threads: Int
    let workspaces: [Workspace]

    init(capacityPerShard: Int, training: Bool, threads: Int) {
        self.threads = max(1, min(threads, Self.shards))
        workspaces = (0..<Self.shards).map { _ in Workspace(capacity: capacityPerShard, training: training) }
    }

    /// The slice of `0..<n` that shard `s` takes.
    static func shardRange(_ s: Int, of n: Int) -> Range<Int> {
        (s * n / shards)..<((s + 1) * n / shards)
    }

    /// Calls `body` once per shard, on up to `threads` threads at once.
    func eachShard(_ body: (Int, Workspace) -> Void) {
        parallelFor(Self.shards, threads: threads) { s in body(s, workspaces[s]) }
    }
}

/// Calls `body(0..<iterations)`, spread over `threads` threads when that is more than one. Each
/// iteration must touch memory of its own; that, not the type system, keeps this race-free.
func parallelFor(_ iterations: Int, threads: Int, _ body: (Int) -> Void) {
    guard threads > 1 else {
        for i in 0..<iterations { body(i) }
        return
    }
    struct UncheckedSendable<T>: @unchecked Sendable { let value: T }
    withoutActuallyEscaping(body) { body in
        let box = UncheckedSendable(value: body)
        DispatchQueue.concurrentPerform(iterations: iterations) { box.value($0) }
    }
}

/// What one shard's pass measured.
struct ShardTally {
    var lossSum = 0.0
    var correct = 0
}

extension Workspace {
    /// Copies the images and labels at `indices` into this workspace.
    func load(_ data: some LabeledImages, _ indices: some Collection<Int>) {
        data.fill(input.pointer, with: indices)
        for (row, index) in indices.enumerated() { labels.pointer[row] = Int32(data.labels[index]) }
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
