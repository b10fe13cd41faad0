import Charts
import Deconvnet
import Graphics

extension ImageGrid {
    /// A row per picture set: the input image, then the projections of conv1's maps and conv2's,
    /// each on its own symmetric scale with its limit under it; in two bands (the input, conv1
    /// and conv2 0–3; conv2 4–15) so that the panels print large, and a bar saying how to read them.
    static func mapRows(_ rows: [(label: String, input: [Float], maps: [[Float]])]) -> Keyed {
        let cells = rows.flatMap { row in
            [ImageGrid.Cell(image: .digit(row.input))] + row.maps.map { ImageGrid.Cell(image: .reconstruction($0), note: limitNote($0)) }
        }
        let columns = ["input\n"] + ConvLayer.allMaps.map { "\($0.layer.rawValue)\n\($0.map)" }
        let first = (1 + ConvLayer.allMaps.count) / 2, conv1 = ConvLayer.conv1.maps, half = ConvLayer.conv2.maps / 2
        return ImageGrid(cells: cells, columns: 1 + ConvLayer.allMaps.count, cellSize: 30, gap: 3, rowLabels: rows.map(\.label),
                         columnLabels: columns, bands: [first, 1 + ConvLayer.allMaps.count - first])
            .fitting(PrintArea(width: PrintArea.column.width, maxHeight: PrintArea.column.maxHeight - 50),
                     bands: [[1 + conv1, half, ConvLayer.conv2.maps - half]])
            .withColorBar(.perPanel(label: "each panel on its own scale, ±L under it"), side: .bottom)
    }

    /// "±0.42": the limit `PixelImage.reconstruction` scales `values` to, to two significant digits.
    static func limitNote(_ values: [Float]) -> String {
        guard values.contains(where: { $0 != 0 }) else { return "blank" }
        let limit = Double(Colormap.percentileLimit(values))
        return NumberFormat.plusMinus(limit, decimals: NumberFormat.decimals(forSignificant: 2, of: limit))
    }
}
