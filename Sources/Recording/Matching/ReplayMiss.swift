/// A request no recording answers, with the recorded interaction closest to it and the first
/// field where the two part, for the `UnderstudyNoRecording` error and the journal.
public struct ReplayMiss: Sendable, Equatable {
    /// The closest recorded interaction: same service and operation first, then the fewest
    /// differences, then the earliest.
    public struct Closest: Sendable, Equatable {
        /// Its place in the cassette, from 0.
        public var position: Int
        public var file: String?
        public var service: String
        public var operation: String
        public var resource: String?

        public init(position: Int, file: String?, service: String, operation: String, resource: String?) {
            self.position = position
            self.file = file
            self.service = service
            self.operation = operation
            self.resource = resource
        }
    }

    public var service: String
    public var operation: String
    public var resource: String?
    public var closest: Closest?
    /// `service`, `operation`, `resource`, `query`, `body` or a place in the body
    /// (`body.messages[0].content`); nil when the cassette is empty.
    public var field: String?
    /// The values at `field`, as short JSON text (nil where one side has no such member).
    public var recordedValue: String?
    public var requestedValue: String?

    public init(
        service: String, operation: String, resource: String?, closest: Closest? = nil, field: String? = nil, recordedValue: String? = nil,
        requestedValue: String? = nil
    ) {
        self.service = service
        self.operation = operation
        self.resource = resource
        self.closest = closest
        self.field = field
        self.recordedValue = recordedValue
        self.requestedValue = requestedValue
    }

    /// One sentence for the error message.
    public var message: String {
        let asked = ([service, operation] + (resource.map { [$0] } ?? [])).joined(separator: " ")
        guard let closest else { return "No recorded interaction matches \(asked): the cassette has none." }
        let name = closest.file.map { " (\($0))" } ?? ""
        var text = "No recorded interaction matches \(asked). Closest is #\(closest.position + 1)\(name)"
        if let field {
            text += ", which differs first at \(field)"
            switch (recordedValue, requestedValue) {
            case (let recorded?, let requested?): text += ": recorded \(recorded), requested \(requested)"
            case (let recorded?, nil): text += ": recorded \(recorded), absent from the request"
            case (nil, let requested?): text += ": not recorded, requested \(requested)"
            case (nil, nil): break
            }
        }
        return text + "."
    }
}
