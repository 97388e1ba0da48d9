// IMAPBodySink: where IMAPResponseReader streams a message literal, chunk by chunk,
// so a body is never held whole in memory (madoguchi-security(7) B1).

/// Receives a message body in chunks.
typealias IMAPBodySink = (UnsafeRawBufferPointer) throws -> Void
