import Charts
import Deconvnet
import Graphics

extension ImageGrid {
    /// A row per picture set: the input image, then the projections of conv1's maps and conv2's,
    /// each on its own symmetric scale.
    static func mapRows(_ rows: [(label: String, input: [Float], maps: [[Float]])]) -> ImageGrid {
        let cells = rows.flatMap { row in
            [ImageGrid.Cell(image: .digit(row.input))] + row.maps.map { ImageGrid.Cell(image: .reconstruction($0)) }
        }
        let columns = ["in"] + ConvLayer.allMaps.map { "\($0.layer == .conv1 ? 1 : 2)·\($0.map)" }
        return ImageGrid(cells: cells, columns: 1 + ConvLayer.allMaps.count, cellSize: 17, gap: 2.5, rowLabels: rows.map(\.label),
                         columnLabels: columns, labelFont: .sans(5.5))
    }
}
