/// A scalar JSONata value as a hashable key, equal exactly when `deepEquals` says the values
/// are (`-0` and `0` are one key, every NaN its own), so `$distinct` sets scalars apart in
/// linear time.
enum DistinctKey: Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)

    /// Nil for arrays, objects, functions and undefined, which are compared deeply.
    init?(_ value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        default: return nil
        }
    }
}
