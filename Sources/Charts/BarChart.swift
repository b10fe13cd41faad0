import Graphics
import Foundation

/// Grouped bars: for each category, one bar per group side by side, such as the number of
/// images of each digit in the training and the test set. The legend sits above the plot (or to
/// its right), where it cannot hide a bar; values are printed at the ends of the bars in the
/// tables' format ("5,923"), standing on end when the bars are too narrow for them.
public struct BarChart: Figure, Sendable {
    public struct Group: Sendable {
        public var name: String
        /// One per category.
        public var values: [Double]
        /// Defaults to the group's colour in `Color.series`.
        public var color: Color?
        /// A spread to draw over each bar as a whisker (for instance the quartiles around a mean);
        /// the values are then not printed.
        public var spreads: [ClosedRange<Double>]?

        public init(name: String, values: [Double], color: Color? = nil, spreads: [ClosedRange<Double>]? = nil) {
            precondition(spreads.map { $0.count == values.count } ?? true, "one spread per value")
            self.name = name
            self.values = values
            self.color = color
            self.spreads = spreads
        }
    }

    public var title: String?
    public var categories: [String]
    public var groups: [Group]
    public var xLabel: String?
    public var yLabel: String
    public var size: Size
    /// What the whiskers span, such as "interquartile range": a legend entry of its own.
    public var spreadName: String?
    public var y: AxisOptions
    /// `.automatic` is `.above`: bars leave no free corner worth the search.
    public var legend: LegendPlacement

    public init(title: String? = nil, categories: [String], groups: [Group], xLabel: String? = nil, yLabel: String,
                size: Size = Size(463, 200), spreadName: String? = nil, y: AxisOptions = AxisOptions(),
                legend: LegendPlacement = .automatic) {
        precondition(!y.logarithmic, "bars need a linear axis")
        precondition(!categories.isEmpty && !groups.isEmpty && groups.allSatisfy { $0.values.count == categories.count },
                     "a bar chart needs categories, groups, and one value per category in each group")
        self.title = title
        self.categories = categories
        self.groups = groups
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.size = size
        self.spreadName = spreadName
        self.y = y
        self.legend = legend
    }

    /// The entries of this chart's legend, for one legend shared by several charts: the groups
    /// (when there are several) and what the whiskers span.
    public var legendEntries: [Legend.Entry] {
        (groups.count > 1 ? groups.indices.map { Legend.Entry(name: groups[$0].name, swatch: .box(color($0))) } : [])
            + (spreadName.map { [Legend.Entry(name: $0, swatch: .whisker(.text))] } ?? [])
    }

    static let tickFont = Font.sans(7.5), categoryFont = Font.sans(7.5), labelFont = Font.sans(8), titleFont = Font.sans(9, bold: true)
    static let valueFont = Font.sans(7.5)
    private static let margin = 3.0, tickLength = 3.0
    /// The share of each category's width that its bars fill.
    private static let fill = 0.84

    struct Layout {
        var plot: Rect
        var y: Axis
        /// For each group, its bars in the order of `categories`.
        var bars: [[Rect]]
        /// Title, axis and category labels.
        var labels: [PlacedText]
        /// The values at the ends of the bars, if they fit.
        var values: [PlacedText]
        /// For each group with spreads, a whisker per bar: x and the two ends.
        var whiskers: [[(x: Double, low: Double, high: Double)]]
        var legend: Legend.Placed?

        var allLabels: [PlacedText] { labels + values + (legend?.labels ?? []) }
    }

    private func color(_ index: Int) -> Color { groups[index].color ?? Color.series[index % Color.series.count] }

    /// "5,923"; all values with two decimals when any of them is not a whole number.
    private func valueText(_ value: Double) -> String {
        let whole = groups.allSatisfy { $0.values.allSatisfy { $0 == $0.rounded() } }
        return NumberFormat.string(value, decimals: whole ? 0 : 2, unit: self.y.unit)
    }

