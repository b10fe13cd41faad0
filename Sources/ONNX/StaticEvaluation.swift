/// Evaluates the nodes of a graph whose inputs are all known when the file is read: the shape
/// computations exporters write for a flatten (`Shape` → `Gather` → `Cast` → `Slice` → `Concat`
/// → `Reshape`), constants, and small arithmetic on them. The network's input has a fixed size
/// and batch 1 here, so every shape is known.
enum StaticEvaluation {
    static let operators: Set<String> = [
        "Constant", "ConstantOfShape", "Shape", "Size", "Gather", "Cast", "Slice", "Concat", "Unsqueeze", "Squeeze",
        "Reshape", "Flatten", "Identity", "Transpose", "Add", "Sub", "Mul", "Div", "Neg",
    ]

    /// The outputs of `node`, given its inputs (nil for an absent optional one).
    static func evaluate(_ node: NodeProto, inputs: [TensorValue?], opset: Int64) throws(TensorError) -> [TensorValue] {
        func input(_ i: Int) throws(TensorError) -> TensorValue {
            guard i < inputs.count, let value = inputs[i] else { throw TensorError("needs input \(i + 1)") }
            return value
        }
        func optionalInput(_ i: Int) -> TensorValue? { i < inputs.count ? inputs[i] : nil }
        func ints(_ value: TensorValue, _ what: String) throws(TensorError) -> [Int64] {
            guard let v = value.integers else { throw TensorError("needs integers for its \(what)") }
            return v
        }
        func attributeInt(_ name: String, _ fallback: Int64) -> Int64 { node.attribute(name)?.i ?? fallback }

        switch node.opType {
        case "Constant":
            guard let a = node.attributes.first else { throw TensorError("has no value") }
            switch a.name {
            case "value":
                guard let t = a.t else { throw TensorError("has no tensor value") }
                return [try TensorValue(t, what: "its value") { (_: String) throws(TensorError) -> [UInt8] in
                    throw TensorError("keeps its value in another file")
                }]
            case "value_float": return [TensorValue(shape: [], storage: .floats([a.f ?? 0]))]
            case "value_floats": return [TensorValue(shape: [a.floats.count], storage: .floats(a.floats))]
            case "value_int": return [TensorValue(integers: [a.i ?? 0], shape: [])]
            case "value_ints": return [TensorValue(integers: a.ints)]
            default: throw TensorError("has a \(a.name), which is not supported")
            }
        case "ConstantOfShape":
            let shape = try ints(input(0), "shape")
            guard let count = elementCount(shape, limit: 1 << 20) else { throw TensorError("has an invalid shape \(shape)") }
            var fill = TensorValue(shape: [1], storage: .floats([0]))
            if let t = node.attribute("value")?.t {
                fill = try TensorValue(t, what: "its value") { (_: String) throws(TensorError) -> [UInt8] in
                    throw TensorError("keeps its value elsewhere")
                }
            }
            guard fill.count == 1 else { throw TensorError("has a value of \(fill.count) elements, not 1") }
            return [fill.picking([Int](repeating: 0, count: count), shape: shape.map { Int($0) })]
        case "Shape":
            return [shape(of: try input(0).shape, node: node)]
        case "Size":
            return [TensorValue(integers: [Int64(try input(0).shape.reduce(1, *))], shape: [])]
        case "Identity":
            return [try input(0)]
        case "Cast":
            let value = try input(0)
            guard let to = node.attribute("to")?.i else { throw TensorError("has no target type") }
            return [try cast(value, to: Int32(truncatingIfNeeded: to))]
        case "Gather":
            return [try gather(input(0), indices: ints(input(1), "indices"), indicesShape: input(1).shape,
                               axis: Int(attributeInt("axis", 0)))]
        case "Slice":
            let data = try input(0)
            let starts, ends: [Int64], axes: [Int64]?, steps: [Int64]?
            if opset < 10 {
                starts = node.attribute("starts")?.ints ?? []
                ends = node.attribute("ends")?.ints ?? []
                axes = node.attribute("axes")?.ints
                steps = nil
            } else {
                starts = try ints(input(1), "starts")
                ends = try ints(input(2), "ends")
                axes = try optionalInput(3).map { v throws(TensorError) in try ints(v, "axes") }
                steps = try optionalInput(4).map { v throws(TensorError) in try ints(v, "steps") }
            }
            return [try slice(data, starts: starts, ends: ends, axes: axes, steps: steps)]
        case "Concat":
            guard let axis = node.attribute("axis")?.i else { throw TensorError("has no axis") }
            return [try concat(inputs.compactMap { $0 }, axis: Int(axis))]
        case "Unsqueeze", "Squeeze":
            let data = try input(0)
            let axes = opset < 13 ? node.attribute("axes")?.ints : try optionalInput(1).map { v throws(TensorError) in try ints(v, "axes") }
            var shape = data.shape
            if node.opType == "Unsqueeze" {
                guard let axes else { throw TensorError("has no axes") }
                let rank = shape.count + axes.count
                let normal = try axes.map { a throws(TensorError) in try axis(a, rank: rank) }.sorted()
                guard Set(normal).count == normal.count else { throw TensorError("repeats an axis") }
                for a in normal { shape.insert(1, at: a) }
            } else if let axes {
                let normal = try Set(axes.map { a throws(TensorError) in try axis(a, rank: shape.count) })
                guard normal.allSatisfy({ shape[$0] == 1 }) else { throw TensorError("squeezes an axis whose size is not 1") }
                shape = shape.enumerated().filter { !normal.contains($0.offset) }.map(\.element)
            } else {
                shape = shape.filter { $0 != 1 }
            }
            return [TensorValue(shape: shape, storage: data.storage)]
        case "Reshape":
            let data = try input(0)
            let target = try reshaped(data.shape, to: ints(input(1), "shape"), allowZero: attributeInt("allowzero", 0) != 0)
            return [TensorValue(shape: target, storage: data.storage)]
        case "Flatten":
            let data = try input(0)
            let a = try axis(attributeInt("axis", 1), rank: data.shape.count + 1)
            let outer = data.shape[..<a].reduce(1, *)
            return [TensorValue(shape: [outer, data.shape[a...].reduce(1, *)], storage: data.storage)]
        case "Transpose":
            let data = try input(0)
            let rank = data.shape.count
            let perm = try (node.attribute("perm")?.ints ?? (0..<Int64(rank)).reversed()).map { p throws(TensorError) in
                try axis(p, rank: rank)
            }
            guard perm.count == rank, Set(perm).count == rank else { throw TensorError("has an invalid permutation") }
            return [transpose(data, perm: perm)]
        case "Add", "Sub", "Mul", "Div":
            return [try arithmetic(node.opType, input(0), input(1))]
        case "Neg":
            let data = try input(0)
            switch data.storage {
            case .floats(let v): return [TensorValue(shape: data.shape, storage: .floats(v.map { -$0 }))]
            case .doubles(let v): return [TensorValue(shape: data.shape, storage: .doubles(v.map { -$0 }))]
            case .integers(let v): return [TensorValue(shape: data.shape, storage: .integers(v.map { 0 &- $0 }))]
            }
        default:
            throw TensorError("is not supported")
        }
    }

