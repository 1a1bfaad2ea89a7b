import Determinism
public import JSONCore

/// Serves model invocations: resolves the model id (foundation model or inference profile, id
/// or ARN), hands the body to the model's family codec, and generates the answer.
public struct BedrockRuntime: Sendable {
    public let catalog: ModelCatalog
    public let generator: CompletionGenerator

    static let codecs: [String: any ModelFamilyCodec] = [
        "anthropic-text-completions": AnthropicTextCompletions(),
        "anthropic-messages": AnthropicMessages(),
        "amazon-titan-text": AmazonTitanText(),
        "amazon-nova": AmazonNova(),
        "meta-llama": MetaLlama(),
        "mistral-text": MistralText(),
        "mistral-chat": MistralText(),
        "cohere-command-r": CohereCommandR(),
        "ai21-jamba": AI21Jamba(),
    ]

    static let embeddingCodecs: [String: any EmbeddingCodec] = [
        "amazon-titan-embed-g1": AmazonTitanEmbeddings(.g1),
        "amazon-titan-embed-v2": AmazonTitanEmbeddings(.v2),
        "amazon-titan-embed-image": AmazonTitanEmbeddings(.image),
        "cohere-embed": CohereEmbed(),
    ]

    public let embeddings: EmbeddingGenerator
    public let rules: CompletionRuleBook
    public let latency: LatencyModel
    public let quotas: QuotaBook?

    public init(
        catalog: ModelCatalog, seed: UInt64, rules: CompletionRuleBook = CompletionRuleBook(), latency: LatencyModel = LatencyModel(),
        quotas: QuotaBook? = nil
    ) {
        self.catalog = catalog
        self.generator = CompletionGenerator(seed: seed)
        self.embeddings = EmbeddingGenerator(seed: seed)
        self.rules = rules
        self.latency = latency
        self.quotas = quotas
    }

    /// `answer`, metered: the quotas reserve input + max_tokens first and settle to actual use.
    ///
    /// Batch jobs pass `metered: false`: batch inference has its own quotas, not on-demand ones.
    func complete(_ request: GenerationRequest, requested modelId: String, scope: String, metered: Bool = true) throws(BedrockError) -> (Completion, rule: String?, latency: LatencyProfile?) {
        // Clamped so that a family without a max_tokens cap cannot overflow the reservation.
        let reserve = min(request.inputTokens, 1 << 40) + min(request.maxTokens, 1 << 40)
        guard metered, let quotas, let ticket = try quotas.admit(model: modelId, scope: scope, reserve: reserve) else {
            return try answer(request)
        }
        do {
            let result = try answer(request)
            let busy = result.latency?.offsets(parts: 1, outputTokens: result.0.outputTokens).last ?? 0
            quotas.settle(ticket, inputTokens: result.0.inputTokens, outputTokens: result.0.outputTokens, busyMillis: busy)
            return result
        } catch {
            quotas.release(ticket)
            throw error
        }
    }

    static func scope(_ account: String, _ region: String) -> String { account + "/" + region }

    /// The answer to a request (the first matching canned rule's, else the generator's) and the
    /// latency it is simulated with.
    func answer(_ request: GenerationRequest) throws(BedrockError) -> (Completion, rule: String?, latency: LatencyProfile?) {
        let modelLatency = latency.profile(for: request.model.modelId)
        guard let (matched, response) = rules.answer(for: request) else { return (generator.complete(request), nil, modelLatency) }
        let rule = matched.name
        let latency = matched.latency ?? modelLatency
        switch response {
        case .error(var error):
            error.rule = rule
            throw error
        case .toolUse(let name, let input):
            var random = generator.random(for: request, purpose: "tool")
            let id = GeneratedID.make(prefix: request.toolUseIdPrefix, length: 22, random: &random)
            let completion = Completion(
                text: "", stopReason: .toolUse, inputTokens: request.inputTokens, outputTokens: TokenCounter.count(input.jsonString) + 8,
                toolCall: ToolCall(id: id, name: name, input: input))
            return (completion, rule, latency)
        case .text(var text, let stop, let inputTokens, let outputTokens):
            var reason = StopReason.endTurn
            switch stop {
            case "max_tokens": reason = .maxTokens
            case "stop_sequence": reason = .stopSequence(request.stopSequences.first ?? "")
            case "tool_use": reason = .toolUse
            case nil where TokenCounter.count(text) > request.maxTokens:
                text = TokenCounter.prefix(text, tokens: request.maxTokens)
                reason = .maxTokens
            default: break
            }
            let completion = Completion(
                text: text, stopReason: reason, inputTokens: inputTokens ?? request.inputTokens,
                outputTokens: outputTokens ?? TokenCounter.count(text))
            return (completion, rule, latency)
        }
    }

