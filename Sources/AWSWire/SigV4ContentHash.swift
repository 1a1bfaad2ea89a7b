/// What an S3 request's `X-Amz-Content-SHA256` says about its body: the body's own hash, or
/// one of the modes in which the body is not hashed up front (wire.md §5).
///
/// Only S3 takes the header at its word, and then checks a hash against the body it received
/// (`XAmzContentSHA256Mismatch`); the JSON services compute the hash themselves. Anything else
/// in the header is S3's `InvalidArgument`.
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
public enum SigV4ContentHash: Sendable, Equatable {
    /// The lowercase hex SHA-256 of the body.
    case sha256(String)
    /// `UNSIGNED-PAYLOAD`: the body is not part of the signature.
    case unsignedPayload
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`: aws-chunked, unsigned, with a checksum trailer.
    case streamingUnsignedTrailer
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`: aws-chunked, each chunk signed.
    case streamingSigned
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`: signed chunks and a signed trailer.
    case streamingSignedTrailer
    /// `STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD[-TRAILER]` (SigV4a), which S3 names as valid
    /// though localhost clients never send it.
    case streamingECDSA(trailer: Bool)

    static let unsignedPayloadValue = "UNSIGNED-PAYLOAD"
    static let streamingValues: [(String, SigV4ContentHash)] = [
        ("STREAMING-UNSIGNED-PAYLOAD-TRAILER", .streamingUnsignedTrailer),
        ("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", .streamingSigned),
        ("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", .streamingSignedTrailer),
        ("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", .streamingECDSA(trailer: false)),
        ("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER", .streamingECDSA(trailer: true)),
    ]

    /// S3's message for a value that is none of these.
    public static let invalidMessage =
        "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value."

    /// Reads the header's value; nil when it is none of the accepted forms.
    public init?(header value: String) {
        if value == Self.unsignedPayloadValue {
            self = .unsignedPayload
            return
        }
        if let mode = Self.streamingValues.first(where: { $0.0 == value }) {
            self = mode.1
            return
        }
        let bytes = value.utf8
        guard bytes.count == 64, bytes.allSatisfy(Self.isHexDigit) else { return nil }
        self = .sha256(value.lowercased())
    }

    /// Whether each chunk of the body carries a signature chained from the request's.
    public var hasChunkSignatures: Bool {
        switch self {
        case .streamingSigned, .streamingSignedTrailer: return true
        default: return false
        }
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)
    }
}
