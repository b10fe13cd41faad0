import Deconvnet
import Network

extension BackwardRuleProjections {
    /// How much the three rules agree, per convolutional layer (by depth).
    public struct Findings: Sendable, Equatable {
        /// Per layer: pictures identical under all three rules, of all the layer's pictures.
        public let identical: [Int], totals: [Int]
        /// Per layer: the mean Spearman correlation of the absolute pictures between two rules,
        /// over every image and map (undefined correlations, of a blank picture, left out).
        public let gradientDeconvnet: [Double], guidedDeconvnet: [Double], gradientGuided: [Double]
        /// Per layer, the number of image-map pairs each mean is over.
        public let pairs: [Int]
        /// Blank pictures (all zero: the map silent on that image) under each rule, over every
        /// layer; their correlations are undefined and left out of the means.
        public var blank: [BackwardRule: Int] = [:]

        /// Every picture of the first layer is the same under all three rules.
        public var firstLayerAllIdentical: Bool { identical[0] == totals[0] }
        /// Per layer, whether all of its pictures are.
        public var allIdentical: [Bool] { zip(identical, totals).map { $0 == $1 } }
        /// In the deepest layer, guided backpropagation is closer to the deconvnet than to the gradient.
        public var guidedCloserToDeconvnet: Bool { guidedDeconvnet.last! > gradientGuided.last! }
    }

    public var findings: Findings {
        let images = digits.indices
        var identical = [Int](), totals = [Int](), pairs = [Int]()
        var gd = [Double](), ud = [Double](), gu = [Double]()
        for layer in layers {
            let same = images.flatMap { i in
                (0..<layer.maps).map { m in Set(BackwardRule.allCases.map { projection($0, image: i, layer: layer, map: m) }).count == 1 }
            }
            identical.append(same.filter { $0 }.count)
            totals.append(same.count)
            func agreement(_ a: BackwardRule, _ b: BackwardRule) -> Double {
                SimilaritySummary(images.flatMap { i in
                    (0..<layer.maps).map { m in
                        Spearman.correlation(projection(a, image: i, layer: layer, map: m).map(abs),
                                             projection(b, image: i, layer: layer, map: m).map(abs))
                    }
                }).mean
            }
            gd.append(agreement(.gradient, .deconvnet))
            ud.append(agreement(.guided, .deconvnet))
            gu.append(agreement(.gradient, .guided))
            pairs.append(digits.count * layer.maps)
        }
        var findings = Findings(identical: identical, totals: totals, gradientDeconvnet: gd, guidedDeconvnet: ud, gradientGuided: gu,
                                pairs: pairs)
        for rule in BackwardRule.allCases {
            findings.blank[rule] = layers.reduce(0) { count, layer in
                count + images.reduce(0) { c, i in c + (0..<layer.maps).filter { m in projection(rule, image: i, layer: layer, map: m).allSatisfy { $0 == 0 } }.count }
            }
        }
        return findings
    }
}
