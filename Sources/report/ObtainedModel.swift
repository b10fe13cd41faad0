import LeNet

/// The model the report is about, and where it came from.
struct ObtainedModel {
    enum Source { case trained, reused, loaded }

    let model: LeNet5
    let source: Source
    /// The model file it was read from or written to.
    let path: String
    /// Training settings and history; nil for weights loaded from elsewhere.
    let options: TrainingOptions?
    let history: TrainingHistory?
    let trainImages: Int
    /// The test-set evaluation training ended with; nil when the model was not trained now.
    var evaluation: Evaluation? = nil
}
