import Network

/// Explaining the decision: the nine attributions of `ClassAttributions` for the report's digits,
/// their faithfulness by deletion and insertion over the first test images beside a random order
/// (`Faithfulness`), and Adebayo et al.'s cascading randomisation of them: the same attributions
/// through the models whose convolutional layers `SanityChecks` redraws from the top down, each
/// compared with the trained model's by Spearman's rank correlation of the absolute values.
public struct Explanations: Sendable {
    /// The test images the faithfulness is measured over unless fewer are asked for, and of
    /// those, the first ones the randomisation compares, for a network no costlier than LeNet-5.
    public static let defaultImages = 1000, defaultRandomisationImages = 100

    /// The defaults for `network`: for one whose forward pass costs k times LeNet-5's, 1/k of
    /// them (down to a multiple of ten, at least `minimumImages`), so that the explanations cost
    /// about the same arithmetic for any network (PyTorch's MNIST example, 29 × LeNet-5: 30 and 10).
    public static func defaultImages(for network: Network) -> (images: Int, randomisation: Int) {
        let cost = relativeCost(network)
        func scaled(_ count: Int) -> Int {
            guard cost > 1 else { return count }
            return max(minimumImages, Int(Double(count) / cost) / 10 * 10)
        }
        return (scaled(defaultImages), scaled(defaultRandomisationImages))
    }
    /// The arithmetic of `network`'s forward pass over LeNet-5's.
    public static func relativeCost(_ network: Network) -> Double {
        Double(network.forwardFLOPs) / Double(LeNet5.forwardFLOPs)
    }

    /// Fewest images: each is compared with the next one, and the bootstrap intervals need several.
    public static let minimumImages = 10

    /// Seeds SmoothGrad's noise and the random orders (`--seed`).
    public let seed: UInt64
    /// The redrawn layers' seed, `SanityChecks`'s.
    public let redrawSeed: UInt64
    public let digits: [DigitImage]
    /// The trained model's attributions of the digits.
    public let digitAttributions: ClassAttributions
    /// The cascading conditions, top layer first (`SanityCondition.randomised` without `switches_only`).
    public let conditions: [SanityCondition]
    /// The first digit's attributions under each condition, of the class the trained model explains.
    public let randomisedExample: [SanityCondition: ClassAttributions]
    /// Deletion and insertion over the first test images.
    public let faithfulness: Faithfulness
    /// Integrated Gradients' completeness error on each of those images (`ClassAttributions.completenessErrors`),
    /// and what it is measured against, log p_c(x) − log p_c(blank).
    public let completenessErrors: [Double], logProbabilityGaps: [Double]
    public let randomisation: AttributionRandomisation

    /// Computes everything for `network`: the digits' attributions, and over `testImages` (the
    /// first test images, pixels, byte / 255, in order from test index 0) their faithfulness; the
    /// randomisation over the first `randomisationImages` of them.
    public init(network: Network, digits: [DigitImage], testImages: [Float], seed: UInt64, redrawSeed: UInt64 = SanityChecks.defaultSeed,
                randomisationImages: Int = defaultRandomisationImages, threads: Int = 2) {
        precondition(!digits.isEmpty, "at least one digit")
        let pixels = network.inputCount, n = testImages.count / pixels
        precondition(testImages.count == n * pixels && n > 0, "whole images, at least one")
        let trained = ClassAttributions(network: network, images: testImages, indices: Array(0..<n), seed: seed, threads: threads)
        let faithfulness = Faithfulness(network: network, images: testImages, attributions: trained, seed: seed, threads: threads)
        let digitAttributions = ClassAttributions(network: network, images: digits.images, indices: digits.map(\.testIndex), seed: seed,
                                                  threads: threads)
        let r = min(randomisationImages, n)
        let conditions = Self.conditions(network)
        var example: [SanityCondition: ClassAttributions] = [:]
        var randomised: [SanityCondition: ClassAttributions] = [:]
        for condition in conditions {
            let redrawn = network.redrawing(condition.redrawn.map { network.convolutionalLayers[$0 - 1] }, seed: redrawSeed)
            let both = ClassAttributions(network: redrawn, images: digits[0].image + testImages[0..<(r * pixels)],
                                         indices: [digits[0].testIndex] + Array(0..<r),
                                         classes: [digitAttributions.classes[0]] + trained.classes.prefix(r), seed: seed, threads: threads)
            example[condition] = both.subset(0..<1)
            randomised[condition] = both.subset(1..<(r + 1))
        }
        let randomisation = AttributionRandomisation(trained: trained.subset(0..<r), randomised: randomised, conditions: conditions,
                                                     images: Array(testImages[0..<(r * pixels)]), threads: threads)
        self.init(seed: seed, redrawSeed: redrawSeed, digits: digits, digitAttributions: digitAttributions, conditions: conditions,
                  randomisedExample: example, faithfulness: faithfulness,
                  // Rounded as the file keeps them, so that a warm run reads the same numbers.
                  completenessErrors: trained.completenessErrors.map { Double(Float($0)) },
                  logProbabilityGaps: zip(trained.logProbabilities, trained.blankLogProbabilities).map { Double($0 - $1) },
                  randomisation: randomisation)
    }

