import Graphics
import Foundation

/// What the colours of a figure mean: a colour map's gradient with labelled ticks, as
/// matplotlib's `colorbar` draws it. Linear maps are ticked by a `TickLocator` (a diverging map
/// symmetrically around 0), logarithmic ones by decades. Attach it to a figure or to a grid of
/// panels that share the scale with `Keyed` (`figure.withColorBar(bar)`), or under one panel
/// with `ImageGrid.Cell.key`; with no `length`, it is made as long as what it is attached to.
public struct ColorBar: Figure, Sendable {
    public enum Orientation: Sendable, Equatable { case vertical, horizontal }

    public struct Tick: Sendable, Equatable {
        public var value: Double
        public var label: String

        public init(_ value: Double, _ label: String) {
            self.value = value
            self.label = label
        }
    }

    public let colormap: Colormap
    public let label: String?
    public let orientation: Orientation
    /// The gradient's length in points; nil for "as long as what it is attached to" (120 alone).
    public let length: Double?
    /// Labelled values; nil to choose them from the colour map's range.
    public let ticks: [Tick]?
    /// Appended to the chosen tick labels, as on axes ("%", "°").
    public let unit: String?
    /// Swatches for values off the scale beyond its low end, such as zero on a logarithmic scale.
    public let extras: [Legend.Entry]
    public let size: Size

    public init(_ colormap: Colormap, label: String? = nil, orientation: Orientation = .vertical, length: Double? = nil,
                ticks: [Tick]? = nil, unit: String? = nil, extras: [Legend.Entry] = []) {
        precondition(length.map { $0 > 0 } ?? true, "a colour bar needs a positive length")
        self.colormap = colormap
        self.label = label
        self.orientation = orientation
        self.length = length
        self.ticks = ticks
        self.unit = unit
        self.extras = extras
        let layout = Canvas.measuring { Self.layout(colormap, label: label, orientation: orientation, length: length ?? Self.defaultLength,
                                                   ticks: ticks, unit: unit, extras: extras, on: $0) }
        size = layout.size
    }

    /// Where the gradient lies in the figure.
    var barFrame: Rect { Canvas.measuring { layout(on: $0).bar } }

    /// The same bar with its gradient `length` points long.
    public func resized(to length: Double) -> ColorBar {
        ColorBar(colormap, label: label, orientation: orientation, length: max(length, 10), ticks: ticks, unit: unit, extras: extras)
    }

    /// A bar for panels that each have their own scale: a diverging map from −L to +L, with
    /// `label` saying where each panel's L is printed.
    public static func perPanel(label: String = "each panel on its own scale, from −L to +L",
                                orientation: Orientation = .horizontal, length: Double? = nil) -> ColorBar {
        ColorBar(.diverging(limit: 1), label: label, orientation: orientation, length: length,
                 ticks: [Tick(-1, "\u{2212}L"), Tick(0, "0"), Tick(1, "+L")])
    }

    static let defaultLength = 120.0, thickness = 9.0, tickLength = 3.0
    static let tickFont = Font.sans(7.5), labelFont = Font.sans(8)

    struct Layout {
        var size: Size
        var bar: Rect
        var axis: Axis
        var labels: [PlacedText]
        /// Tick marks, each from one point to another.
        var marks: [(Point, Point)]
        var minorMarks: [(Point, Point)]
        var extras: [(rect: Rect, color: Color)]
    }

    func layout(on canvas: Canvas) -> Layout {
        Self.layout(colormap, label: label, orientation: orientation, length: length ?? Self.defaultLength,
                    ticks: ticks, unit: unit, extras: extras, on: canvas)
    }

