import Foundation

/// poppler-utils' and qpdf's command-line tools, run on a PDF written to a temporary file.
enum PDFTools {
    static let hasPdfinfo = FileManager.default.isExecutableFile(atPath: "/usr/bin/pdfinfo")
    static let hasQpdf = FileManager.default.isExecutableFile(atPath: "/usr/bin/qpdf")

    /// The standard output of `tool arguments FILE`, where FILE holds `pdf`; the exit status too.
    static func run(_ tool: String, _ arguments: [String], on pdf: Data) throws -> (output: String, status: Int32) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("writeup-\(UUID()).pdf")
        try pdf.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
        process.arguments = arguments + [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: output, as: UTF8.self), process.terminationStatus)
    }

    static func pdfinfo(_ arguments: [String], _ pdf: Data) throws -> String { try run("pdfinfo", arguments, on: pdf).output }

    /// The structure tree as `pdfinfo -struct-text` prints it: one element or text per line,
    /// indented two spaces a level.
    static func structure(_ pdf: Data) throws -> [(depth: Int, text: String)] {
        try pdfinfo(["-struct-text"], pdf).split(separator: "\n").map { line in
            let spaces = line.prefix { $0 == " " }.count
            return (spaces / 2, line.trimmingCharacters(in: .whitespaces))
        }
    }

    /// The names of the PDF's named destinations (`pdfinfo -dests`).
    static func destinations(_ pdf: Data) throws -> Set<String> {
        Set(try pdfinfo(["-dests"], pdf).split(separator: "\n").compactMap { line in
            line.firstMatch(of: /"(.*)"$/).map { String($0.1) }
        })
    }

    /// The link annotations as Cairo writes them (uncompressed): a named destination or a URI.
    static func links(_ pdf: Data) -> [(destination: String?, uri: String?)] {
        let text = String(decoding: pdf, as: UTF8.self)
        return text.matches(of: /\/Subtype \/Link\n(?:(?!endobj).)*?(?:\/Dest \(([^)]*)\)|\/URI \(([^)]*)\))/.dotMatchesNewlines()).map {
            ($0.1.map(String.init), $0.2.map(String.init))
        }
    }
}
