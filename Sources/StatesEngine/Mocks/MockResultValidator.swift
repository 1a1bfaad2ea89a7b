public import JSONCore

/// Holds a mocked Task result against the output shape of the API its resource calls, as
/// TestState's `fieldValidationMode` does (`STRICT`: required fields present and present
/// fields conforming; `PRESENT`: present fields conforming; `NONE`: nothing).
/// https://docs.aws.amazon.com/step-functions/latest/apireference/API_MockInput.html
///
/// What AWS does, from LocalStack's TestState tests recorded against AWS
/// (localstack/localstack tests/aws/services/stepfunctions/v2/test_state/
/// test_field_validation_mode*.snapshot.json), and what this follows:
/// - a mismatch is a `ValidationException` (400), "Mock result schema validation error: " then
///   "Field 'Entries' must be an array", "Field 'EventId' must be a string" (a timestamp or a
///   blob too), "Field 'StatusCode' must be a number", "Required field 'ExecutionArn' is
///   missing", "Field 'StorageClass' is not an expected value", "Field 'CiphertextBlob' is
///   smaller than the minimum length", "Field 'MemorySize' is less than the minimum value" or
///   "… exceeds the maximum value". The field is named alone, not by its path.
/// - Fields the model does not have are accepted, in `STRICT` too (`{"random": "json"}` passes
///   for PutEvents). Names are matched exactly as Step Functions spells them: `executionArn`
///   is an unknown field, and `STRICT` then misses `ExecutionArn`.
/// - `lambda:invoke`'s `Payload` is the API's blob, so a string (AWS's recorded success mocks
///   it as text); the `.execution` dialect takes it as JSON instead (`IntegrationOperation`).
///
/// Chosen here where nothing recorded says: "must be a boolean", "must be an object" (a
/// structure or map member that is not one), "exceeds the maximum length", and for a result
/// that is not an object at all, "Mock result must be a JSON object". Where AWS's behaviour is
/// unknown the check accepts: a null member counts as given and is not typed, integers may
/// have a fraction, any string is a timestamp, patterns are not checked.
///
/// Bounded: nesting past 64 levels and values past the 100,000th are not looked at.
public enum MockResultValidator {
    /// Whose rules: TestState's (the API model as AWS holds a mock to it), or an execution's
    /// (what a running Task really returns: `lambda:invoke`'s `Payload` and
    /// `bedrock:invokeModel`'s `Body` as JSON, timestamps as epoch numbers or text).
    public enum Dialect: Sendable {
        case testState
        case execution
    }

    /// What every mismatch starts with, in AWS's words.
    public static let prefix = "Mock result schema validation error: "

    /// Why `result` does not fit `state`'s resource, or nil when it fits, `mode` is `NONE`, the
    /// state is not a Task, or no model describes its resource.
    public static func problem(in result: JSONValue, state: StateDefinition, mode: FieldValidationMode, dialect: Dialect) -> String? {
        guard case .task(let task) = state.kind else { return nil }
        return problem(in: result, resource: task.resource.arn, mode: mode, dialect: dialect)
    }

    /// The same for a Task resource ARN.
    public static func problem(in result: JSONValue, resource: String, mode: FieldValidationMode, dialect: Dialect) -> String? {
        guard mode != .none, let operation = IntegrationOperation(resource: resource, dialect: dialect),
            let service = IntegrationShapes.embedded.services[operation.service], let output = service.output(of: operation.operation)
        else { return nil }
        var walk = Walk(shapes: service.shapes, strict: mode == .strict, timestampNumbers: dialect == .execution, documents: operation.documents)
        do throws(Mismatch) {
            try walk.check(result, output, field: nil, depth: 0)
            return nil
        } catch {
            return prefix + error.message
        }
    }

    struct Mismatch: Error {
        let message: String
    }

    private struct Walk {
        let shapes: [IntegrationShapes.Shape]
        let strict: Bool
        let timestampNumbers: Bool
        let documents: Set<String>
        /// Values still to look at; past it the rest is accepted.
        var budget = 100_000
        static let maximumDepth = 64

        mutating func check(_ value: JSONValue, _ reference: IntegrationShapes.Reference, field: String?, depth: Int) throws(Mismatch) {
            budget -= 1
            guard budget >= 0, depth <= Self.maximumDepth, !value.isNull else { return }
            let shape: IntegrationShapes.Shape
            switch reference {
            case .scalar(let scalar):
                return try Self.scalar(value, scalar, nil, field: field, timestampNumbers: timestampNumbers)
            case .shape(let index):
                shape = shapes[index]
            }
            switch shape {
            case .structure(let members, let required):
                guard case .object(let object) = value else {
                    throw field == nil ? Mismatch(message: "Mock result must be a JSON object") : Self.must(field, "an object")
                }
                if strict {
                    for name in required where !object.contains(name) { throw Mismatch(message: "Required field '\(name)' is missing") }
                }
                for member in object.storage {
                    guard let type = members[member.key], !(depth == 0 && documents.contains(member.key)) else { continue }
                    try check(member.value, type, field: member.key, depth: depth + 1)
                }
            case .list(let item):
                guard case .array(let items) = value else { throw Self.must(field, "an array") }
                for element in items { try check(element, item, field: field, depth: depth + 1) }
            case .map(let item):
                guard case .object(let object) = value else { throw Self.must(field, "an object") }
                for member in object.storage { try check(member.value, item, field: field, depth: depth + 1) }
            case .constrained(let scalar, let constraints):
                try Self.scalar(value, scalar, constraints, field: field, timestampNumbers: timestampNumbers)
            }
        }

        static func must(_ field: String?, _ what: String) -> Mismatch {
            Mismatch(message: "Field '\(field ?? "")' must be \(what)")
        }

        static func field(_ field: String?, _ what: String) -> Mismatch {
            Mismatch(message: "Field '\(field ?? "")' \(what)")
        }

        static func scalar(
            _ value: JSONValue, _ scalar: IntegrationShapes.Scalar, _ constraints: IntegrationShapes.Constraints?, field: String?, timestampNumbers: Bool
        ) throws(Mismatch) {
            switch scalar {
            case .document:
                return
            case .string, .blob:
                guard case .string(let text) = value else { throw must(field, "a string") }
                guard let constraints else { return }
                if let values = constraints.values, !values.contains(text) { throw Self.field(field, "is not an expected value") }
                // Java's String.length(), UTF-16 code units: the models' lengths are counted so.
                let length = Double(text.utf16.count)
                if let minimum = constraints.minimum, length < minimum { throw Self.field(field, "is smaller than the minimum length") }
                if let maximum = constraints.maximum, length > maximum { throw Self.field(field, "exceeds the maximum length") }
            case .timestamp:
                if case .string = value { return }
                if timestampNumbers, case .number = value { return }
                throw must(field, "a string")
            case .boolean:
                guard case .bool = value else { throw must(field, "a boolean") }
            case .integer, .float:
                guard case .number(let number) = value else { throw must(field, "a number") }
                guard let constraints else { return }
                if let minimum = constraints.minimum, number.doubleValue < minimum { throw Self.field(field, "is less than the minimum value") }
                if let maximum = constraints.maximum, number.doubleValue > maximum { throw Self.field(field, "exceeds the maximum value") }
            }
        }
    }
}
