/// Section 9: how this document was made, and from what.
struct ReproducibilityChapter: Chapter {
    struct Checksum { let file: String, sum: String }
    struct Version { let name: String, version: String }
    struct Timing { let stage: String, seconds: String }

    struct Context {
        let commandLine: String, commit: String, machine: String
        let checksums: [Checksum]
        let versions: [Version]
        let timings: [Timing]
    }

    static let tableNames = ["checksums", "versions", "timings"]
    var tables: [String] { Self.tableNames }
    let context: Context

    /// `timings` are the stages finished before the templates are filled.
    init(_ run: RunResults, timings: [(stage: String, seconds: Double)]) {
        let provenance = run.provenance
        let checksums = run.data.checksums.sorted { $0.key < $1.key }.map { Checksum(file: "\(run.dataFolder)/\($0.key)", sum: $0.value) }
            + [Checksum(file: run.obtained.path, sum: run.modelSHA256)]
        context = Context(
            commandLine: provenance.commandLine, commit: provenance.commit, machine: provenance.machine,
            checksums: checksums,
            versions: provenance.versions.map { Version(name: $0.name, version: $0.version) },
            timings: timings.map { timing in
                let stage = timing.stage == "training" && run.obtained.source != .trained ? "training (model reused or loaded)" : timing.stage
                return Timing(stage: stage, seconds: Formatted.decimal(timing.seconds, 2))
            })
    }
}
