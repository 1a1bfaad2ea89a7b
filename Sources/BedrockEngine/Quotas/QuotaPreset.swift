/// A named set of quotas: `quotas: realistic` in the config, or
/// `POST /_understudy/quotas {"preset": "realistic"}`.
public enum QuotaPreset: String, Sendable, CaseIterable {
    /// AWS's published default quotas (the General Reference's Amazon Bedrock quota table, us-east-1):
    /// for each catalog model that has them, "On-demand … tokens per minute" on the model id and
    /// "Cross-region … tokens per minute" on each geography's profile id, with the documented
    /// default day limit of TPM × 24 × 60. Global profiles have quotas of their own that AWS does
    /// not publish, and Bedrock no longer enforces requests per minute, so neither is in the preset.
    case realistic

    public func rules(catalog: ModelCatalog) -> [QuotaRule] {
        switch self {
        case .realistic:
            var rules: [QuotaRule] = []
            for model in catalog.models {
                if let tpm = model.defaultTokensPerMinute.onDemand, model.inferenceTypesSupported.contains("ON_DEMAND") {
                    rules.append(QuotaRule(name: "\(rawValue)/\(model.modelId)", model: model.modelId, tokensPerMinute: tpm))
                }
                guard let tpm = model.defaultTokensPerMinute.crossRegion else { continue }
                for geography in model.profileGeographies where geography != "global" {
                    let profile = "\(geography).\(model.modelId)"
                    rules.append(QuotaRule(name: "\(rawValue)/\(profile)", model: profile, tokensPerMinute: tpm))
                }
            }
            return rules
        }
    }

    /// The preset a `{"preset": NAME}` item or a bare `NAME` names.
    public static func named(_ name: String) throws(QuotaRule.Invalid) -> QuotaPreset {
        guard let preset = QuotaPreset(rawValue: name) else {
            throw QuotaRule.Invalid(description: "unknown quota preset '\(name)' (known: \(allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return preset
    }
}
