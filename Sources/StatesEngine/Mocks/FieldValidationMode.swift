/// How strictly a mocked Task result is held against its API's output shape, as TestState's
/// `mock.fieldValidationMode` defines it: `STRICT`, every required field present and every
/// present field conforming; `PRESENT`, present fields conforming; `NONE`, no check.
/// https://docs.aws.amazon.com/step-functions/latest/apireference/API_MockInput.html
///
/// TestState defaults to `STRICT`. A mock configuration file defaults to `NONE`: Step
/// Functions Local never checked its `Return`s, so files written for it keep working.
public enum FieldValidationMode: String, Sendable, CaseIterable {
    case strict = "STRICT"
    case present = "PRESENT"
    case none = "NONE"

    /// The values in the order AWS's enum constraint message lists them.
    public static let spelled = "[STRICT, PRESENT, NONE]"
}
