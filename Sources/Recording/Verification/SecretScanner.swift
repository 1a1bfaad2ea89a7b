/// Looks for credentials in cassette text, pragmatically: what is certain to be one is flagged,
/// and long base64 alone is not (event payloads and S3 bodies are full of it). Flagged:
/// - AWS access key ids (`AKIA`/`ASIA` and 16 upper-case letters or digits, standing alone);
/// - a 40-character secret key next to a name that says so (`aws_secret_access_key`,
///   `SecretAccessKey`, …);
/// - STS session tokens, by the prefixes every one of them starts with (`IQoJb3JpZ2luX2Vj`,
///   `FwoGZXIvYXdz`, `AQoDYXdz`), or any long base64 next to a session-token name;
/// - the names of signing parts (`X-Amz-Signature`, `X-Amz-Credential`, `X-Amz-Security-Token`,
///   `AWS4-HMAC-SHA256`, `chunk-signature=`), which only a leaked signed request contains;
/// - `authorization`, `cookie` and `set-cookie` written as JSON member names (headers);
/// - Bedrock API keys (`ABSK…`, `bedrock-api-key-…`);
/// - every configured secret, wherever it occurs.
public struct SecretScanner: Sendable {
    public var secrets: [String]

    public init(secrets: [String] = []) { self.secrets = secrets.filter { !$0.isEmpty } }

    private static let signingWords: [(word: String, kind: String)] = [
        ("x-amz-signature", "request signature"), ("x-amz-credential", "signing credential"),
        ("x-amz-security-token", "session token parameter"), ("aws4-hmac-sha256 credential", "SigV4 authorization"),
        ("chunk-signature=", "aws-chunked signature"), ("bedrock-api-key-", "Bedrock API key"),
    ]
    private static let headerMembers = ["\"authorization\"", "\"cookie\"", "\"set-cookie\"", "\"proxy-authorization\""]
    /// Written without `_` and `-`: names are compared with those left out.
    private static let secretKeyNames = ["secretaccesskey", "secretkey"]
    private static let sessionTokenNames = ["sessiontoken", "securitytoken"]
    private static let sessionTokenPrefixes = ["IQoJb3JpZ2luX2Vj", "FwoGZXIvYXdz", "AQoDYXdz", "AQoJb3JpZ2luX2Vj"]

