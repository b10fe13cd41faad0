import Network
import Writeup

/// How the report cuts a network's maps into figures that print legibly: all of them in one
/// figure when there are at most `limit` (LeNet-5's 22, which print legibly with their limits
/// under them), otherwise a figure per layer, a layer of more than `limit` maps in parts of `chunk`.
struct MapPart {
    /// Added to the figure's base name: "" for all maps, "_conv1" for a layer, "_conv2_1" for a part of one.
    let suffix: String
    let maps: [(layer: ConvolutionalLayer, map: Int)]
    /// Whether the part holds every map of the network.
    let whole: Bool
    /// "conv1 maps 0–5 and conv2 maps 0–15", "conv2 maps 0–31".
    let description: String
    /// "" for every map, "conv1's maps", "conv2's maps 0–31".
    let of: String

    static let limit = 22

    /// `chunk`: the most maps of a large layer in one part (16 for rows of maps with their input,
    /// 32 for a grid of reconstructions alone).
    static func parts(_ network: Network, chunk: Int = 16) -> [MapPart] {
        let all = network.allMaps
        if all.count <= limit {
            return [MapPart(suffix: "", maps: all, whole: true, description: ranges(all), of: "")]
        }
        return network.convolutionalLayers.flatMap { layer -> [MapPart] in
            // A layer too large for one figure goes in parts of `chunk` maps (the last may be smaller).
            let count = layer.maps <= limit ? 1 : (layer.maps + chunk - 1) / chunk
            return (0..<count).map { k in
                let range = count == 1 ? 0..<layer.maps : (chunk * k)..<min(chunk * (k + 1), layer.maps)
                let maps = range.map { (layer: layer, map: $0) }
                return MapPart(suffix: "_\(layer.name)" + (count > 1 ? "_\(k + 1)" : ""), maps: maps, whole: false,
                               description: ranges(maps),
                               of: count > 1 ? "\(layer.name)'s maps \(range.lowerBound)–\(range.upperBound - 1)" : "\(layer.name)'s maps")
            }
        }
    }

    /// "conv1 maps 0–5 and conv2 maps 0–15": the maps listed by layer, each a contiguous range.
    static func ranges(_ maps: [(layer: ConvolutionalLayer, map: Int)]) -> String {
        var groups: [(name: String, first: Int, last: Int)] = []
        for (layer, map) in maps {
            if let last = groups.last, last.name == layer.name, last.last == map - 1 {
                groups[groups.count - 1].last = map
            } else {
                groups.append((layer.name, map, map))
            }
        }
        return Formatted.list(groups.map { $0.first == $0.last ? "\($0.name) map \($0.first)" : "\($0.name) maps \($0.first)–\($0.last)" })
    }
}

/// A figure the prose shows in a list: its reference, its file's name, and what its caption says of it.
struct FigureReference {
    let fig: String, file: String
    /// What part of the whole it shows ("conv2's maps 0–31"), empty when it shows all.
    let part: String
    let whole: Bool
    /// "conv1 maps 0–5 and conv2 maps 0–15".
    let maps: String

    init(_ file: String, part: MapPart? = nil) {
        self.fig = CrossReferences.placeholder(.figure, file)
        self.file = file
        self.part = part?.of ?? ""
        self.whole = part?.whole ?? true
        self.maps = part?.description ?? ""
    }
}
