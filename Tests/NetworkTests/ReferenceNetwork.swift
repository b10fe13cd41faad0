@testable import Network

/// LeNet-5 chained from the reference layers, generic so that it runs in Double.
enum ReferenceNetwork {
    typealias Net = LeNet5

    struct Trace<T: BinaryFloatingPoint & ElementaryFunctions> {
        var conv1 = [T](), relu1 = [T](), pool1 = [T](), switches1 = [Int32]()
        var conv2 = [T](), relu2 = [T](), pool2 = [T](), switches2 = [Int32]()
        var fc1 = [T](), relu3 = [T](), fc2 = [T](), relu4 = [T](), logits = [T](), logp = [T]()
    }

    static func tensor<T>(_ parameters: [T], _ p: Net.Parameter) -> [T] { Array(parameters[p.range]) }

    static func forward<T: BinaryFloatingPoint & ElementaryFunctions>(parameters w: [T], input: [T]) -> Trace<T> {
        let n = input.count / Net.inputCount
        var t = Trace<T>()
        t.conv1 = Reference.convForward(Net.conv1, input: input, weight: tensor(w, .conv1Weight), bias: tensor(w, .conv1Bias), batch: n)
        t.relu1 = Reference.reluForward(t.conv1)
        (t.pool1, t.switches1) = Reference.maxPoolForward(Net.pool1, input: t.relu1, batch: n)
        t.conv2 = Reference.convForward(Net.conv2, input: t.pool1, weight: tensor(w, .conv2Weight), bias: tensor(w, .conv2Bias), batch: n)
        t.relu2 = Reference.reluForward(t.conv2)
        (t.pool2, t.switches2) = Reference.maxPoolForward(Net.pool2, input: t.relu2, batch: n)
        t.fc1 = Reference.linearForward(Net.fc1, input: t.pool2, weight: tensor(w, .fc1Weight), bias: tensor(w, .fc1Bias), batch: n)
        t.relu3 = Reference.reluForward(t.fc1)
        t.fc2 = Reference.linearForward(Net.fc2, input: t.relu3, weight: tensor(w, .fc2Weight), bias: tensor(w, .fc2Bias), batch: n)
        t.relu4 = Reference.reluForward(t.fc2)
        t.logits = Reference.linearForward(Net.fc3, input: t.relu4, weight: tensor(w, .fc3Weight), bias: tensor(w, .fc3Bias), batch: n)
        t.logp = Reference.logSoftmaxForward(t.logits, classes: Net.classes)
        return t
    }

    static func loss<T: BinaryFloatingPoint & ElementaryFunctions>(parameters: [T], input: [T], labels: [Int32]) -> T {
        Reference.nllLoss(logProbabilities: forward(parameters: parameters, input: input).logp, labels: labels, classes: Net.classes)
    }

    /// The gradient of the mean NLL loss with respect to every parameter and input pixel.
    static func gradients<T: BinaryFloatingPoint & ElementaryFunctions>(
        parameters w: [T], input: [T], labels: [Int32]
    ) -> (parameters: [T], input: [T]) {
        let n = labels.count
        let t = forward(parameters: w, input: input)
        var grad = [T](repeating: 0, count: Net.parameterCount)
        func store(_ p: Net.Parameter, _ values: [T]) { grad.replaceSubrange(p.range, with: values) }

        var dlogp = [T](repeating: 0, count: n * Net.classes)
        for (row, label) in labels.enumerated() { dlogp[row * Net.classes + Int(label)] = -1 / T(n) }
        let dlogits = Reference.logSoftmaxBackward(outputGradient: dlogp, output: t.logp, classes: Net.classes)
        let g3 = Reference.linearBackward(Net.fc3, outputGradient: dlogits, input: t.relu4, weight: tensor(w, .fc3Weight), batch: n)
        store(.fc3Weight, g3.weight); store(.fc3Bias, g3.bias)
        let g2 = Reference.linearBackward(Net.fc2, outputGradient: Reference.reluBackward(outputGradient: g3.input, input: t.fc2),
                                          input: t.relu3, weight: tensor(w, .fc2Weight), batch: n)
        store(.fc2Weight, g2.weight); store(.fc2Bias, g2.bias)
        let g1 = Reference.linearBackward(Net.fc1, outputGradient: Reference.reluBackward(outputGradient: g2.input, input: t.fc1),
                                          input: t.pool2, weight: tensor(w, .fc1Weight), batch: n)
        store(.fc1Weight, g1.weight); store(.fc1Bias, g1.bias)
        let dRelu2 = Reference.maxPoolBackward(Net.pool2, outputGradient: g1.input, switches: t.switches2, batch: n)
        let c2 = Reference.convBackward(Net.conv2, outputGradient: Reference.reluBackward(outputGradient: dRelu2, input: t.conv2),
                                        input: t.pool1, weight: tensor(w, .conv2Weight), batch: n)
        store(.conv2Weight, c2.weight); store(.conv2Bias, c2.bias)
        let dRelu1 = Reference.maxPoolBackward(Net.pool1, outputGradient: c2.input, switches: t.switches1, batch: n)
        let c1 = Reference.convBackward(Net.conv1, outputGradient: Reference.reluBackward(outputGradient: dRelu1, input: t.conv1),
                                        input: input, weight: tensor(w, .conv1Weight), batch: n)
        store(.conv1Weight, c1.weight); store(.conv1Bias, c1.bias)
        return (grad, c1.input)
    }
}
