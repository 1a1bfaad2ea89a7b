import JSONCore

/// One HTTP header of a recorded request or response, spelled as it came.
public struct RecordedHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// Headers from the `(name, value)` pairs the server's requests and replies carry. Repeated
    /// names are joined with ", " (RFC 9110 5.3), since a cassette writes headers as one object.
    public static func list(_ pairs: [(name: String, value: String)]) -> [RecordedHeader] {
        var headers: [RecordedHeader] = []
        for pair in pairs {
            if let i = headers.firstIndex(where: { $0.name.lowercased() == pair.name.lowercased() }) {
                headers[i].value += ", " + pair.value
            } else {
                headers.append(RecordedHeader(pair.name, pair.value))
            }
        }
        return headers
    }

    /// The headers as the file writes them: one object, in order.
    static func fileValue(_ headers: [RecordedHeader]) -> JSONValue {
        var object = JSONObject(minimumCapacity: headers.count)
        for header in headers { object[header.name] = .string(header.value) }
        return .object(object)
    }
}

extension Array where Element == RecordedHeader {
    /// The value of the header `name`, compared without case.
    public func value(of name: String) -> String? {
        let wanted = name.lowercased()
        return first(where: { $0.name.lowercased() == wanted })?.value
    }

    /// The headers as `(name, value)` pairs, as the server's replies carry them.
    public var pairs: [(name: String, value: String)] { map { ($0.name, $0.value) } }
}
