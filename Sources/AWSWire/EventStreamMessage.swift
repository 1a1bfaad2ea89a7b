/// One `application/vnd.amazon.eventstream` message (smithy `amazon-eventstream.rst`).
public struct EventStreamMessage: Sendable, Equatable {
    public var headers: [EventStreamHeader]
    public var payload: [UInt8]

    public init(headers: [EventStreamHeader], payload: [UInt8] = []) {
        self.headers = headers
        self.payload = payload
    }

    public subscript(header name: String) -> EventStreamHeaderValue? {
        headers.first(where: { $0.name == name })?.value
    }

    /// An event: `:message-type` event, `:event-type` the union member, `:content-type`.
    public static func event(_ type: String, contentType: String = "application/json", payload: [UInt8]) -> EventStreamMessage {
        EventStreamMessage(
            headers: [
                EventStreamHeader(":event-type", .string(type)),
                EventStreamHeader(":content-type", .string(contentType)),
                EventStreamHeader(":message-type", .string("event")),
            ], payload: payload)
    }

    /// A modelled exception: `:exception-type` is the stream union's member name (lowerCamel).
    public static func exception(_ memberName: String, payload: [UInt8]) -> EventStreamMessage {
        EventStreamMessage(
            headers: [
                EventStreamHeader(":exception-type", .string(memberName)),
                EventStreamHeader(":content-type", .string("application/json")),
                EventStreamHeader(":message-type", .string("exception")),
            ], payload: payload)
    }

    /// An unmodelled error: code and message travel in headers.
    public static func error(code: String, message: String) -> EventStreamMessage {
        EventStreamMessage(headers: [
            EventStreamHeader(":error-code", .string(code)),
            EventStreamHeader(":error-message", .string(message)),
            EventStreamHeader(":message-type", .string("error")),
        ])
    }
}

public struct EventStreamHeader: Sendable, Equatable {
    public var name: String
    public var value: EventStreamHeaderValue

    public init(_ name: String, _ value: EventStreamHeaderValue) {
        self.name = name
        self.value = value
    }
}

/// The ten wire types; integers are big-endian and signed.
public enum EventStreamHeaderValue: Sendable, Equatable {
    case bool(Bool)
    case byte(Int8)
    case short(Int16)
    case integer(Int32)
    case long(Int64)
    case byteArray([UInt8])
    case string(String)
    /// Milliseconds since the epoch.
    case timestamp(Int64)
    /// 16 raw bytes.
    case uuid([UInt8])

    public var typeID: UInt8 {
        switch self {
        case .bool(let b): return b ? 0 : 1
        case .byte: return 2
        case .short: return 3
        case .integer: return 4
        case .long: return 5
        case .byteArray: return 6
        case .string: return 7
        case .timestamp: return 8
        case .uuid: return 9
        }
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
}

/// Limits the spec requires services to enforce.
public enum EventStreamLimits {
    public static let maximumPayloadLength = 25_165_824
    public static let maximumHeadersLength = 131_072
    public static let minimumMessageLength = 16
    public static let preludeLength = 12
}

public enum EventStreamError: Error, Sendable, Equatable {
    case preludeChecksumMismatch(expected: UInt32, computed: UInt32)
    case messageChecksumMismatch(expected: UInt32, computed: UInt32)
    case invalidHeadersLength(Int)
    case invalidPayloadLength(Int)
    case messageTooShort(Int)
    case duplicateHeader(String)
    case invalidHeaderType(UInt8)
    case malformedHeader
    case headerValueTooLong(String)
}
