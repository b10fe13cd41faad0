import Graphics
import Foundation

/// Lines over a numeric x axis, such as loss or accuracy per epoch: axes ticked by a
/// `TickLocator` (decades on a logarithmic y axis), light grid lines, and, for several series, a
/// legend inside the plot where it covers no line or marker, or else above the plot.
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
        /// A range at each point's x (such as the interquartile range of what the line is the mean
        /// of), drawn as a light band of the series' colour under every line.
        public var band: [ClosedRange<Double>]?

        public init(name: String, points: [Point], color: Color? = nil, dashed: Bool = false, markers: Bool = false,
                    lineWidth: Double? = nil, band: [ClosedRange<Double>]? = nil) {
            precondition(band.map { $0.count == points.count } ?? true, "one range per point")
            self.name = name
            self.points = points
            self.color = color
            self.dashed = dashed
            self.markers = markers
            self.lineWidth = lineWidth
            self.band = band
        }

        /// How a band is filled: the series' colour, mostly transparent.
        public static func bandColor(_ color: Color) -> Color { Color(color.red, color.green, color.blue, alpha: 0.18) }
    }

    public var title: String?
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var size: Size
    public var x: AxisOptions
    public var y: AxisOptions
    public var legend: LegendPlacement

    public init(title: String? = nil, xLabel: String, yLabel: String, series: [Series], size: Size = Size(463, 220),
                x: AxisOptions = AxisOptions(), y: AxisOptions = AxisOptions(), legend: LegendPlacement = .automatic) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.size = size
        self.x = x
        self.y = y
        self.legend = legend
    }

    /// The entries of this chart's legend, for one legend shared by several charts.
    public var legendEntries: [Legend.Entry] {
        series.indices.map {
            Legend.Entry(name: series[$0].name, swatch: .line(color($0), dashed: series[$0].dashed, marker: series[$0].markers))
        }
    }

    static let tickFont = Font.sans(7.5), labelFont = Font.sans(8), titleFont = Font.sans(9, bold: true)
    static let dash: [Double] = [4, 2.5]
    private static let margin = 3.0, tickLength = 3.0, markerRadius = 2.8
    /// Room kept between a legend inside the plot and any line or marker.
    private static let legendClearance = 2.0

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
        let logarithmic = y.logarithmic
        return series.map { $0.points.filter { $0.x.isFinite && $0.y.isFinite && (!logarithmic || $0.y > 0) } }
    }

    /// The bands' ends as points, where they can be drawn: for the axes to take in.
    private var bandPoints: [Point] {
        let logarithmic = y.logarithmic
        var points: [Point] = []
        for s in series {
            for (p, range) in zip(s.points, s.band ?? []) {
                points += [Point(p.x, range.lowerBound), Point(p.x, range.upperBound)]
            }
        }
        return points.filter { $0.x.isFinite && $0.y.isFinite && (!logarithmic || $0.y > 0) }
    }

    private func color(_ index: Int) -> Color { series[index].color ?? Color.series[index % Color.series.count] }

    private func lineWidth(_ index: Int) -> Double { series[index].lineWidth ?? (series[index].points.count > 300 ? 0.7 : 1.4) }

    func layout(on canvas: Canvas) -> Layout {
        guard series.count > 1, legend != .hidden else { return layout(on: canvas, legendOutside: nil) }
        if legend == .automatic {
            var inside = layout(on: canvas, legendOutside: nil)
            if let placed = legendInside(inside, on: canvas) {
                inside.legend = placed
                return inside
            }
        }
        return layout(on: canvas, legendOutside: legend == .right ? .right : .above)
    }

    /// The layout with the legend outside the plot (above or to the right), or with no legend yet.
    private func layout(on canvas: Canvas, legendOutside: LegendPlacement?) -> Layout {
        let points = Array(plottable.joined()) + bandPoints
        var labels: [PlacedText] = []
        var top = Self.margin, right = size.width - Self.margin
        if let title {
            labels.append(PlacedText(title, font: Self.titleFont, at: Point(size.width / 2, top), alignment: .center,
                                     maxWidth: size.width - 2 * Self.margin, on: canvas))
            top = labels[0].frame.maxY + 4
        }
        var legendPlaced: Legend.Placed?
        if legendOutside == .above {
            let legend = Legend(entries: legendEntries, arrangement: .rows(maxWidth: size.width - 2 * Self.margin))
            legendPlaced = legend.place(at: Point((size.width - legend.size.width) / 2, top), on: canvas)
            top = legendPlaced!.frame.maxY + 4
        } else if legendOutside == .right {
            let legend = Legend(entries: legendEntries, arrangement: .column)
            right -= legend.size.width + 6
            legendPlaced = legend.place(at: Point(right + 6, top), on: canvas)
        }
        // Heights first: they fix the plot's height, which fixes how many y ticks fit, whose
        // labels' width then fixes where the plot starts.
        let tickHeight = canvas.measure("0", font: Self.tickFont).height
        let xLabelHeight = canvas.measure(xLabel, font: Self.labelFont).height
        let plotTop = top + tickHeight / 2
        let plotBottom = size.height - Self.margin - xLabelHeight - 2 - tickHeight - Self.tickLength - 2
        let y = yAxis(points.map(\.y), height: plotBottom - plotTop)
        let yTickWidth = y.labels.map { canvas.measure($0, font: Self.tickFont).width }.max() ?? 0
        let yLabelHeight = canvas.measure(yLabel, font: Self.labelFont).height
        let plotLeft = Self.margin + yLabelHeight + 4 + yTickWidth + 2 + Self.tickLength
        let x = xAxis(points.map(\.x), width: right - plotLeft, on: canvas)
        // Pull the plot's right edge in so that the last x tick label stays inside the figure.
        var plotRight = right
        if let last = x.ticks.last, let label = x.labels.last, x.fraction(last) > 0 {
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
        return Layout(plot: plot, x: x, y: y, labels: labels, legend: legendPlaced)
    }

    /// About one labelled tick per 35 pt of height, 4 to 8 of them.
    private func yAxis(_ values: [Double], height: Double) -> Axis {
        let options = y
        let target = min(max(Int(height / 35) + 1, 4), 8)
        if options.logarithmic {
            return .logarithmic(options.range ?? Self.span(of: values, logarithmic: true), unit: options.unit)
        }
        let locator = TickLocator(values: options.values, target: target)
        if let range = options.range { return .linear(range, locator: locator, loose: false, unit: options.unit) }
        return .linear(Self.span(of: values, logarithmic: false), locator: locator, loose: true, unit: options.unit)
    }

    /// The x axis over the data and 3 % more on each side (so that markers at the ends show
    /// whole), with 4 to 8 ticks, or fewer if that is what it takes for their labels not to touch.
    private func xAxis(_ values: [Double], width: Double, on canvas: Canvas) -> Axis {
        let options = x
        let range: ClosedRange<Double>
        if let given = options.range {
            range = given
        } else {
            let data = Self.span(of: values, logarithmic: false, integer: options.values == .integer)
            let padding = 0.03 * (data.upperBound - data.lowerBound)
            range = data.lowerBound - padding...data.upperBound + padding
        }
        let target = min(max(Int(width / 60) + 1, 4), 8)
        var axis = Axis(range: range, ticks: [], labels: [])
        for most in stride(from: 8, through: 2, by: -1) {
            axis = .linear(range, locator: TickLocator(values: options.values, counts: min(4, most)...most, target: min(target, most)),
                           loose: false, unit: options.unit)
            let centres = axis.ticks.map { axis.fraction($0) * width }
            let halves = axis.labels.map { canvas.measure($0, font: Self.tickFont).width / 2 }
            if axis.ticks.indices.dropLast().allSatisfy({ centres[$0 + 1] - centres[$0] >= halves[$0] + halves[$0 + 1] + 6 }) { break }
        }
        return axis
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

    /// What the data draws, for placing the legend clear of it: the lines, their markers, and the
    /// edges of their bands.
    private func dataShapes(_ layout: Layout) -> [DrawingRecord.Shape] {
        let bands = series.flatMap { s -> [DrawingRecord.Shape] in
            guard let band = s.band else { return [] }
            let ranges = zip(s.points, band).filter { $0.0.x.isFinite && $0.1.lowerBound.isFinite && $0.1.upperBound.isFinite }
            return [\.lowerBound, \.upperBound].flatMap { (end: KeyPath<ClosedRange<Double>, Double>) in
                Self.clipped(ranges.map { layout.position(Point($0.0.x, $0.1[keyPath: end])) }, to: layout.plot).map {
                    DrawingRecord.Shape.polyline($0, halfWidth: Self.legendClearance)
                }
            }
        }
        return bands + plottable.indices.flatMap { index -> [DrawingRecord.Shape] in
            let positions = plottable[index].map(layout.position)
            let lines = Self.clipped(positions, to: layout.plot).map {
                DrawingRecord.Shape.polyline($0, halfWidth: lineWidth(index) / 2 + Self.legendClearance)
            }
            let markers = series[index].markers
                ? positions.filter(layout.plot.insetBy(-0.01, -0.01).contains).map {
                    DrawingRecord.Shape.circle($0, radius: Self.markerRadius + Self.legendClearance)
                }
                : []
            return lines + markers
        }
    }

    /// The legend in a framed column inside the plot, at the first of eight places (corners
    /// first) where it covers no line or marker; nil when every place covers some.
    private func legendInside(_ layout: Layout, on canvas: Canvas) -> Legend.Placed? {
        let legend = Legend(entries: legendEntries, arrangement: .column, framed: true)
        let size = legend.size, plot = layout.plot, inset = 4.0
        guard size.width + 2 * inset <= plot.width, size.height + 2 * inset <= plot.height else { return nil }
        let left = plot.x + inset, right = plot.maxX - inset - size.width, centre = plot.center.x - size.width / 2
        let top = plot.y + inset, bottom = plot.maxY - inset - size.height, middle = plot.center.y - size.height / 2
        let places = [(right, top), (left, top), (right, bottom), (left, bottom),
                      (centre, top), (centre, bottom), (right, middle), (left, middle)].map { Point($0.0, $0.1) }
        let shapes = dataShapes(layout)
        guard let free = places.first(where: { origin in
            let box = Rect(origin.x, origin.y, size.width, size.height)
            return !shapes.contains { $0.intersects(box) }
        }) else { return nil }
        return legend.place(at: free, on: canvas)
    }

    /// The parts of a polyline inside `rect`, as separate runs.
    static func clipped(_ points: [Point], to rect: Rect) -> [[Point]] {
        guard points.count > 1 else { return points.filter(rect.contains).map { [$0] } }
        var runs: [[Point]] = [], current: [Point] = []
        for (a, b) in zip(points, points.dropFirst()) {
            guard let (t0, t1) = rect.clip(a, b) else {
                if !current.isEmpty { runs.append(current); current = [] }
                continue
            }
            let d = Point(b.x - a.x, b.y - a.y)
            let start = Point(a.x + t0 * d.x, a.y + t0 * d.y), end = Point(a.x + t1 * d.x, a.y + t1 * d.y)
            if current.isEmpty || t0 > 0 {
                if !current.isEmpty { runs.append(current) }
                current = [start]
            }
            current.append(end)
            if t1 < 1 { runs.append(current); current = [] }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
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

        canvas.drawing(as: .data) {
            for (index, s) in series.enumerated() {
                guard let band = s.band else { continue }
                let ranges = zip(s.points, band).filter { $0.0.x.isFinite && $0.1.lowerBound.isFinite && $0.1.upperBound.isFinite }
                guard ranges.count > 1 else { continue }
                canvas.isolated {
                    canvas.clip(plot)
                    canvas.move(to: layout.position(Point(ranges[0].0.x, ranges[0].1.upperBound)))
                    for (p, r) in ranges.dropFirst() { canvas.line(to: layout.position(Point(p.x, r.upperBound))) }
                    for (p, r) in ranges.reversed() { canvas.line(to: layout.position(Point(p.x, r.lowerBound))) }
                    canvas.closePath()
                    canvas.setColor(Series.bandColor(color(index)))
                    canvas.fill()
                }
            }
            for (index, points) in plottable.enumerated() {
                let positions = points.map(layout.position)
                for run in Self.clipped(positions, to: plot) {
                    canvas.strokeLine(run, color(index), width: lineWidth(index), dash: series[index].dashed ? Self.dash : [])
                }
                if series[index].markers {
                    for p in positions where plot.insetBy(-0.01, -0.01).contains(p) { Self.marker(at: p, color(index), on: canvas) }
                }
            }
        }
        for label in layout.labels { label.draw(on: canvas) }
        layout.legend?.draw(on: canvas)
    }

    /// A dot with a white rim, so that markers of close series stay apart.
    static func marker(at p: Point, _ color: Color, on canvas: Canvas) {
        canvas.setColor(.white)
        canvas.circle(p, radius: markerRadius)
        canvas.fill()
        canvas.setColor(color)
        canvas.circle(p, radius: 2.1)
        canvas.fill()
    }
}
