import JSONCore

/// The output shape of every operation of the services Step Functions integrates with, read
/// from `IntegrationShapesSource.json`, which scripts/generate-integration-shapes.py
/// writes from botocore's service models (Apache-2.0; the file records botocore's version).
/// TestState checks a mocked result against these (`MockResultValidator`).
///
/// Compiled into the binary and read once, when a mock is first checked.
struct IntegrationShapes: Sendable {
    /// A scalar as the models type it: integer and long are `integer`, float and double
    /// `float`; `document` is anything (document types and event streams).
    enum Scalar: Sendable, Equatable {
        case string, integer, float, boolean, timestamp, blob, document
    }

    /// What a member refers to: a shape of the service's list, or a scalar without constraints.
    enum Reference: Sendable, Equatable {
        case shape(Int)
        case scalar(Scalar)
    }

    /// The model's `enum`, `min` and `max` (a length for strings and blobs, a value for numbers).
    struct Constraints: Sendable {
        var values: Set<String>?
        var minimum: Double?
        var maximum: Double?
    }

    enum Shape: Sendable {
        /// Member names as Step Functions returns them (the model's, first letter capitalized).
        case structure(members: [String: Reference], required: [String])
        case list(Reference)
        case map(Reference)
        case constrained(Scalar, Constraints)
    }

    struct Service: Sendable {
        let shapes: [Shape]
        /// Lowercased operation name → the output's shape, so `getItem` finds `GetItem`.
        let outputs: [String: Reference]

        func output(of operation: String) -> Reference? { outputs[operation.lowercased()] }
    }

    /// The botocore release the shapes come from.
    let botocore: String
    /// Keyed by the service's name in `aws-sdk:<service>:<action>` (`sfn`, `eventbridge`).
    let services: [String: Service]

    /// The embedded shapes; empty (nothing is checked) if the resource were unreadable, which
    /// a test rules out.
    static let embedded: IntegrationShapes = (try? IntegrationShapes(Array(IntegrationShapesSource.json.utf8))) ?? IntegrationShapes(botocore: "", services: [:])

    init(botocore: String, services: [String: Service]) {
        self.botocore = botocore
        self.services = services
    }

    struct Unreadable: Error {}

    init(_ bytes: [UInt8]) throws(Unreadable) {
        guard let document = try? JSONParser.parse(bytes), let services = document["services"]?.objectValue else { throw Unreadable() }
        var read: [String: Service] = [:]
        for (name, service) in services.members {
            guard let list = service["shapes"]?.arrayValue, let operations = service["operations"]?.objectValue else { throw Unreadable() }
            var shapes: [Shape] = []
            shapes.reserveCapacity(list.count)
            for shape in list { shapes.append(try Self.shape(shape, count: list.count)) }
            var outputs: [String: Reference] = [:]
            for (operation, reference) in operations.members {
                outputs[operation.lowercased()] = try Self.reference(reference, count: list.count)
            }
            read[name] = Service(shapes: shapes, outputs: outputs)
        }
        self.init(botocore: document["botocore"]?.stringValue ?? "", services: read)
    }

    private static func reference(_ json: JSONValue, count: Int) throws(Unreadable) -> Reference {
        if let index = json.intValue {
            guard index >= 0, index < count else { throw Unreadable() }
            return .shape(index)
        }
        guard let code = json.stringValue, let scalar = scalar(code) else { throw Unreadable() }
        return .scalar(scalar)
    }

    private static func scalar(_ code: String) -> Scalar? {
        switch code {
        case "s": .string
        case "i": .integer
        case "f": .float
        case "b": .boolean
        case "t": .timestamp
        case "B": .blob
        case "d": .document
        default: nil
        }
    }

    private static func shape(_ json: JSONValue, count: Int) throws(Unreadable) -> Shape {
        guard let parts = json.arrayValue, let kind = parts.first?.stringValue, parts.count >= 2 else { throw Unreadable() }
        switch kind {
        case "S":
            guard let list = parts[1].objectValue else { throw Unreadable() }
            var members: [String: Reference] = [:]
            for (name, target) in list.members { members[name] = try Self.reference(target, count: count) }
            let required = parts.count > 2 ? (parts[2].arrayValue ?? []).compactMap(\.stringValue) : []
            return .structure(members: members, required: required)
        case "L":
            return .list(try Self.reference(parts[1], count: count))
        case "M":
            return .map(try Self.reference(parts[1], count: count))
        default:
            guard let scalar = Self.scalar(kind), let fields = parts[1].objectValue else { throw Unreadable() }
            let values = fields["e"]?.arrayValue.map { Set($0.compactMap(\.stringValue)) }
            return .constrained(scalar, Constraints(values: values, minimum: fields["min"]?.doubleValue, maximum: fields["max"]?.doubleValue))
        }
    }
}
