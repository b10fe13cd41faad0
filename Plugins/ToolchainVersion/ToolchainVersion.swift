import Foundation
import PackagePlugin

/// Records the version of the compiler that builds the target as `toolchainVersion`, so that the
/// report can name it without running `swift --version` on every run.
@main
struct ToolchainVersion: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let swiftc = try context.tool(named: "swiftc").url
        let output = context.pluginWorkDirectoryURL.appending(path: "ToolchainVersion.swift")
        // sh writes the first line of `swiftc --version` into a Swift string literal.
        let script = #"printf 'let toolchainVersion = "%s"\n' "$("$1" --version 2>/dev/null | head -n 1)" > "$2""#
        return [.buildCommand(displayName: "Recording the Swift toolchain's version", executable: URL(fileURLWithPath: "/bin/sh"),
                              arguments: ["-c", script, "sh", swiftc.path, output.path], outputFiles: [output])]
    }
}
