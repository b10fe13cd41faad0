import FileIO
import Foundation
import Graphics
import LeNet

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
        // Cairo's SVGs name their parts from a process-wide counter of surfaces, so the SVGs are
        // drawn first and one by one, for the same bytes on every run; PDFs and PNGs in parallel.
        let svgs = try figures.map { try $0.figure.rendered(as: .svg) }
        let others = figures.flatMap { f in [Format.pdf, .png].map { (f.figure, $0) } }
        let rendered = try parallelMap(others.count, threads: threads) { try others[$0].0.rendered(as: others[$0].1) }
        let files = figures.indices.flatMap { i in
            [("\(figures[i].name).svg", svgs[i]), ("\(figures[i].name).pdf", rendered[2 * i]), ("\(figures[i].name).png", rendered[2 * i + 1])]
        }
        return FigureFiles(names: figures.map(\.name), files: files)
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
