// ParserFuzz: libFuzzer entry point for MessageParser and inspect-mail's JSON
// writer. Built by run-parser-fuzzer.sh with -sanitize=fuzzer,address; any crash,
// overflow or sanitizer report fails the run.

import MadoguchiMail

@_cdecl("LLVMFuzzerTestOneInput")
public func parserFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let raw = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = MailLimits(
        maxMessageSize: 1 << 20, maxDepth: 32, maxParts: 1000, maxHeaderFields: 1000, maxHeaderSize: 1 << 16)
    let message = MessageParser(limits: limits).parse(raw)
    // Touch every output so lazily built values are exercised too.
    let line = message.inspectionJSON(file: "fuzz")
    precondition(line.last == 0x0A, "JSON line must end with a newline")
    _ = message.inspectionSummary(file: "fuzz")
    for field in message.headers.fields { _ = field.decodedValue }
    _ = Charset.decode(raw, label: message.headers.first("x-charset"))
    return 0
}
