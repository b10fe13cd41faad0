import Deconvnet
import Network

/// Can the pictures be trusted? The randomisation checks of Adebayo et al. ("Sanity Checks for
/// Saliency Maps", 2018) for the three backward rules: every map of every report image projected
/// through the trained model and through models whose convolutional filters were redrawn, and
/// each projection compared with the trained one.
public struct SanityChecks: Sendable {
    /// The seed of the redrawn filters unless another is given.
    public static let defaultSeed: UInt64 = 2013

    public let seed: UInt64
    public let digits: [Int]
    /// The input images (784 floats each, pixel / 255), one per digit.
    public let images: [[Float]]
    /// The trained model with conv1 and conv2 redrawn (`LeNet5.redrawing`); `random_conv2` takes
    /// only its conv2.
    public let redrawn: LeNet5
    /// Every condition's projections, `trained` included.
    public let projections: [SanityCondition: BackwardRuleProjections]
    /// One per randomised condition and rule, condition by condition in `SanityCondition.randomised`
    /// order, rules in `BackwardRule` order within each.
    public let comparisons: [SanityComparison]
    /// One per rule, of the trained projections.
    public let baselines: [SanityBaseline]

    /// Projects every map of `images` (the pictures of `digits`) under all rules and conditions.
    public init(model: LeNet5, digits: [Int], images: [[Float]], seed: UInt64 = defaultSeed, mode: ReconstructionMode = .wholeMap,
                threads: Int = 2) {
        precondition(digits.count == images.count, "one image per digit")
        let randomConv2 = model.redrawing([.conv2], seed: seed), redrawn = model.redrawing([.conv1, .conv2], seed: seed)
        let trainedPass = BackwardRuleProjections.forward(model, images)
        let setups: [(SanityCondition, LeNet5, [PoolActivations])] = [
            (.trained, model, trainedPass),
            (.randomConv2, randomConv2, BackwardRuleProjections.forward(randomConv2, images)),
            (.randomConv1Conv2, redrawn, BackwardRuleProjections.forward(redrawn, images)),
            (.switchesOnly, redrawn, trainedPass),
        ]
        var projections: [SanityCondition: BackwardRuleProjections] = [:]
        for (condition, filters, activations) in setups {
            projections[condition] = BackwardRuleProjections(deconvnet: Deconvnet(model: filters), activations: activations,
                                                             digits: digits, mode: mode, threads: threads)
        }
        self.init(seed: seed, digits: digits, images: images, redrawn: redrawn, projections: projections, threads: threads)
    }

    /// Compares every condition's projections with the trained ones.
    init(seed: UInt64, digits: [Int], images: [[Float]], redrawn: LeNet5, projections: [SanityCondition: BackwardRuleProjections],
         threads: Int) {
        self.seed = seed
        self.digits = digits
        self.images = images
        self.redrawn = redrawn
        self.projections = projections
        comparisons = Self.compare(projections, threads: threads)
        baselines = BackwardRule.allCases.map { Self.baseline($0, projections[.trained]!, images: images) }
    }

    /// The trained projections under every rule: the contents of `rules.safetensors`.
    public var rules: BackwardRuleProjections { projections[.trained]! }

    public func comparison(_ condition: SanityCondition, _ rule: BackwardRule) -> SanityComparison {
        comparisons.first { $0.condition == condition && $0.rule == rule }!
    }

    public func baseline(_ rule: BackwardRule) -> SanityBaseline { baselines.first { $0.rule == rule }! }

    static func compare(_ projections: [SanityCondition: BackwardRuleProjections], threads: Int) -> [SanityComparison] {
        let pairs = SanityCondition.randomised.flatMap { c in BackwardRule.allCases.map { (c, $0) } }
        return parallelMap(pairs.count, threads: threads) { p in
            let (condition, rule) = pairs[p]
            let trained = projections[.trained]!.projections[rule]!, other = projections[condition]!.projections[rule]!
            let spearman = trained.indices.map { Spearman.correlation(trained[$0].map(abs), other[$0].map(abs)) }
            let ssim = trained.indices.map { SSIM.ofProjections(trained[$0], other[$0]) }
            return SanityComparison(condition: condition, rule: rule, spearman: spearman, ssim: ssim)
        }
    }

    static func baseline(_ rule: BackwardRule, _ trained: BackwardRuleProjections, images: [[Float]]) -> SanityBaseline {
        let all = trained.projections[rule]!, maps = ConvLayer.allMaps.count
        let ranks = all.map { Spearman.ranks($0.map(abs)) }
        let input = all.indices.map { Spearman.pearson(ranks[$0], Spearman.ranks(images[$0 / maps].map(abs))) }
        var pairwise: [Double] = [], skipped: [Int] = []
        for image in images.indices {
            var correlations: [Double] = []
            for i in 0..<maps {
                for j in (i + 1)..<maps { correlations.append(Spearman.pearson(ranks[image * maps + i], ranks[image * maps + j])) }
            }
            let defined = correlations.filter { !$0.isNaN }
            pairwise.append(defined.isEmpty ? .nan : defined.reduce(0, +) / Double(defined.count))
            skipped.append(correlations.count - defined.count)
        }
        return SanityBaseline(rule: rule, inputSpearman: input, pairwiseSpearman: pairwise, pairwiseSkipped: skipped)
    }
}
