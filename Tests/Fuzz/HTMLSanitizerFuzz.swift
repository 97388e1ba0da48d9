// HTMLSanitizerFuzz: libFuzzer entry point for HTMLTokenizer and HTMLSanitizer. Built by
// run-parser-fuzzer.sh with -sanitize=fuzzer,address; a crash, a sanitizer report or a
// failed precondition (output not allow-listed, not well-formed, not a fixpoint) fails
// the run.

import MadoguchiMail

@_cdecl("LLVMFuzzerTestOneInput")
public func htmlSanitizerFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let html = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let sanitizer = HTMLSanitizer()
    guard case .sanitized(let once) = sanitizer.sanitize(html) else { return 0 }
    guard case .sanitized(let twice) = sanitizer.sanitize(once.html) else {
        preconditionFailure("second pass over budget")
    }
    precondition(twice.html == once.html, "not a fixpoint")
    var open: [String] = []
    var tokenizer = HTMLTokenizer(once.html)
    while let token = tokenizer.next() {
        switch token {
        case .startTag(let name, let attributes, _):
            precondition(HTMLSanitizer.allowedElements.contains(name), "element \(name) in output")
            for attribute in attributes {
                precondition(HTMLSanitizer.allowedAttributes.contains(attribute.name), "attribute \(attribute.name)")
            }
            if !["br", "hr", "img", "col"].contains(name) { open.append(name) }
        case .endTag(let name):
            precondition(open.popLast() == name, "end tag \(name) out of order")
        case .comment:
            preconditionFailure("comment in output")
        case .text:
            break
        }
    }
    precondition(open.isEmpty && !tokenizer.endedInsideMarkup, "output not closed")
    return 0
}
