import Foundation
import Network

extension Explanations {
    /// What the faithfulness scores and the randomisation say, each conclusion with the numbers
    /// it rests on.
    public struct Findings: Sendable, Equatable {
        /// A method passes the randomisation test when its attributions with every convolutional
        /// layer redrawn keep a mean Spearman correlation below this with the trained ones.
        public static let passesBelow = 0.5

        /// Mean and quartiles over the images.
        public struct Spread: Sendable, Equatable {
            public let mean: Double, lowerQuartile: Double, upperQuartile: Double

            init(_ values: [Double]) {
                let summary = SimilaritySummary(values)
                (mean, lowerQuartile, upperQuartile) = (summary.mean, summary.lowerQuartile, summary.upperQuartile)
            }

            public init(mean: Double, lowerQuartile: Double, upperQuartile: Double) {
                (self.mean, self.lowerQuartile, self.upperQuartile) = (mean, lowerQuartile, upperQuartile)
            }
        }

        public struct Method: Sendable, Equatable {
            public let method: AttributionMethod
            /// Areas under the deletion (lower is more faithful) and insertion (higher) curves.
            public let deletion: Spread, insertion: Spread
            /// The share of images on which the method's area is better than the random order's.
            public let deletionBeatsRandom: Double, insertionBeatsRandom: Double
            /// Mean Spearman correlation with the trained attributions per cascading condition,
            /// in order (the last with every convolutional layer redrawn), and with the input.
            public let randomised: [Double]
            public let input: Double
            /// Comparisons left out of those means, over every condition, because an attribution
            /// was constant (a blank Grad-CAM map): its correlation is undefined.
            public let undefined: Int

            public init(method: AttributionMethod, deletion: Spread, insertion: Spread, deletionBeatsRandom: Double,
                        insertionBeatsRandom: Double, randomised: [Double], input: Double, undefined: Int = 0) {
                self.method = method
                self.deletion = deletion
                self.insertion = insertion
                self.deletionBeatsRandom = deletionBeatsRandom
                self.insertionBeatsRandom = insertionBeatsRandom
                self.randomised = randomised
                self.input = input
                self.undefined = undefined
            }

            /// With every convolutional layer redrawn.
            public var fullyRandomised: Double { randomised.last! }
            /// Changes with the weights, as an explanation of the model should; NaN never passes.
            public var passes: Bool { fullyRandomised < Findings.passesBelow }
        }

        /// In `AttributionMethod` order.
        public let methods: [Method]
        /// The random order's areas.
        public let randomDeletion: Spread, randomInsertion: Spread
        /// Images scored, and of those compared under randomisation.
        public let images: Int, randomisationImages: Int
        /// Integrated Gradients: the mean absolute completeness error and the mean |log p_c(x) −
        /// log p_c(blank)| it is measured against.
        public let completenessError: Double, logProbabilityGap: Double

        /// With every convolutional layer redrawn, guided backpropagation's correlation minus the
        /// gradient's and minus Grad-CAM's, image by image, with 95 % bootstrap intervals.
        public let guidedOverGradient: PairedDifference, guidedOverGradCAM: PairedDifference

        public init(methods: [Method], randomDeletion: Spread, randomInsertion: Spread, images: Int, randomisationImages: Int,
                    completenessError: Double, logProbabilityGap: Double, guidedOverGradient: PairedDifference,
                    guidedOverGradCAM: PairedDifference) {
            self.guidedOverGradient = guidedOverGradient
            self.guidedOverGradCAM = guidedOverGradCAM
            self.methods = methods
            self.randomDeletion = randomDeletion
            self.randomInsertion = randomInsertion
            self.images = images
            self.randomisationImages = randomisationImages
            self.completenessError = completenessError
            self.logProbabilityGap = logProbabilityGap
        }

        public func method(_ m: AttributionMethod) -> Method { methods.first { $0.method == m }! }

        /// The lowest mean deletion area and the highest mean insertion area (the first of equal ones).
        public var bestByDeletion: AttributionMethod { methods.min { $0.deletion.mean < $1.deletion.mean }!.method }
        public var bestByInsertion: AttributionMethod { methods.max { $0.insertion.mean < $1.insertion.mean }!.method }
        public var sameBest: Bool { bestByDeletion == bestByInsertion }

