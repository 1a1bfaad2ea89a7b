public import JSONCore

/// The one table of truth for Bedrock models and system-defined inference profiles, read
/// from `Resources/models.json` plus the models a configuration adds.
public struct ModelCatalog: Sendable {
    public private(set) var models: [FoundationModel]
    public private(set) var geographies: [ProfileGeography]
    private var byId: [String: Int]

    public init(document: JSONValue, additions: [FoundationModel] = []) throws(CatalogError) {
        models = []
        byId = [:]
        geographies = []
        guard let entries = document["models"]?.arrayValue else { throw .unreadableResource("no 'models' list") }
        for entry in entries { add(try FoundationModel(json: entry)) }
        for model in additions { add(model) }
        for (key, value) in document["geographies"]?.objectValue ?? JSONObject() {
            geographies.append(
                ProfileGeography(
                    key: key, label: value["label"]?.stringValue ?? key.uppercased(),
                    regions: (value["regions"]?.arrayValue ?? []).compactMap(\.stringValue),
                    sourceRegionPrefixes: (value["sourceRegionPrefixes"]?.arrayValue ?? []).compactMap(\.stringValue)))
        }
    }

    /// A model added later replaces one with the same id (configuration overrides the resource).
    private mutating func add(_ model: FoundationModel) {
        if let existing = byId[model.modelId] {
            models[existing] = model
        } else {
            byId[model.modelId] = models.count
            models.append(model)
        }
    }

    /// The catalog shipped in the binary.
    public static func bundled(additions: [FoundationModel] = []) throws -> ModelCatalog {
        let document: JSONValue
        do { document = try JSONParser.parse(PackageResources.models_json) } catch { throw CatalogError.unreadableResource("\(error)") }
        return try ModelCatalog(document: document, additions: additions)
    }

    public func model(id: String) -> FoundationModel? { byId[id].map { models[$0] } }

    /// A model by id or foundation-model ARN (`arn:aws:bedrock:<region>::foundation-model/<id>`).
    public func foundationModel(identifier: String) -> FoundationModel? {
        if identifier.hasPrefix("arn:") {
            let parts = identifier.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard parts.count == 6, parts[2] == "bedrock", parts[5].hasPrefix("foundation-model/") else { return nil }
            return model(id: String(parts[5].dropFirst("foundation-model/".count)))
        }
        return model(id: identifier)
    }

    public struct Filter: Sendable {
        public var provider: String?
        public var customizationType: String?
        public var outputModality: String?
        public var inferenceType: String?
        public init(provider: String? = nil, customizationType: String? = nil, outputModality: String? = nil, inferenceType: String? = nil) {
            self.provider = provider
            self.customizationType = customizationType
            self.outputModality = outputModality
            self.inferenceType = inferenceType
        }
    }

    /// ListFoundationModels: every filter must match; the provider compares case-insensitively
    /// (AWS accepts `anthropic` for `Anthropic`).
    public func foundationModels(matching filter: Filter) -> [FoundationModel] {
        models.filter { m in
            if let p = filter.provider, m.providerName.lowercased() != p.lowercased(),
                m.modelId.prefix(while: { $0 != "." }).lowercased() != p.lowercased()
            {
                return false
            }
            if let c = filter.customizationType, !m.customizationsSupported.contains(c) { return false }
            if let o = filter.outputModality, !m.outputModalities.contains(o) { return false }
            if let i = filter.inferenceType, !m.inferenceTypesSupported.contains(i) { return false }
            return true
        }
    }

    /// The system-defined profiles a caller in `region` sees, in catalog order.
    public func inferenceProfiles(visibleFrom region: String) -> [InferenceProfile] {
        var out: [InferenceProfile] = []
        for model in models {
            for geoKey in model.profileGeographies {
                guard let geo = geographies.first(where: { $0.key == geoKey }), geo.isVisible(from: region) else { continue }
                out.append(profile(for: model, geography: geo))
            }
        }
        return out
    }

    func profile(for model: FoundationModel, geography geo: ProfileGeography) -> InferenceProfile {
        let name = "\(geo.label) \(model.providerName) \(model.modelName)"
        let regionList: String
        if geo.regions.count > 1 {
            regionList = geo.regions.dropLast().joined(separator: ", ") + " and " + geo.regions.last!
        } else {
            regionList = geo.regions.first ?? ""
        }
        return InferenceProfile(
            id: "\(geo.key).\(model.modelId)", name: name,
            description: "Routes requests to \(model.providerName) \(model.modelName) in \(regionList).",
            createdAt: model.profilesCreatedAt ?? "2024-08-27T00:00:00Z", geography: geo.key, model: model,
            regions: geo.regions)
    }

    /// A profile by id or ARN, if visible from `region`.
    public func inferenceProfile(identifier: String, region: String) -> InferenceProfile? {
        var id = identifier
        if identifier.hasPrefix("arn:") {
            let parts = identifier.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard parts.count == 6, parts[2] == "bedrock", parts[5].hasPrefix("inference-profile/") else { return nil }
            id = String(parts[5].dropFirst("inference-profile/".count))
        }
        guard let dot = id.firstIndex(of: ".") else { return nil }
        let geoKey = String(id[..<dot])
        guard let geo = geographies.first(where: { $0.key == geoKey }), geo.isVisible(from: region),
            let model = model(id: String(id[id.index(after: dot)...])), model.profileGeographies.contains(geoKey)
        else { return nil }
        return profile(for: model, geography: geo)
    }
}
