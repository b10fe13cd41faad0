public enum MNISTImage {
    public static let side = 28
    public static let pixels = side * side
}
