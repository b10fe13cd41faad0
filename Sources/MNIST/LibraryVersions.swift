import CCrypto
import CZlib

extension MNIST {
    /// The C libraries this module reads the data with.
    public static var libraryVersions: [(name: String, version: String)] {
        [("zlib", String(cString: zlibVersion())), ("OpenSSL", String(cString: OpenSSL_version(OPENSSL_VERSION)))]
    }
}
