/// What stands between a recorded interaction and the disk. Always: request headers other
/// than the ones that matter (`HeaderSelection`), `Authorization`, `X-Amz-Security-Token`,
/// cookies, and the presigned-URL query parameters (`X-Amz-Signature`, `X-Amz-Credential`, …).
/// Then the configured rules and account mapping, over the path, query, headers, resource,
/// bodies and every frame.
///
/// The replay side runs the same rules over an incoming request before matching it, so a
/// request that carried a secret when it was recorded matches the redacted recording.
public struct Redactor: Sendable {
    public let rules: RedactionRules

    /// Query parameters of a presigned URL: the credential and signature, and the rest of the
    /// signing, which change on every call.
    public static let presignedQueryParameters: Set<String> = [
        "x-amz-signature", "x-amz-credential", "x-amz-security-token", "x-amz-algorithm", "x-amz-date", "x-amz-expires",
        "x-amz-signedheaders",
    ]

    public init(_ rules: RedactionRules = RedactionRules()) { self.rules = rules }

    /// The interaction as it may be written, and notes on rules that misbehaved.
    public func redact(_ interaction: RecordedInteraction) -> RedactionResult {
        var pass = makePass(accounts: rules.accounts)
        var redacted = interaction
        redacted.resource = interaction.resource.map { pass.text($0) }
        redacted.request = request(interaction.request, &pass)
        var response = interaction.response
        response.headers = response.headers.filter { !HeaderSelection.forbidden.contains($0.name.lowercased()) }
        for i in response.headers.indices { response.headers[i].value = pass.text(response.headers[i].value) }
        let body = pass.body(response.body)
        if body != response.body || body.bytes != response.body.bytes {
            response.body = body
            // The recorded length must describe the bytes replay will send.
            if let i = response.headers.firstIndex(where: { $0.name.lowercased() == "content-length" }) {
                response.headers[i].value = String(body.bytes.count)
            }
        }
        response.frames = response.frames?.map { pass.frame($0) }
        redacted.response = response
        return RedactionResult(interaction: redacted, notes: pass.notes)
    }

    /// An incoming request redacted as a recorded one was, for matching; `accounts` maps the
    /// replaying caller's account to the recorded placeholder (see `AccountMapping.reversed`).
    public func redactForMatching(_ request: RecordedRequest, resource: String?, accounts: AccountMapping) -> (
        request: RecordedRequest, resource: String?
    ) {
        var pass = makePass(accounts: accounts)
        let resource = resource.map { pass.text($0) }
        return (self.request(request, &pass), resource)
    }

    /// A recorded interaction with its accounts mapped (replay: placeholder to the caller's
    /// account); nothing else changes.
    public func mapAccounts(in interaction: RecordedInteraction, _ mapping: AccountMapping) -> RecordedInteraction {
        guard !mapping.isEmpty else { return interaction }
        var pass = RedactionPass(rules: [], accounts: mapping, steps: 0, stepsPerCharacter: 0)
        var mapped = interaction
        mapped.resource = interaction.resource.map { pass.text($0) }
        mapped.request.path = pass.text(interaction.request.path)
        mapped.request.query = pass.text(interaction.request.query)
        for i in mapped.request.headers.indices { mapped.request.headers[i].value = pass.text(mapped.request.headers[i].value) }
        mapped.request.body = pass.body(interaction.request.body)
        for i in mapped.response.headers.indices { mapped.response.headers[i].value = pass.text(mapped.response.headers[i].value) }
        let body = pass.body(interaction.response.body)
        if body.bytes != interaction.response.body.bytes {
            mapped.response.body = body
            if let i = mapped.response.headers.firstIndex(where: { $0.name.lowercased() == "content-length" }) {
                mapped.response.headers[i].value = String(body.bytes.count)
            }
        }
        mapped.response.frames = interaction.response.frames?.map { pass.frame($0) }
        return mapped
    }

    private func makePass(accounts: AccountMapping) -> RedactionPass {
        RedactionPass(rules: rules.rules, accounts: accounts, steps: rules.regexSteps, stepsPerCharacter: rules.regexStepsPerCharacter)
    }

    private func request(_ request: RecordedRequest, _ pass: inout RedactionPass) -> RecordedRequest {
        var redacted = request
        redacted.path = pass.text(request.path)
        redacted.query = pass.text(Self.withoutPresigning(request.query))
        redacted.headers = request.headers.filter { rules.requestHeaders.keeps($0.name) }
        for i in redacted.headers.indices { redacted.headers[i].value = pass.text(redacted.headers[i].value) }
        redacted.body = pass.body(request.body)
        return redacted
    }

    /// The query without the presigning parameters, the rest kept as sent.
    static func withoutPresigning(_ query: String) -> String {
        guard !query.isEmpty else { return query }
        let kept = query.split(separator: "&", omittingEmptySubsequences: false).filter { item in
            let name = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            return !presignedQueryParameters.contains(name.lowercased())
        }
        return kept.joined(separator: "&")
    }
}
