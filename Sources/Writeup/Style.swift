import Graphics

/// The report's page geometry and type.
struct Style {
    let pageSize = Size(595.28, 841.89)          // A4
    let margins = (top: 64.0, bottom: 72.0, left: 66.0, right: 66.0)
    let body = Font.serif(11)
    let bodyLineSpacing = 1.25
    let small = Font.sans(9)
    let code = Font.mono(8.8)
    let title = Font.sans(24, bold: true)
    let subtitle = Font.sans(12.5)
    let paragraphGap = 7.0
    let figureMaxHeight = 520.0

    func heading(_ level: Int) -> Font {
        switch level {
        case 1: .sans(20, bold: true)
        case 2: .sans(15.5, bold: true)
        default: .sans(12, bold: true)
        }
    }

    var content: Rect {
        Rect(margins.left, margins.top, pageSize.width - margins.left - margins.right, pageSize.height - margins.top - margins.bottom)
    }
}
