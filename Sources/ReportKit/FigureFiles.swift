import FileIO
import Foundation
import Graphics
import Network

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

    /// PNGs' pixels per inch of the figure as printed in the PDF: over twice the 72 points an inch
    /// of print size, and more pixels cost the warm report time it does not have.
    static let pngDPI = 150.0

    static func render(_ figures: [NamedFigure], threads: Int) throws -> FigureFiles {
        try render(figures, threads: threads, alongside: { Data() }).files
    }

    /// The figures' files, and what `alongside` makes, computed on the same threads: it is the
    /// first job to start (the pipeline's PDF, longer than any figure), and the other threads
    /// draw figures meanwhile.
    static func render(_ figures: [NamedFigure], threads: Int,
                       alongside: () throws -> Data) throws -> (files: FigureFiles, alongside: Data) {
        let jobs = figures.flatMap { f in Format.allCases.map { (f, $0) } }
        let rendered = try parallelMap(jobs.count + 1, threads: threads) { i throws -> Data in
            guard i > 0 else { return try alongside() }
            let (figure, format) = jobs[i - 1]
            return try figure.figure.rendered(as: format, printedIn: .column, dpi: pngDPI)
        }
        let files = jobs.indices.map { ("\(jobs[$0].0.name).\(jobs[$0].1.rawValue)", rendered[$0 + 1]) }
        return (FigureFiles(names: figures.map(\.name), files: files), rendered[0])
    }

    /// Writes every file (each through a temporary name) and removes figures a previous run left
    /// that this one did not draw.
    func write(to folder: String) throws {
        try FileSystem.createFolder(folder)
        for file in files { try FileSystem.write(file.data, to: folder.appending(path: file.name)) }
        let current = Set(files.map(\.name))
        for stale in FileSystem.contents(ofFolder: folder) ?? []
        where !current.contains(stale) && Format.allCases.contains(where: { stale.hasSuffix(".\($0.rawValue)") }) {
            try FileSystem.remove(folder.appending(path: stale))
        }
    }
}
