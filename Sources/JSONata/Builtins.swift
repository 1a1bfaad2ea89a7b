/// The function library: JSONata's standard functions plus the ones Step Functions adds.
/// `$eval` is left out, as Step Functions leaves it out.
enum Builtins {
    typealias Table = [String: Function]

    // Built once and never mutated after.
    nonisolated(unsafe) static let table: Table = {
        var table = Table()
        StringFunctions.register(&table)
        NumericFunctions.register(&table)
        CollectionFunctions.register(&table)
        HigherOrderFunctions.register(&table)
        DateTimeFunctions.register(&table)
        StepFunctionsFunctions.register(&table)
        return table
    }()

    static func define(_ table: inout Table, _ name: String, _ signature: String, _ body: @escaping Function.NativeBody) {
        table[name] = Function(.native(name: name, signature: try! Signature(signature), body: body))
    }

    static func argument(_ arguments: [Value], _ index: Int) -> Value { index < arguments.count ? arguments[index] : .undefined }
}
