public import Determinism

/// Deterministic, readable English: a pure function of its seed. Answers pick up content words
/// from the prompt so they read as related to it, and their length varies by request.
public struct TextGenerator: Sendable {
    static let openers = [
        "Here is a short answer about", "In brief, consider", "A practical way to think about", "The key idea behind",
        "Let me explain", "To summarize what matters for", "A simple overview of",
    ]
    static let connectors = [
        "This means that", "In practice,", "As a result,", "For example,", "On the other hand,", "In most cases,",
        "It also helps to note that", "Finally,",
    ]
    static let subjects = [
        "the system", "each step", "the team", "a well-designed workflow", "the model", "the request", "this approach",
        "the result", "every component", "a careful design",
    ]
    static let verbs = [
        "handles", "improves", "depends on", "keeps track of", "reduces", "explains", "supports", "balances", "describes",
        "connects",
    ]
    static let objects = [
        "the overall reliability", "clear boundaries between parts", "the cost of mistakes", "predictable behaviour",
        "the important details", "how data flows", "the expected output", "simple building blocks", "the main trade-offs",
        "a steady pace of work",
    ]
    static let stopWords: Set<String> = [
        "the", "and", "for", "with", "that", "this", "what", "how", "why", "are", "was", "you", "your", "about", "into", "from",
        "human", "assistant", "please", "write", "explain", "tell", "give", "can", "could", "would", "should", "have", "has",
        "lines", "line", "five", "some", "there", "their", "them", "they", "then", "than", "which", "when", "where",
        "not", "but", "all", "any", "its", "our", "who", "use", "using", "does", "did", "get", "let", "one", "two", "three",
        "describe", "summarize", "list", "show", "make", "create", "generate", "provide", "answer", "question", "questions",
        "help", "need", "want", "like", "know", "think", "short", "brief", "detail", "details", "more", "much", "very",
    ]

    /// Content words of a prompt, in order of first appearance, lower-cased.
    public static func topics(of prompt: String) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        var word = ""
        func flush() {
            let lower = word.lowercased()
            if lower.count >= 3, !stopWords.contains(lower), seen.insert(lower).inserted { out.append(lower) }
            word = ""
        }
        for scalar in prompt.unicodeScalars {
            if TokenCounter.isWordCharacter(scalar) {
                word.unicodeScalars.append(scalar)
            } else {
                flush()
            }
            if out.count == 6 { break }
        }
        flush()
        return out
    }

    /// About `targetTokens` tokens of text (whole sentences), topical to `prompt`.
    public static func generate(prompt: String, targetTokens: Int, random: inout SeededRandom) -> String {
        let topics = topics(of: prompt)
        func pick(_ list: [String]) -> String { list[random.next(below: list.count)] }
        func topic() -> String { topics.isEmpty ? pick(objects) : topics[random.next(below: topics.count)] }
        var sentences: [String] = []
        var tokens = 0
        let first = "\(pick(openers)) \(topic())\(topics.count > 1 ? " and \(topic())" : ""): \(pick(subjects)) \(pick(verbs)) \(pick(objects))."
        sentences.append(first)
        tokens += TokenCounter.count(first)
        while tokens < targetTokens {
            var sentence: String
            switch random.next(below: 3) {
            case 0: sentence = "\(pick(connectors)) \(pick(subjects)) \(pick(verbs)) \(pick(objects))."
            case 1: sentence = "When it comes to \(topic()), \(pick(subjects)) \(pick(verbs)) \(pick(objects))."
            default: sentence = "\(pick(connectors)) \(topic()) \(pick(verbs)) \(pick(objects)) and \(pick(objects))."
            }
            sentence = sentence.prefix(1).uppercased() + sentence.dropFirst()
            sentences.append(sentence)
            tokens += TokenCounter.count(sentence)
        }
        return sentences.joined(separator: " ")
    }
}
