import Foundation

/// Runs the pipeline's named stages in order, announcing each as `[k/n] name …` and timing it. A
/// failing stage ends the run with one error naming it.
struct Stages {
    /// The output folder, which the last stage's name mentions.
    let output: String
    private(set) var timings: [(stage: String, seconds: Double)] = []

    init(output: String) {
        self.output = output
    }

    mutating func run<T>(_ stage: Stage, _ body: () throws -> T) throws(ReportError) -> T {
        let (number, name) = (stage.rawValue, stage.name(output: output))
        print("[\(number)/\(Stage.allCases.count)] \(name) …")
        let start = Date()
        do {
            try TestHook.moment("stage-\(number)")
            let result = try body()
            timings.append((name, Date().timeIntervalSince(start)))
            return result
        } catch {
            throw ReportError("stage \(number) (\(name)) failed: \(error)")
        }
    }
}