    /// Every finding in `text`, in order of line; one per kind and place.
    public func scan(_ text: String) -> [SecretFinding] {
        var findings: [SecretFinding] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var found: [SecretFinding] = []
            scan(line: Array(line.utf8), number: lineNumber, into: &found)
            for finding in found.sorted(by: { $0.column < $1.column }) where !findings.contains(finding) { findings.append(finding) }
        }
        return findings
    }

    private func scan(line: [UInt8], number: Int, into findings: inout [SecretFinding]) {
        let lower = line.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        func add(_ at: Int, _ kind: String, _ length: Int) {
            let shown = String(decoding: line[at..<min(line.count, at + min(4, length))], as: UTF8.self)
            findings.append(SecretFinding(line: number, column: at + 1, kind: kind, excerpt: shown + "…"))
        }
        for secret in secrets {
            for at in Self.occurrences(of: Array(secret.utf8), in: line) { add(at, "configured secret", secret.utf8.count) }
        }
        for (word, kind) in Self.signingWords {
            for at in Self.occurrences(of: Array(word.utf8), in: lower) { add(at, kind, word.utf8.count) }
        }
        for member in Self.headerMembers {
            for at in Self.occurrences(of: Array(member.utf8), in: lower) {
                var next = at + member.utf8.count
                while next < line.count, line[next] == UInt8(ascii: " ") { next += 1 }
                if next < line.count, line[next] == UInt8(ascii: ":") { add(at + 1, "credential header", member.utf8.count) }
            }
        }
        // Access key ids: AKIA or ASIA and 16 more, alone (not inside a longer word or base64).
        for prefix in ["AKIA", "ASIA"] {
            for at in Self.occurrences(of: Array(prefix.utf8), in: line) where Self.standsAlone(line, at, 20) {
                if line[(at + 4)..<min(line.count, at + 20)].count == 16, line[(at + 4)..<(at + 20)].allSatisfy(Self.isUpperOrDigit) {
                    add(at, "AWS access key id", 20)
                }
            }
        }
        for at in Self.occurrences(of: Array("ABSK".utf8), in: line) {
            if Self.base64Run(line, from: at) >= 24, at == 0 || !Self.isBase64(line[at - 1]) { add(at, "Bedrock API key", 24) }
        }
        for prefix in Self.sessionTokenPrefixes {
            for at in Self.occurrences(of: Array(prefix.utf8), in: line) where Self.base64Run(line, from: at) >= 100 {
                add(at, "session token", 100)
            }
        }
        let squeezed = Self.squeezed(lower)
        for name in Self.secretKeyNames where !Self.occurrences(of: Array(name.utf8), in: squeezed).isEmpty {
            if let value = Self.valueAfterName(line, lower, name), Self.base64Run(line, from: value) == 40 {
                add(value, "secret access key", 40)
            }
        }
        for name in Self.sessionTokenNames where !Self.occurrences(of: Array(name.utf8), in: squeezed).isEmpty {
            if let value = Self.valueAfterName(line, lower, name), Self.base64Run(line, from: value) >= 100 {
                add(value, "session token", 100)
            }
        }
    }

    /// Where the value after a name like `aws_secret_access_key` starts (skipping quotes,
    /// `:`, `=` and spaces); nil when the name is not followed by one.
    private static func valueAfterName(_ line: [UInt8], _ lower: [UInt8], _ name: String) -> Int? {
        // Names are matched with `_` and `-` optional, so `SecretAccessKey` and
        // `secret-access-key` are the same name.
        let wanted = Array(name.utf8)
        var i = 0
        while i < lower.count {
            var j = i
            var k = 0
            while j < lower.count, k < wanted.count {
                if lower[j] == UInt8(ascii: "_") || lower[j] == UInt8(ascii: "-") {
                    j += 1
                    continue
                }
                guard lower[j] == wanted[k] else { break }
                j += 1
                k += 1
            }
            if k == wanted.count {
                var v = j
                while v < line.count, [UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: " ")].contains(line[v]) {
                    v += 1
                }
                if v > j, v < line.count { return v }
            }
            i += 1
        }
        return nil
    }

    /// `lower` without `_` and `-`, to find names however they are joined.
    private static func squeezed(_ lower: [UInt8]) -> [UInt8] {
        lower.filter { $0 != UInt8(ascii: "_") && $0 != UInt8(ascii: "-") }
    }

    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard !needle.isEmpty, haystack.count >= needle.count else { return [] }
        var found: [Int] = []
        let first = needle[0]
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) {
                found.append(i)
                i += needle.count
            } else {
                i += 1
            }
        }
        return found
    }

    private static func isUpperOrDigit(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) }

    private static func isAlphanumeric(_ b: UInt8) -> Bool { isUpperOrDigit(b) || (b >= 0x61 && b <= 0x7A) }

    private static func isBase64(_ b: UInt8) -> Bool { isAlphanumeric(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "/") }

    private static func standsAlone(_ line: [UInt8], _ at: Int, _ length: Int) -> Bool {
        (at == 0 || !isAlphanumeric(line[at - 1])) && (at + length >= line.count || !isAlphanumeric(line[at + length]))
    }

    /// The length of the base64 run starting at `from` (padding included).
    private static func base64Run(_ line: [UInt8], from: Int) -> Int {
        var end = from
        while end < line.count, isBase64(line[end]) { end += 1 }
        while end < line.count, line[end] == UInt8(ascii: "=") { end += 1 }
        return end - from
    }
}
