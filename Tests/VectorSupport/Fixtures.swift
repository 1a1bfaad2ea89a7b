public import Foundation
public import JSONCore

/// The test data the project carries in `Tests/Fixtures` (wire vectors, seed definitions,
/// conformance cases; `Tests/Fixtures/README.md` says where each came from). Found from this
/// file's path, so `swift test` passes from any clone without anything beside the checkout.
public enum Fixtures {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Tests/VectorSupport
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures")

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