    init(seed: UInt64, redrawSeed: UInt64, digits: [DigitImage], digitAttributions: ClassAttributions, conditions: [SanityCondition],
         randomisedExample: [SanityCondition: ClassAttributions], faithfulness: Faithfulness, completenessErrors: [Double],
         logProbabilityGaps: [Double], randomisation: AttributionRandomisation) {
        self.seed = seed
        self.redrawSeed = redrawSeed
        self.digits = digits
        self.digitAttributions = digitAttributions
        self.conditions = conditions
        self.randomisedExample = randomisedExample
        self.faithfulness = faithfulness
        self.completenessErrors = completenessErrors
        self.logProbabilityGaps = logProbabilityGaps
        self.randomisation = randomisation
    }

    /// The cascade of `SanityChecks` that recomputes the forward pass: `random_conv{L}`, …,
    /// `random_conv1_…_conv{L}`.
    public static func conditions(_ network: Network) -> [SanityCondition] {
        SanityCondition.randomised(network).filter(\.recomputesForward)
    }
}

/// Adebayo et al.'s comparison: per cascading condition and method, Spearman's rank correlation
/// between the absolute values of each image's trained and randomised attributions (average
/// ranks for ties, NaN when either is constant). Two yardsticks beside it: the same correlation
/// between the trained attributions of unrelated images (each with the next one compared, the
/// last with the first), which the shared blank paper alone can make far from 0; and each
/// image's pixels against its trained attribution and against the one with every layer redrawn.
public struct AttributionRandomisation: Sendable {
    public let conditions: [SanityCondition]
    /// The test indices compared.
    public let indices: [Int]
    public let spearman: [SanityCondition: [AttributionMethod: [Double]]]
    public let unrelatedSpearman: [AttributionMethod: [Double]]
    public let inputSpearman: [AttributionMethod: [Double]], redrawnInputSpearman: [AttributionMethod: [Double]]

    init(trained: ClassAttributions, randomised: [SanityCondition: ClassAttributions], conditions: [SanityCondition], images: [Float],
         threads: Int) {
        let pixels = trained.pixels, n = trained.count
        func correlations(_ pair: @escaping @Sendable (AttributionMethod, Int) -> ([Float], [Float])) -> [AttributionMethod: [Double]] {
            Dictionary(uniqueKeysWithValues: AttributionMethod.allCases.map { method in
                (method, parallelMap(n, threads: threads) { i in let (a, b) = pair(method, i); return Spearman.correlation(a, b) })
            })
        }
        let image = { @Sendable (i: Int) in Array(images[(i * pixels)..<((i + 1) * pixels)]) }
        var spearman: [SanityCondition: [AttributionMethod: [Double]]] = [:]
        for condition in conditions {
            let other = randomised[condition]!
            spearman[condition] = correlations { m, i in
                (trained.attribution(m, image: i).map(abs), other.attribution(m, image: i).map(abs))
            }
        }
        let all = randomised[conditions.last!]!
        self.init(conditions: conditions, indices: trained.indices, spearman: spearman,
                  unrelatedSpearman: correlations { m, i in
                      (trained.attribution(m, image: i).map(abs), trained.attribution(m, image: (i + 1) % n).map(abs))
                  },
                  inputSpearman: correlations { m, i in (trained.attribution(m, image: i).map(abs), image(i)) },
                  redrawnInputSpearman: correlations { m, i in (all.attribution(m, image: i).map(abs), image(i)) })
    }

    init(conditions: [SanityCondition], indices: [Int], spearman: [SanityCondition: [AttributionMethod: [Double]]],
         unrelatedSpearman: [AttributionMethod: [Double]], inputSpearman: [AttributionMethod: [Double]],
         redrawnInputSpearman: [AttributionMethod: [Double]]) {
        self.conditions = conditions
        self.indices = indices
        self.spearman = spearman
        self.unrelatedSpearman = unrelatedSpearman
        self.inputSpearman = inputSpearman
        self.redrawnInputSpearman = redrawnInputSpearman
    }
}

extension ClassAttributions {
    /// The images in `range`.
    func subset(_ range: Range<Int>) -> ClassAttributions {
        ClassAttributions(imageHeight: imageHeight, imageWidth: imageWidth, indices: Array(indices[range]), classes: Array(classes[range]),
                          logProbabilities: Array(logProbabilities[range]), blankLogProbabilities: Array(blankLogProbabilities[range]),
                          values: values.mapValues { Array($0[(range.lowerBound * pixels)..<(range.upperBound * pixels)]) })
    }
}
