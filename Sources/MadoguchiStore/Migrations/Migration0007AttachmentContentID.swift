// Migration0007AttachmentContentID: each attachment's Content-ID (RFC 2392), sealed
// like its file name, so the HTML part's `cid:` images can be shown from the message
// itself (never from outside).

/// Migration 7: `attachments.content_id_enc`.
enum Migration0007AttachmentContentID {
    static let migration = Migration(number: 7, name: "attachment_content_id", sql: sql)

    private static let sql = """
        ALTER TABLE attachments ADD COLUMN content_id_enc BLOB;
        """
}
