// WebApp+Templates: the reply templates' page for users with `manage_templates`:
// list, create, change and delete, each audited by the domain.

import MadoguchiHTTP
import MadoguchiInbox

extension WebApp {
    /// The template routes.
    static let templateRoutes: [Route] = [
        Route(method: .get, pattern: .exact("/templates"), access: .permission(.manageTemplates)) {
            try $0.templates($1)
        },
        Route(method: .post, pattern: .exact("/templates"), access: .permission(.manageTemplates)) {
            try $0.createTemplate($1)
        },
        Route(method: .post, pattern: .id(prefix: "/templates/", suffix: ""), access: .permission(.manageTemplates)) {
            try $0.changeTemplate($1)
        },
    ]

    func templates(_ request: WebRequest) throws -> HTTPResponse {
        let actor = request.answeringActor
        let (list, mailboxes) = try request.instance.database.read { tx in
            (
                try ReplyTemplates.list(mailbox: nil, by: actor, in: tx),
                try tx.rows("SELECT id, name FROM mailboxes WHERE enabled = 1 ORDER BY name").compactMap { row in
                    row.int64("id").map { Choice(id: $0, name: row.string("name") ?? "") }
                }
            )
        }
        return page(
            TemplatesPage(
                context: try context(request), templates: list, mailboxes: mailboxes,
                notice: Notice.from(request)?.word.text(request.language)
            ).html)
    }

    func createTemplate(_ request: WebRequest) throws -> HTTPResponse {
        let field = request.field
        let notice = try attempt(
            { tx in
                try ReplyTemplates.create(
                    name: field("name"), mailbox: Int64(field("mailbox")), subject: field("subject"),
                    body: field("body"), by: request.answeringActor, now: request.now, in: tx)
            }, in: request)
        return HTTPResponse.redirect(to: URLQuery.link("/templates", [("n", (notice ?? .saved).rawValue)]))
    }

    func changeTemplate(_ request: WebRequest) throws -> HTTPResponse {
        let field = request.field
        let notice = try attempt(
            { tx in
                if field("action") == "delete" {
                    try ReplyTemplates.delete(request.id, by: request.answeringActor, now: request.now, in: tx)
                } else {
                    try ReplyTemplates.update(
                        request.id, name: field("name"), subject: field("subject"), body: field("body"),
                        by: request.answeringActor, now: request.now, in: tx)
                }
            }, in: request)
        return HTTPResponse.redirect(to: URLQuery.link("/templates", [("n", (notice ?? .saved).rawValue)]))
    }
}
