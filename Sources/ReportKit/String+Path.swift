import Foundation

extension String {
    func appending(path component: String) -> String {
        (self as NSString).appendingPathComponent(component)
    }
}
