import AWSWire
import JSONCore
import StatesEngine

/// Turns an S3 object into Distributed Map items as ItemReader's ReaderConfig says: a JSON
/// array, JSON Lines, or CSV (header from the first row or given, comma, pipe, semicolon,
/// space or tab delimited, RFC 4180 quoting). CSV values stay strings, as in AWS.
enum S3ItemReader {
    static func items(from body: [UInt8], config: JSONValue?) throws(StatesError) -> [JSONValue] {
        let type = config?["InputType"]?.stringValue ?? "JSON"
        switch type {
        case "JSON":
            guard let parsed = try? JSONParser.parse(body), case .array(let items) = parsed else {
                throw StatesError("States.ItemReaderFailed", "Attempting to map over non-iterable node.")
            }
            return items
        case "JSONL":
            var items: [JSONValue] = []
            for (number, line) in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).enumerated() {
                let trimmed = line.last == 0x0D ? line.dropLast() : line
                if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                guard let value = try? JSONParser.parse(Array(trimmed)) else {
                    throw StatesError("States.ItemReaderFailed", "Failed to parse JSONL line \(number + 1) as JSON.")
                }
                items.append(value)
            }
            return items
        case "CSV":
            let delimiter: UInt8
            switch config?["CSVDelimiter"]?.stringValue ?? "COMMA" {
            case "PIPE": delimiter = UInt8(ascii: "|")
            case "SEMICOLON": delimiter = UInt8(ascii: ";")
            case "SPACE": delimiter = UInt8(ascii: " ")
            case "TAB": delimiter = 0x09
            default: delimiter = UInt8(ascii: ",")
            }
            var rows = try csvRows(body, delimiter: delimiter)
            let headers: [String]
            if config?["CSVHeaderLocation"]?.stringValue == "GIVEN" {
                headers = (config?["CSVHeaders"]?.arrayValue ?? []).compactMap(\.stringValue)
            } else {
                guard !rows.isEmpty else { return [] }
                headers = rows.removeFirst()
            }
            return rows.map { row in
                var item = JSONObject(minimumCapacity: headers.count)
                for (i, header) in headers.enumerated() { item[header] = .string(i < row.count ? row[i] : "") }
                return .object(item)
            }
        default:
            throw StatesError("States.ItemReaderFailed", "Understudy does not read ItemReader InputType \(type) yet.")
        }
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
        if quoted { throw StatesError("States.ItemReaderFailed", "The CSV file has an unterminated quoted field.") }
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
