import JSONCore

/// Reads the members of one object of a cassette file, each failure naming the member's place
/// (`response.frames[3].offsetMillis`), so a hand-edited file says where it went wrong.
struct CassetteFields {
    let object: JSONObject
    let path: String

    init(_ value: JSONValue?, at path: String) throws(CassetteFormatError) {
        guard case .object(let object)? = value else {
            throw CassetteFormatError(path.isEmpty ? "the file must hold a JSON object" : "\(path) must be an object")
        }
        self.object = object
        self.path = path
    }

    func place(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func string(_ key: String) throws(CassetteFormatError) -> String {
        guard let text = try optionalString(key) else { throw CassetteFormatError("\(place(key)) is missing") }
        return text
    }

    func optionalString(_ key: String) throws(CassetteFormatError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?: throw CassetteFormatError("\(place(key)) must be a string, not \(other.typeName)")
        }
    }

    func int(_ key: String) throws(CassetteFormatError) -> Int {
        guard let number = try optionalInt(key) else { throw CassetteFormatError("\(place(key)) is missing") }
        return number
    }

    func optionalInt(_ key: String) throws(CassetteFormatError) -> Int? {
        switch object[key] {
        case nil, .null?: return nil
        case .number(let number)? where number.intValue != nil: return number.intValue
        case let other?: throw CassetteFormatError("\(place(key)) must be an integer, not \(other.jsonString)")
        }
    }

    func array(_ key: String) throws(CassetteFormatError) -> [JSONValue]? {
        switch object[key] {
        case nil, .null?: return nil
        case .array(let items)?: return items
        case let other?: throw CassetteFormatError("\(place(key)) must be an array, not \(other.typeName)")
        }
    }

    /// Headers are an object of name to string value, in the order they came.
    func headers(_ key: String) throws(CassetteFormatError) -> [RecordedHeader] {
        switch object[key] {
        case nil, .null?: return []
        case .object(let members)?:
            var headers: [RecordedHeader] = []
            for member in members {
                guard case .string(let value) = member.value else {
                    throw CassetteFormatError("\(place(key)).\(member.key) must be a string")
                }
                headers.append(RecordedHeader(member.key, value))
            }
            return headers
        case let other?: throw CassetteFormatError("\(place(key)) must be an object, not \(other.typeName)")
        }
    }
}
