public import JSONCore

/// A system-defined cross-region inference profile (`us.`, `eu.`, `apac.`, `global.`).
public struct InferenceProfile: Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    public var createdAt: String
    public var geography: String
    public var model: FoundationModel
    /// Destination regions the profile routes to.
    public var regions: [String]

    public func arn(region: String, account: String) -> String {
        "arn:aws:bedrock:\(region):\(account):inference-profile/\(id)"
    }

    /// The InferenceProfileSummary / GetInferenceProfileResponse shape, members in AWS's order.
    public func wireShape(region: String, account: String) -> JSONValue {
        var o = JSONObject()
        o["inferenceProfileName"] = .string(name)
        o["description"] = .string(description)
        o["createdAt"] = .string(createdAt)
        o["updatedAt"] = .string(createdAt)
        o["inferenceProfileArn"] = .string(arn(region: region, account: account))
        o["models"] = .array(regions.map { ["modelArn": .string(model.arn(region: $0))] })
        o["inferenceProfileId"] = .string(id)
        o["status"] = "ACTIVE"
        o["type"] = "SYSTEM_DEFINED"
        return .object(o)
    }
}

/// A geography of cross-region profiles: its label, destination regions, and which source
/// regions see it.
public struct ProfileGeography: Sendable, Equatable {
    public var key: String
    public var label: String
    public var regions: [String]
    public var sourceRegionPrefixes: [String]

    public func isVisible(from region: String) -> Bool {
        sourceRegionPrefixes.contains(where: { region.hasPrefix($0) })
    }
}
