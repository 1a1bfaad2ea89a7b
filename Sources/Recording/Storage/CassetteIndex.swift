import JSONCore

/// `index.json`: the order of the calls and the file of each. The service, operation and
/// resource are repeated there so a person (or a diff) sees the session at a glance; the
/// interaction files are the truth.
public struct CassetteIndex: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var file: String
        public var service: String
        public var operation: String
        public var resource: String?

        public init(file: String, service: String, operation: String, resource: String? = nil) {
            self.file = file
            self.service = service
            self.operation = operation
            self.resource = resource
        }
    }

    public static let fileName = "index.json"
    /// The cassette format this code writes and reads.
    public static let format = 1

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// `0007-bedrock-runtime-InvokeModel.json`: numbered in call order, named for a person.
    public static func interactionFileName(number: Int, service: String, operation: String) -> String {
        let digits = String(number)
        let padded = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        return "\(padded)-\(safe(service))-\(safe(operation)).json"
    }

    /// Keeps letters, digits, `-` and `_`, so a name can never leave the directory.
    private static func safe(_ text: String) -> String {
        let kept = text.unicodeScalars.map { scalar -> Character in
            let v = scalar.value
            let plain = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x2D || v == 0x5F
            return plain ? Character(scalar) : "_"
        }
        return kept.isEmpty ? "_" : String(kept)
    }

    /// A file named by an index must be a plain name inside the directory.
    static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\\") && name != CassetteIndex.fileName
    }

    public var fileBytes: [UInt8] {
        let items: [JSONValue] = entries.map { entry in
            var object = JSONObject()
            object["file"] = .string(entry.file)
            object["service"] = .string(entry.service)
            object["operation"] = .string(entry.operation)
            if let resource = entry.resource { object["resource"] = .string(resource) }
            return .object(object)
        }
        let document: JSONValue = ["format": JSONValue(Self.format), "interactions": .array(items)]
        return document.prettyBytes(indent: 2) + [UInt8(ascii: "\n")]
    }

    public init(fileBytes bytes: [UInt8]) throws(CassetteFormatError) {
        let json: JSONValue
        do throws(JSONParseError) { json = try JSONParser.parse(bytes) } catch {
            throw CassetteFormatError("not JSON: \(error)", file: Self.fileName, line: error.line)
        }
        do throws(CassetteFormatError) {
            let fields = try CassetteFields(json, at: "")
            let format = try fields.int("format")
            guard format == Self.format else {
                throw CassetteFormatError("format \(format) is not one this version reads (\(Self.format))")
            }
            var entries: [Entry] = []
            var seen = Set<String>()
            for (i, item) in (try fields.array("interactions") ?? []).enumerated() {
                let entry = try CassetteFields(item, at: "interactions[\(i)]")
                let file = try entry.string("file")
                guard Self.isPlainFileName(file) else {
                    throw CassetteFormatError("interactions[\(i)].file \"\(file)\" must be a file name in the cassette's directory")
                }
                guard seen.insert(file).inserted else { throw CassetteFormatError("interactions[\(i)].file \"\(file)\" is listed twice") }
                entries.append(
                    Entry(file: file, service: try entry.string("service"), operation: try entry.string("operation"), resource: try entry.optionalString("resource")))
            }
            self.entries = entries
        } catch {
            throw error.inFile(Self.fileName)
        }
    }
}
