/// The pipeline's stages in order, each announced as `[k/9] name …`: the one list of their names.
enum Stage: Int, CaseIterable {
    case readingMNIST = 1, training, evaluating, reconstructing, analyses, chapters, templates, typesetting, writing

    /// The name announced and timed; the last names the output folder.
    func name(output: String) -> String {
        switch self {
        case .readingMNIST: "reading MNIST"
        case .training: "training"
        case .evaluating: "evaluating on the test set"
        case .reconstructing: "reconstructing activations"
        case .analyses: "running the analyses"
        case .chapters: "building the chapters"
        case .templates: "filling the templates"
        case .typesetting: "typesetting the PDF and the HTML pages, drawing figures"
        case .writing: "writing \(output)/"
        }
    }
}
