import FuzzSupport
import JSONCore

/// The strict JSON parser every request body and definition goes through, and the writer every
/// answer comes out of. Whatever parses must write out as JSON that parses to the same value and
/// writes out to the very same bytes (numbers keep their text, members their order), and the
/// indented form the admin API and CLI print must parse to the same value too.
enum JSONFuzzer {
    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let value = try? JSONParser.parse(bytes) else { return }
        let written = JSONWriter.bytes(value)
        let again: JSONValue
        do { again = try JSONParser.parse(written) } catch {
            Invariant.broken("the writer's output does not parse (\(error)): \(String(decoding: written, as: UTF8.self))")
        }
        Invariant.require(again == value, "the written value parses to a different value")
        Invariant.require(JSONWriter.bytes(again) == written, "writing the parsed output again changes its bytes")
        let pretty = value.prettyPrinted()
        guard let fromPretty = try? JSONParser.parse(pretty) else { Invariant.broken("the indented form does not parse: \(pretty)") }
        Invariant.require(fromPretty == value, "the indented form parses to a different value")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    JSONFuzzer.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
