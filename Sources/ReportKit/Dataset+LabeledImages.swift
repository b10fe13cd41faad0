import Network
import MNIST

/// MNIST's datasets feed the engine directly; declared here, the one module that knows both.
extension Dataset: LabeledImages {}
