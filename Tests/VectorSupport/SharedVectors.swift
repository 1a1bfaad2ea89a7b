import Foundation
import JSONCore

/// Locates `../shared` (beside the checkout, as CI lays it out) so unit tests read the
/// independent vectors from there rather than from copies in the repository.
public enum SharedVectors {
    public static var root: URL {
        if let override = ProcessInfo.processInfo.environment["UNDERSTUDY_SHARED_DIR"] {
            return URL(fileURLWithPath: override)
        }
        // Tests/VectorSupport/SharedVectors.swift -> package root -> ../shared
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared")
    }

    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    public static func data(_ relative: String) throws -> Data {
        try Data(contentsOf: url(relative))
    }

    public static func json(_ relative: String) throws -> JSONValue {
        try JSONParser.parse(Array(try data(relative)))
    }

    public static func files(in relative: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: url(relative), includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}

extension String {
    /// Bytes from a hex string (vectors store frames as hex).
    public var hexBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var high: UInt8? = nil
        for c in utf8 {
            let v: UInt8
            switch c {
            case 0x30...0x39: v = c - 0x30
            case 0x61...0x66: v = c - 0x61 + 10
            case 0x41...0x46: v = c - 0x41 + 10
            default: continue
            }
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return out
    }
}
