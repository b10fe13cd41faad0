import Charts
import Graphics
import Network

extension ImageGrid {
    /// A row per picture set: the input image, then the projections of `maps`, each on its own
    /// symmetric scale with its limit under it; cut into bands of at most 12 columns (the first
    /// holds the input), so that the panels print large, and a bar saying how to read them.
    static func mapRows(_ rows: [(label: String, input: [Float], maps: [[Float]])],
                        maps: [(layer: ConvolutionalLayer, map: Int)]) -> Keyed {
        let cells = rows.flatMap { row in
            [ImageGrid.Cell(image: .digit(row.input))] + row.maps.map { ImageGrid.Cell(image: .reconstruction($0), note: limitNote($0)) }
        }
        let columns = ["input\n"] + maps.map { "\($0.layer.name)\n\($0.map)" }
        return ImageGrid(cells: cells, columns: columns.count, cellSize: 30, gap: 3, rowLabels: rows.map(\.label),
                         columnLabels: columns, bands: bands(columns.count, widest: 12))
            .fitting(PrintArea(width: PrintArea.column.width, maxHeight: PrintArea.column.maxHeight - 50),
                     bands: [bands(columns.count, widest: 8), bands(columns.count, widest: 16), bands(columns.count, widest: 23)])
            .withColorBar(.perPanel(label: "each panel on its own scale, ±L under it"), side: .bottom)
    }

    /// `columns` cut into as few bands of at most `widest` columns as can be, as even as can be.
    static func bands(_ columns: Int, widest: Int) -> [Int] {
        let count = (columns + widest - 1) / widest
        return (0..<count).map { columns * ($0 + 1) / count - columns * $0 / count }
    }

    /// "±0.42": the limit `PixelImage.reconstruction` scales `values` to, to two significant digits.
    static func limitNote(_ values: [Float]) -> String {
        guard values.contains(where: { $0 != 0 }) else { return "blank" }
        let limit = Double(Colormap.percentileLimit(values))
        return NumberFormat.plusMinus(limit, decimals: NumberFormat.decimals(forSignificant: 2, of: limit))
    }
}
