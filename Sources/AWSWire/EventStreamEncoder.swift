/// Writes event-stream messages: prelude, headers, payload, then the prelude CRC and the
/// message CRC (which covers everything before it, the prelude CRC included).
public enum EventStreamEncoder {
    public static func encode(_ message: EventStreamMessage) throws(EventStreamError) -> [UInt8] {
        var out: [UInt8] = []
        try encode(message, into: &out)
        return out
    }

    public static func encode(_ message: EventStreamMessage, into out: inout [UInt8]) throws(EventStreamError) {
        let start = out.count
        out.reserveCapacity(start + 16 + message.payload.count + message.headers.count * 32)
        out.append(contentsOf: [UInt8](repeating: 0, count: 12))
        var seen = Set<String>()
        for header in message.headers {
            guard seen.insert(header.name).inserted else { throw .duplicateHeader(header.name) }
            try appendHeader(header, to: &out)
        }
        let headersLength = out.count - start - 12
        guard headersLength <= EventStreamLimits.maximumHeadersLength else { throw .invalidHeadersLength(headersLength) }
        guard message.payload.count <= EventStreamLimits.maximumPayloadLength else {
            throw .invalidPayloadLength(message.payload.count)
        }
        out.append(contentsOf: message.payload)
        let total = out.count - start + 4
        store(UInt32(total), at: start, in: &out)
        store(UInt32(headersLength), at: start + 4, in: &out)
        let preludeCRC = out.withUnsafeBytes { Digest.crc32(UnsafeRawBufferPointer(rebasing: $0[start..<start + 8])) }
        store(preludeCRC, at: start + 8, in: &out)
        let messageCRC = out.withUnsafeBytes { Digest.crc32(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        appendBigEndian(messageCRC, to: &out)
    }

    static func appendHeader(_ header: EventStreamHeader, to out: inout [UInt8]) throws(EventStreamError) {
        let name = Array(header.name.utf8)
        guard !name.isEmpty, name.count <= 255 else { throw .malformedHeader }
        out.append(UInt8(name.count))
        out.append(contentsOf: name)
        out.append(header.value.typeID)
        switch header.value {
        case .bool: break
        case .byte(let v): out.append(UInt8(bitPattern: v))
        case .short(let v): appendBigEndian(UInt16(bitPattern: v), to: &out)
        case .integer(let v): appendBigEndian(UInt32(bitPattern: v), to: &out)
        case .long(let v), .timestamp(let v): appendBigEndian(UInt64(bitPattern: v), to: &out)
        case .byteArray(let bytes):
            guard bytes.count <= 32767 else { throw .headerValueTooLong(header.name) }
            appendBigEndian(UInt16(bytes.count), to: &out)
            out.append(contentsOf: bytes)
        case .string(let s):
            let bytes = Array(s.utf8)
            guard bytes.count <= 32767 else { throw .headerValueTooLong(header.name) }
            appendBigEndian(UInt16(bytes.count), to: &out)
            out.append(contentsOf: bytes)
        case .uuid(let bytes):
            guard bytes.count == 16 else { throw .malformedHeader }
            out.append(contentsOf: bytes)
        }
    }

    @inline(__always)
    static func appendBigEndian<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        var v = value.bigEndian
        withUnsafeBytes(of: &v) { out.append(contentsOf: $0) }
    }

    @inline(__always)
    static func store(_ value: UInt32, at offset: Int, in out: inout [UInt8]) {
        out[offset] = UInt8(truncatingIfNeeded: value >> 24)
        out[offset + 1] = UInt8(truncatingIfNeeded: value >> 16)
        out[offset + 2] = UInt8(truncatingIfNeeded: value >> 8)
        out[offset + 3] = UInt8(truncatingIfNeeded: value)
    }
}
