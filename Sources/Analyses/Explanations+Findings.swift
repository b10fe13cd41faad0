import Network

extension Explanations {
    /// What the faithfulness scores and the randomisation say, each conclusion with the numbers
    /// it rests on.
    public struct Findings: Sendable, Equatable {
        /// A trained attribution "survives as the picture" when, with every layer redrawn, it still
        /// correlates with the input image at least this much.
        public static let inputLikeFrom = 0.5

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
            /// Mean Spearman correlation with the trained attributions per cascading condition, in
            /// order (the last with every convolutional layer redrawn); between unrelated images'
            /// trained attributions; and with the input, of the trained attribution and of the one
            /// with every layer redrawn. A constant attribution (a blank Grad-CAM map) counts as 0:
            /// it keeps nothing of the other picture's ranking.
            public let randomised: [Double], unrelated: Double
            public let input: Double, redrawnInput: Double
            /// Comparisons under the cascade, over every condition, counted as 0 so.
            public let undefined: Int

            public init(method: AttributionMethod, deletion: Spread, insertion: Spread, deletionBeatsRandom: Double,
                        insertionBeatsRandom: Double, randomised: [Double], unrelated: Double, input: Double, redrawnInput: Double,
                        undefined: Int = 0) {
                self.method = method
                self.deletion = deletion
                self.insertion = insertion
                self.deletionBeatsRandom = deletionBeatsRandom
                self.insertionBeatsRandom = insertionBeatsRandom
                self.randomised = randomised
                self.unrelated = unrelated
                self.input = input
                self.redrawnInput = redrawnInput
                self.undefined = undefined
            }

            /// With every convolutional layer redrawn.
            public var fullyRandomised: Double { randomised.last! }
            /// The method passes the randomisation test (changes with the weights, as an explanation
            /// of the model should) when, with every layer redrawn, its correlation is nearer to what
            /// unrelated images' attributions share than to an unchanged picture's 1: below the
            /// midpoint, 0.5 when unrelated pictures share nothing.
            public var passesBelow: Double { (1 + unrelated) / 2 }
            public var passes: Bool { fullyRandomised < passesBelow }
        }

        /// In `AttributionMethod` order.
        public let methods: [Method]
        /// The random order's areas.
        public let randomDeletion: Spread, randomInsertion: Spread
        /// Images scored, and of those compared under randomisation.
        public let images: Int, randomisationImages: Int
        /// Integrated Gradients: the mean signed completeness error and the mean log p_c(x) −
        /// log p_c(blank) it is measured against.
        public let completenessError: Double, logProbabilityGap: Double
        /// The method with the lowest mean deletion area (the highest insertion area) and the
        /// next best, and the lead over it image by image (the runner-up's area minus the best's
        /// for deletion, the best's minus the runner-up's for insertion), with 95 % bootstrap intervals.
        public let runnerUpByDeletion: AttributionMethod, deletionLead: PairedDifference
        public let runnerUpByInsertion: AttributionMethod, insertionLead: PairedDifference

        /// With every convolutional layer redrawn, guided backpropagation's correlation minus the
        /// gradient's and minus Grad-CAM's, image by image, with 95 % bootstrap intervals.
        public let guidedOverGradient: PairedDifference, guidedOverGradCAM: PairedDifference

        public init(methods: [Method], randomDeletion: Spread, randomInsertion: Spread, images: Int, randomisationImages: Int,
                    completenessError: Double, logProbabilityGap: Double, runnerUpByDeletion: AttributionMethod,
                    deletionLead: PairedDifference, runnerUpByInsertion: AttributionMethod, insertionLead: PairedDifference,
                    guidedOverGradient: PairedDifference, guidedOverGradCAM: PairedDifference) {
            self.methods = methods
            self.randomDeletion = randomDeletion
            self.randomInsertion = randomInsertion
            self.images = images
            self.randomisationImages = randomisationImages
            self.completenessError = completenessError
            self.logProbabilityGap = logProbabilityGap
            self.runnerUpByDeletion = runnerUpByDeletion
            self.deletionLead = deletionLead
            self.runnerUpByInsertion = runnerUpByInsertion
            self.insertionLead = insertionLead
            self.guidedOverGradient = guidedOverGradient
            self.guidedOverGradCAM = guidedOverGradCAM
        }

        public func method(_ m: AttributionMethod) -> Method { methods.first { $0.method == m }! }

