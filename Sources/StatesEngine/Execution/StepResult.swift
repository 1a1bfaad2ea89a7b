import JSONCore

/// What one state did: its output, the state to go to (nil when the machine ends here) and
/// the variables it assigned.
struct StepResult {
    var output: JSONValue
    var next: String?
    var assigned: JSONObject? = nil
}
