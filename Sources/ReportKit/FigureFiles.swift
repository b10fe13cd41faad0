import Foundation
import Graphics

/// A figure and its file name under figures/ (without the extension).
typealias NamedFigure = (name: String, figure: any Figure)

/// Every figure rendered as SVG, PDF and PNG, in memory until `write`.
struct FigureFiles {
    /// The figures' names, in drawing order.
    let names: [String]
    let files: [(name: String, data: Data)]
    var count: Int { names.count }

    /// The SVGs by the link the Markdown uses for them.
    var svgsByLink: [String: Data] {
        Dictionary(uniqueKeysWithValues: files.filter { $0.name.hasSuffix(".svg") }.map { ("figures/\($0.name)", $0.data) })
    }

    static func render(_ figures: [NamedFigure], threads: Int) throws -> FigureFiles {
        let jobs = figures.flatMap { f in Format.allCases.map { (f, $0) } }
        let results = ResultSlots<Data>(count: jobs.count)
        // Cairo's SVGs name their parts from a process-wide counter of surfaces, so the SVGs are
        // drawn first and one by one, for the same bytes on every run; PDFs and PNGs in parallel.
        let svg = jobs.indices.filter { jobs[$0].1 == .svg }, other = jobs.indices.filter { jobs[$0].1 != .svg }
        for i in svg { results[i] = try jobs[i].0.figure.rendered(as: .svg) }
        try inParallel(other.count, threads: threads) { j in
            let i = other[j]
            results[i] = try jobs[i].0.figure.rendered(as: jobs[i].1)
        }
        return FigureFiles(names: figures.map(\.name), files: jobs.indices.map { ("\(jobs[$0].0.name).\(jobs[$0].1.rawValue)", results[$0]!) })
    }

    /// Writes every file (each through a temporary name) and removes figures a previous run left
    /// that this one did not draw.
    func write(to folder: String) throws {
        try createDirectory(folder)
        for file in files { try writeAtomically(file.data, to: folder.appending(path: file.name)) }
        let current = Set(files.map(\.name))
        for stale in try FileManager.default.contentsOfDirectory(atPath: folder)
        where !current.contains(stale) && Format.allCases.contains(where: { stale.hasSuffix(".\($0.rawValue)") }) {
            try FileManager.default.removeItem(atPath: folder.appending(path: stale))
        }
    }
}