    func layout(on canvas: Canvas) -> Layout {
        var labels: [PlacedText] = [], valueLabels: [PlacedText] = []
        let available = size.width - 2 * Self.margin
        let entries = legendEntries
        let onRight = legend == .right && !entries.isEmpty
        let legend = entries.isEmpty || self.legend == .hidden ? nil
            : Legend(entries: entries, arrangement: onRight ? .column : .rows(maxWidth: available))
        let legendSize = onRight ? Size(0, 0) : legend?.size ?? Size(0, 0)
        let plotRightEdge = size.width - Self.margin - (onRight ? legend!.size.width + 6 : 0)
        let title = self.title.map {
            PlacedText($0, font: Self.titleFont, at: Point(Self.margin, Self.margin), maxWidth: available, on: canvas)
        }
        // Title and legend share the top line when they fit side by side; otherwise the legend goes below.
        let titleSize = title?.frame.size ?? Size(0, 0)
        let sideBySide = title?.wrapWidth == nil && titleSize.width + 12 + legendSize.width <= available
        let headerHeight = sideBySide ? max(titleSize.height, legendSize.height)
            : titleSize.height + (titleSize.height > 0 && legendSize.height > 0 ? 2 : 0) + legendSize.height

        let tickHeight = canvas.measure("0", font: Self.tickFont).height
        let categoryHeight = canvas.measure("Ag", font: Self.categoryFont).height
        let xLabelHeight = xLabel.map { canvas.measure($0, font: Self.labelFont).height + 2 } ?? 0
        let plotTop = Self.margin + headerHeight + (headerHeight > 0 ? 4 : 0) + tickHeight / 2
        let plotBottom = size.height - Self.margin - xLabelHeight - categoryHeight - 3
        let plotHeight = plotBottom - plotTop
        let values = groups.flatMap(\.values) + groups.flatMap { $0.spreads?.flatMap { [$0.lowerBound, $0.upperBound] } ?? [] }
        let hasSpreads = groups.contains { $0.spreads != nil }
        let options = self.y
        let locator = TickLocator(values: options.values, target: min(max(Int(plotHeight / 35) + 1, 4), 8))
        let valueSizes = groups.flatMap(\.values).map { canvas.measure(valueText($0), font: Self.valueFont) }
        // Room beyond the longest bars for their printed values: `headroom` points of the plot.
        func axis(headroom: Double) -> Axis {
            if let range = options.range { return .linear(range, locator: locator, loose: false, unit: options.unit) }
            let (lower, upper) = (min(0, values.min()!), max(0, values.max()!))
            guard upper > lower else { return .linear(0...1, locator: locator, loose: true, unit: options.unit) }
            // `headroom` points at each end with bars: that share of the plot, once the room is added.
            let ends = Double((lower < 0 ? 1 : 0) + (upper > 0 ? 1 : 0))
            let room = (upper - lower) * headroom / max(plotHeight - ends * headroom, 1)
            return .linear((lower < 0 ? lower - room : 0)...(upper > 0 ? upper + room : 0),
                           locator: locator, loose: true, unit: options.unit)
        }
        let flatRoom = (valueSizes.map(\.height).max() ?? 0) + 2, uprightRoom = (valueSizes.map(\.width).max() ?? 0) + 2
        let yLabelHeight = canvas.measure(yLabel, font: Self.labelFont).height
        func plotLeft(_ y: Axis) -> Double {
            Self.margin + yLabelHeight + 4 + (y.labels.map { canvas.measure($0, font: Self.tickFont).width }.max() ?? 0)
                + 2 + Self.tickLength
        }
        let band = (plotRightEdge - plotLeft(axis(headroom: uprightRoom))) / Double(categories.count)
        let barWidth = band * Self.fill / Double(groups.count)
        // Values lie across the end of their bar when they fit its width, stand on end when only
        // their height does (as matplotlib's bar_label with rotation 90), or are left out.
        let showValues = !hasSpreads && valueSizes.allSatisfy { $0.height <= barWidth + 1 }
        let upright = showValues && !valueSizes.allSatisfy { $0.width <= barWidth + 1 }
        let y = axis(headroom: showValues ? (upright ? uprightRoom : flatRoom) : 0)
        let left = plotLeft(y)
        let plot = Rect(left, plotTop, plotRightEdge - left, plotHeight)

        if let title { labels.append(title) }
        let legendPlaced = legend.map { legend in
            onRight ? legend.place(at: Point(plot.maxX + 6, plot.y), on: canvas)
                : legend.place(at: Point(plot.maxX - legendSize.width,
                                         sideBySide ? Self.margin : Self.margin + headerHeight - legendSize.height), on: canvas)
        }
        for (tick, label) in zip(y.ticks, y.labels) {
            let at = Point(plot.x - Self.tickLength - 2, plot.maxY - y.fraction(tick) * plot.height)
            labels.append(PlacedText(label, font: Self.tickFont, at: at, alignment: .right, anchor: .middle, on: canvas))
        }
        let bandWidth = plot.width / Double(categories.count), width = bandWidth * Self.fill / Double(groups.count)
        let zero = plot.maxY - y.fraction(0) * plot.height
        var bars: [[Rect]] = Array(repeating: [], count: groups.count)
        var whiskers: [[(x: Double, low: Double, high: Double)]] = Array(repeating: [], count: groups.count)
        for (c, category) in categories.enumerated() {
            let start = plot.x + Double(c) * bandWidth + bandWidth * (1 - Self.fill) / 2
            labels.append(PlacedText(category, font: Self.categoryFont, at: Point(start + width * Double(groups.count) / 2, plot.maxY + 3),
                                     alignment: .center, on: canvas))
            for (g, group) in groups.enumerated() {
                let top = plot.maxY - y.fraction(group.values[c]) * plot.height
                let bar = Rect(start + Double(g) * width, min(top, zero), width, abs(zero - top))
                bars[g].append(bar)
                if let spread = group.spreads?[c] {
                    whiskers[g].append((bar.center.x, plot.maxY - y.fraction(spread.lowerBound) * plot.height,
                                        plot.maxY - y.fraction(spread.upperBound) * plot.height))
                }
                if showValues {
                    let at = group.values[c] >= 0 ? Point(bar.center.x, bar.y - 1) : Point(bar.center.x, bar.maxY + 1)
                    valueLabels.append(PlacedText(valueText(group.values[c]), font: Self.valueFont, color: .muted, at: at,
                                             alignment: .center, anchor: group.values[c] >= 0 ? .bottom : .top,
                                             rotated: upright, on: canvas))
                }
            }
        }
        if let xLabel {
            labels.append(PlacedText(xLabel, font: Self.labelFont, at: Point(plot.center.x, size.height - Self.margin),
                                     alignment: .center, anchor: .bottom, on: canvas))
        }
        labels.append(PlacedText(yLabel, font: Self.labelFont, at: Point(Self.margin, plot.center.y),
                                 anchor: .middle, rotated: true, on: canvas))
        return Layout(plot: plot, y: y, bars: bars, labels: labels, values: valueLabels, whiskers: whiskers, legend: legendPlaced)
    }

