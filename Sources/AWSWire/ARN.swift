/// `arn:partition:service:region:account:resource`.
public struct ARN: Sendable, Equatable, CustomStringConvertible {
    public var partition: String
    public var service: String
    public var region: String
    public var account: String
    public var resource: String

    public init(partition: String = "aws", service: String, region: String, account: String, resource: String) {
        self.partition = partition
        self.service = service
        self.region = region
        self.account = account
        self.resource = resource
    }

    /// Parses an ARN; the resource keeps any further `:` or `/`.
    /// Splits over UTF-8 bytes, not Characters: every Step Functions request names an ARN, and
    /// grapheme breaking made this a few percent of a StartSyncExecution.
    public init?(_ text: String) {
        let parts = text.utf8.split(separator: UInt8(ascii: ":"), maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].elementsEqual("arn".utf8), !parts[1].isEmpty, !parts[2].isEmpty, !parts[5].isEmpty
        else { return nil }
        partition = String(Substring(parts[1]))
        service = String(Substring(parts[2]))
        region = String(Substring(parts[3]))
        account = String(Substring(parts[4]))
        resource = String(Substring(parts[5]))
    }

    public var description: String { "arn:\(partition):\(service):\(region):\(account):\(resource)" }

    /// The resource type and id for `type/id` resources (`foundation-model/anthropic…`).
    public var slashResource: (type: String, id: String)? {
        guard let slash = resource.firstIndex(of: "/") else { return nil }
        return (String(resource[..<slash]), String(resource[resource.index(after: slash)...]))
    }
}
