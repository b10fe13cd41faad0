import Charts

/// The report's page geometry and type.
struct Style {
    let pageSize = Size(595.28, 841.89)          // A4
    let margins = (top: 64.0, bottom: 72.0, left: 66.0, right: 66.0)
    let body = Font.serif(10)
    let bodyLineSpacing = 1.2
    let small = Font.sans(8.5)
    let code = Font.mono(8.2)
    let title = Font.sans(21, bold: true)
    let subtitle = Font.sans(11)
    let paragraphGap = 7.0
    let figureMaxHeight = 520.0

    func heading(_ level: Int) -> Font {
        switch level {
        case 1: .sans(18, bold: true)
        case 2: .sans(14, bold: true)
        default: .sans(11, bold: true)
        }
    }

    var content: Rect {
        Rect(margins.left, margins.top, pageSize.width - margins.left - margins.right, pageSize.height - margins.top - margins.bottom)
    }
}
