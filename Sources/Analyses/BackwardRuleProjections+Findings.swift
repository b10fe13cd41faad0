import Deconvnet
import Network

extension BackwardRuleProjections {
    /// How much the three rules agree.
    public struct Findings: Sendable, Equatable {
        /// conv1 pictures identical under all three rules, of all conv1 pictures.
        public let conv1Identical: Int, conv1Total: Int
        /// Mean Spearman correlation of the absolute conv2 pictures between two rules, over every
        /// image and map (undefined correlations, of a blank picture, left out).
        public let gradientDeconvnet: Double, guidedDeconvnet: Double, gradientGuided: Double
        /// The number of image-map pairs each mean is over.
        public let conv2Pairs: Int

        public var conv1AllIdentical: Bool { conv1Identical == conv1Total }
        public var guidedCloserToDeconvnet: Bool { guidedDeconvnet > gradientGuided }
    }

    public var findings: Findings {
        let images = digits.indices
        let identical = images.flatMap { i in
            (0..<ConvLayer.conv1.maps).map { m in Set(BackwardRule.allCases.map { projection($0, image: i, layer: .conv1, map: m) }).count == 1 }
        }
        func agreement(_ a: BackwardRule, _ b: BackwardRule) -> Double {
            SimilaritySummary(images.flatMap { i in
                (0..<ConvLayer.conv2.maps).map { m in
                    Spearman.correlation(projection(a, image: i, layer: .conv2, map: m).map(abs), projection(b, image: i, layer: .conv2, map: m).map(abs))
                }
            }).mean
        }
        return Findings(conv1Identical: identical.filter { $0 }.count, conv1Total: identical.count,
                        gradientDeconvnet: agreement(.gradient, .deconvnet), guidedDeconvnet: agreement(.guided, .deconvnet),
                        gradientGuided: agreement(.gradient, .guided), conv2Pairs: digits.count * ConvLayer.conv2.maps)
    }
}