    /// The ticks: given, or the most (up to 8) whose labels fit along `length` without touching.
    static func axis(_ colormap: Colormap, ticks: [Tick]?, unit: String?, length: Double, orientation: Orientation,
                     on canvas: Canvas) -> Axis {
        let (range, logarithmic) = colormap.domain
        if let ticks {
            return Axis(range: range, ticks: ticks.map(\.value), labels: ticks.map(\.label), logarithmic: logarithmic)
        }
        func fits(_ axis: Axis) -> Bool {
            let extents = axis.labels.map {
                let size = canvas.measure($0, font: tickFont)
                return orientation == .horizontal ? size.width : size.height
            }
            let centres = axis.ticks.map { axis.fraction($0) * length }
            return axis.ticks.indices.dropLast().allSatisfy { centres[$0 + 1] - centres[$0] >= (extents[$0] + extents[$0 + 1]) / 2 + 4 }
        }
        var axis = Axis(range: range, ticks: [], labels: [])
        for most in stride(from: 8, through: 2, by: -1) {
            axis = logarithmic ? .logarithmic(range, counts: min(2, most)...most, unit: unit)
                : .linear(range, locator: TickLocator(counts: min(3, most)...most, target: min(5, most)), loose: false, unit: unit)
            if fits(axis) { break }
        }
        return axis
    }

    static func layout(_ colormap: Colormap, label: String?, orientation: Orientation, length: Double, ticks: [Tick]?, unit: String?,
                       extras: [Legend.Entry], on canvas: Canvas) -> Layout {
        let axis = axis(colormap, ticks: ticks, unit: unit, length: length, orientation: orientation, on: canvas)
        var labels: [PlacedText] = [], marks: [(Point, Point)] = [], minor: [(Point, Point)] = [], boxes: [(rect: Rect, color: Color)] = []
        let tickSizes = axis.labels.map { canvas.measure($0, font: tickFont) }
        let extraSizes = extras.map { canvas.measure($0.name, font: tickFont) }
        func swatchColor(_ entry: Legend.Entry) -> Color {
            switch entry.swatch {
            case .box(let c), .whisker(let c), .line(let c, _, _): c
            }
        }
        switch orientation {
        case .vertical:
            // Half a label of room above and below, so that the end labels stay inside.
            let pad = (tickSizes + extraSizes).map(\.height).max().map { $0 / 2 } ?? 0
            let bar = Rect(0.5, pad, thickness, length)
            func y(_ value: Double) -> Double { bar.maxY - axis.fraction(value) * bar.height }
            for (tick, text) in zip(axis.ticks, axis.labels) {
                marks.append((Point(bar.maxX, y(tick)), Point(bar.maxX + tickLength, y(tick))))
                labels.append(PlacedText(text, font: tickFont, at: Point(bar.maxX + tickLength + 2, y(tick)), anchor: .middle, on: canvas))
            }
            for tick in axis.minorTicks { minor.append((Point(bar.maxX, y(tick)), Point(bar.maxX + 2, y(tick)))) }
            var bottom = bar.maxY
            for (entry, textSize) in zip(extras, extraSizes) {
                let box = Rect(bar.x, bottom + 4, thickness, max(thickness, textSize.height))
                boxes.append((box, swatchColor(entry)))
                labels.append(PlacedText(entry.name, font: tickFont, at: Point(bar.maxX + tickLength + 2, box.center.y),
                                         anchor: .middle, on: canvas))
                bottom = box.maxY
            }
            let right = labels.map(\.frame.maxX).max() ?? bar.maxX
            if let label {
                labels.append(PlacedText(label, font: labelFont, at: Point(right + 4, bar.center.y),
                                         anchor: .middle, rotated: true, on: canvas))
            }
            let size = Size(((labels.map(\.frame.maxX).max() ?? bar.maxX) + 0.5).rounded(.up),
                            (max(labels.map(\.frame.maxY).max() ?? 0, bottom + 0.5)).rounded(.up))
            let laidOut = Layout(size: size, bar: bar, axis: axis, labels: labels, marks: marks, minorMarks: minor, extras: boxes)
            // A label longer than the bar moves everything down as far as it reaches above it.
            return laidOut.shifted(by: 0, max(0, -(labels.map(\.frame.y).min() ?? 0)))
        case .horizontal:
            // Extras sit left of the low end; half the end labels' width of room at each end.
            let extrasWidth = zip(extras, extraSizes).map { max(thickness, $1.width) + 4 }.reduce(0, +)
            let firstHalf = (tickSizes.first?.width ?? 0) / 2
            let left = max(extrasWidth, firstHalf - (axis.ticks.first.map { axis.fraction($0) * length } ?? 0), 0) + 0.5
            let bar = Rect(left, 0.5, length, thickness)
            func x(_ value: Double) -> Double { bar.x + axis.fraction(value) * bar.width }
            for (tick, text) in zip(axis.ticks, axis.labels) {
                marks.append((Point(x(tick), bar.maxY), Point(x(tick), bar.maxY + tickLength)))
                labels.append(PlacedText(text, font: tickFont, at: Point(x(tick), bar.maxY + tickLength + 1),
                                         alignment: .center, on: canvas))
            }
            for tick in axis.minorTicks { minor.append((Point(x(tick), bar.maxY), Point(x(tick), bar.maxY + 2))) }
            var boxRight = bar.x - 4
            for (entry, textSize) in zip(extras, extraSizes).reversed() {
                let width = max(thickness, textSize.width)
                let box = Rect(boxRight - width + (width - thickness) / 2, bar.y, thickness, thickness)
                boxes.append((box, swatchColor(entry)))
                labels.append(PlacedText(entry.name, font: tickFont, at: Point(box.center.x, bar.maxY + tickLength + 1),
                                         alignment: .center, on: canvas))
                boxRight -= width + 4
            }
            let below = labels.map(\.frame.maxY).max() ?? bar.maxY
            if let label {
                labels.append(PlacedText(label, font: labelFont, at: Point(bar.center.x, below + 1), alignment: .center, on: canvas))
            }
            let right = max(labels.map(\.frame.maxX).max() ?? 0, bar.maxX)
            let size = Size((right + 0.5).rounded(.up), ((labels.map(\.frame.maxY).max() ?? bar.maxY) + 0.5).rounded(.up))
            let laidOut = Layout(size: size, bar: bar, axis: axis, labels: labels, marks: marks, minorMarks: minor, extras: boxes)
            // A label reaching left of the figure (a title wider than the bar) moves everything right.
            return laidOut.shifted(by: max(0, -(labels.map(\.frame.x).min() ?? 0)), 0)
        }
    }

