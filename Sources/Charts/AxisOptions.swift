/// How a chart's numeric axis is ticked and labelled.
public struct AxisOptions: Sendable, Equatable {
    /// The values the ticks may take: any, whole numbers, or degrees (0, 90, 180, …).
    public var values: TickLocator.Values
    /// Appended to each tick label: "%" gives "20 %", "°" gives "90°".
    public var unit: String?
    /// The values shown; by default the data's.
    public var range: ClosedRange<Double>?
    /// Decades instead of a linear scale; values ≤ 0 are left out.
    public var logarithmic: Bool

    public init(values: TickLocator.Values = .real, unit: String? = nil, range: ClosedRange<Double>? = nil, logarithmic: Bool = false) {
        precondition(!logarithmic || (range?.lowerBound ?? 1) > 0, "a logarithmic axis needs a positive range")
        self.values = values
        self.unit = unit
        self.range = range
        self.logarithmic = logarithmic
    }

    /// An angle axis in degrees: ticks at multiples of 90, 45, 30, …, labelled "90°".
    public static let degrees = AxisOptions(values: .degrees, unit: "°")
}
