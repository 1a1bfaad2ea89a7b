import JSONCore

/// A Pass state: its input, or `Result`, or its Parameters, placed at ResultPath.
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html
struct PassState: Sendable {
    let result: JSONValue?
    let parameters: JSONValue?
    let resultPath: ResultPath

    init(_ o: JSONObject) {
        result = o["Result"]
        parameters = o["Parameters"]
        resultPath = ResultPath(o["ResultPath"])
    }
}