    /// The model a `modelId` path label names, as seen from `region`.
    public func resolve(modelId: String, region: String) throws(BedrockError) -> FoundationModel {
        if let model = catalog.foundationModel(identifier: modelId) {
            guard model.inferenceTypesSupported.contains("ON_DEMAND") else {
                if model.inferenceTypesSupported.contains("INFERENCE_PROFILE") {
                    throw .validation(
                        "Invocation of model ID \(model.modelId) with on-demand throughput isn\u{2019}t supported. Retry your request with the ID or ARN of an inference profile that contains this model.")
                }
                throw .validation("Invocation of model ID \(model.modelId) with on-demand throughput isn\u{2019}t supported.")
            }
            return model
        }
        if let profile = catalog.inferenceProfile(identifier: modelId, region: region) { return profile.model }
        throw .invalidModel
    }

    func codec(for model: FoundationModel) throws(BedrockError) -> any ModelFamilyCodec {
        guard let family = model.family, let codec = Self.codecs[family] else {
            throw .notEmulated("InvokeModel for \(model.modelId) (\(model.family ?? "unknown") request format)")
        }
        return codec
    }

    /// One invocation's outcome: the native response and what the headers report.
    public struct Invocation: Sendable {
        public var body: JSONValue
        public var completion: Completion
        public var metrics: InvocationMetrics
        /// The canned rule that answered, if one did.
        public var rule: String? = nil
        /// The simulated latency, when the latency model is on.
        public var latency: LatencyProfile? = nil
    }

    /// `account` and `region` are the caller's: each quota meters every account and region apart.
    public func invoke(modelId: String, body: [UInt8], region: String, account: String = "", metered: Bool = true) throws(BedrockError) -> Invocation {
        let model = try resolve(modelId: modelId, region: region)
        if let family = model.family, let embedder = Self.embeddingCodecs[family] {
            let (response, tokens) = try embedder.embed(body: body, model: model, generator: embeddings)
            // Embeddings use the model's token quota too: the input is the whole reservation.
            if metered, let quotas, let ticket = try quotas.admit(model: modelId, scope: Self.scope(account, region), reserve: tokens) {
                quotas.settle(ticket, inputTokens: tokens, outputTokens: 0, busyMillis: 0)
            }
            let completion = Completion(text: "", stopReason: .endTurn, inputTokens: tokens, outputTokens: 0)
            return Invocation(body: response, completion: completion, metrics: metrics(for: completion))
        }
        let codec = try codec(for: model)
        let request = try codec.parse(body: body, model: model)
        let (completion, rule, latency) = try complete(request, requested: modelId, scope: Self.scope(account, region), metered: metered)
        let metrics = metrics(for: completion, latency: latency)
        return Invocation(
            body: codec.response(completion, request: request, id: messageId(request)), completion: completion, metrics: metrics, rule: rule,
            latency: latency)
    }

    /// The stream's chunk payloads, each `{"bytes": <base64 of the native chunk JSON>, "p": …}`
    /// once the front end frames it.
    public struct StreamedInvocation: Sendable {
        public var chunks: [JSONValue]
        public var completion: Completion
        public var metrics: InvocationMetrics
        /// Padding strings for each chunk's `p` member, drawn from the request's random stream.
        public var paddings: [String]
        public var rule: String?
        /// When each event goes out (ms from the request), when the latency model is on.
        public var offsets: [Int]?
    }

