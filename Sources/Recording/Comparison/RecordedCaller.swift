import AWSWire
import JSONCore

/// The account and region a cassette's calls were made as, read from the ARNs in it.
///
/// A cassette keeps no credentials, so `recordings diff` cannot learn the caller as the server
/// does; yet the emulator keys every resource by (account, region), and later requests name
/// what earlier ones created by ARNs holding the recorded account (a real one, or the
/// placeholder of `recording.accounts`). Replaying as that account lets the emulator find them.
public struct RecordedCaller: Sendable, Equatable {
    public var account: String
    public var region: String

    public init(account: String, region: String) {
        self.account = account
        self.region = region
    }

    /// IAM ARNs are left out: a role may belong to another account, and names no region.
    static let ignoredServices: Set<String> = ["iam", "sts"]

    /// The account and region named most often by the ARNs of the cassette's responses (what
    /// AWS says belongs to the caller), else of its requests; nil when no ARN names an account
    /// (Bedrock's foundation models name none). Ties go to the first seen.
    public static func infer(from interactions: [RecordedInteraction]) -> RecordedCaller? {
        var fromResponses = ARNTally()
        var fromRequests = ARNTally()
        for interaction in interactions {
            if let body = interaction.response.body.jsonValue { fromResponses.count(in: body) }
            for frame in interaction.response.frames ?? [] {
                if let payload = frame.payload.jsonValue { fromResponses.count(in: payload) }
            }
            if let resource = interaction.resource { fromRequests.count(string: resource) }
            fromRequests.count(string: URIEncoding.decode(interaction.request.path))
            if let body = interaction.request.body.jsonValue { fromRequests.count(in: body) }
        }
        return fromResponses.mostNamed ?? fromRequests.mostNamed
    }
}

/// How often each account and region appear in ARNs, in the order first seen.
struct ARNTally {
    private var accounts: [(String, Int)] = []
    private var regions: [(String, Int)] = []

    mutating func count(in value: JSONValue) {
        switch value {
        case .string(let text): count(string: text)
        case .array(let items): for item in items { count(in: item) }
        case .object(let object): for member in object { count(in: member.value) }
        default: break
        }
    }

    /// Every ARN inside `text` (a path or message may hold one among other words).
    mutating func count(string text: String) {
        var rest = Substring(text)
        while let start = rest.firstRange(of: "arn:") {
            let candidate = rest[start.lowerBound...].prefix { !" \"',;?&#".contains($0) }
            rest = rest[start.upperBound...]
            guard let arn = ARN(String(candidate)), !RecordedCaller.ignoredServices.contains(arn.service),
                AccountMapping.isAccountID(arn.account)
            else { continue }
            Self.add(arn.account, to: &accounts)
            if !arn.region.isEmpty { Self.add(arn.region, to: &regions) }
        }
    }

    private static func add(_ key: String, to tally: inout [(String, Int)]) {
        if let i = tally.firstIndex(where: { $0.0 == key }) { tally[i].1 += 1 } else { tally.append((key, 1)) }
    }

    private static func most(_ tally: [(String, Int)]) -> String? {
        var best: (String, Int)?
        for entry in tally where entry.1 > (best?.1 ?? 0) { best = entry }
        return best?.0
    }

    var mostNamed: RecordedCaller? {
        guard let account = Self.most(accounts) else { return nil }
        return RecordedCaller(account: account, region: Self.most(regions) ?? "us-east-1")
    }
}
