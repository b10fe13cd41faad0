import Deconvnet
import Network

/// Two yardsticks for one rule's trained projections: how much of each picture is the input
/// image, and how much the 22 pictures of one image differ from one another.
public struct SanityBaseline: Sendable {
    public let rule: BackwardRule
    /// Spearman's correlation between each projection's absolute values and its input image, in
    /// `BackwardRuleProjections` order.
    public let inputSpearman: [Double]
    /// Per image, the mean Spearman correlation of the absolute values over all 231 pairs of its
    /// 22 projections; pairs with an undefined correlation (a blank projection) are left out.
    public let pairwiseSpearman: [Double]
    /// Pairs left out of each image's mean.
    public let pairwiseSkipped: [Int]
    public let inputSpearmanSummary: SimilaritySummary

    init(rule: BackwardRule, inputSpearman: [Double], pairwiseSpearman: [Double], pairwiseSkipped: [Int]) {
        self.rule = rule
        self.inputSpearman = inputSpearman
        self.pairwiseSpearman = pairwiseSpearman
        self.pairwiseSkipped = pairwiseSkipped
        inputSpearmanSummary = SimilaritySummary(inputSpearman)
    }
}