    public func stream(modelId: String, body: [UInt8], region: String, account: String = "") throws(BedrockError) -> StreamedInvocation {
        let model = try resolve(modelId: modelId, region: region)
        guard model.responseStreamingSupported else {
            throw .validation("The model is unsupported for streaming.")
        }
        let codec = try codec(for: model)
        let request = try codec.parse(body: body, model: model)
        let (completion, rule, latency) = try complete(request, requested: modelId, scope: Self.scope(account, region))
        let metrics = metrics(for: completion, latency: latency)
        let chunks = codec.chunks(completion, request: request, id: messageId(request), metrics: metrics)
        return StreamedInvocation(
            chunks: chunks, completion: completion, metrics: metrics, paddings: paddings(chunks.count, request), rule: rule,
            offsets: latency?.offsets(parts: chunks.count, outputTokens: completion.outputTokens))
    }

    static let converseUnsupported = BedrockError.validation(
        "This action doesn't support the model that you provided. Try again with a supported text or chat model.")

    public struct Conversation: Sendable {
        public var completion: Completion
        public var metrics: InvocationMetrics
        public var response: JSONValue
        public var events: [(String, JSONValue)]
        public var paddings: [String]
        public var rule: String?
        /// When each event goes out (ms from the request), when the latency model is on.
        public var offsets: [Int]?
    }

    /// Converse and ConverseStream: the same answer, whole or as events.
    public func converse(modelId: String, body: JSONObject, region: String, account: String = "", metered: Bool = true) throws(BedrockError) -> Conversation {
        let model = try resolve(modelId: modelId, region: region)
        guard model.supportsConverse, model.outputModalities.contains("TEXT") else { throw Self.converseUnsupported }
        let codec = ConverseCodec()
        let request = try codec.parse(body, model: model)
        let (completion, rule, latency) = try complete(request, requested: modelId, scope: Self.scope(account, region), metered: metered)
        let metrics = metrics(for: completion, latency: latency)
        let events = codec.events(completion, metrics: metrics)
        return Conversation(
            completion: completion, metrics: metrics, response: codec.response(completion, metrics: metrics), events: events,
            paddings: paddings(events.count, request), rule: rule,
            offsets: latency?.offsets(parts: events.count, outputTokens: completion.outputTokens))
    }

    /// CountTokens: what the model would be billed as input for an InvokeModel body or a
    /// Converse request, by the same counter every usage figure uses.
    public func countTokens(modelId: String, input: JSONObject, region: String) throws(BedrockError) -> Int {
        let model = try resolve(modelId: modelId, region: region)
        guard model.providerName == "Anthropic" else {
            throw .validation("The provided model doesn't support counting tokens.")
        }
        if let invoke = input["invokeModel"] {
            guard let encoded = invoke["body"]?.stringValue, let body = Base64.decode(encoded) else {
                throw .validation("1 validation error detected: Value at 'input.invokeModel.body' failed to satisfy constraint: Member must not be null")
            }
            return try codec(for: model).parse(body: body, model: model).inputTokens
        }
        if let converse = input["converse"]?.objectValue {
            return try ConverseCodec().parse(converse, model: model).inputTokens
        }
        throw .validation("Exactly one of invokeModel or converse must be set in the CountTokens input.")
    }

    /// What the simulation took: with the latency model off, nothing is simulated and 0 is
    /// reported.
    func metrics(for completion: Completion, latency: LatencyProfile? = nil) -> InvocationMetrics {
        let first = latency?.timeToFirstTokenMs ?? 0
        let total = first + (latency?.generationMs(tokens: completion.outputTokens) ?? 0)
        return InvocationMetrics(inputTokens: completion.inputTokens, outputTokens: completion.outputTokens, invocationLatency: total, firstByteLatency: first)
    }

    /// The `p` padding Bedrock adds to stream events (an alphabet prefix of varying length, so
    /// event sizes do not reveal token lengths), drawn from the request's own random stream.
    func paddings(_ count: Int, _ request: GenerationRequest) -> [String] {
        var random = generator.random(for: request, purpose: "padding")
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return (0..<count).map { _ in String(alphabet.prefix(1 + random.next(below: alphabet.count))) }
    }

    func messageId(_ request: GenerationRequest) -> String {
        var random = generator.random(for: request, purpose: "message-id")
        return GeneratedID.make(prefix: "msg_bdrk_01", length: 22, random: &random)
    }
}
