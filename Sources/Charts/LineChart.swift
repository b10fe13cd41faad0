import Graphics
import Foundation

/// Lines over a numeric x axis, such as loss or accuracy per epoch: axes with 1-2-5 ticks (decades
/// on a logarithmic y axis), light grid lines, and, for several series, a legend where it covers
/// the fewest data.
public struct LineChart: Figure, Sendable {
    public struct Series: Sendable {
        public var name: String
        public var points: [Point]
        /// Defaults to the series' colour in `Color.series`.
        public var color: Color?
        public var dashed: Bool
        public var markers: Bool
        /// Defaults to 1.4 pt, or 0.7 pt for more than 300 points: thousands of noisy steps read
        /// better as a thin line.
        public var lineWidth: Double?

        public init(name: String, points: [Point], color: Color? = nil, dashed: Bool = false, markers: Bool = false,
                    lineWidth: Double? = nil) {
            self.name = name
            self.points = points
            self.color = color
            self.dashed = dashed
            self.markers = markers
            self.lineWidth = lineWidth
        }
    }

    public var title: String?
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var size: Size
    /// The y values shown; by default the data's range, widened to the neighbouring ticks.
    public var yRange: ClosedRange<Double>?
    /// A logarithmic y axis, for losses that fall by orders of magnitude; points with y ≤ 0 are left out.
    public var logY: Bool
    /// Ticks at whole numbers only, for epochs.
    public var integerX: Bool

    public init(title: String? = nil, xLabel: String, yLabel: String, series: [Series], size: Size = Size(470, 220),
                yRange: ClosedRange<Double>? = nil, logY: Bool = false, integerX: Bool = false) {
        precondition(!logY || (yRange?.lowerBound ?? 1) > 0, "a logarithmic axis needs a positive range")
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.size = size
        self.yRange = yRange
        self.logY = logY
        self.integerX = integerX
    }

    static let tickFont = Font.sans(7), labelFont = Font.sans(8), titleFont = Font.sans(9, bold: true)
    static let dash: [Double] = [4, 2.5]
    private static let margin = 3.0, tickLength = 3.0

    /// Where everything goes, in figure coordinates.
    struct Layout {
        var plot: Rect
        var x: Axis
        var y: Axis
        /// Title, axis labels and tick labels.
        var labels: [PlacedText]
        var legend: Legend.Placed?

        var allLabels: [PlacedText] { labels + (legend?.labels ?? []) }

        func position(_ p: Point) -> Point {
            Point(plot.x + x.fraction(p.x) * plot.width, plot.maxY - y.fraction(p.y) * plot.height)
        }
    }

    /// Each series' points that can be drawn: finite, and positive on a logarithmic axis.
    private var plottable: [[Point]] {
        series.map { $0.points.filter { $0.x.isFinite && $0.y.isFinite && (!logY || $0.y > 0) } }
    }

    private func color(_ index: Int) -> Color { series[index].color ?? Color.series[index % Color.series.count] }

