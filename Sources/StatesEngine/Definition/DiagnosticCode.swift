/// The codes of ValidateStateMachineDefinition's diagnostics (and of InvalidDefinition's
/// message), each spelled once.
/// https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html
public enum DiagnosticCode: String, Sendable, CaseIterable {
    case schemaValidationFailed = "SCHEMA_VALIDATION_FAILED"
    case invalidJSONDescription = "INVALID_JSON_DESCRIPTION"
    case missingTransitionTarget = "MISSING_TRANSITION_TARGET"
    case missingEndState = "MISSING_END_STATE"
    case duplicateStateName = "DUPLICATE_STATE_NAME"
    case invalidJSONataExpression = "INVALID_JSONATA_EXPRESSION"
    case unsupportedJSONataExpression = "UNSUPPORTED_JSONATA_EXPRESSION"
    case reservedVariableName = "RESERVED_VARIABLE_NAME"
    case invalidVariableName = "INVALID_VARIABLE_NAME"
}
