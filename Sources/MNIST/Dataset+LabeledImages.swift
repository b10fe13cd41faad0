import Network

/// MNIST's datasets feed the engine directly, the pipeline and the engine-only tools alike.
extension Dataset: LabeledImages {}
