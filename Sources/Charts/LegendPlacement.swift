/// Where a chart puts its legend.
public enum LegendPlacement: Sendable, Equatable {
    /// Inside the plot where it covers no line, marker or bar; above the plot if there is no such place.
    case automatic
    /// Above the plot, in rows.
    case above
    /// Right of the plot, in a column.
    case right
    /// None: a legend shared by several charts says what the series are (see `Keyed`).
    case hidden
}
