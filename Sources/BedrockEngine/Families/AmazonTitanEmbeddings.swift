public import JSONCore

/// Titan Text Embeddings G1 (`inputText`; 1,536 dimensions) and V2 (`inputText`,
/// `dimensions` 1024/512/256, `normalize`, `embeddingTypes`), and Titan Multimodal Embeddings
/// (`inputText`/`inputImage`, `embeddingConfig.outputEmbeddingLength`).
public struct AmazonTitanEmbeddings: EmbeddingCodec {
    public enum Version: Sendable { case g1, v2, image }
    public let version: Version

    public init(_ version: Version) { self.version = version }

    public func embed(body: [UInt8], model: FoundationModel, generator: EmbeddingGenerator) throws(BedrockError) -> (JSONValue, Int) {
        let reader = try BodyReader.root(body)
        var dimensions = 1536
        var normalize = false
        var types = ["float"]
        switch version {
        case .g1:
            try reader.require(["inputText"])
            try reader.allowOnly(["inputText"])
        case .v2:
            try reader.require(["inputText"])
            try reader.allowOnly(["inputText", "dimensions", "normalize", "embeddingTypes"])
            dimensions = try reader.integer("dimensions") ?? 1024
            guard [256, 512, 1024].contains(dimensions) else { throw .malformed("#/dimensions: \(dimensions) is not a valid enum value") }
            normalize = try reader.bool("normalize") ?? true
            types = try reader.strings("embeddingTypes") ?? ["float"]
            for type in types where type != "float" && type != "binary" {
                throw .malformed("#/embeddingTypes: \(type) is not a valid enum value")
            }
        case .image:
            try reader.allowOnly(["inputText", "inputImage", "embeddingConfig"])
            guard reader.object["inputText"] != nil || reader.object["inputImage"] != nil else {
                throw .validation("Malformed input request: At least one of inputText or inputImage must be provided, please reformat your input and try again.")
            }
            dimensions = try reader.object("embeddingConfig")?.integer("outputEmbeddingLength") ?? 1024
            guard [256, 384, 1024].contains(dimensions) else {
                throw .malformed("#/embeddingConfig/outputEmbeddingLength: \(dimensions) is not a valid enum value")
            }
            normalize = true
        }
        var text = try reader.string("inputText") ?? ""
        if version != .image, text.isEmpty {
            throw .malformed("#/inputText: expected minLength: 1, actual: 0")
        }
        if let image = try reader.string("inputImage") {
            guard Base64.decode(image) != nil else { throw .validation("Malformed input request: inputImage must be a base64-encoded image, please reformat your input and try again.") }
            text += " image:\(StableHashText.of(image))"
        }
        let tokens = TokenCounter.count(try reader.string("inputText") ?? "")
        let vector = generator.vector(for: text, model: model.modelId, dimensions: dimensions, normalize: normalize)
        var o = JSONObject()
        o["embedding"] = EmbeddingGenerator.json(vector)
        if version == .v2 {
            var byType = JSONObject()
            for type in types {
                byType[type] = type == "binary" ? .array(vector.map { $0 > 0 ? 1 : 0 }) : EmbeddingGenerator.json(vector)
            }
            o["embeddingsByType"] = .object(byType)
        }
        o["inputTextTokenCount"] = JSONValue(tokens)
        return (.object(o), tokens)
    }
}

/// Cohere Embed (English, Multilingual v3): `texts`, `input_type`, `truncate`,
/// `embedding_types`. Answers `embeddings` (or `embeddings` by type), `id`, `response_type`,
/// `texts`.
public struct CohereEmbed: EmbeddingCodec {
    public init() {}

    public func embed(body: [UInt8], model: FoundationModel, generator: EmbeddingGenerator) throws(BedrockError) -> (JSONValue, Int) {
        let reader = try BodyReader.root(body)
        try reader.require(["texts", "input_type"])
        try reader.allowOnly(["texts", "input_type", "truncate", "embedding_types", "images"])
        let texts = try reader.strings("texts", maxCount: 96) ?? []
        _ = try reader.oneOf("input_type", ["search_document", "search_query", "classification", "clustering", "image"])
        _ = try reader.oneOf("truncate", ["NONE", "START", "END"])
        let types = try reader.strings("embedding_types")
        let vectors = texts.map { generator.vector(for: $0, model: model.modelId, dimensions: 1024, normalize: true) }
        var o = JSONObject()
        if let types {
            var byType = JSONObject()
            for type in types {
                guard ["float", "int8", "uint8", "binary", "ubinary"].contains(type) else { throw .malformed("#/embedding_types: \(type) is not a valid enum value") }
                byType[type] = .array(vectors.map { v in
                    type == "float" ? EmbeddingGenerator.json(v) : .array(v.map { JSONValue(Int(($0 * 127).rounded())) })
                })
            }
            o["embeddings"] = .object(byType)
        } else {
            o["embeddings"] = .array(vectors.map(EmbeddingGenerator.json))
        }
        var random = generator.seed
        random ^= RequestDigest.of(.object(reader.object), model: model.modelId)
        var stream = Determinism.SeededRandom(seed: random, label: "cohere-embed-id")
        o["id"] = .string(stream.uuidV4())
        o["response_type"] = types == nil ? "embeddings_floats" : "embeddings_by_type"
        o["texts"] = .array(texts.map { .string($0) })
        return (.object(o), texts.reduce(0) { $0 + TokenCounter.count($1) })
    }
}

import Determinism

enum StableHashText {
    static func of(_ text: String) -> String { String(StableHash.of(text), radix: 36) }
}