        /// The methods by mean deletion area, lowest first, and by mean insertion area, highest
        /// first (equal ones in `AttributionMethod` order).
        static func byDeletion(_ methods: [Method]) -> [Method] {
            methods.enumerated().sorted { ($0.element.deletion.mean, $0.offset) < ($1.element.deletion.mean, $1.offset) }.map(\.element)
        }
        static func byInsertion(_ methods: [Method]) -> [Method] {
            methods.enumerated().sorted { (-$0.element.insertion.mean, $0.offset) < (-$1.element.insertion.mean, $1.offset) }
                .map(\.element)
        }
        public var bestByDeletion: AttributionMethod { Self.byDeletion(methods)[0].method }
        public var bestByInsertion: AttributionMethod { Self.byInsertion(methods)[0].method }
        /// The best is "the most faithful" only when its lead's interval lies above zero.
        public var clearlyBestByDeletion: Bool { deletionLead.isPositive }
        public var clearlyBestByInsertion: Bool { insertionLead.isPositive }

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
        /// Of the methods that pass and beat the random order on average by the score, the one
        /// with the lowest mean deletion area and the one with the highest mean insertion area.
        public var bestPassingByDeletion: AttributionMethod? {
            Self.byDeletion(methods.filter { $0.passes && $0.deletion.mean < randomDeletion.mean }).first?.method
        }
        public var bestPassingByInsertion: AttributionMethod? {
            Self.byInsertion(methods.filter { $0.passes && $0.insertion.mean > randomInsertion.mean }).first?.method
        }
        /// Adebayo et al.'s result: the gradient and Grad-CAM pass, guided backpropagation and
        /// guided Grad-CAM fail.
        public var agreesWithAdebayo: Bool {
            method(.gradient).passes && method(.gradCAM).passes && !method(.guidedBackprop).passes && !method(.guidedGradCAM).passes
        }
        /// The weaker form of it: with every convolutional layer redrawn, guided backpropagation
        /// keeps more of its picture than the gradient and than Grad-CAM, image by image, both
        /// differences' bootstrap intervals above zero.
        public var guidedChangesLeast: Bool { guidedOverGradient.isPositive && guidedOverGradCAM.isPositive }
        /// The methods that fail and whose attributions with every layer redrawn still correlate
        /// with the input image at least `inputLikeFrom`: what survives is mostly the picture.
        public var inputLike: [AttributionMethod] {
            methods.filter { !$0.passes && $0.redrawnInput >= Self.inputLikeFrom }.map(\.method)
        }

        /// A constant attribution's undefined correlation (NaN) counted as 0 (see `Method`).
        static func undefinedAsZero(_ values: [Double]) -> [Double] { values.map { $0.isNaN ? 0 : $0 } }

        /// The completeness error as a signed share of the gap, and the shortfall Captum's
        /// trapezoid weights alone give (they sum to 63/64, so the sum falls short by 1/64).
        public var relativeCompletenessError: Double { completenessError / logProbabilityGap }
        public static var weightsShortfall: Double { 1 / Double(ClassAttributions.integratedGradientsSteps) }
        /// Whether the error is the weights' shortfall: a shortfall within half of it either way.
        public var completenessIsTheWeights: Bool { abs(relativeCompletenessError + Self.weightsShortfall) <= Self.weightsShortfall / 2 }
    }

    public var findings: Findings {
        let f = faithfulness
        let randomDeletion = f.deletionAreas(Faithfulness.randomKey), randomInsertion = f.insertionAreas(Faithfulness.randomKey)
        let defined = Findings.undefinedAsZero, mean = { (values: [Double]) in values.reduce(0, +) / Double(max(values.count, 1)) }
        let r = randomisation
        let methods = AttributionMethod.allCases.map { m -> Findings.Method in
            let deletion = f.deletionAreas(m.rawValue), insertion = f.insertionAreas(m.rawValue)
            let n = Double(f.count)
            return Findings.Method(
                method: m, deletion: .init(deletion), insertion: .init(insertion),
                deletionBeatsRandom: Double(zip(deletion, randomDeletion).filter { $0 < $1 }.count) / n,
                insertionBeatsRandom: Double(zip(insertion, randomInsertion).filter { $0 > $1 }.count) / n,
                randomised: conditions.map { mean(defined(r.spearman[$0]![m]!)) }, unrelated: mean(defined(r.unrelatedSpearman[m]!)),
                input: mean(defined(r.inputSpearman[m]!)), redrawnInput: mean(defined(r.redrawnInputSpearman[m]!)),
                undefined: conditions.reduce(0) { $0 + r.spearman[$1]![m]!.filter(\.isNaN).count })
        }
        let byDeletion = Findings.byDeletion(methods).map(\.method), byInsertion = Findings.byInsertion(methods).map(\.method)
        let all = r.spearman[conditions.last!]!.mapValues(defined)
        return Findings(methods: methods, randomDeletion: .init(randomDeletion), randomInsertion: .init(randomInsertion), images: f.count,
                        randomisationImages: r.indices.count, completenessError: mean(completenessErrors),
                        logProbabilityGap: mean(logProbabilityGaps),
                        runnerUpByDeletion: byDeletion[1],
                        deletionLead: PairedDifference(f.deletionAreas(byDeletion[1].rawValue), f.deletionAreas(byDeletion[0].rawValue)),
                        runnerUpByInsertion: byInsertion[1],
                        insertionLead: PairedDifference(f.insertionAreas(byInsertion[0].rawValue),
                                                        f.insertionAreas(byInsertion[1].rawValue)),
                        guidedOverGradient: PairedDifference(all[.guidedBackprop]!, all[.gradient]!),
                        guidedOverGradCAM: PairedDifference(all[.guidedBackprop]!, all[.gradCAM]!))
    }
}