    /// A Shape node's output for an input of `dims`, with its start and end attributes.
    static func shape(of dims: [Int], node: NodeProto) -> TensorValue {
        let rank = dims.count
        func clamp(_ v: Int64) -> Int { let i = Int(max(min(v, Int64(rank)), Int64(-rank))); return i < 0 ? i + rank : i }
        let start = clamp(node.attribute("start")?.i ?? 0), end = clamp(node.attribute("end")?.i ?? Int64(rank))
        return TensorValue(integers: dims[start..<max(start, end)].map { Int64($0) })
    }

    static func axis(_ a: Int64, rank: Int) throws(TensorError) -> Int {
        guard a >= -Int64(rank), a < Int64(rank) else { throw TensorError("has axis \(a) for rank \(rank)") }
        return Int(a < 0 ? a + Int64(rank) : a)
    }

    /// Reshape's target: 0 copies the input's dimension (unless allowzero), -1 takes what is left.
    static func reshaped(_ shape: [Int], to target: [Int64], allowZero: Bool) throws(TensorError) -> [Int] {
        let total = shape.reduce(1, *)
        var result = [Int](), inferred: Int?
        for (i, t) in target.enumerated() {
            switch t {
            case -1:
                guard inferred == nil else { throw TensorError("has two -1 in its target shape") }
                inferred = i
                result.append(1)
            case 0 where !allowZero:
                guard i < shape.count else { throw TensorError("copies dimension \(i), which its input does not have") }
                result.append(shape[i])
            case let t where t >= 0 && t <= Int64(1 << 31):
                result.append(Int(t))
            default:
                throw TensorError("has an invalid target shape \(target)")
            }
        }
        guard let known = elementCount(result.map { Int64($0) }) else { throw TensorError("has an invalid target shape \(target)") }
        if let i = inferred {
            guard known > 0, total % known == 0 else { throw TensorError("cannot reshape \(describe(shape)) to \(target)") }
            result[i] = total / known
        }
        guard result.reduce(1, *) == total else { throw TensorError("cannot reshape \(describe(shape)) to \(target)") }
        return result
    }

