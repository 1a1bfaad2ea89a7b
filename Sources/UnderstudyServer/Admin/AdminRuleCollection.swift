import AWSWire
import JSONCore
import ServiceKit

/// The routes every named-rule collection shares (`completions`, `faults`): list in match
/// order, add one rule or a list (all parsed before any is added), delete one or all.
struct AdminRuleCollection: Sendable {
    /// The route under `/_understudy/`, e.g. `faults`.
    let route: String
    /// Names operations in the journal, e.g. `FaultRule` → `AddFaultRules`.
    let noun: String
    /// In messages, e.g. `fault rule`.
    let kind: String
    let sources: @Sendable () -> [JSONValue]
    let names: @Sendable () -> [String]
    /// Parses every rule first, then adds them; throws on the first invalid one.
    let add: @Sendable ([JSONValue]) throws -> Void
    let remove: @Sendable (String) -> Bool
    let removeAll: @Sendable () -> Void

    /// The answer for `route` or `route/NAME`, or nil when the request is not one of these.
    func handle(_ request: ServiceRequest, route requested: String, api: AdminAPI) -> AdminAnswer? {
        func respond(_ operation: String, _ body: JSONValue) -> AdminAnswer {
            AdminAnswer(operation: operation, response: RestJSON1.success(body, requestId: request.requestId))
        }
        if requested == route {
            switch request.method {
            case "GET":
                return respond("List\(noun)s", ["rules": .array(sources())])
            case "POST":
                do {
                    let value = try JSONParser.parse(request.body)
                    try add(value.arrayValue ?? [value])
                    return respond("Add\(noun)s", ["rules": .array(names().map { .string($0) })])
                } catch {
                    return api.failure("Add\(noun)s", AWSServiceError(code: "ValidationException", message: "\(error)", status: 400), request)
                }
            case "DELETE":
                removeAll()
                return respond("Delete\(noun)s", ["status": "cleared"])
            default:
                return nil
            }
        }
        guard request.method == "DELETE", requested.hasPrefix(route + "/") else { return nil }
        let name = URIEncoding.decode(requested.dropFirst(route.count + 1))
        guard remove(name) else {
            return api.failure("Delete\(noun)", AWSServiceError(code: "NotFound", message: "No \(kind) named '\(name)'", status: 404), request)
        }
        return respond("Delete\(noun)", ["status": "deleted", "name": .string(name)])
    }
}
