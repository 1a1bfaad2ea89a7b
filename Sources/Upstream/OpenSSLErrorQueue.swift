import COpenSSL

/// OpenSSL's error queue, which is per thread: a TLS session is only ever driven on its
/// channel's event loop, so it clears the queue before each call that can fail and reads it
/// right after, on the same thread, and never sees another connection's errors.
enum OpenSSLErrorQueue {
    /// Forgets whatever an earlier call on this thread left behind.
    static func clear() { ERR_clear_error() }

    /// The queued errors as OpenSSL words them ("error:0A00010B:SSL routines::wrong version
    /// number"), oldest first, joined with "; "; the queue is empty afterwards.
    static func drain() -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? "no detail from OpenSSL" : messages.joined(separator: "; ")
    }
}