    func layout(on canvas: Canvas) -> Layout {
        let points = plottable.joined()
        var labels: [PlacedText] = []
        var top = Self.margin
        if let title {
            labels.append(PlacedText(title, font: Self.titleFont, at: Point(size.width / 2, top), alignment: .center,
                                     maxWidth: size.width - 2 * Self.margin, on: canvas))
            top = labels[0].frame.maxY + 4
        }
        // Heights first: they fix the plot's height, which fixes how many y ticks fit, whose
        // labels' width then fixes where the plot starts.
        let tickHeight = canvas.measure("0", font: Self.tickFont).height
        let xLabelHeight = canvas.measure(xLabel, font: Self.labelFont).height
        let plotTop = top + tickHeight / 2
        let plotBottom = size.height - Self.margin - xLabelHeight - 2 - tickHeight - Self.tickLength - 2
        let y = yAxis(points.map(\.y), count: max(2, Int((plotBottom - plotTop) / 30)))
        let yTickWidth = y.labels.map { canvas.measure($0, font: Self.tickFont).width }.max() ?? 0
        let yLabelHeight = canvas.measure(yLabel, font: Self.labelFont).height
        let plotLeft = Self.margin + yLabelHeight + 4 + yTickWidth + 2 + Self.tickLength
        let x = xAxis(points.map(\.x), width: size.width - Self.margin - plotLeft, on: canvas)
        // Pull the plot's right edge in so that the last x tick label stays inside the figure.
        var plotRight = size.width - Self.margin
        if let last = x.ticks.last, let label = x.labels.last {
            let room = size.width - Self.margin - canvas.measure(label, font: Self.tickFont).width / 2 - plotLeft
            plotRight = min(plotRight, plotLeft + room / x.fraction(last))
        }
        let plot = Rect(plotLeft, plotTop, plotRight - plotLeft, plotBottom - plotTop)

        for (tick, label) in zip(y.ticks, y.labels) {
            let at = Point(plot.x - Self.tickLength - 2, plot.maxY - y.fraction(tick) * plot.height)
            labels.append(PlacedText(label, font: Self.tickFont, at: at, alignment: .right, anchor: .middle, on: canvas))
        }
        for (tick, label) in zip(x.ticks, x.labels) {
            let at = Point(plot.x + x.fraction(tick) * plot.width, plot.maxY + Self.tickLength + 2)
            labels.append(PlacedText(label, font: Self.tickFont, at: at, alignment: .center, on: canvas))
        }
        labels.append(PlacedText(xLabel, font: Self.labelFont, at: Point(plot.center.x, size.height - Self.margin),
                                 alignment: .center, anchor: .bottom, on: canvas))
        labels.append(PlacedText(yLabel, font: Self.labelFont, at: Point(Self.margin, plot.center.y),
                                 anchor: .middle, rotated: true, on: canvas))
        var layout = Layout(plot: plot, x: x, y: y, labels: labels)
        layout.legend = legend(for: layout, on: canvas)
        return layout
    }

    private func yAxis(_ values: [Double], count: Int) -> Axis {
        if logY {
            let data = yRange ?? Self.span(of: values, logarithmic: true)
            return .logarithmic(data, count: count)
        }
        if let yRange { return .linear(yRange, count: count) }
        return .linear(Self.span(of: values, logarithmic: false), count: count, expanded: true)
    }

    /// The x axis over the data and 3 % more on each side (so that markers at the ends show
    /// whole), with as many ticks as fit without their labels touching.
    private func xAxis(_ values: [Double], width: Double, on canvas: Canvas) -> Axis {
        let data = Self.span(of: values, logarithmic: false, integer: integerX)
        let padding = 0.03 * (data.upperBound - data.lowerBound)
        let padded = data.lowerBound - padding...data.upperBound + padding
        for count in stride(from: max(1, Int(width / 40)), to: 1, by: -1) {
            let axis = Axis.linear(padded, count: count, integer: integerX)
            let centres = axis.ticks.map { axis.fraction($0) * width }
            let halves = axis.labels.map { canvas.measure($0, font: Self.tickFont).width / 2 }
            if axis.ticks.indices.dropLast().allSatisfy({ centres[$0 + 1] - centres[$0] >= halves[$0] + halves[$0 + 1] + 8 }) {
                return axis
            }
        }
        return Axis.linear(padded, count: 1, integer: integerX)
    }

    /// The range of `values`, made wide enough to draw when they are all equal (10 % each way, or
    /// 1 for zero and whole numbers) or absent; on a logarithmic axis also 4 % wider each way, so
    /// that lines do not run along the frame.
    private static func span(of values: [Double], logarithmic: Bool, integer: Bool = false) -> ClosedRange<Double> {
        guard let lower = values.min(), let upper = values.max() else { return logarithmic ? 0.1...1 : 0...1 }
        if logarithmic {
            let factor = lower < upper ? pow(upper / lower, 0.04) : 2
            return lower / factor...upper * factor
        }
        guard lower == upper else { return lower...upper }
        let padding = integer || lower == 0 ? 1 : abs(lower) / 10
        return lower - padding...upper + padding
    }

