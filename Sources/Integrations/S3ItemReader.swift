import AWSWire
import JSONCore
import ServiceKit
import StatesEngine

/// Turns an S3 object into Distributed Map items as ItemReader's ReaderConfig says: a JSON
/// array (or the array an `ItemsPointer` selects), JSON Lines, or CSV (header from the first
/// row or given, comma, pipe, semicolon, space or tab delimited, RFC 4180 quoting), after
/// undoing GZIP. CSV values stay strings, as in AWS. Manifests (S3 inventory, Athena) name
/// the objects to read; their callers fetch those.
enum S3ItemReader {
    static func items(from body: [UInt8], key: String, config: JSONValue?) throws(StatesError) -> [JSONValue] {
        let body = try decompressed(body, key: key)
        let type = config?["InputType"]?.stringValue ?? "JSON"
        switch type {
        case "JSON":
            guard var parsed = try? JSONParser.parse(body) else {
                throw StatesError(.itemReaderFailed, "Attempting to map over non-iterable node.")
            }
            if let pointer = config?["ItemsPointer"]?.stringValue {
                guard let selected = resolve(pointer: pointer, in: parsed) else {
                    throw StatesError(.itemReaderFailed, "The ItemsPointer '\(pointer)' does not select a node in the JSON object \(key).")
                }
                parsed = selected
            }
            guard case .array(let items) = parsed else {
                throw StatesError(.itemReaderFailed, "Attempting to map over non-iterable node.")
            }
            return items
        case "JSONL":
            var items: [JSONValue] = []
            for (number, line) in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).enumerated() {
                let trimmed = line.last == 0x0D ? line.dropLast() : line
                if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                guard let value = try? JSONParser.parse(Array(trimmed)) else {
                    throw StatesError(.itemReaderFailed, "Failed to parse JSONL line \(number + 1) as JSON.")
                }
                items.append(value)
            }
            return items
        case "CSV":
            var rows = try csvRows(body, delimiter: delimiter(config))
            let headers: [String]
            if config?["CSVHeaderLocation"]?.stringValue == "GIVEN" {
                headers = (config?["CSVHeaders"]?.arrayValue ?? []).compactMap(\.stringValue)
            } else {
                guard !rows.isEmpty else { return [] }
                headers = rows.removeFirst()
            }
            return records(rows, headers: headers)
        default:
            throw StatesError(.itemReaderFailed, "Understudy does not read ItemReader InputType \(type) yet.")
        }
    }

    /// Rows as objects keyed by `headers`: a short row gets empty strings, a long one loses
    /// its extra fields.
    static func records(_ rows: [[String]], headers: [String]) -> [JSONValue] {
        rows.map { row in
            var item = JSONObject(minimumCapacity: headers.count)
            for (i, header) in headers.enumerated() { item[header] = .string(i < row.count ? row[i] : "") }
            return .object(item)
        }
    }

    static func delimiter(_ config: JSONValue?) -> UInt8 {
        switch config?["CSVDelimiter"]?.stringValue ?? "COMMA" {
        case "PIPE": return UInt8(ascii: "|")
        case "SEMICOLON": return UInt8(ascii: ";")
        case "SPACE": return UInt8(ascii: " ")
        case "TAB": return 0x09
        default: return UInt8(ascii: ",")
        }
    }

    /// The object's bytes with GZIP undone (a `.gz` name or gzip's magic number). ZSTD is
    /// named but not read: no zstd library ships with Understudy.
    static func decompressed(_ body: [UInt8], key: String) throws(StatesError) -> [UInt8] {
        let lower = key.lowercased()
        if GzipDecoder.isGzip(body) || lower.hasSuffix(".gz") || lower.hasSuffix(".gzip") {
            do { return try GzipDecoder.decompress(body) } catch {
                throw StatesError(.itemReaderFailed, "Failed to decompress the GZIP object \(key): \(error.reason).")
            }
        }
        if body.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) || lower.hasSuffix(".zst") || lower.hasSuffix(".zstd") {
            throw StatesError(.itemReaderFailed, "Understudy does not decompress ZSTD objects (\(key)); store it uncompressed or as GZIP.")
        }
        return body
    }

    /// RFC 6901: `/inventory/products/0`, with `~1` for `/` and `~0` for `~`.
    static func resolve(pointer: String, in value: JSONValue) -> JSONValue? {
        guard !pointer.isEmpty else { return value }
        guard pointer.hasPrefix("/") else { return nil }
        var node = value
        for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = String(raw).replacing("~1", with: "/").replacing("~0", with: "~")
            switch node {
            case .object(let object):
                guard let next = object[token] else { return nil }
                node = next
            case .array(let array):
                guard let index = Int(token), array.indices.contains(index) else { return nil }
                node = array[index]
            default:
                return nil
            }
        }
        return node
    }

    /// An S3 inventory's `manifest.json`: where its CSV data files are and their columns.
    struct InventoryManifest {
        var bucket: String
        var keys: [String]
        var columns: [String]

        init(_ body: [UInt8], key: String) throws(StatesError) {
            guard let manifest = try? JSONParser.parse(body), let files = manifest["files"]?.arrayValue,
                let destination = manifest["destinationBucket"]?.stringValue, let schema = manifest["fileSchema"]?.stringValue
            else {
                throw StatesError(.itemReaderFailed, "The object \(key) is not an S3 inventory manifest: it needs destinationBucket, fileSchema and files.")
            }
            let format = manifest["fileFormat"]?.stringValue ?? "CSV"
            guard format == "CSV" else {
                throw StatesError(.itemReaderFailed, "The S3 inventory report's fileFormat is \(format); Step Functions reads CSV inventory reports only.")
            }
            bucket = destination.hasPrefix("arn:") ? String(destination.split(separator: ":", omittingEmptySubsequences: false).last ?? "") : destination
            keys = files.compactMap { $0["key"]?.stringValue }
            columns = schema.split(separator: ",").map(\.trimmedSpaces)
        }
    }

    /// An Athena UNLOAD manifest: one `s3://bucket/key` data file a line.
    static func athenaDataFiles(_ body: [UInt8], key: String) throws(StatesError) -> [(bucket: String, key: String)] {
        var files: [(bucket: String, key: String)] = []
        for line in String(decoding: body, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let uri = line.trimmedSpaces
            if uri.isEmpty { continue }
            guard uri.hasPrefix("s3://"), let slash = uri.dropFirst(5).firstIndex(of: "/") else {
                throw StatesError(.itemReaderFailed, "The Athena manifest \(key) lists '\(uri)', which is not an s3:// object URI.")
            }
            files.append((String(uri[uri.index(uri.startIndex, offsetBy: 5)..<slash]), String(uri[uri.index(after: slash)...])))
        }
        return files
    }

    static func csvRows(_ body: [UInt8], delimiter: UInt8) throws(StatesError) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var i = body.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var rowHasContent = false
        while i < body.count {
            let b = body[i]
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < body.count, body[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(b)
                }
            } else if b == UInt8(ascii: "\""), field.isEmpty {
                quoted = true
                rowHasContent = true
            } else if b == delimiter {
                row.append(String(decoding: field, as: UTF8.self))
                field = []
                rowHasContent = true
            } else if b == 0x0A || b == 0x0D {
                if b == 0x0D, i + 1 < body.count, body[i + 1] == 0x0A { i += 1 }
                if rowHasContent || !field.isEmpty {
                    row.append(String(decoding: field, as: UTF8.self))
                    rows.append(row)
                }
                row = []
                field = []
                rowHasContent = false
            } else {
                field.append(b)
                rowHasContent = true
            }
            i += 1
        }
        if quoted { throw StatesError(.itemReaderFailed, "The CSV file has an unterminated quoted field.") }
        if rowHasContent || !field.isEmpty {
            row.append(String(decoding: field, as: UTF8.self))
            rows.append(row)
        }
        return rows
    }

    /// `s3:listObjectsV2` items, as Distributed Map gives them: `Etag`, `Key`,
    /// `LastModified` (epoch seconds), `Size`, `StorageClass`.
    static func listingItems(_ document: XMLElement) -> [JSONValue] {
        document.children("Contents").map { item in
            var o = JSONObject()
            o["Etag"] = .string(item.childText("ETag") ?? "")
            o["Key"] = .string(item.childText("Key") ?? "")
            o["LastModified"] = JSONValue(Int((AWSTimestamp.epochMillis(iso8601: item.childText("LastModified") ?? "") ?? 0) / 1000))
            o["Size"] = JSONValue(Int(item.childText("Size") ?? "") ?? 0)
            o["StorageClass"] = .string(item.childText("StorageClass") ?? "STANDARD")
            return .object(o)
        }
    }
}
