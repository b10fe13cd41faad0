import Analyses
import MNIST

/// The closing summary: what the report shows, each sentence chosen in the template by the same
/// context value its chapter's sentence is chosen by (so the two cannot disagree), what it cannot
/// show, and what other settings would be expected to change. This context adds only what no
/// chapter states: the accuracy's baseline and the thresholds the other chapters apply silently.
struct ConclusionChapter: Chapter {
    struct Context {
        /// The most common digit of the test set and its share: what answering it always scores.
        let majorityDigit: Int, majorityShare: String
        /// The rank correlation from which the switches count as fixing where a picture lies.
        let switchesAt: String
        /// The probability below which the occlusion's count inside the fields is beyond chance.
        let chanceLevel: String
    }

    static let name = "conclusion"
    let context: Context

    init(_ run: RunResults) {
        let counts = run.data.test.classCounts, majority = counts.indices.max { counts[$0] < counts[$1] }!
        context = Context(majorityDigit: majority,
                          majorityShare: Formatted.percent(Double(counts[majority]) / Double(run.data.test.count)),
                          switchesAt: Formatted.decimal(SanityChecks.Findings.switchesDominateAt, 1),
                          chanceLevel: Formatted.decimal(Occlusion.Findings.chanceLevel, 2))
    }
}
