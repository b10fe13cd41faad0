/// The chapter on how this document was made, and from what. Only what is the same on every
/// regeneration of an unchanged checkout: this run's timings and host go to `run.txt` instead.
struct ReproducibilityChapter: Chapter {
    struct Checksum { let file: String, sum: String }
    struct Version { let name: String, version: String }

    struct Context {
        let commandLine: String, commit: String
        let checksums: [Checksum]
        let versions: [Version]
        let runLog: String
    }

    static let name = "reproducibility"
    let tables = ["checksums", "versions"]
    let context: Context

    init(_ run: RunResults) {
        let provenance = run.provenance
        let checksums = run.data.checksums.sorted { $0.key < $1.key }.map { Checksum(file: "\(run.dataFolder)/\($0.key)", sum: $0.value) }
            + [Checksum(file: run.obtained.path, sum: run.modelSHA256)]
        context = Context(
            commandLine: provenance.commandLine, commit: provenance.commit, checksums: checksums,
            versions: provenance.versions.map { Version(name: $0.name, version: $0.version) },
            runLog: RunLog.name)
    }
}
