import Foundation

/// Runs the pipeline's named stages in order, announcing each as `[k/n] name …` and timing it. A
/// failing stage ends the run with one error naming it.
struct Stages {
    let names: [String]
    private(set) var timings: [(stage: String, seconds: Double)] = []

    init(_ names: [String]) {
        self.names = names
    }

    mutating func run<T>(_ name: String, _ body: () throws -> T) throws(ReportError) -> T {
        let number = (names.firstIndex(of: name) ?? names.count) + 1
        print("[\(number)/\(names.count)] \(name) …")
        let start = Date()
        do {
            let result = try body()
            timings.append((name, Date().timeIntervalSince(start)))
            return result
        } catch {
            throw ReportError("stage \(number) (\(name)) failed: \(error)")
        }
    }
}
