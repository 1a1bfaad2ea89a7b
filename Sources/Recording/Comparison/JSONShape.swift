import JSONCore

/// Compares two JSON values by form only: member names, JSON types and member order; values
/// themselves (generated text, ids, counts) are never compared. Arrays are compared element by
/// element as far as both go, since a generated answer has as many elements as it likes.
/// `comparingPresence: false` leaves out members only one side has, at this level only.
enum JSONShape {
    static func compare(
        _ recorded: JSONValue, _ emulated: JSONValue, at path: String, into differences: inout [ShapeDifference], comparingPresence: Bool = true
    ) {
        switch (recorded, emulated) {
        case (.object(let a), .object(let b)):
            for member in a where comparingPresence && !b.contains(member.key) {
                differences.append(ShapeDifference(.missingMember, JSONDifference.path(path, member: member.key), recorded: member.value.typeName))
            }
            for member in b where comparingPresence && !a.contains(member.key) {
                differences.append(ShapeDifference(.extraMember, JSONDifference.path(path, member: member.key), emulated: member.value.typeName))
            }
            let awsOrder = a.keys.filter { b.contains($0) }
            let emulatorOrder = b.keys.filter { a.contains($0) }
            if awsOrder != emulatorOrder {
                differences.append(
                    ShapeDifference(.order, path, recorded: awsOrder.joined(separator: ", "), emulated: emulatorOrder.joined(separator: ", ")))
            }
            for member in a {
                if let other = b[member.key] { compare(member.value, other, at: JSONDifference.path(path, member: member.key), into: &differences) }
            }
        case (.array(let a), .array(let b)):
            for i in 0..<min(a.count, b.count) { compare(a[i], b[i], at: "\(path)[\(i)]", into: &differences) }
        default:
            if recorded.typeName != emulated.typeName {
                differences.append(ShapeDifference(.type, path, recorded: recorded.typeName, emulated: emulated.typeName))
            }
        }
    }
}
