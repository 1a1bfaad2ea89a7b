import Locking
public import AWSWire
public import BedrockEngine
import JSONCore
public import ServiceKit

/// Bedrock's control plane (restJson1, `bedrock` 2023-04-20): the model catalog and batch
/// inference jobs.
public struct BedrockControlFrontEnd: ServiceFrontEnd {
    public let service = AWSService.bedrock
    public let catalog: ModelCatalog
    /// Rendered catalog bodies: a pure function of (operation, model, region), so computed once.
    private let renderedBodies = Locked<[String: [UInt8]]>([:])

    /// Batch inference jobs; nil where no object store backs them (unit tests of the catalog).
    public let jobs: BatchJobBook?

    public init(catalog: ModelCatalog, jobs: BatchJobBook? = nil) {
        self.catalog = catalog
        self.jobs = jobs
    }

    func rendered(_ key: String, _ render: () -> JSONValue) -> [UInt8] {
        if let cached = renderedBodies.withLock({ $0[key] }) { return cached }
        let bytes = render().jsonBytes
        renderedBodies.withLock { $0[key] = bytes }
        return bytes
    }

    public let servedOperations = [
        "CreateModelInvocationJob", "GetFoundationModel", "GetInferenceProfile", "GetModelInvocationJob", "ListFoundationModels",
        "ListInferenceProfiles", "ListModelInvocationJobs", "StopModelInvocationJob",
    ]

    static let customizationTypes = ["FINE_TUNING", "CONTINUED_PRE_TRAINING", "DISTILLATION"]
    static let modalities = ["TEXT", "IMAGE", "EMBEDDING"]
    static let inferenceTypes = ["ON_DEMAND", "PROVISIONED"]
    static let profileTypes = ["SYSTEM_DEFINED", "APPLICATION"]
    static let providerBytes = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789- ".utf8)
    static let modelIdentifierPattern =
        "(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}::foundation-model/[a-z0-9-]{1,63}[.]{1}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2})|([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2})"
    static let profileIdentifierPattern =
        "(arn:aws(|-us-gov|-cn|-iso|-iso-b):bedrock:(|[0-9a-z-]{0,20}):(|[0-9]{12}):(inference-profile|application-inference-profile)/)?[a-zA-Z0-9-:.]+"

    /// Operations of the control plane Understudy does not serve yet, by (method, first segment).
    static let knownUnserved: [String: String] = [
        "POST inference-profiles": "CreateInferenceProfile",
        "DELETE inference-profiles": "DeleteInferenceProfile", "GET custom-models": "ListCustomModels",
        "GET guardrails": "ListGuardrails", "POST guardrails": "CreateGuardrail",
        "POST model-customization-jobs": "CreateModelCustomizationJob", "GET model-customization-jobs": "ListModelCustomizationJobs",
    ]

    /// The operation a request names, from its method and path; `Unknown` when none does.
    public static func operationName(method: String, segments: [String]) -> String {
        switch (method, segments.first, segments.count) {
        case ("GET", "foundation-models", 1): return "ListFoundationModels"
        case ("GET", "foundation-models", 2): return "GetFoundationModel"
        case ("GET", "inference-profiles", 1): return "ListInferenceProfiles"
        case ("GET", "inference-profiles", 2): return "GetInferenceProfile"
        case ("POST", "model-invocation-job", 1): return "CreateModelInvocationJob"
        case ("GET", "model-invocation-job", 2): return "GetModelInvocationJob"
        case ("POST", "model-invocation-job", 3) where segments[2] == "stop": return "StopModelInvocationJob"
        case ("GET", "model-invocation-jobs", 1): return "ListModelInvocationJobs"
        default: return segments.first.flatMap { knownUnserved["\(method) \($0)"] } ?? "Unknown"
        }
    }

    public func operation(for request: ServiceRequest) -> ServiceCall {
        plainOperation(Self.operationName(method: request.method, segments: request.pathSegments), for: request)
    }

    public func handle(_ operation: ServiceCall) -> Handling {
        let request = operation.request
        let segments = request.pathSegments
        switch operation.name.rawValue {
        case "ListFoundationModels": return .now(listFoundationModels(request))
        case "GetFoundationModel": return .now(getFoundationModel(request, identifier: segments[1]))
        case "ListInferenceProfiles": return .now(listInferenceProfiles(request))
        case "GetInferenceProfile": return .now(getInferenceProfile(request, identifier: segments[1]))
        case "CreateModelInvocationJob": return .now(createModelInvocationJob(operation))
        case "GetModelInvocationJob": return getModelInvocationJob(request, identifier: segments[1])
        case "StopModelInvocationJob": return stopModelInvocationJob(request, identifier: segments[1])
        case "ListModelInvocationJobs": return listModelInvocationJobs(request)
        case "Unknown": return .now(.failure(ServiceErrors.unknownOperation(service)))
        case let name: return .now(.failure(ServiceErrors.notEmulated(name, service: service)))
        }
    }

    func checkEnum(_ request: ServiceRequest, _ name: String, _ allowed: [String]) -> AWSServiceError? {
        guard let value = request.queryValue(name), !allowed.contains(value) else { return nil }
        return ServiceErrors.constraint(
            value: value, member: name, constraint: "Member must satisfy enum value set: [\(allowed.joined(separator: ", "))]",
            service: service)
    }

