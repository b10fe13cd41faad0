import Deconvnet
import Network

/// Can the pictures be trusted? The randomisation checks of Adebayo et al. ("Sanity Checks for
/// Saliency Maps", 2018) for the three backward rules: every map of every report image projected
/// through the trained model and through models whose convolutional filters were redrawn
/// (cascading from the top convolutional layer down, then the switches alone), and each
/// projection compared with the trained one.
public struct SanityChecks: Sendable {
    /// The seed of the redrawn filters unless another is given.
    public static let defaultSeed: UInt64 = 2013

    public let seed: UInt64
    public let digits: [Int]
    /// The input images (`inputCount` floats each, pixel / 255), one per digit.
    public let images: [[Float]]
    /// The trained network.
    public let network: Network
    /// `trained`, then the randomised conditions (`SanityCondition.randomised`), in order.
    public let conditions: [SanityCondition]
    /// The trained network with every convolutional layer redrawn (`Network.redrawing`); each
    /// cascading condition takes only its own layers from it.
    public let redrawn: Network
    /// Every condition's projections, `trained` included.
    public let projections: [SanityCondition: BackwardRuleProjections]
    /// One per randomised condition and rule, condition by condition in `randomised` order,
    /// rules in `BackwardRule` order within each.
    public let comparisons: [SanityComparison]
    /// One per rule, of the trained projections.
    public let baselines: [SanityBaseline]
    /// The same randomised conditions with the filters drawn from other seeds (`seed` + 1, …),
    /// kept as their comparisons only: whether a finding holds for other draws than `seed`'s.
    public let otherRedrawings: [Redrawing]

    /// The redrawings in all: `seed`'s and `otherRedrawings`.
    public static let redrawingCount = 5

    public struct Redrawing: Sendable {
        public let seed: UInt64
        /// As `comparisons`.
        public let comparisons: [SanityComparison]
    }

    /// Every redrawing's seed, `seed` first.
    public var seeds: [UInt64] { [seed] + otherRedrawings.map(\.seed) }

    static func otherSeeds(_ seed: UInt64) -> [UInt64] { (1..<UInt64(redrawingCount)).map { seed &+ $0 } }

    /// The conditions compared with `trained`.
    public var randomised: [SanityCondition] { Array(conditions.dropFirst()) }

    /// Projects every map of `images` (the pictures of `digits`) under all rules and conditions.
    public init(network: Network, digits: [Int], images: [[Float]], seed: UInt64 = defaultSeed, mode: ReconstructionMode = .wholeMap,
                threads: Int = 2) {
        precondition(digits.count == images.count, "one image per digit")
        let conditions = SanityCondition.all(network)
        let trainedPasses = BackwardRuleProjections.forward(network, images, threads: threads)
        func project(_ seed: UInt64, _ conditions: [SanityCondition]) -> [SanityCondition: BackwardRuleProjections] {
            var projections: [SanityCondition: BackwardRuleProjections] = [:]
            for condition in conditions {
                let filters = condition.redrawn.isEmpty ? network : network.redrawing(Self.layers(condition, of: network), seed: seed)
                let passes = condition.recomputesForward && !condition.redrawn.isEmpty
                    ? BackwardRuleProjections.forward(filters, images, threads: threads) : trainedPasses
                projections[condition] = BackwardRuleProjections(deconvnet: Deconvnet(network: filters), passes: passes, digits: digits,
                                                                 mode: mode, threads: threads)
            }
            return projections
        }
        let primary = project(seed, conditions), randomised = SanityCondition.randomised(network)
        let others = Self.otherSeeds(seed).map { other in
            var both = project(other, randomised)
            both[.trained] = primary[.trained]
            return Redrawing(seed: other, comparisons: Self.compare(both, conditions: randomised, threads: threads).map(\.roundedToFloat))
        }
        self.init(seed: seed, digits: digits, images: images, network: network, projections: primary, otherRedrawings: others,
                  threads: threads)
    }

    /// The convolutional layers a condition redraws.
    static func layers(_ condition: SanityCondition, of network: Network) -> [ConvolutionalLayer] {
        condition.redrawn.map { network.convolutionalLayers[$0 - 1] }
    }

    /// Compares every condition's projections with the trained ones.
    init(seed: UInt64, digits: [Int], images: [[Float]], network: Network, projections: [SanityCondition: BackwardRuleProjections],
         otherRedrawings: [Redrawing], threads: Int) {
        self.seed = seed
        self.digits = digits
        self.images = images
        self.network = network
        conditions = SanityCondition.all(network)
        redrawn = network.redrawing(network.convolutionalLayers, seed: seed)
        self.projections = projections
        comparisons = Self.compare(projections, conditions: SanityCondition.randomised(network), threads: threads)
        baselines = BackwardRule.allCases.map { Self.baseline($0, projections[.trained]!, images: images) }
        self.otherRedrawings = otherRedrawings
    }

    /// The trained projections under every rule: the contents of `rules.safetensors`.
    public var rules: BackwardRuleProjections { projections[.trained]! }

    public func comparison(_ condition: SanityCondition, _ rule: BackwardRule) -> SanityComparison {
        comparisons.comparison(condition, rule)
    }

    public func baseline(_ rule: BackwardRule) -> SanityBaseline { baselines.first { $0.rule == rule }! }

    static func compare(_ projections: [SanityCondition: BackwardRuleProjections], conditions: [SanityCondition],
                        threads: Int) -> [SanityComparison] {
        let pairs = conditions.flatMap { c in BackwardRule.allCases.map { (c, $0) } }
        return parallelMap(pairs.count, threads: threads) { p in
            let (condition, rule) = pairs[p]
            let trained = projections[.trained]!.projections[rule]!, other = projections[condition]!.projections[rule]!
            let spearman = trained.indices.map { Spearman.correlation(trained[$0].map(abs), other[$0].map(abs)) }
            let support = trained.indices.map { SanityComparison.supportCorrelation(trained[$0], other[$0]) }
            let ssim = trained.indices.map { SSIM.ofProjections(trained[$0], other[$0], width: projections[.trained]!.imageWidth) }
            return SanityComparison(condition: condition, rule: rule, layers: projections[.trained]!.layers, spearman: spearman,
                                    supportSpearman: support, ssim: ssim)
        }
    }

    static func baseline(_ rule: BackwardRule, _ trained: BackwardRuleProjections, images: [[Float]]) -> SanityBaseline {
        let all = trained.projections[rule]!, maps = trained.mapsPerImage
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

extension [SanityComparison] {
    func comparison(_ condition: SanityCondition, _ rule: BackwardRule) -> SanityComparison {
        first { $0.condition == condition && $0.rule == rule }!
    }
}
