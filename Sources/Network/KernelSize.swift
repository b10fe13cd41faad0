/// A kernel size fixed when the code is compiled, or left to run time. The direct convolution
/// kernels are generic over it and called with `FiveByFive` for LeNet-5's layers: the size is
/// then a constant in their specialised code, whose loops over kernel rows and columns unroll,
/// whether or not the optimiser inlines them. The tests' other shapes run with `AnySize`.
protocol KernelSize {
    static var fixed: Int? { get }
}

enum FiveByFive: KernelSize {
    static var fixed: Int? { 5 }
}

enum AnySize: KernelSize {
    static var fixed: Int? { nil }
}

/// How many pooling windows conv2's forward kernel computes together, as a type so that each
/// count gets code of its own. Three fill the registers with twelve accumulators; the last one
/// or two windows of a batch come as a group of their own.
protocol GroupSize {
    static var count: Int { get }
}

enum GroupOfOne: GroupSize { static var count: Int { 1 } }
enum GroupOfTwo: GroupSize { static var count: Int { 2 } }
enum GroupOfThree: GroupSize { static var count: Int { 3 } }
