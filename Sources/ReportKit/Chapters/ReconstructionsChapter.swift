import Charts
import Deconvnet
import Graphics
import Network
import Writeup

/// The chapter on all 22 reconstructions of each report digit, with its pooled maps.
struct ReconstructionsChapter: Chapter {
    struct DigitContext {
        let position: Int
        let digit: Int, testIndex: Int, predicted: Int
        /// True when no test image of the digit is classified correctly and this is the closest candidate.
        let misclassified: Bool
        let probability: String
        let figFeatures: String, featuresFile: String
        let figReconstructions: String, reconstructionsFile: String
        let pool1Max: String, pool2Max: String
        let observations: String
    }

    struct Context {
        let digits: [DigitContext]
    }

    static let name = "reconstructions"
    let figures: [NamedFigure]
    let context: Context

    init(_ run: RunResults) {
        figures = [("reconstructions_overview", Self.overview(run.digits))] + run.digits.flatMap { d in
            [("digit\(d.digit)_features", Self.features(d)), ("digit\(d.digit)_reconstructions", Self.reconstructions(d))] as [NamedFigure]
        }
        context = Context(digits: run.digits.enumerated().map { position, d in
            let features = "digit\(d.digit)_features", reconstructions = "digit\(d.digit)_reconstructions"
            return DigitContext(
                position: position + 1, digit: d.digit, testIndex: d.testIndex, predicted: d.predicted,
                misclassified: !d.correct, probability: Formatted.percent(Double(d.probability)),
                figFeatures: CrossReferences.placeholder(.figure, features), featuresFile: features,
                figReconstructions: CrossReferences.placeholder(.figure, reconstructions), reconstructionsFile: reconstructions,
                pool1Max: Formatted.decimal(Double(d.activations.pool1.max() ?? 0), 2),
                pool2Max: Formatted.decimal(Double(d.activations.pool2.max() ?? 0), 2),
                observations: ConvLayer.allCases.map { Self.observations(d.response($0)) }.joined(separator: " "))
        })
    }

    /// Which of a layer's maps respond most to the image, and which are silent.
    static func observations(_ response: LayerResponse) -> String {
        let ranked = response.ranked.prefix(2), silent = response.silent
        var text = "In \(response.layer.rawValue), map\(ranked.count > 1 ? "s" : "") "
            + ranked.map { "\($0) (total pooled activation \(Formatted.decimal(Double(response.totals[$0]), 1)))" }.joined(separator: " and ")
            + " respond most"
        text += silent.isEmpty ? "; no map is silent." : "; map\(silent.count > 1 ? "s" : "") "
            + Formatted.list(silent.map(String.init)) + (silent.count > 1 ? " are" : " is") + " silent, so \(silent.count > 1 ? "their" : "its") reconstruction is blank."
        return text
    }

    static func overview(_ digits: [DigitReconstruction]) -> Keyed {
        ImageGrid.mapRows(digits.map { ("digit \($0.digit)", $0.input, $0.conv1 + $0.conv2) })
    }

    static func features(_ d: DigitReconstruction) -> Stack {
        let pool1 = LeNet5.pool1, pool2 = LeNet5.pool2
        let map1 = Colormap.viridis(minimum: 0, maximum: d.activations.pool1.max() ?? 1)
        let map2 = Colormap.viridis(minimum: 0, maximum: d.activations.pool2.max() ?? 1)
        let plane1 = pool1.outputHeight * pool1.outputWidth, plane2 = pool2.outputHeight * pool2.outputWidth
        let top = [ImageGrid.Cell(image: .digit(d.input), label: "input")] + (0..<pool1.channels).map { m in
            ImageGrid.Cell(image: map1.image(width: pool1.outputWidth, height: pool1.outputHeight,
                                             values: Array(d.activations.pool1[(m * plane1)..<((m + 1) * plane1)])), label: "pool1 · \(m)")
        }
        let bottom = (0..<pool2.channels).map { m in
            ImageGrid.Cell(image: map2.image(width: pool2.outputWidth, height: pool2.outputHeight,
                                             values: Array(d.activations.pool2[(m * plane2)..<((m + 1) * plane2)])), label: "pool2 · \(m)")
        }
        return Stack([ImageGrid(cells: top, columns: 7, cellSize: 50, gap: 8)
                        .withColorBar(ColorBar(map1, label: "pool1 activation")),
                      ImageGrid(cells: bottom, columns: 8, cellSize: 42, gap: 8)
                        .withColorBar(ColorBar(map2, label: "pool2 activation"))])
    }

    static func reconstructions(_ d: DigitReconstruction) -> Keyed {
        let conv1 = d.conv1.enumerated().map { ImageGrid.Cell(image: .reconstruction($1), label: "conv1 · \($0)", note: ImageGrid.limitNote($1)) }
        let conv2 = d.conv2.enumerated().map { ImageGrid.Cell(image: .reconstruction($1), label: "conv2 · \($0)", note: ImageGrid.limitNote($1)) }
        return Stack([ImageGrid(cells: conv1, columns: 6, cellSize: 60, gap: 10), ImageGrid(cells: conv2, columns: 8, cellSize: 48, gap: 8)])
            .withColorBar(.perPanel(label: "each panel on its own scale, ±L under it"), side: .bottom)
    }
}
