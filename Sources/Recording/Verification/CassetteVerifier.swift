/// Checks a cassette directory before it is committed: the index and every interaction parse,
/// every file the index lists is there, and no file holds anything credential-like. Every file
/// in the directory is scanned, not just the cassette's, since a stray note can leak as well.
public struct CassetteVerifier: Sendable {
    public var scanner: SecretScanner

    public init(scanner: SecretScanner = SecretScanner()) { self.scanner = scanner }

    public func verify(directory: String) -> CassetteVerification {
        var result = CassetteVerification(filesScanned: 0, interactions: 0, problems: [], warnings: [])
        let names: [String]
        do throws(CassetteFormatError) { names = try CassetteFile.files(in: directory) } catch {
            result.problems.append(VerificationFinding(file: directory, message: error.message))
            return result
        }
        var listed = Set<String>()
        if names.contains(CassetteIndex.fileName) {
            do throws(CassetteFormatError) {
                let index = try CassetteIndex(fileBytes: CassetteFile.read(directory + "/" + CassetteIndex.fileName))
                for entry in index.entries {
                    listed.insert(entry.file)
                    do throws(CassetteFormatError) {
                        _ = try Cassette.readInteraction(entry.file, in: directory)
                        result.interactions += 1
                    } catch {
                        result.problems.append(VerificationFinding(file: entry.file, line: error.line, message: error.message))
                    }
                }
            } catch {
                result.problems.append(VerificationFinding(file: CassetteIndex.fileName, line: error.line, message: error.message))
            }
        } else {
            result.problems.append(VerificationFinding(file: directory, message: "no \(CassetteIndex.fileName): not a cassette directory"))
        }
        for name in names {
            if name.hasSuffix(".json"), name != CassetteIndex.fileName, !listed.contains(name) {
                result.warnings.append(VerificationFinding(file: name, message: "not listed in \(CassetteIndex.fileName); replay ignores it"))
            }
            guard let bytes = try? CassetteFile.read(directory + "/" + name) else {
                result.problems.append(VerificationFinding(file: name, message: "cannot be read"))
                continue
            }
            result.filesScanned += 1
            for finding in scanner.scan(String(decoding: bytes, as: UTF8.self)) {
                result.problems.append(
                    VerificationFinding(
                        file: name, line: finding.line, message: "\(finding.kind) at column \(finding.column) (\(finding.excerpt))"))
            }
        }
        return result
    }
}
