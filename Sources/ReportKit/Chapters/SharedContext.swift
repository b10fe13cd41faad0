import Foundation
import Deconvnet

/// What several templates read about the run as a whole: where the model came from and the
/// counts their sentences state, so that they stay true for any `--digits`.
struct SharedContext {
    struct Model {
        let trained: Bool, reused: Bool, loaded: Bool
        let path: String
        /// "F16", "BF16 and F64": what the loaded file stored instead of F32; nil when F32.
        let convertedFrom: String?
        /// How a loaded file's tensors were read when not by LeNet-5's own names.
        let tensorNames: String?
        /// The input normalisation, when the model has one.
        let normalization: Normalization?
        /// Where projections onto the input live: "pixel space" or the normalised input's.
        let inputSpace: String
    }

    /// The model's input convention: its formula, where it comes from, and the range of the
    /// normalised pixels 0 and 1.
    struct Normalization {
        let formula: String, std: String, source: String
        let low: String, high: String
    }

    struct Counts {
        /// The report's digits: how many, in words, listed, and whether there is one only.
        let digits: Int, digitsWord: String, digitList: String
        let oneDigit: Bool
        /// "four images", "one image"; "all four digits", "both digits", "digit 4".
        let images: String, allDigits: String, AllDigits: String
        /// Maps per layer, in figures and in words, and the last map's index.
        let conv1Maps: Int, conv2Maps: Int, maps: Int
        let conv1MapsWord: String, conv2MapsWord: String
        let lastConv1Map: Int, lastConv2Map: Int
        /// Digit-map pairs: every map, conv1's and conv2's.
        let pairs: Int, conv1Pairs: Int, conv2Pairs: Int
    }

    let model: Model
    let counts: Counts

    init(_ run: RunResults) {
        let obtained = run.obtained
        let signed = { (x: Float) in Formatted.decimal(Double(x), 2).replacingOccurrences(of: "-", with: "−") }
        let normalization = obtained.model.normalization.map { n in
            Normalization(formula: n.formula, std: "\(n.std)",
                          source: obtained.normalizationFromFile ? "as the model file's metadata records" : "as `--normalize` asks",
                          low: signed((0 - n.mean) / n.std), high: signed((1 - n.mean) / n.std))
        }
        model = Model(trained: obtained.source == .trained, reused: obtained.source == .reused, loaded: obtained.source == .loaded,
                      path: obtained.path, convertedFrom: obtained.convertedFrom.isEmpty ? nil : Formatted.list(obtained.convertedFrom),
                      tensorNames: obtained.tensorNames, normalization: normalization,
                      inputSpace: normalization == nil ? "pixel space" : "the network's normalised input space")
        let n = run.digits.count, (conv1, conv2) = (ConvLayer.conv1.maps, ConvLayer.conv2.maps)
        let all = n == 1 ? "digit \(run.digits[0].digit)" : n == 2 ? "both digits" : "all \(Formatted.count(n)) digits"
        counts = Counts(digits: n, digitsWord: Formatted.count(n), digitList: Formatted.list(run.digits.map { "\($0.digit)" }),
                        oneDigit: n == 1, images: Formatted.count(n, "image"), allDigits: all, AllDigits: Formatted.capitalized(all),
                        conv1Maps: conv1, conv2Maps: conv2, maps: conv1 + conv2,
                        conv1MapsWord: Formatted.count(conv1), conv2MapsWord: Formatted.count(conv2), lastConv1Map: conv1 - 1, lastConv2Map: conv2 - 1,
                        pairs: n * (conv1 + conv2), conv1Pairs: n * conv1, conv2Pairs: n * conv2)
    }
}
