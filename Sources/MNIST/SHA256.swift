import Foundation
import CCrypto

public enum SHA256 {
    /// The SHA-256 digest of `bytes` as 64 lowercase hex digits (OpenSSL's EVP one-shot digest).
    public static func hex<Bytes: ContiguousBytes>(_ bytes: Bytes) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { raw in
            EVP_Digest(raw.baseAddress, raw.count, &digest, &length, EVP_sha256(), nil)
        }
        precondition(ok == 1 && length == 32, "OpenSSL's SHA-256 failed")
        return digest[0..<32].map { String(format: "%02x", $0) }.joined()
    }
}
