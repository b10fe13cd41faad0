import FileIO
import Foundation
import Graphics
import Network

/// A figure and its file name under figures/ (without the extension).
typealias NamedFigure = (name: String, figure: any Figure)

/// Every figure as SVG, PDF and PNG: the files drawn anew in memory until `write`, those kept
/// from the previous run (see `DrawnFigures`) already in the folder.
struct FigureFiles {
    /// The figures' names, in drawing order.
    let names: [String]
    /// The SVGs by the link the Markdown uses for them.
    let svgsByLink: [String: Data]
    /// What is to be written under figures/: the files drawn anew and the list of what drew them.
    let files: [(name: String, data: Data)]
    /// How many figures kept their PDF and PNG from the previous run.
    let reused: Int
    var count: Int { names.count }

    /// PNGs' pixels per inch of the figure as printed in the PDF: over twice the 72 points an inch
    /// of print size, and more pixels cost the warm report time it does not have.
    static let pngDPI = 150.0

    static func render(_ figures: [NamedFigure], threads: Int) throws -> FigureFiles {
        try render(figures, folder: nil, threads: threads, first: [], fromSVGs: { _ in Data() }).files
    }

    /// The figures' files, with more jobs on the same threads: those of `first`, which start at
    /// once in order (the PDF, longer than any other job, then the explorer's page), and
    /// `fromSVGs`, which starts once every SVG is drawn (the HTML page, which inlines them). A
    /// figure whose SVG `folder` (the staging folder's figures, the previous run's) already holds
    /// with its PDF and PNG drawn by the same renderer keeps them.
    static func render(_ figures: [NamedFigure], folder: String?, threads: Int, first: [() throws -> Data],
                       fromSVGs: ([String: Data]) throws -> Data) throws -> (files: FigureFiles, first: [Data], fromSVGs: Data) {
        let previous = folder.map { DrawnFigures(folder: $0) } ?? DrawnFigures()
        let (count, svgs) = (figures.count, first.count..<(first.count + figures.count))
        let link = { (i: Int) in "figures/\(figures[i].name).svg" }
        // Jobs in order: first, the SVGs, fromSVGs, then each figure's PDF and PNG (none when kept).
        let results = try parallelMapInOrder(first.count + 2 * count + 1, threads: threads) { job, earlier throws -> [Data] in
            if job < first.count { return [try first[job]()] }
            if svgs.contains(job) {
                return [try figures[job - svgs.lowerBound].figure.rendered(as: .svg, printedIn: .column, dpi: pngDPI)]
            }
            if job == svgs.upperBound {
                let drawn = try earlier(svgs).map { $0[0] }
                return [try fromSVGs(Dictionary(uniqueKeysWithValues: drawn.indices.map { (link($0), drawn[$0]) }))]
            }
            let i = job - svgs.upperBound - 1, (name, figure) = figures[i]
            let svg = try earlier((svgs.lowerBound + i)..<(svgs.lowerBound + i + 1))[0][0]
            if let folder, previous.reusable(name, svg: svg, in: folder) { return [] }
            return try [Format.pdf, .png].map { try figure.rendered(as: $0, printedIn: .column, dpi: pngDPI) }
        }
        var drawn = DrawnFigures(), files: [(name: String, data: Data)] = [], reused = 0
        for (i, (name, _)) in figures.enumerated() {
            let svg = results[svgs.lowerBound + i][0], redrawn = results[svgs.upperBound + 1 + i]
            if redrawn.isEmpty {
                drawn.keep(name, from: previous)
                files.append(("\(name).svg", svg))
                reused += 1
            } else {
                let formats: [Format: Data] = [.svg: svg, .pdf: redrawn[0], .png: redrawn[1]]
                drawn.list(name, formats)
                files += Format.allCases.map { ("\(name).\($0.rawValue)", formats[$0]!) }
            }
        }
        files.append((DrawnFigures.name, Data(drawn.text.utf8)))
        let svgsByLink = Dictionary(uniqueKeysWithValues: figures.indices.map { (link($0), results[svgs.lowerBound + $0][0]) })
        return (FigureFiles(names: figures.map(\.name), svgsByLink: svgsByLink, files: files, reused: reused),
                results[..<first.count].map { $0[0] }, results[svgs.upperBound][0])
    }

    /// Writes the files drawn anew that changed (each through a temporary name) and removes figures a previous
    /// run left that this one did not draw.
    func write(to folder: String) throws {
        try FileSystem.createFolder(folder)
        for file in files { try FileSystem.writeIfChanged(file.data, to: folder.appending(path: file.name)) }
        let current = Set(names)
        for stale in FileSystem.contents(ofFolder: folder) ?? [] {
            let (base, format) = ((stale as NSString).deletingPathExtension, (stale as NSString).pathExtension)
            if Format(rawValue: format) != nil && !current.contains(base) { try FileSystem.remove(folder.appending(path: stale)) }
        }
    }
}