    private static func cast(_ value: TensorValue, to type: Int32) throws(TensorError) -> TensorValue {
        guard DataType.size(type) != nil else { throw TensorError("casts to \(DataType.name(type)), which is not supported") }
        if DataType.isFloat(type) {
            if type == 11 { return TensorValue(shape: value.shape, storage: .doubles(value.doubles)) }
            return TensorValue(shape: value.shape, storage: .floats(value.doubles.map { Float($0) }))
        }
        if let ints = value.integers { return TensorValue(integers: type == 9 ? ints.map { $0 != 0 ? 1 : 0 } : ints, shape: value.shape) }
        var ints = [Int64]()
        for d in value.doubles {
            if type == 9 { ints.append(d != 0 ? 1 : 0); continue }
            guard d.isFinite, abs(d) < 9.2e18 else { throw TensorError("casts \(d) to an integer") }
            ints.append(Int64(d.rounded(.towardZero)))
        }
        return TensorValue(integers: ints, shape: value.shape)
    }

    private static func gather(_ data: TensorValue, indices: [Int64], indicesShape: [Int], axis a: Int) throws(TensorError) -> TensorValue {
        let rank = data.shape.count
        let axis = try axis(Int64(a), rank: rank)
        let size = data.shape[axis]
        let outer = data.shape[..<axis].reduce(1, *), inner = data.shape[(axis + 1)...].reduce(1, *)
        guard elementCount([Int64(outer), Int64(indices.count), Int64(inner)], limit: 1 << 24) != nil else {
            throw TensorError("gathers too many values to fold")
        }
        var flat = [Int]()
        for o in 0..<outer {
            for index in indices {
                guard index >= -Int64(size), index < Int64(size) else { throw TensorError("gathers index \(index) of \(size)") }
                let i = Int(index < 0 ? index + Int64(size) : index)
                for n in 0..<inner { flat.append((o * size + i) * inner + n) }
            }
        }
        return data.picking(flat, shape: Array(data.shape[..<axis]) + indicesShape + Array(data.shape[(axis + 1)...]))
    }

    private static func slice(_ data: TensorValue, starts: [Int64], ends: [Int64],
                              axes: [Int64]?, steps: [Int64]?) throws(TensorError) -> TensorValue {
        let rank = data.shape.count
        let axes = try (axes ?? (0..<Int64(starts.count)).map { $0 }).map { a throws(TensorError) in try axis(a, rank: rank) }
        let steps = steps ?? [Int64](repeating: 1, count: starts.count)
        guard starts.count == ends.count, axes.count == starts.count, steps.count == starts.count else {
            throw TensorError("has starts, ends, axes and steps of different lengths")
        }
        var ranges = data.shape.map { [Int](0..<$0) }
        for (k, a) in axes.enumerated() {
            let n = Int64(data.shape[a])
            guard steps[k] != 0 else { throw TensorError("has a step of 0") }
            let step = max(min(steps[k], n + 1), -(n + 1))
            func clampIndex(_ v: Int64, low: Int64, high: Int64) -> Int64 { min(max(v < 0 ? v &+ n : v, low), high) }
            var indices = [Int]()
            if step > 0 {
                var i = clampIndex(starts[k], low: 0, high: n)
                let end = clampIndex(ends[k], low: 0, high: n)
                while i < end { indices.append(Int(i)); i += step }
            } else {
                var i = clampIndex(starts[k], low: 0, high: n - 1)
                let end = clampIndex(ends[k], low: -1, high: n - 1)
                while i > end { indices.append(Int(i)); i += step }
            }
            ranges[a] = indices
        }
        return data.picking(cartesian(ranges, strides: strides(data.shape)), shape: ranges.map(\.count))
    }

    /// The flat indices of every combination of `ranges`, in row-major order.
    private static func cartesian(_ ranges: [[Int]], strides: [Int]) -> [Int] {
        var flat = [0]
        for (range, stride) in zip(ranges, strides) {
            flat = flat.flatMap { base in range.map { base + $0 * stride } }
        }
        return flat
    }