    public func draw(on canvas: Canvas) {
        let layout = layout(on: canvas)
        let plot = layout.plot
        for tick in layout.y.ticks {
            let y = plot.maxY - layout.y.fraction(tick) * plot.height
            canvas.strokeLine([Point(plot.x, y), Point(plot.maxX, y)], .grid, width: 0.5)
            canvas.strokeLine([Point(plot.x - Self.tickLength, y), Point(plot.x, y)], .muted, width: 0.6)
        }
        canvas.drawing(as: .data) {
            for (g, bars) in layout.bars.enumerated() {
                // A hairline between neighbouring bars keeps a group's bars apart.
                for bar in bars { canvas.fill(bar.insetBy(0.4, 0), color(g)) }
            }
            for whisker in layout.whiskers.joined() {
                let cap = 2.5
                canvas.strokeLine([Point(whisker.x, whisker.low), Point(whisker.x, whisker.high)], .text, width: 0.8)
                for end in [whisker.low, whisker.high] {
                    canvas.strokeLine([Point(whisker.x - cap, end), Point(whisker.x + cap, end)], .text, width: 0.8)
                }
            }
        }
        let zero = plot.maxY - layout.y.fraction(0) * plot.height
        canvas.strokeLine([Point(plot.x, plot.y), Point(plot.x, plot.maxY)], .muted, width: 0.8)
        canvas.strokeLine([Point(plot.x, zero), Point(plot.maxX, zero)], .muted, width: 0.8)
        for label in layout.labels + layout.values { label.draw(on: canvas) }
        layout.legend?.draw(on: canvas)
    }
}
