extension Rect {
    public var size: Size { Size(width, height) }

    public func contains(_ p: Point) -> Bool { p.x >= x && p.x <= maxX && p.y >= y && p.y <= maxY }
}
