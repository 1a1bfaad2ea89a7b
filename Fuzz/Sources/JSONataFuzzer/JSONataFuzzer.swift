import JSONata

/// The JSONata lexer and parser that compile a definition's `{% … %}` expressions when the
/// definition is read, and the walks over the compiled tree the validator makes (unsupported
/// references, the variables an expression reads).
enum JSONataFuzzer {
    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        // Expressions come out of JSON strings, so they are always text.
        guard let expression = try? JSONataExpression(String(decoding: bytes, as: UTF8.self)) else { return }
        _ = expression.unsupportedReference
        _ = expression.variableReferences
        _ = expression.freeVariables(assigned: ["x", "count"])
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    JSONataFuzzer.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