    private static func concat(_ values: [TensorValue], axis a: Int) throws(TensorError) -> TensorValue {
        guard let first = values.first else { throw TensorError("has no inputs") }
        let rank = first.shape.count
        let axis = try axis(Int64(a), rank: rank)
        for v in values {
            guard v.shape.count == rank, v.isInteger == first.isInteger,
                  v.shape.enumerated().allSatisfy({ $0.offset == axis || $0.element == first.shape[$0.offset] }) else {
                throw TensorError("joins tensors of shapes that do not fit together")
            }
        }
        let outer = first.shape[..<axis].reduce(1, *), inner = first.shape[(axis + 1)...].reduce(1, *)
        var shape = first.shape
        shape[axis] = values.map { $0.shape[axis] }.reduce(0, +)
        if first.isInteger {
            var out = [Int64]()
            for o in 0..<outer {
                for v in values {
                    let block = v.shape[axis] * inner
                    out += v.integers![(o * block)..<((o + 1) * block)]
                }
            }
            return TensorValue(integers: out, shape: shape)
        }
        var out = [Double]()
        for o in 0..<outer {
            for v in values {
                let block = v.shape[axis] * inner
                out += v.doubles[(o * block)..<((o + 1) * block)]
            }
        }
        if case .doubles = first.storage { return TensorValue(shape: shape, storage: .doubles(out)) }
        return TensorValue(shape: shape, storage: .floats(out.map { Float($0) }))
    }

    static func transpose(_ data: TensorValue, perm: [Int]) -> TensorValue {
        let inputStrides = strides(data.shape)
        let shape = perm.map { data.shape[$0] }
        return data.picking(cartesian(shape.indices.map { [Int](0..<shape[$0]) }, strides: perm.map { inputStrides[$0] }), shape: shape)
    }

    /// Numpy-style broadcasting of two tensors' flat indices.
    private static func broadcast(_ a: [Int], _ b: [Int]) throws(TensorError) -> (shape: [Int], a: [Int], b: [Int]) {
        let rank = max(a.count, b.count)
        let pa = [Int](repeating: 1, count: rank - a.count) + a, pb = [Int](repeating: 1, count: rank - b.count) + b
        var shape = [Int]()
        for (x, y) in zip(pa, pb) {
            guard x == y || x == 1 || y == 1 else { throw TensorError("cannot broadcast \(describe(a)) with \(describe(b))") }
            shape.append(max(x, y))
        }
        guard elementCount(shape.map { Int64($0) }, limit: 1 << 24) != nil else {
            throw TensorError("computes on tensors too large to fold")
        }
        func indices(_ s: [Int]) -> [Int] {
            let st = strides(s)
            return cartesian(shape.indices.map { i in s[i] == 1 ? [Int](repeating: 0, count: shape[i]) : [Int](0..<shape[i]) }, strides: st)
        }
        return (shape, indices(pa), indices(pb))
    }

    private static func arithmetic(_ op: String, _ x: TensorValue, _ y: TensorValue) throws(TensorError) -> TensorValue {
        guard x.count <= 1 << 22, y.count <= 1 << 22 else { throw TensorError("computes on tensors too large to fold") }
        let (shape, ia, ib) = try broadcast(x.shape, y.shape)
        if let a = x.integers, let b = y.integers {
            var out = [Int64]()
            for (i, j) in zip(ia, ib) {
                switch op {
                case "Add": out.append(a[i] &+ b[j])
                case "Sub": out.append(a[i] &- b[j])
                case "Mul": out.append(a[i] &* b[j])
                default:
                    guard b[j] != 0, !(a[i] == .min && b[j] == -1) else { throw TensorError("divides by zero") }
                    out.append(a[i] / b[j])
                }
            }
            return TensorValue(integers: out, shape: shape)
        }
        let a = x.doubles, b = y.doubles
        let out = zip(ia, ib).map { i, j -> Double in
            switch op {
            case "Add": a[i] + b[j]
            case "Sub": a[i] - b[j]
            case "Mul": a[i] * b[j]
            default: a[i] / b[j]
            }
        }
        if case .doubles = x.storage { return TensorValue(shape: shape, storage: .doubles(out)) }
        return TensorValue(shape: shape, storage: .floats(out.map { Float($0) }))
    }
}
