/// A JSON number kept as its text.
///
/// Keeping the text means integers beyond 2^53 stay exact, `1.0` is not rewritten as `1`, and a
/// number that passes through untouched is serialized exactly as it arrived. Arithmetic converts
/// on demand.
public struct JSONNumber: Sendable {
    /// The number as JSON text (always a valid RFC 8259 number).
    public let text: String

    /// Wraps text the parser already validated.
    init(validatedText: String) { self.text = validatedText }

    /// Validates `text` as an RFC 8259 number.
    public init?(text: String) {
        var bytes = Array(text.utf8)
        let valid = bytes.withUnsafeMutableBufferPointer { buffer -> Bool in
            var reader = JSONNumberScanner(bytes: UnsafeBufferPointer(buffer))
            return reader.scan() == buffer.count
        }
        guard valid else { return nil }
        self.text = text
    }

    public init(_ value: Int) { self.text = String(value) }
    public init(_ value: Int64) { self.text = String(value) }

    /// Formats a double as the shortest text that reads back as the same double. Non-finite
    /// values have no JSON form; they become `null`-like zero here and callers that can produce
    /// them must handle them first.
    public init(_ value: Double) {
        guard value.isFinite else {
            self.text = "0"
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            // Integral doubles print without a fraction, as Jackson's `double` nodes do not,
            // but every AWS integer field does.
            self.text = String(Int64(value))
            return
        }
        self.text = value.description
    }

    /// True when the text has no fraction and no exponent.
    public var isInteger: Bool {
        !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") })
    }

    /// The value as a machine integer when it is integral (including `1.0` and `1e2`) and fits.
    public var intValue: Int? {
        if isInteger { return Int(text) }
        let d = doubleValue
        guard d.isFinite, d == d.rounded(), abs(d) < 9.2e18 else { return nil }
        return Int(d)
    }

    public var int64Value: Int64? { intValue.map(Int64.init) }

    public var doubleValue: Double { Double(text) ?? .nan }
}

extension JSONNumber: Equatable {
    /// Numeric equality: `1`, `1.0` and `1e0` are equal; large integers compare exactly.
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if lhs.text == rhs.text { return true }
        if lhs.isInteger, rhs.isInteger, let a = Int(lhs.text), let b = Int(rhs.text) { return a == b }
        return lhs.doubleValue == rhs.doubleValue
    }
}

extension JSONNumber: Hashable {
    public func hash(into hasher: inout Hasher) { hasher.combine(doubleValue) }
}

extension JSONNumber: Comparable {
    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if lhs.isInteger, rhs.isInteger, let a = Int(lhs.text), let b = Int(rhs.text) { return a < b }
        return lhs.doubleValue < rhs.doubleValue
    }
}

/// Scans one RFC 8259 number; shared by the parser and `JSONNumber(text:)`.
struct JSONNumberScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    private func byte(_ i: Int) -> UInt8? { i < bytes.count ? bytes[i] : nil }
    private static func isDigit(_ b: UInt8?) -> Bool { b.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }

    /// Returns the end offset of the number, or nil (with `position` at the offending byte).
    mutating func scan() -> Int? {
        if byte(position) == UInt8(ascii: "-") { position += 1 }
        guard let first = byte(position), Self.isDigit(first) else { return nil }
        position += 1
        if first != UInt8(ascii: "0") {
            while Self.isDigit(byte(position)) { position += 1 }
        }
        if byte(position) == UInt8(ascii: ".") {
            position += 1
            guard Self.isDigit(byte(position)) else { return nil }
            while Self.isDigit(byte(position)) { position += 1 }
        }
        if let e = byte(position), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            position += 1
            if let sign = byte(position), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard Self.isDigit(byte(position)) else { return nil }
            while Self.isDigit(byte(position)) { position += 1 }
        }
        return position
    }
}