    /// The legend, for two or more series, at whichever of eight places inside the plot hides
    /// the fewest points of the lines (sampled every 2 pt).
    private func legend(for layout: Layout, on canvas: Canvas) -> Legend.Placed? {
        guard series.count > 1 else { return nil }
        let legend = Legend(entries: series.indices.map {
            Legend.Entry(name: series[$0].name, swatch: .line(color($0), dashed: series[$0].dashed, marker: series[$0].markers))
        })
        let size = legend.size(on: canvas), plot = layout.plot, inset = 5.0
        let left = plot.x + inset, right = plot.maxX - inset - size.width, centre = plot.center.x - size.width / 2
        let top = plot.y + inset, bottom = plot.maxY - inset - size.height, middle = plot.center.y - size.height / 2
        let places = [(right, top), (left, top), (right, bottom), (left, bottom),
                      (centre, top), (centre, bottom), (right, middle), (left, middle)].map { Point($0.0, $0.1) }

        var samples: [Point] = []
        for points in plottable {
            let positions = points.map(layout.position)
            for (a, b) in zip(positions, positions.dropFirst()) {
                let steps = max(1, Int(hypot(b.x - a.x, b.y - a.y) / 2))
                samples += (0..<steps).map { Point(a.x + (b.x - a.x) * Double($0) / Double(steps), a.y + (b.y - a.y) * Double($0) / Double(steps)) }
            }
            samples += positions.suffix(1)
        }
        func hidden(_ origin: Point) -> Int {
            let area = Rect(origin.x, origin.y, size.width, size.height).insetBy(-3, -3)
            return samples.count(where: area.contains)
        }
        let best = places.min { hidden($0) < hidden($1) }!
        return legend.place(at: best, on: canvas)
    }

    public func draw(on canvas: Canvas) {
        let layout = layout(on: canvas)
        let plot = layout.plot
        let yPositions = layout.y.ticks.map { plot.maxY - layout.y.fraction($0) * plot.height }
        let xPositions = layout.x.ticks.map { plot.x + layout.x.fraction($0) * plot.width }
        for y in yPositions { canvas.strokeLine([Point(plot.x, y), Point(plot.maxX, y)], .grid, width: 0.5) }
        for x in xPositions { canvas.strokeLine([Point(x, plot.y), Point(x, plot.maxY)], .grid, width: 0.5) }
        for y in yPositions { canvas.strokeLine([Point(plot.x - Self.tickLength, y), Point(plot.x, y)], .muted, width: 0.6) }
        for x in xPositions { canvas.strokeLine([Point(x, plot.maxY), Point(x, plot.maxY + Self.tickLength)], .muted, width: 0.6) }
        for tick in layout.y.minorTicks {
            let y = plot.maxY - layout.y.fraction(tick) * plot.height
            canvas.strokeLine([Point(plot.x - 2, y), Point(plot.x, y)], .muted, width: 0.4)
        }
        canvas.strokeLine([Point(plot.x, plot.y), Point(plot.x, plot.maxY), Point(plot.maxX, plot.maxY)], .muted, width: 0.8)

        for (index, points) in plottable.enumerated() {
            let positions = points.map(layout.position)
            let width = series[index].lineWidth ?? (points.count > 300 ? 0.7 : 1.4)
            canvas.isolated {
                canvas.clip(plot)
                canvas.strokeLine(positions, color(index), width: width, dash: series[index].dashed ? Self.dash : [])
            }
            if series[index].markers {
                for p in positions where plot.insetBy(-0.01, -0.01).contains(p) { Self.marker(at: p, color(index), on: canvas) }
            }
        }
        for label in layout.labels { label.draw(on: canvas) }
        layout.legend?.draw(on: canvas)
    }

    /// A dot with a white rim, so that markers of close series stay apart.
    static func marker(at p: Point, _ color: Color, on canvas: Canvas) {
        canvas.setColor(.white)
        canvas.circle(p, radius: 2.8)
        canvas.fill()
        canvas.setColor(color)
        canvas.circle(p, radius: 2.1)
        canvas.fill()
    }
}
