import Foundation

/// ReLU, applied in place: the engine keeps only the rectified values, which are all that the
/// backward pass needs (x > 0 exactly where relu(x) > 0).
enum ReLU {
    static func forward(_ values: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { values[i] = max(values[i], 0) }
    }

    /// Zeroes the gradient wherever the rectified output is 0, in place.
    static func backward(_ gradient: UnsafeMutablePointer<Float>, output: UnsafePointer<Float>, count: Int) {
        // A select rather than a branch, so that the loop runs eight lanes at a time.
        for i in 0..<count { gradient[i] = output[i] > 0 ? gradient[i] : 0 }
    }
}

/// Row-wise log-softmax over (n, classes), stable by subtracting each row's maximum.
enum LogSoftmax {
    static func forward(output: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, batch n: Int, classes: Int) {
        for row in 0..<n {
            let x = input + row * classes, y = output + row * classes
            var m = x[0]
            for j in 1..<classes { m = max(m, x[j]) }
            var sum: Float = 0
            for j in 0..<classes { sum += exp(x[j] - m) }
            let logSum = m + log(sum)
            for j in 0..<classes { y[j] = x[j] - logSum }
        }
    }

    /// dx = dy − softmax · Σ dy, row by row.
    static func backward(inputGradient: UnsafeMutablePointer<Float>, outputGradient: UnsafePointer<Float>,
                         output: UnsafePointer<Float>, batch n: Int, classes: Int) {
        for row in 0..<n {
            let dy = outputGradient + row * classes, y = output + row * classes, dx = inputGradient + row * classes
            var sum: Float = 0
            for j in 0..<classes { sum += dy[j] }
            for j in 0..<classes { dx[j] = dy[j] - exp(y[j]) * sum }
        }
    }
}

/// Negative log-likelihood of the labels, averaged over a whole batch of `batchSize` examples of
/// which these `n` rows may be one shard.
enum NLLLoss {
    /// The sum of −log p(label) over the `n` rows; divide by the batch size for the mean.
    static func forward(logProbabilities: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch n: Int, classes: Int) -> Double {
        var total = 0.0
        for row in 0..<n { total -= Double(logProbabilities[row * classes + Int(labels[row])]) }
        return total
    }

    /// The gradient of the batch mean: −1 / batchSize at each label, 0 elsewhere.
    static func backward(inputGradient: UnsafeMutablePointer<Float>, labels: UnsafePointer<Int32>,
                         batch n: Int, classes: Int, batchSize: Int) {
        inputGradient.update(repeating: 0, count: n * classes)
        for row in 0..<n { inputGradient[row * classes + Int(labels[row])] = -1 / Float(batchSize) }
    }
}
