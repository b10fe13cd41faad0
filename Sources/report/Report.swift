import ArgumentParser

@main
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Trains LeNet-5 on MNIST and writes the report's artifacts.",
        subcommands: [Generate.self, Bench.self],
        defaultSubcommand: Generate.self
    )
}
