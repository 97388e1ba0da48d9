// WebRequest: what a handler gets — the HTTP request, the id its path carried, the
// session (when logged in), the page language, a database connection of its own for
// the request, and one clock value.

import MadoguchiHTTP
import MadoguchiInbox

/// One request as a handler sees it.
struct WebRequest {
    /// The HTTP request.
    var http: HTTPRequest
    /// The id in the path (`/inquiries/12` gives 12), 0 for exact routes.
    var id: Int64
    /// The logged-in session, nil on anonymous routes.
    var session: SessionInfo?
    /// The page language.
    var language: Language
    /// The request's database connection.
    var instance: InstanceDatabase
    /// Unix time of the request.
    var now: Int64
    /// A POST's form fields, parsed once by the router (for its CSRF check).
    var form: [HTTPRequest.QueryItem] = []
    /// A `multipart/form-data` POST's parts (files included), else empty.
    var parts: [MultipartFormPart] = []

    /// The form field `name`, or "" when the form has none.
    func field(_ name: String) -> String { form.first { $0.name == name }?.value ?? "" }

    /// The source address as the audit log records it.
    var peer: String { http.peer.description }

    /// The operator as the answering domain sees them (role, session for the reply lock).
    var answeringActor: AnsweringActor {
        guard let session else {
            return AnsweringActor(userID: 0, displayName: "", role: .operator, audit: actor)
        }
        return AnsweringActor(session: session, sourceIP: peer)
    }

    /// The audit actor of this request (its session's operator).
    var actor: AccessActor {
        session.map { AccessActor(session: $0, sourceIP: peer) } ?? AccessActor(actor: "web:anonymous", sourceIP: peer)
    }
}
