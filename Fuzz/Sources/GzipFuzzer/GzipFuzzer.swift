import AWSWire
import FuzzSupport

/// The gzip reader for `.gz` ItemReader objects and S3 inventory files, with its output cap.
/// Beyond not trapping: when data inflates to n bytes under a cap, it inflates to the same n
/// bytes under a cap of exactly n, and is refused under a cap of n - 1; the cap holds (a
/// refusal never returns more than the cap).
enum GzipFuzzer {
    /// Small, so that compressed data past it (bombs) is cheap to reach.
    static let cap = 1 << 20

    static func run(_ bytes: [UInt8]) {
        _ = GzipDecoder.isGzip(bytes)
        guard let output = try? GzipDecoder.decompress(bytes, limit: cap) else { return }
        Invariant.require(output.count <= cap, "the decoder returned more than its cap")
        guard let exact = try? GzipDecoder.decompress(bytes, limit: output.count), exact == output else {
            Invariant.broken("data that inflates to \(output.count) bytes is refused, or inflates otherwise, under a cap of \(output.count)")
        }
        if !output.isEmpty {
            Invariant.require((try? GzipDecoder.decompress(bytes, limit: output.count - 1)) == nil, "data inflates past its cap")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    GzipFuzzer.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
