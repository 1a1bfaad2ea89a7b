import BedrockEngine
import JSONCore
import XCTest

final class ModelCatalogTests: XCTestCase {
    func testBundledCatalogCoversTheSeedsAndFamilies() throws {
        let catalog = try ModelCatalog.bundled()
        for id in [
            "anthropic.claude-instant-v1", "anthropic.claude-v2", "anthropic.claude-v2:1",
            "anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-5-haiku-20241022-v1:0",
            "anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-haiku-4-5-20251001-v1:0",
            "amazon.titan-embed-text-v2:0", "amazon.nova-pro-v1:0", "meta.llama3-3-70b-instruct-v1:0",
            "mistral.mistral-large-2407-v1:0", "cohere.command-r-plus-v1:0", "cohere.embed-english-v3",
            "ai21.jamba-1-5-large-v1:0",
        ] {
            XCTAssertNotNil(catalog.model(id: id), id)
        }
        XCTAssertEqual(catalog.foundationModel(identifier: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1")?.modelId, "anthropic.claude-v2:1")
        XCTAssertNil(catalog.foundationModel(identifier: "anthropic.claude-nonexistent"))
        XCTAssertTrue(catalog.models.allSatisfy { $0.family != nil }, "every model names its codec")
    }

    func testWireShapeOrder() throws {
        let model = try ModelCatalog.bundled().model(id: "anthropic.claude-3-haiku-20240307-v1:0")!
        XCTAssertEqual(
            model.wireShape(region: "us-east-1").jsonString,
            #"{"modelArn":"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0","modelId":"anthropic.claude-3-haiku-20240307-v1:0","modelName":"Claude 3 Haiku","providerName":"Anthropic","inputModalities":["TEXT","IMAGE"],"outputModalities":["TEXT"],"responseStreamingSupported":true,"customizationsSupported":[],"inferenceTypesSupported":["ON_DEMAND"],"modelLifecycle":{"status":"ACTIVE"}}"#)
    }

    func testFilters() throws {
        let catalog = try ModelCatalog.bundled()
        let anthropic = catalog.foundationModels(matching: .init(provider: "anthropic"))
        XCTAssertFalse(anthropic.isEmpty)
        XCTAssertTrue(anthropic.allSatisfy { $0.providerName == "Anthropic" })
        let embeddings = catalog.foundationModels(matching: .init(outputModality: "EMBEDDING"))
        XCTAssertTrue(embeddings.contains { $0.modelId == "amazon.titan-embed-text-v2:0" })
        XCTAssertTrue(embeddings.allSatisfy { $0.outputModalities == ["EMBEDDING"] })
        let provisioned = catalog.foundationModels(matching: .init(inferenceType: "PROVISIONED"))
        XCTAssertTrue(provisioned.allSatisfy { $0.inferenceTypesSupported.contains("PROVISIONED") })
        XCTAssertTrue(catalog.foundationModels(matching: .init(customizationType: "FINE_TUNING")).contains { $0.modelId == "amazon.titan-text-express-v1" })
    }

    func testProfilesByGeography() throws {
        let catalog = try ModelCatalog.bundled()
        let us = catalog.inferenceProfiles(visibleFrom: "us-east-1")
        XCTAssertTrue(us.contains { $0.id == "us.anthropic.claude-3-haiku-20240307-v1:0" })
        XCTAssertTrue(us.contains { $0.id == "global.anthropic.claude-sonnet-4-5-20250929-v1:0" })
        XCTAssertFalse(us.contains { $0.id.hasPrefix("eu.") })
        let eu = catalog.inferenceProfiles(visibleFrom: "eu-west-1")
        XCTAssertTrue(eu.allSatisfy { $0.id.hasPrefix("eu.") || $0.id.hasPrefix("global.") })
        let profile = catalog.inferenceProfile(identifier: "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0", region: "us-east-1")!
        XCTAssertEqual(profile.name, "US Anthropic Claude Sonnet 4.5")
        let shape = profile.wireShape(region: "us-east-1", account: "123456789012")
        XCTAssertEqual(shape["inferenceProfileArn"]?.stringValue, "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0")
        XCTAssertEqual(shape["models"]?.arrayValue?.count, 3)
        XCTAssertNil(catalog.inferenceProfile(identifier: "eu.anthropic.claude-3-haiku-20240307-v1:0", region: "us-east-1"))
    }

    func testAdditionsReplaceAndExtend() throws {
        let custom = try FoundationModel(json: ["modelId": "acme.widget-v1", "providerName": "Acme", "family": "anthropic-messages"])
        let catalog = try ModelCatalog.bundled(additions: [custom])
        XCTAssertEqual(catalog.model(id: "acme.widget-v1")?.providerName, "Acme")
        XCTAssertThrowsError(try FoundationModel(json: ["modelName": "no id"]))
    }
}
