import Determinism
public import JSONCore

/// Deterministic embeddings where similar texts get similar vectors: features are the text's
/// lower-cased words, word bigrams and character trigrams, each hashed (with the seed and model)
/// to a dimension and a sign. Texts sharing words share features, so cosine similarity tracks
/// word overlap and retrieval tests rank sensibly.
public struct EmbeddingGenerator: Sendable {
    public var seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var word = ""
        for scalar in text.lowercased().unicodeScalars {
            if TokenCounter.isWordCharacter(scalar) || scalar.value > 0x7F {
                word.unicodeScalars.append(scalar)
            } else if !word.isEmpty {
                out.append(word)
                word = ""
            }
        }
        if !word.isEmpty { out.append(word) }
        return out
    }

    public func vector(for text: String, model: String, dimensions: Int, normalize: Bool) -> [Float] {
        var values = [Double](repeating: 0, count: dimensions)
        func add(_ feature: String, _ weight: Double) {
            var hash = StableHash()
            hash.combine(seed)
            hash.combine(model)
            hash.combine(feature)
            let h = hash.value
            values[Int(h % UInt64(dimensions))] += (h >> 63) == 0 ? weight : -weight
        }
        let words = Self.words(text)
        for (i, word) in words.enumerated() {
            add("w:" + word, 1.0)
            if i > 0 { add("b:" + words[i - 1] + " " + word, 0.5) }
            let chars = Array("#" + word + "#")
            if chars.count >= 3 {
                for j in 0...(chars.count - 3) { add("c:" + String(chars[j..<j + 3]), 0.25) }
            }
        }
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let scale = norm > 0 ? (normalize ? 1 / norm : 1 / norm * Double(words.count).squareRoot()) : 0
        return values.map { Float($0 * scale) }
    }

    /// A float array as JSON, each value with Float32 precision (as the services send them).
    public static func json(_ vector: [Float]) -> JSONValue {
        .array(vector.map { .number(JSONNumber(text: $0 == 0 ? "0.0" : "\($0)") ?? JSONNumber(0)) })
    }
}

/// A model family that answers InvokeModel with embeddings rather than text.
public protocol EmbeddingCodec: Sendable {
    /// The response body and the input tokens counted.
    func embed(body: [UInt8], model: FoundationModel, generator: EmbeddingGenerator) throws(BedrockError) -> (JSONValue, Int)
}
