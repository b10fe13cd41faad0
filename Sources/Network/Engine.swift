import Dispatch

/// Runs passes of the network over a batch split into a fixed number of shards, one workspace each.
///
/// The partition does not depend on the thread count, and shard gradients are summed in shard
/// order, so a run gives bit-identical weights on one thread or two.
final class Engine: @unchecked Sendable {
    static let shards = 2
    /// Images per shard in one inference pass: few enough that a pass's maps stay in the
    /// processor's second-level cache from one layer to the next (250 ran 3 % slower).
    static let inferenceChunk = 64
    let threads: Int
    let workspaces: [Workspace]

    init(capacityPerShard: Int, training: Bool, threads: Int, keepsConvolutionOutputs: Bool = false) {
        self.threads = max(1, min(threads, Self.shards))
        workspaces = (0..<Self.shards).map { _ in
            Workspace(capacity: capacityPerShard, training: training, keepsConvolutionOutputs: keepsConvolutionOutputs)
        }
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
