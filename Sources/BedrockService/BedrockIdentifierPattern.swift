import AWSWire
import JSONCore
import ServiceKit

/// Hand-written checks equivalent to the Bedrock model's identifier `pattern` constraints.
/// Swift `Regex` costs hundreds of microseconds per call here, too much for a request path.
enum BedrockIdentifierPattern {
    private static let lowerAlnumDash = Set("abcdefghijklmnopqrstuvwxyz0123456789-".utf8)
    private static let profileIdBytes = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-:.".utf8)

    private static func isLabel(_ s: Substring, maxLength: Int = 63) -> Bool {
        !s.isEmpty && s.utf8.count <= maxLength && s.utf8.allSatisfy { lowerAlnumDash.contains($0) }
    }

    private static func isLowerAlnumDash(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-")
    }

    /// `[a-z0-9-]{1,63}` dot-separated (2 to 4 labels), then up to two `:[a-z0-9-]{1,63}` parts.
    static func isFoundationModelId(_ id: Substring) -> Bool {
        var labels = 1, colons = 0, run = 0
        for b in id.utf8 {
            if isLowerAlnumDash(b) {
                run += 1
                if run > 63 { return false }
            } else if b == UInt8(ascii: ".") && colons == 0 {
                guard run > 0 else { return false }
                labels += 1
                run = 0
            } else if b == UInt8(ascii: ":") {
                guard run > 0 else { return false }
                colons += 1
                run = 0
            } else {
                return false
            }
        }
        return run > 0 && (2...4).contains(labels) && colons <= 2
    }

    /// `arn:aws(-…)?:bedrock:<region>::foundation-model/<id>` or a bare id.
    static func isModelIdentifier(_ value: String) -> Bool {
        guard value.hasPrefix("arn:") else { return isFoundationModelId(Substring(value)) }
        let parts = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[1].hasPrefix("aws"), parts[2] == "bedrock", isLabel(parts[3], maxLength: 20), parts[4].isEmpty,
            parts[5].hasPrefix("foundation-model/")
        else { return false }
        return isFoundationModelId(parts[5].dropFirst("foundation-model/".count))
    }

    /// An optional `arn:aws…:bedrock:<region>:<account>:(application-)inference-profile/`, then
    /// `[a-zA-Z0-9-:.]+`.
    static func isInferenceProfileIdentifier(_ value: String) -> Bool {
        var id = Substring(value)
        if value.hasPrefix("arn:") {
            let parts = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard parts.count == 6, ["aws", "aws-us-gov", "aws-cn", "aws-iso", "aws-iso-b"].contains(parts[1]), parts[2] == "bedrock",
                parts[3].utf8.count <= 20, parts[3].utf8.allSatisfy({ lowerAlnumDash.contains($0) }),
                parts[4].isEmpty || (parts[4].utf8.count == 12 && parts[4].utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 })
            else { return false }
            if parts[5].hasPrefix("inference-profile/") {
                id = parts[5].dropFirst("inference-profile/".count)
            } else if parts[5].hasPrefix("application-inference-profile/") {
                id = parts[5].dropFirst("application-inference-profile/".count)
            } else {
                return false
            }
        }
        return !id.isEmpty && id.utf8.allSatisfy { profileIdBytes.contains($0) }
    }
}
