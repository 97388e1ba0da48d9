// HTTPConnection: the request loop of one connection on its connection thread: read
// blocks into the parser's buffer, answer, repeat while keep-alive allows. Deadlines
// per phase go to the ConnectionTable: header (from the first byte of a request),
// body, write, idle between requests, all capped by the connection's absolute
// deadline. A refused request is answered, the write side shut and the rest of
// the client's bytes drained for a moment, so the client reads the status before
// the close (RFC 9112 section 9.6) instead of a reset.

import Glibc
import MadoguchiCore
import MadoguchiCrypto

/// One connection's request loop.
final class HTTPConnection {
    private let stream: any ByteStream
    private let fd: Int32
    private let slot: Int
    private let table: ConnectionTable
    private let parser: HTTPRequestParser
    private var writer = HTTPResponseWriter()
    private let connectionDeadline: Double
    private unowned let server: HTTPServer
    private static let continueLine = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    init(
        stream: any ByteStream, fd: Int32, slot: Int, table: ConnectionTable, peer: IPAddress,
        connectionDeadline: Double, server: HTTPServer
    ) {
        self.stream = stream
        self.fd = fd
        self.slot = slot
        self.table = table
        self.connectionDeadline = connectionDeadline
        self.server = server
        parser = HTTPRequestParser(limits: server.configuration.limits, peer: peer)
    }

    private func deadline(_ seconds: Double) {
        table.setDeadline(slot, min(connectionDeadline, Monotonic.now() + seconds))
    }

    /// Serves requests until the connection should close. Never throws: every
    /// failure ends the connection, which the caller closes.
    func run() {
        let configuration = server.configuration
        var served = 0
        while true {
            deadline(served == 0 ? configuration.headerTimeout : configuration.idleTimeout)
            var started = parser.hasBufferedBytes
            var readingBody = false
            var result = parser.next()
            while result == .needMore {
                if parser.isReadingBody && !readingBody {
                    readingBody = true
                    deadline(configuration.bodyTimeout)
                }
                if parser.wantsContinue {
                    parser.acknowledgeContinue()
                    do {
                        try stream.write(HTTPConnection.continueLine)
                    } catch {
                        return
                    }
                }
                let count: Int
                do {
                    count = try parser.fill { try stream.read(into: $0) }
                } catch {
                    return
                }
                // read() == 0 is the end of the stream, whatever errno says.
                if count == 0 { return }
                if !started {
                    started = true
                    if served > 0 { deadline(configuration.headerTimeout) }
                }
                result = parser.next()
            }
            switch result {
            case .needMore:
                return
            case .error(let error):
                server.logger?.info("request from \(parser.peer) refused: \(error)")
                deadline(configuration.ioTimeout)
                _ = send(server.respond(to: error), for: nil, head: false, close: true)
                lingeringClose()
                return
            case .request(let request):
                served += 1
                table.setDeadline(slot, .infinity)
                let response = server.respond(to: request)
                let close =
                    !request.keepAlive || served >= configuration.maxRequestsPerConnection
                    || Monotonic.now() >= connectionDeadline || server.isStopping
                deadline(configuration.bodyTimeout)
                guard send(response, for: request, head: request.method == .head, close: close) else { return }
            }
        }
    }

    /// Serializes and writes one response.
    /// - Returns: true when the connection may serve another request: the write
    ///   succeeded and neither `close` nor a refused response asked to close.
    private func send(_ response: HTTPResponse, for request: HTTPRequest?, head: Bool, close: Bool) -> Bool {
        var response = response
        var closing = close
        var complete: Bool
        do {
            complete = try writer.serialize(response, head: head, close: close)
        } catch {
            server.logger?.error("response to \(parser.peer) \(request?.path ?? "") refused: \(error)")
            // A handler or the response filter built a response that could split; the
            // filtered 500 is sent instead, or a bare one if the filter is the culprit.
            closing = true
            response = server.internalError(for: request)
            do {
                complete = try writer.serialize(response, head: head, close: true)
            } catch {
                response = HTTPResponse.text("500 Internal Server Error\n", status: .internalServerError)
                do {
                    complete = try writer.serialize(response, head: head, close: true)
                } catch {
                    preconditionFailure("the constant 500 response is refused: \(error)")
                }
            }
        }
        do {
            try writer.buffer.withUnsafeBytes { try stream.write($0) }
            if !complete { try response.body.withUnsafeBytes { try stream.write($0) } }
            return !closing
        } catch {
            return false
        }
    }

    /// Shuts the write side and discards what the client still sends, for at most
    /// one second and 256 KiB, so the answer is read before the connection resets.
    private func lingeringClose() {
        (stream as? TLSConnection)?.sendCloseNotify()
        shutdown(fd, Int32(SHUT_WR))
        let until = Monotonic.now() + 1
        var discarded = 0
        var scratch = [UInt8](repeating: 0, count: 16 * 1024)
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while discarded < 256 * 1024 {
            let left = until - Monotonic.now()
            if left <= 0 { return }
            let ready = poll(&pfd, 1, Int32(left * 1000) + 1)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { return }
            let count = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if count <= 0 { return }
            discarded += count
        }
    }
}
