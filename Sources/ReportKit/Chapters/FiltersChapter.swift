import Charts
import Graphics
import Network

/// The chapter on the learned filters of both convolutional layers.
struct FiltersChapter: Chapter {
    struct Context {
        let conv1Limit: String, conv2Limit: String
        /// "5×5".
        let kernel: String
    }

    static let name = "filters"
    let figures: [NamedFigure]
    let context: Context

    init(_ run: RunResults) {
        let model = run.model
        figures = [("conv1_filters", Self.conv1Filters(model)), ("conv2_filters", Self.conv2Filters(model))]
        context = Context(conv1Limit: Formatted.decimal(Double(Colormap.symmetricLimit(model.conv1Filters)), 3),
                          conv2Limit: Formatted.decimal(Double(Colormap.symmetricLimit(model.conv2Filters)), 3),
                          kernel: "\(LeNet5.conv1.kernel)×\(LeNet5.conv1.kernel)")
    }

    static func conv1Filters(_ model: LeNet5) -> Keyed {
        let weights = model.conv1Filters, map = Colormap.diverging(limit: Colormap.symmetricLimit(weights))
        let cells = (0..<6).map { f in
            ImageGrid.Cell(image: map.image(width: 5, height: 5, values: Array(weights[(f * 25)..<((f + 1) * 25)])), label: "filter \(f)")
        }
        return ImageGrid(cells: cells, columns: 6, cellSize: 56, gap: 12).withColorBar(ColorBar(map, label: "weight"))
    }

    /// A column per output map, a row per input map: wide rather than tall, to fit the page.
    static func conv2Filters(_ model: LeNet5) -> Keyed {
        let weights = model.conv2Filters, map = Colormap.diverging(limit: Colormap.symmetricLimit(weights))
        let cells = (0..<6).flatMap { input in
            (0..<16).map { output in
                let start = (output * 6 + input) * 25
                return ImageGrid.Cell(image: map.image(width: 5, height: 5, values: Array(weights[start..<(start + 25)])))
            }
        }
        return ImageGrid(cells: cells, columns: 16, cellSize: 21, gap: 3, rowLabels: (0..<6).map(String.init),
                         columnLabels: (0..<16).map(String.init), rowTitle: "input map (conv1)", columnTitle: "output map (conv2)")
            .withColorBar(ColorBar(map, label: "weight"))
    }
}