    /// The colours along the bar, low end first, sampled at 65 points (on a log scale for log maps).
    var stops: [(offset: Double, color: Color)] {
        let (range, logarithmic) = colormap.domain
        return (0...64).map { i in
            let t = Double(i) / 64
            let value = logarithmic ? range.lowerBound * pow(range.upperBound / range.lowerBound, t)
                : range.lowerBound + t * (range.upperBound - range.lowerBound)
            return (t, colormap.color(Float(value)))
        }
    }

    public func draw(on canvas: Canvas) {
        let layout = layout(on: canvas)
        canvas.fillGradient(layout.bar, stops: stops, upwards: orientation == .vertical)
        canvas.stroke(layout.bar, .muted, width: 0.5)
        for (rect, color) in layout.extras {
            canvas.fill(rect, color)
            canvas.stroke(rect, .muted, width: 0.5)
        }
        for (a, b) in layout.marks { canvas.strokeLine([a, b], .muted, width: 0.6) }
        for (a, b) in layout.minorMarks { canvas.strokeLine([a, b], .muted, width: 0.4) }
        for label in layout.labels { label.draw(on: canvas) }
    }
}

extension ColorBar.Layout {
    /// Everything moved right by `dx` and down by `dy`, the figure that much larger.
    func shifted(by dx: Double, _ dy: Double) -> ColorBar.Layout {
        guard dx > 0 || dy > 0 else { return self }
        func move(_ p: Point) -> Point { Point(p.x + dx, p.y + dy) }
        var moved = self
        moved.bar = Rect(bar.x + dx, bar.y + dy, bar.width, bar.height)
        for i in moved.labels.indices {
            moved.labels[i].frame = Rect(labels[i].frame.x + dx, labels[i].frame.y + dy, labels[i].frame.width, labels[i].frame.height)
        }
        moved.marks = marks.map { (move($0.0), move($0.1)) }
        moved.minorMarks = minorMarks.map { (move($0.0), move($0.1)) }
        moved.extras = extras.map { (Rect($0.rect.x + dx, $0.rect.y + dy, $0.rect.width, $0.rect.height), $0.color) }
        moved.size = Size((size.width + dx).rounded(.up), (size.height + dy).rounded(.up))
        return moved
    }
}
