import ArgumentParser
import Foundation

@main
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Trains LeNet-5 on MNIST and writes the report's artifacts.",
        subcommands: [Generate.self, Bench.self],
        defaultSubcommand: Generate.self
    )

    /// As ArgumentParser's, except that a bad option ends in one `error:` line (the usage text is
    /// one `report --help` away), like every other failure.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard exitCode(for: error) != .success else { exit(withError: error) }   // --help, --version
            FileHandle.standardError.write(Data("error: \(message(for: error).split(separator: "\n").joined(separator: "; "))\n".utf8))
            Foundation.exit(exitCode(for: error).rawValue)
        }
    }
}
