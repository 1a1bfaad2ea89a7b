/// A recording session read from its directory: the index and every interaction, in call order.
public struct Cassette: Sendable {
    public var directory: String
    public var index: CassetteIndex
    public var interactions: [RecordedInteraction]

    public init(directory: String, index: CassetteIndex = CassetteIndex(), interactions: [RecordedInteraction] = []) {
        self.directory = directory
        self.index = index
        self.interactions = interactions
    }

    /// Reads `directory/index.json` and the files it lists. A missing index is an empty
    /// cassette when `allowMissing` (recording into a new directory), an error otherwise.
    public static func load(from directory: String, allowMissing: Bool = false) throws(CassetteFormatError) -> Cassette {
        let indexPath = directory + "/" + CassetteIndex.fileName
        guard CassetteFile.exists(indexPath) else {
            if allowMissing { return Cassette(directory: directory) }
            throw CassetteFormatError("no \(CassetteIndex.fileName): not a cassette directory", file: directory)
        }
        let index = try CassetteIndex(fileBytes: CassetteFile.read(indexPath))
        var interactions: [RecordedInteraction] = []
        interactions.reserveCapacity(index.entries.count)
        for entry in index.entries {
            interactions.append(try readInteraction(entry.file, in: directory))
        }
        return Cassette(directory: directory, index: index, interactions: interactions)
    }

    /// Reads `directory/index.json` alone (the CLI reads the files one by one, to report each).
    public static func indexOnly(in directory: String) throws(CassetteFormatError) -> CassetteIndex {
        let indexPath = directory + "/" + CassetteIndex.fileName
        guard CassetteFile.exists(indexPath) else {
            throw CassetteFormatError("no \(CassetteIndex.fileName): not a cassette directory", file: directory)
        }
        return try CassetteIndex(fileBytes: CassetteFile.read(indexPath))
    }

    /// Reads one interaction file of `directory`; errors name the file.
    public static func readInteraction(_ file: String, in directory: String) throws(CassetteFormatError) -> RecordedInteraction {
        let path = directory + "/" + file
        guard CassetteFile.exists(path) else {
            throw CassetteFormatError("is listed in \(CassetteIndex.fileName) but missing", file: file)
        }
        do throws(CassetteFormatError) {
            return try RecordedInteraction(fileBytes: CassetteFile.read(path))
        } catch {
            throw error.inFile(file)
        }
    }
}
