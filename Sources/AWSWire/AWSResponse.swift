public import JSONCore

/// A complete response as the wire carries it: status, headers in order, body. How and when
/// it is sent (simulated latency, pacing, injected faults) is the server's business, not the
/// wire's.
public struct AWSResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first(where: { $0.name.lowercased() == lower })?.value
    }
}

/// An error as a service reports it. One value renders in each protocol's shape.
public struct AWSServiceError: Error, Sendable, Equatable {
    /// The shape name, e.g. `ValidationException`.
    public var code: String
    public var message: String?
    public var status: Int
    /// For awsJson `__type`: the shape's namespace (`com.amazonaws.swf.service.v2.model`).
    public var namespace: String?
    /// Modelled extra members written beside `message` (e.g. `resourceName`).
    public var extraMembers: JSONObject

    public init(code: String, message: String?, status: Int = 400, namespace: String? = nil, extraMembers: JSONObject = JSONObject()) {
        self.code = code
        self.message = message
        self.status = status
        self.namespace = namespace
        self.extraMembers = extraMembers
    }
}

/// awsJson1_0 (Step Functions): `POST /`, `X-Amz-Target`, JSON bodies, errors as `__type`.
public enum AWSJSON10 {
    public static let contentType = "application/x-amz-json-1.0"

    public static func success(_ body: JSONValue?, requestId: String) -> AWSResponse {
        AWSResponse(
            status: 200,
            headers: [("x-amzn-RequestId", requestId), ("Content-Type", contentType)],
            body: body.map { $0.jsonBytes } ?? Array("{}".utf8))
    }

    /// botocore reads only the body's `__type` for this protocol (wire.md §1.2), so it is
    /// always written, with the shape's namespace as the real service sends it.
    public static func error(_ error: AWSServiceError, requestId: String) -> AWSResponse {
        var body = JSONObject()
        body["__type"] = .string(error.namespace.map { "\($0)#\(error.code)" } ?? error.code)
        if let message = error.message { body["message"] = .string(message) }
        for (key, value) in error.extraMembers { body[key] = value }
        return AWSResponse(
            status: error.status,
            headers: [("x-amzn-RequestId", requestId), ("Content-Type", contentType)],
            body: JSONValue.object(body).jsonBytes)
    }
}

/// restJson1 (Bedrock): errors carry `X-Amzn-ErrorType` (which botocore reads first) and a
/// `{"message": …}` body.
public enum RestJSON1 {
    public static let contentType = "application/json"

    public static func success(_ body: JSONValue, requestId: String, status: Int = 200, extraHeaders: [(name: String, value: String)] = []) -> AWSResponse {
        success(bytes: body.jsonBytes, requestId: requestId, status: status, extraHeaders: extraHeaders)
    }

    /// A body already rendered (cached or streamed through unchanged).
    public static func success(bytes: [UInt8], requestId: String, status: Int = 200, extraHeaders: [(name: String, value: String)] = []) -> AWSResponse {
        AWSResponse(status: status, headers: [("x-amzn-RequestId", requestId), ("Content-Type", contentType)] + extraHeaders, body: bytes)
    }

    /// - Parameter errorTypeSuffix: what the real service appends after the code, e.g.
    ///   `:http://internal.amazon.com/coral/com.amazon.bedrock/`; clients cut at `:`.
    public static func error(_ error: AWSServiceError, requestId: String, errorTypeSuffix: String = "") -> AWSResponse {
        var body = JSONObject()
        if let message = error.message { body["message"] = .string(message) }
        for (key, value) in error.extraMembers { body[key] = value }
        return AWSResponse(
            status: error.status,
            headers: [
                ("x-amzn-RequestId", requestId), ("x-amzn-ErrorType", error.code + errorTypeSuffix),
                ("Content-Type", contentType),
            ],
            body: JSONValue.object(body).jsonBytes)
    }
}

/// S3's XML errors.
public enum RestXML {
    public static func error(_ error: AWSServiceError, requestId: String, resource: String? = nil) -> AWSResponse {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(escape(error.code))</Code>"
        if let message = error.message { xml += "<Message>\(escape(message))</Message>" }
        for (key, value) in error.extraMembers {
            xml += "<\(key)>\(escape(value.stringValue ?? value.jsonString))</\(key)>"
        }
        if let resource { xml += "<Resource>\(escape(resource))</Resource>" }
        xml += "<RequestId>\(requestId)</RequestId></Error>"
        return AWSResponse(
            status: error.status,
            headers: [("x-amz-request-id", requestId), ("Content-Type", "application/xml")],
            body: Array(xml.utf8))
    }

    /// Escapes XML's five special characters. By scalar, not by `Character`: a combining mark
    /// after `&` or `<` makes one Character of the two, which compares unequal to `&` and would
    /// let the bare `&` or `<` through (an object key `&\u{301}` made ListObjects unreadable).
    ///
    /// A carriage return is written `&#13;`, as S3 writes it: raw, every XML parser reads it as
    /// a line feed (XML 1.0 §2.11), and a key `a\rb` would list as `a\nb`. The characters XML
    /// 1.0 cannot carry at all, even as references (C0 controls other than tab, LF and CR;
    /// U+FFFE and U+FFFF), become U+FFFD, so the document stays readable; the exact key is
    /// what `encoding-type=url` is for, and boto3 asks for it on every listing.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "\u{0}"..<" ", "\u{FFFE}", "\u{FFFF}": out.unicodeScalars.append("\u{FFFD}")
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