        /// Methods no better on average than the random order: deletion area at least its, insertion at most its.
        public var noBetterThanRandomByDeletion: [AttributionMethod] {
            methods.filter { !($0.deletion.mean < randomDeletion.mean) }.map(\.method)
        }
        public var noBetterThanRandomByInsertion: [AttributionMethod] {
            methods.filter { !($0.insertion.mean > randomInsertion.mean) }.map(\.method)
        }
        public var allBeatRandom: Bool { noBetterThanRandomByDeletion.isEmpty && noBetterThanRandomByInsertion.isEmpty }

        public var passing: [AttributionMethod] { methods.filter(\.passes).map(\.method) }
        public var failing: [AttributionMethod] { methods.filter { !$0.passes }.map(\.method) }
        /// Adebayo et al.'s result: the gradient and Grad-CAM pass, guided backpropagation fails.
        public var agreesWithAdebayo: Bool {
            method(.gradient).passes && method(.gradCAM).passes && !method(.guidedBackprop).passes
        }
        /// The weaker form of it: with every convolutional layer redrawn, guided backpropagation
        /// keeps more of its picture than the gradient and than Grad-CAM, image by image, both
        /// differences' bootstrap intervals above zero.
        public var guidedChangesLeast: Bool { guidedOverGradient.isPositive && guidedOverGradCAM.isPositive }
        /// The methods that fail and whose trained attributions correlate with the input image at
        /// least as much as the threshold: what survives the randomisation is mostly the picture.
        public var inputLike: [AttributionMethod] {
            methods.filter { !$0.passes && $0.input >= Self.passesBelow }.map(\.method)
        }

        /// The completeness error as a share of the gap, and the share Captum's trapezoid weights
        /// alone account for (they sum to 63/64).
        public var relativeCompletenessError: Double { completenessError / logProbabilityGap }
        public static var weightsShortfall: Double { 1 / Double(ClassAttributions.integratedGradientsSteps) }
        /// Whether the error is about what the weights' shortfall gives (within half of it either way).
        public var completenessIsTheWeights: Bool { abs(relativeCompletenessError - Self.weightsShortfall) <= Self.weightsShortfall / 2 }
    }

    public var findings: Findings {
        let f = faithfulness
        let randomDeletion = f.deletionAreas(Faithfulness.randomKey), randomInsertion = f.insertionAreas(Faithfulness.randomKey)
        let methods = AttributionMethod.allCases.map { m -> Findings.Method in
            let deletion = f.deletionAreas(m.rawValue), insertion = f.insertionAreas(m.rawValue)
            let n = Double(f.count)
            return Findings.Method(
                method: m, deletion: .init(deletion), insertion: .init(insertion),
                deletionBeatsRandom: Double(zip(deletion, randomDeletion).filter { $0 < $1 }.count) / n,
                insertionBeatsRandom: Double(zip(insertion, randomInsertion).filter { $0 > $1 }.count) / n,
                randomised: conditions.map { SimilaritySummary(randomisation.spearman[$0]![m]!).mean },
                input: SimilaritySummary(randomisation.inputSpearman[m]!).mean,
                undefined: conditions.reduce(0) { $0 + randomisation.spearman[$1]![m]!.filter(\.isNaN).count })
        }
        // The gap from the curves' end points: p_c(x) is deletion's first score, p_c(blank) its last.
        let gaps = (0..<f.count).map { i -> Double in
            let curve = f.curve(\.deletion, AttributionMethod.gradient.rawValue, image: i)
            return abs(log(Double(curve.first!)) - log(Double(curve.last!)))
        }
        let mean = { (values: [Double]) in values.reduce(0, +) / Double(max(values.count, 1)) }
        let all = randomisation.spearman[conditions.last!]!
        return Findings(methods: methods, randomDeletion: .init(randomDeletion), randomInsertion: .init(randomInsertion), images: f.count,
                        randomisationImages: randomisation.indices.count, completenessError: mean(completenessErrors.map(abs)),
                        logProbabilityGap: mean(gaps), guidedOverGradient: PairedDifference(all[.guidedBackprop]!, all[.gradient]!),
                        guidedOverGradCAM: PairedDifference(all[.guidedBackprop]!, all[.gradCAM]!))
    }
}
