import AWSWire
import JSONCore
import ServiceKit
import StatesEngine
import StepFunctionsService

/// `/_understudy/mock-config`: Step Functions Local's mock configuration in force. GET shows
/// it (where it came from, the file as read, and why a later edit was refused, if one was);
/// PUT or POST puts a configuration in force instead of the file, refused whole with where it
/// is broken; DELETE removes every mock. A reset goes back to the file the server started with.
extension AdminAPI {
    static let mockConfigRoute = "mock-config"

    func handleMockConfig(_ request: ServiceRequest) -> AdminAnswer {
        switch request.method {
        case "GET":
            return answer("GetMockConfig", mockConfigView(), request)
        case "PUT", "POST":
            guard let document = try? JSONParser.parse(request.body) else {
                return failure("SetMockConfig", AWSServiceError(code: "ValidationException", message: "the body must be a mock configuration file's JSON", status: 400), request)
            }
            do {
                try mockConfig.set(document)
            } catch {
                return failure("SetMockConfig", AWSServiceError(code: "ValidationException", message: "the mock configuration was refused: \(error)", status: 400), request)
            }
            return answer("SetMockConfig", mockConfigView(), request)
        case "DELETE":
            mockConfig.clear()
            return answer("DeleteMockConfig", mockConfigView(), request)
        default:
            let error = AWSServiceError(code: "MethodNotAllowed", message: "\(request.method) is not allowed on /_understudy/mock-config", status: 405)
            return failure("Unknown", error, request)
        }
    }

    private func mockConfigView() -> JSONValue {
        let loaded = mockConfig.current()
        var view = JSONObject()
        view["source"] = loaded.path.map(JSONValue.string) ?? (loaded.config == nil ? .null : "admin")
        var machines = JSONObject()
        for (machine, cases) in (loaded.config?.stateMachines ?? [:]).sorted(by: { $0.key < $1.key }) {
            machines[machine] = .array(cases.keys.sorted().map(JSONValue.string))
        }
        view["testCases"] = .object(machines)
        view["config"] = loaded.document ?? .null
        if let problem = loaded.problem { view["problem"] = .string(problem) }
        return .object(view)
    }

    private func answer(_ operation: String, _ body: JSONValue, _ request: ServiceRequest) -> AdminAnswer {
        AdminAnswer(operation: operation, response: RestJSON1.success(body, requestId: request.requestId))
    }
}
