/// What is known about a call when faults are decided.
public struct FaultContext: Sendable {
    public var service: String
    public var operation: String
    public var model: String?
    /// The model without its ARN or geography prefix, when that differs: computed once per call
    /// so that every rule's model glob can try both.
    public var baseModel: String?
    public var account: String
    public var stateMachine: String?
    public var attempt: Int?
    public var nowMillis: Int64

    public init(service: String, operation: String, model: String?, account: String, stateMachine: String?, attempt: Int?, nowMillis: Int64) {
        self.service = service
        self.operation = operation
        self.model = model
        if let model {
            let base = Self.baseModel(model)
            if base != model { baseModel = base }
        }
        self.account = account
        self.stateMachine = stateMachine
        self.attempt = attempt
        self.nowMillis = nowMillis
    }

    /// `us.anthropic.x` or an ARN → `anthropic.x`, so model globs match profiles and ARNs too.
    static func baseModel(_ id: String) -> String {
        var model = Substring(id)
        if let slash = model.lastIndex(of: "/") { model = model[model.index(after: slash)...] }
        for geo in ["us.", "eu.", "apac.", "global.", "us-gov.", "jp.", "au.", "ca."] where model.hasPrefix(geo) {
            model = model.dropFirst(geo.count)
            break
        }
        return String(model)
    }
}
