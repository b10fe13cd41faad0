import Testing
@testable import ReportKit

/// The commit and its date come from `git`, run without Foundation's `Process`.
@Suite struct ProvenanceTests {
    @Test func outputOfACommand() {
        #expect(Provenance.output(of: ["sh", "-c", "echo '  hi '; echo ignored >&2"]) == "hi")
        #expect(Provenance.output(of: ["sh", "-c", "head -c 300000 /dev/zero | tr '\\0' a"])?.count == 300_000,
                "more than a pipe holds")
        #expect(Provenance.output(of: ["sh", "-c", "echo partial; exit 3"]) == nil, "a failing command")
        #expect(Provenance.output(of: ["no-such-program-\(Int.random(in: 0..<1_000_000))"]) == nil)
    }

    /// This checkout's commit, as git names it.
    @Test func commitOfThisCheckout() throws {
        let commit = Provenance.commit
        try #require(!commit.hasPrefix("unknown"), "the tests run in a git checkout")
        let hexadecimal = commit.prefix(12).allSatisfy(\.isHexDigit)
        #expect(hexadecimal, "\(commit)")
        #expect(commit.count == 12 || commit.hasSuffix(" with uncommitted changes"), "\(commit)")
        #expect(Provenance.commitDate?.count == 10)
    }
}
