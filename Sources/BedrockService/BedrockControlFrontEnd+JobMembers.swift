import AWSWire
import JSONCore
import ServiceKit

/// The optional members of CreateModelInvocationJob, checked against the model's shapes before
/// the job is stored: what is stored is answered again by Get and List, and a `vpcConfig` that
/// is no structure there makes every later call fail in botocore's parser, not only this one.
extension BedrockControlFrontEnd {
    static let subnetIdPattern = "[-0-9a-zA-Z]+"
    static let tagPattern = "[a-zA-Z0-9\\s._:/=+@-]*"
    static let accountIdPattern = "[0-9]{12}"

    /// How a value is quoted in the constraint message: a string as itself, anything else as
    /// its JSON text.
    func quoted(_ value: JSONValue) -> String { value.stringValue ?? value.jsonString }

    /// A member that must be a string when present; JSON null is absent, as in restJson1.
    func optionalString(_ value: JSONValue?, _ member: String) throws(AWSServiceError) -> String? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.stringValue else { throw constraint(quoted(value), member, "Member must be a string") }
        return text
    }

    func length(_ text: String, _ member: String, min: Int, max: Int) throws(AWSServiceError) {
        let count = text.unicodeScalars.count
        if count < min { throw constraint(text, member, "Member must have length greater than or equal to \(min)") }
        if count > max { throw constraint(text, member, "Member must have length less than or equal to \(max)") }
    }

    /// `VpcConfig`: `subnetIds` (1 to 16) and `securityGroupIds` (1 to 5), each an id of up to
    /// 32 characters of `[-0-9a-zA-Z]`.
    func checkedVpcConfig(_ value: JSONValue?) throws(AWSServiceError) -> JSONValue? {
        guard let value, !value.isNull else { return nil }
        guard let config = value.objectValue else { throw constraint(quoted(value), "vpcConfig", "Member must be a structure") }
        for (name, most) in [("subnetIds", 16), ("securityGroupIds", 5)] {
            let member = "vpcConfig.\(name)"
            guard let listed = config[name], !listed.isNull else { throw constraint("null", member, "Member must not be null") }
            guard let ids = listed.arrayValue else { throw constraint(quoted(listed), member, "Member must be a list") }
            if ids.isEmpty { throw constraint("[]", member, "Member must have length greater than or equal to 1") }
            if ids.count > most { throw constraint(quoted(listed), member, "Member must have length less than or equal to \(most)") }
            for (index, id) in ids.enumerated() {
                let place = "\(member).\(index + 1).member"
                guard let text = id.stringValue else { throw constraint(quoted(id), place, "Member must be a string") }
                try length(text, place, min: 0, max: 32)
                guard !text.isEmpty, text.utf8.allSatisfy({ JobPatterns.isAlnum($0) || $0 == UInt8(ascii: "-") }) else {
                    throw pattern(text, place, Self.subnetIdPattern)
                }
            }
        }
        return value
    }

    /// `TagList`: up to 200 tags, each a `key` (1 to 128) and a `value` (0 to 256) of letters,
    /// digits, white space and `._:/=+@-`.
    func checkedTags(_ value: JSONValue?) throws(AWSServiceError) -> [(key: String, value: String)] {
        guard let value, !value.isNull else { return [] }
        guard let tags = value.arrayValue else { throw constraint(quoted(value), "tags", "Member must be a list") }
        if tags.count > 200 { throw constraint(quoted(value), "tags", "Member must have length less than or equal to 200") }
        var checked: [(key: String, value: String)] = []
        for (index, tag) in tags.enumerated() {
            let place = "tags.\(index + 1).member"
            guard tag.objectValue != nil else { throw constraint(quoted(tag), place, "Member must be a structure") }
            var pair: [String] = []
            for (name, least, most) in [("key", 1, 128), ("value", 0, 256)] {
                guard let text = try optionalString(tag[name], "\(place).\(name)") else {
                    throw constraint("null", "\(place).\(name)", "Member must not be null")
                }
                try length(text, "\(place).\(name)", min: least, max: most)
                guard JobPatterns.isTagText(text) else { throw pattern(text, "\(place).\(name)", Self.tagPattern) }
                pair.append(text)
            }
            checked.append((pair[0], pair[1]))
        }
        return checked
    }

    /// `AccountId`: twelve digits.
    func checkedAccountId(_ value: JSONValue?, _ member: String) throws(AWSServiceError) -> String? {
        guard let text = try optionalString(value, member) else { return nil }
        guard text.utf8.count == 12, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw pattern(text, member, Self.accountIdPattern)
        }
        return text
    }
}

extension JobPatterns {
    /// `[a-zA-Z0-9\s._:/=+@-]*`, `\s` as Java reads it: space, tab, LF, VT, FF, CR.
    static func isTagText(_ s: String) -> Bool { s.utf8.allSatisfy { isAlnum($0) || tagPunctuation.contains($0) } }

    private static let tagPunctuation = Set("._:/=+@- \t\n\u{B}\u{C}\r".utf8)
}
