import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads and writes the files of a cassette. A write goes to a temporary file beside the
/// target and is renamed over it, so a reader (a replaying server, `recordings list`, a crash)
/// sees the old file or the new one, never half of one.
enum CassetteFile {
    static func read(_ path: String) throws(CassetteFormatError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CassetteFormatError("cannot be read", file: path)
        }
        return [UInt8](data)
    }

    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(CassetteFormatError) {
        let temporary = "\(path).tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CassetteFormatError("cannot create \(temporary): \(reason())", file: path) }
        var written = 0
        let failure: String? = bytes.withUnsafeBytes { buffer -> String? in
            while written < buffer.count {
                let n = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return reason()
                }
                written += n
            }
            return nil
        }
        // fsync before the rename, so after a crash the name never points at missing data.
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard failure == nil, synced, rename(temporary, path) == 0 else {
            let why = failure ?? reason()
            unlink(temporary)
            throw CassetteFormatError("cannot write: \(why)", file: path)
        }
    }

    static func createDirectory(_ path: String) throws(CassetteFormatError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw CassetteFormatError("cannot create the directory: \(error.localizedDescription)", file: path)
        }
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// The regular files directly in `directory`, sorted by name.
    static func files(in directory: String) throws(CassetteFormatError) -> [String] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw CassetteFormatError("cannot list the directory: \(error.localizedDescription)", file: directory)
        }
        return names.sorted().filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}
