public import JSONCore

/// One Bedrock foundation model: the ten members ListFoundationModels reports, plus what the
/// engine needs to serve it (request family, output limit, Converse support, profile geographies).
public struct FoundationModel: Sendable, Equatable {
    public var modelId: String
    public var modelName: String
    public var providerName: String
    public var inputModalities: [String]
    public var outputModalities: [String]
    public var responseStreamingSupported: Bool
    public var customizationsSupported: [String]
    public var inferenceTypesSupported: [String]
    public var lifecycleStatus: String
    /// Which request/response codec serves it (`anthropic-messages`, `amazon-titan-text`, …).
    public var family: String?
    public var maxOutputTokens: Int?
    public var supportsConverse: Bool
    /// Geographies with a system-defined cross-region profile (`us`, `eu`, `apac`, `global`).
    public var profileGeographies: [String]
    /// ISO-8601 creation time reported for those profiles.
    public var profilesCreatedAt: String?
    /// AWS's published default tokens-per-minute quotas (us-east-1): on-demand use of the
    /// model id, and use through a cross-region profile. The `realistic` quota preset reads them.
    public var defaultTokensPerMinute = DefaultTokenQuotas()

    public struct DefaultTokenQuotas: Sendable, Equatable {
        public var onDemand: Int?
        public var crossRegion: Int?
    }

    /// Reads one entry of `models.json` (or of `bedrock.models` in the config).
    public init(json: JSONValue) throws(CatalogError) {
        func string(_ key: String) throws(CatalogError) -> String {
            guard let s = json[key]?.stringValue, !s.isEmpty else { throw .invalidEntry("model entry needs a string '\(key)'") }
            return s
        }
        func strings(_ key: String, default value: [String]) throws(CatalogError) -> [String] {
            guard let v = json[key] else { return value }
            guard let array = v.arrayValue else { throw .invalidEntry("'\(key)' must be a list of strings") }
            var out: [String] = []
            for element in array {
                guard let s = element.stringValue else { throw .invalidEntry("'\(key)' must be a list of strings") }
                out.append(s)
            }
            return out
        }
        modelId = try string("modelId")
        modelName = json["modelName"]?.stringValue ?? modelId
        providerName = json["providerName"]?.stringValue ?? Self.capitalized(String(modelId.prefix(while: { $0 != "." })))
        inputModalities = try strings("inputModalities", default: ["TEXT"])
        outputModalities = try strings("outputModalities", default: ["TEXT"])
        responseStreamingSupported = json["responseStreamingSupported"]?.boolValue ?? true
        customizationsSupported = try strings("customizationsSupported", default: [])
        inferenceTypesSupported = try strings("inferenceTypesSupported", default: ["ON_DEMAND"])
        lifecycleStatus = json["modelLifecycle"]?["status"]?.stringValue ?? "ACTIVE"
        family = json["family"]?.stringValue
        maxOutputTokens = json["maxOutputTokens"]?.intValue
        supportsConverse = json["converse"]?.boolValue ?? true
        profileGeographies = try strings("geos", default: [])
        if let profiles = json["inferenceProfiles"] {
            profileGeographies = (profiles["geos"]?.arrayValue ?? []).compactMap(\.stringValue)
            profilesCreatedAt = profiles["createdAt"]?.stringValue
        }
        if let quotas = json["defaultTokensPerMinute"] {
            for key in ["onDemand", "crossRegion"] {
                if let value = quotas[key], (value.intValue ?? 0) < 1 {
                    throw .invalidEntry("'defaultTokensPerMinute.\(key)' of \(modelId) must be a positive integer")
                }
            }
            defaultTokensPerMinute = DefaultTokenQuotas(onDemand: quotas["onDemand"]?.intValue, crossRegion: quotas["crossRegion"]?.intValue)
        }
    }

    static func capitalized(_ word: String) -> String { word.prefix(1).uppercased() + word.dropFirst() }

    public func arn(region: String) -> String { "arn:aws:bedrock:\(region)::foundation-model/\(modelId)" }

    /// The FoundationModelSummary / FoundationModelDetails shape, members in AWS's order.
    public func wireShape(region: String) -> JSONValue {
        var o = JSONObject()
        o["modelArn"] = .string(arn(region: region))
        o["modelId"] = .string(modelId)
        o["modelName"] = .string(modelName)
        o["providerName"] = .string(providerName)
        o["inputModalities"] = .array(inputModalities.map { .string($0) })
        o["outputModalities"] = .array(outputModalities.map { .string($0) })
        o["responseStreamingSupported"] = .bool(responseStreamingSupported)
        o["customizationsSupported"] = .array(customizationsSupported.map { .string($0) })
        o["inferenceTypesSupported"] = .array(inferenceTypesSupported.map { .string($0) })
        o["modelLifecycle"] = ["status": .string(lifecycleStatus)]
        return .object(o)
    }
}

public enum CatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidEntry(String)
    case unreadableResource(String)

    public var description: String {
        switch self {
        case .invalidEntry(let s): return "invalid model catalog entry: \(s)"
        case .unreadableResource(let s): return "model catalog resource unreadable: \(s)"
        }
    }
}
