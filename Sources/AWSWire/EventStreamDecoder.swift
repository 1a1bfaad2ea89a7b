/// Incremental event-stream decoder: feed bytes as they arrive, take whole messages out.
///
/// It checks the prelude CRC and the spec's length limits as soon as 12 bytes are there, so a
/// hostile length never makes it buffer 24 MiB, then the message CRC once the message is whole.
/// After an error the stream is unusable, as the spec requires (framing is lost).
public struct EventStreamDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var readIndex = 0

    public init() {}

    /// Bytes received but not yet consumed by a whole message.
    public var bufferedCount: Int { buffer.count - readIndex }

    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        if readIndex > 0, readIndex >= buffer.count / 2 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole message, or nil when more bytes are needed.
    public mutating func next() throws(EventStreamError) -> EventStreamMessage? {
        let available = buffer.count - readIndex
        guard available >= EventStreamLimits.preludeLength else { return nil }
        let start = readIndex
        let total = Int(read32(start))
        let headersLength = Int(read32(start + 4))
        let preludeCRC = read32(start + 8)
        let computedPrelude = buffer.withUnsafeBytes { Digest.crc32(UnsafeRawBufferPointer(rebasing: $0[start..<start + 8])) }
        guard preludeCRC == computedPrelude else {
            throw .preludeChecksumMismatch(expected: preludeCRC, computed: computedPrelude)
        }
        guard total >= EventStreamLimits.minimumMessageLength else { throw .messageTooShort(total) }
        guard headersLength <= EventStreamLimits.maximumHeadersLength else { throw .invalidHeadersLength(headersLength) }
        guard headersLength <= total - EventStreamLimits.minimumMessageLength else { throw .invalidHeadersLength(headersLength) }
        let payloadLength = total - headersLength - EventStreamLimits.minimumMessageLength
        guard payloadLength <= EventStreamLimits.maximumPayloadLength else { throw .invalidPayloadLength(payloadLength) }
        guard available >= total else { return nil }

        let messageCRC = read32(start + total - 4)
        let computedMessage = buffer.withUnsafeBytes { Digest.crc32(UnsafeRawBufferPointer(rebasing: $0[start..<start + total - 4])) }
        guard messageCRC == computedMessage else {
            throw .messageChecksumMismatch(expected: messageCRC, computed: computedMessage)
        }
        let headers = try parseHeaders(from: start + 12, to: start + 12 + headersLength)
        let payloadStart = start + 12 + headersLength
        let payload = Array(buffer[payloadStart..<payloadStart + payloadLength])
        readIndex += total
        return EventStreamMessage(headers: headers, payload: payload)
    }

    /// Decodes every whole message in `bytes`; trailing partial bytes are an error here.
    public static func decodeAll(_ bytes: some Sequence<UInt8>) throws(EventStreamError) -> [EventStreamMessage] {
        var decoder = EventStreamDecoder()
        decoder.feed(bytes)
        var messages: [EventStreamMessage] = []
        while let message = try decoder.next() { messages.append(message) }
        if decoder.bufferedCount > 0 { throw .messageTooShort(decoder.bufferedCount) }
        return messages
    }

    private func read32(_ i: Int) -> UInt32 {
        UInt32(buffer[i]) << 24 | UInt32(buffer[i + 1]) << 16 | UInt32(buffer[i + 2]) << 8 | UInt32(buffer[i + 3])
    }

    private func readInteger<T: FixedWidthInteger>(_ type: T.Type, at i: Int) -> T {
        var v: T = 0
        for k in 0..<MemoryLayout<T>.size { v = v << 8 | T(truncatingIfNeeded: buffer[i + k]) }
        return v
    }

    private func parseHeaders(from start: Int, to end: Int) throws(EventStreamError) -> [EventStreamHeader] {
        var headers: [EventStreamHeader] = []
        var names = Set<String>()
        var i = start
        func need(_ n: Int) throws(EventStreamError) { if i + n > end { throw .malformedHeader } }
        while i < end {
            try need(1)
            let nameLength = Int(buffer[i])
            i += 1
            guard nameLength > 0 else { throw .malformedHeader }
            try need(nameLength + 1)
            // A name is UTF-8, as a string value is: decoding it leniently would turn two
            // different names into one and answer a frame that was never sent.
            guard let name = String(validating: buffer[i..<i + nameLength], as: UTF8.self) else { throw .malformedHeader }
            i += nameLength
            let type = buffer[i]
            i += 1
            let value: EventStreamHeaderValue
            switch type {
            case 0: value = .bool(true)
            case 1: value = .bool(false)
            case 2: try need(1); value = .byte(Int8(bitPattern: buffer[i])); i += 1
            case 3: try need(2); value = .short(readInteger(Int16.self, at: i)); i += 2
            case 4: try need(4); value = .integer(readInteger(Int32.self, at: i)); i += 4
            case 5: try need(8); value = .long(readInteger(Int64.self, at: i)); i += 8
            case 6, 7:
                try need(2)
                let length = Int(readInteger(UInt16.self, at: i))
                i += 2
                try need(length)
                let bytes = Array(buffer[i..<i + length])
                i += length
                if type == 6 {
                    value = .byteArray(bytes)
                } else {
                    guard let s = String(validating: bytes, as: UTF8.self) else { throw .malformedHeader }
                    value = .string(s)
                }
            case 8: try need(8); value = .timestamp(readInteger(Int64.self, at: i)); i += 8
            case 9: try need(16); value = .uuid(Array(buffer[i..<i + 16])); i += 16
            default: throw .invalidHeaderType(type)
            }
            guard names.insert(name).inserted else { throw .duplicateHeader(name) }
            headers.append(EventStreamHeader(name, value))
        }
        return headers
    }
}
