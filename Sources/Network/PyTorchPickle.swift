/// A file that `torch.save` wrote, recognised by its first bytes so that `--weights model.pt` is
/// answered with the Python that converts it. Nothing past those bytes is read: unpickling a file
/// runs whatever code it names, so this project never does.
enum PyTorchPickle {
    /// A zip archive whose first entry is `<archive>/data.pkl` (`torch.save` since PyTorch 1.6).
    case zip
    /// `torch.save(..., _use_new_zipfile_serialization=False)`: a pickle whose first object is
    /// torch's magic number 0x1950a86a20f9469cfc6c.
    case legacy
    /// Any other pickle of protocol 2 to 5 (`pickle.dump` of a state dict).
    case pickle

    /// What `bytes` begin with, or nil. A safetensors file has `{` at byte 8, where its JSON
    /// header starts, so none is ever taken for a pickle.
    init?(_ bytes: [UInt8]) {
        guard bytes.count < 9 || bytes[8] != UInt8(ascii: "{") else { return nil }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]), bytes.count >= 30 {
            // The local file header: the name's length at 26, the name at 30.
            let length = Int(bytes[26]) | Int(bytes[27]) << 8
            guard bytes.count >= 30 + length else { return nil }
            let name = String(decoding: bytes[30..<(30 + length)], as: UTF8.self)
            guard name == "data.pkl" || name.hasSuffix("/data.pkl") else { return nil }
            self = .zip
        } else if bytes.starts(with: [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]) {
            self = .legacy
        } else if bytes.count >= 2, bytes[0] == 0x80, (2...5).contains(bytes[1]) {
            self = .pickle
        } else {
            return nil
        }
    }

    /// Why the file is refused and the Python that converts it, on one line.
    func refusal(path: String) -> String {
        let what = switch self {
        case .zip: "a PyTorch file (torch.save's zip archive with a pickle inside)"
        case .legacy: "a PyTorch file in torch.save's legacy pickle format"
        case .pickle: "a Python pickle"
        }
        let stem = path.hasSuffix(".pth") ? path.dropLast(4) : path.hasSuffix(".pt") ? path.dropLast(3) : Substring(path)
        return "is \(what), not safetensors; pickles are never loaded here, as loading one runs any code it holds. "
            + "Convert it with Python: import torch, safetensors.torch; "
            + "safetensors.torch.save_file(torch.load(\(Self.quoted(path)), map_location=\"cpu\"), \(Self.quoted(stem + ".safetensors"))) "
            + "(for a whole model saved rather than its state_dict(), save torch.load(…, weights_only=False).state_dict(), "
            + "if you trust the file)"
    }

    /// A Python string literal of `text`.
    static func quoted(_ text: some StringProtocol) -> String {
        "\"" + String(text.flatMap { $0 == "\\" || $0 == "\"" ? ["\\", $0] : [$0] }) + "\""
    }
}