    /// Identifiers are 1-2048 characters and must match the model's pattern.
    func identifierViolation(_ identifier: String, member: String, pattern: String, matches: (String) -> Bool) -> AWSServiceError? {
        if identifier.utf8.count > 2048 {
            return ServiceErrors.constraint(
                value: identifier, member: member, constraint: "Member must have length less than or equal to 2048", service: service)
        }
        guard !matches(identifier) else { return nil }
        return ServiceErrors.constraint(
            value: identifier, member: member, constraint: "Member must satisfy regular expression pattern: \(pattern)", service: service)
    }

    func listFoundationModels(_ request: ServiceRequest) -> Reply {
        for (name, allowed) in [
            ("byCustomizationType", Self.customizationTypes), ("byOutputModality", Self.modalities), ("byInferenceType", Self.inferenceTypes),
        ] {
            if let failure = checkEnum(request, name, allowed) { return Reply.failure(failure) }
        }
        if let provider = request.queryValue("byProvider"),
            provider.isEmpty || provider.count > 63
                || !provider.utf8.allSatisfy({ Self.providerBytes.contains($0) })
        {
            return Reply.failure(
                ServiceErrors.constraint(value: provider, member: "byProvider", constraint: "Member must satisfy regular expression pattern: [A-Za-z0-9- ]{1,63}", service: service))
        }
        let filter = ModelCatalog.Filter(
            provider: request.queryValue("byProvider"), customizationType: request.queryValue("byCustomizationType"),
            outputModality: request.queryValue("byOutputModality"), inferenceType: request.queryValue("byInferenceType"))
        let region = request.caller.region
        let summaries = catalog.foundationModels(matching: filter).map { $0.wireShape(region: region) }
        return Reply(.document(["modelSummaries": .array(summaries)]))
    }

    func getFoundationModel(_ request: ServiceRequest, identifier: String) -> Reply {
        if let failure = identifierViolation(
            identifier, member: "modelIdentifier", pattern: Self.modelIdentifierPattern, matches: BedrockIdentifierPattern.isModelIdentifier) {
            return Reply.failure(failure)
        }
        guard let model = catalog.foundationModel(identifier: identifier) else {
            return Reply.failure(ServiceErrors.validation("The provided model identifier is invalid.", service: service))
        }
        let region = request.caller.region
        let body = rendered("GetFoundationModel \(model.modelId) \(region)") { ["modelDetails": model.wireShape(region: region)] }
        return Reply(.raw(RestJSON1.success(bytes: body, requestId: request.requestId)))
    }

    func listInferenceProfiles(_ request: ServiceRequest) -> Reply {
        if let failure = checkEnum(request, "type", Self.profileTypes) { return Reply.failure(failure) }
        let limit: Int
        switch maxResults(request) {
        case .success(let value): limit = value
        case .failure(let failure): return Reply.failure(failure)
        }
        var profiles = catalog.inferenceProfiles(visibleFrom: request.caller.region)
        if request.queryValue("type") == "APPLICATION" { profiles = [] }
        switch page(profiles, request: request, limit: limit, kind: "inference-profiles") {
        case .failure(let failure): return Reply.failure(failure)
        case .success(let (slice, next)):
            var body = JSONObject()
            body["inferenceProfileSummaries"] = .array(slice.map { $0.wireShape(region: request.caller.region, account: request.caller.account) })
            if let next { body["nextToken"] = .string(next) }
            return Reply(.document(.object(body)))
        }
    }

    /// `maxResults` (1-1000, default 1000) as the control plane validates it.
    func maxResults(_ request: ServiceRequest) -> Result<Int, AWSServiceError> {
        guard let text = request.queryValue("maxResults") else { return .success(1000) }
        guard let value = Int(text) else { return .failure(ServiceErrors.serialization("Cannot convert '\(text)' to an integer for maxResults", service: service)) }
        if value < 1 || value > 1000 {
            let bound = value < 1 ? "Member must have value greater than or equal to 1" : "Member must have value less than or equal to 1000"
            return .failure(ServiceErrors.constraint(value: text, member: "maxResults", constraint: bound, service: service))
        }
        return .success(value)
    }

    /// One page of a stable listing from `nextToken`, and the token of the next page.
    func page<T>(_ items: [T], request: ServiceRequest, limit: Int, kind: String) -> Result<(ArraySlice<T>, String?), AWSServiceError> {
        var start = 0
        if let token = request.queryValue("nextToken") {
            guard let offset = PaginationToken.decode(token, kind: kind), offset <= items.count else {
                return .failure(ServiceErrors.validation("The provided pagination token is invalid.", service: service))
            }
            start = offset
        }
        let end = min(items.count, start + limit)
        return .success((items[start..<end], end < items.count ? PaginationToken.encode(end, kind: kind) : nil))
    }

    func getInferenceProfile(_ request: ServiceRequest, identifier: String) -> Reply {
        if let failure = identifierViolation(
            identifier, member: "inferenceProfileIdentifier", pattern: Self.profileIdentifierPattern,
            matches: BedrockIdentifierPattern.isInferenceProfileIdentifier) {
            return Reply.failure(failure)
        }
        guard let profile = catalog.inferenceProfile(identifier: identifier, region: request.caller.region) else {
            return Reply.failure(
                AWSServiceError(code: "ResourceNotFoundException", message: "Inference profile \(identifier) not found.", status: 404))
        }
        return Reply(.document(profile.wireShape(region: request.caller.region, account: request.caller.account)))
    }
}
