// Word: every fixed text of the page, in Japanese and English. Customer text never
// comes through here.

/// A fixed text of the page.
public enum Word: Sendable, CaseIterable {
    case productName, inbox, search, searchPlaceholder, logout, login, loginTitle, loginName, password
    case previousLogin, failedLogins, autoLogoutIn, loggedOutIdle, loginFailed, firstLogin
    case statusNew, statusInProgress, statusAwaitingApproval, statusDone, statusTrash, allStatuses
    case assignee, assigneeMe, assigneeUnassigned, assigneeAnyone, mailbox, allMailboxes
    case subject, customer, received, elapsed, nextPage, noInquiries, noSubject
    case history, attachments, remoteContentBlocked, showHTML, showText, quarantine
    case flagAutoReply, flagBounce, flagReplyToDiffers, flagInternalSender, flagThreadClaim, flagSenderOverflow
    case flagMalformed, flagList, thread, customerInquiries, download, backToInbox, yesterday
    case keyboardHelp, linkInterstitialTitle, linkInterstitialText, linkOpen, notFound, forbidden, badRequest
    case status, unread, htmlTooLarge, quarantineSignature, quarantineNote, size, sessionExpired, honorific, bytes,
        searchResults,
        searchCapped, signature, sender, to, cc, replyTo
    case reply, saveDraft, send, undoSend, approve, returnReply, internalNote, template, viewing, take, assign
    case change, addNote, discardDraft, takeOver, queuedReply, awaitingApprovalReply, returnComment, sendFailed
    case sendUnconfirmed, resend, markSent, sentReply, statusAfterSend, templates, templateName, templateBody
    case templatePlaceholders, save, delete, recipient, addAttachment, remove, approvalQueue, replyEditor
    case insertTemplate, allMailboxesTemplate, newTemplate, draftReply, continueDraft, noTemplates
    case eventAssigned, eventUnassigned, eventStatus, eventNote, eventLock, eventUnlock, eventTakeOver
    case eventQueued, eventCancelled, eventApprovalRequested, eventApproved, eventReturned, eventSent, eventRetry
    case eventFailed, eventUnconfirmed, changedMeanwhile, lockedNotice, lockedYou, nothingToApprove, returnPrompt
    case bodyEmpty, attachmentRefused, attachmentTooLarge, scannerDown, cannotApproveOwn, undoExpired
    case sendsIn, seconds, noRecipient, relayAnswer, noFromAddress, draftSaved, unencodableNotice, unencodable

    /// The text in `language`.
    public func text(_ language: Language) -> String {
        let (ja, en) = pair
        return language == .ja ? ja : en
    }

    private var pair: (String, String) {
        switch self {
        case .productName: ("窓口", "Madoguchi")
        case .inbox: ("受信箱", "Inbox")
        case .search: ("検索", "Search")
        case .searchPlaceholder: ("件名・本文を検索 (/)", "Search subjects and bodies (/)")
        case .logout: ("ログアウト", "Log out")
        case .login: ("ログイン", "Log in")
        case .loginTitle: ("ログインしてください", "Please log in")
        case .loginName: ("ログイン名", "Login name")
        case .password: ("パスワード", "Password")
        case .previousLogin: ("前回ログイン", "Previous login")
        case .failedLogins: ("ログイン失敗", "Failed logins")
        case .autoLogoutIn: ("自動ログアウトまで", "Auto-logout in")
        case .loggedOutIdle: ("無操作のためログアウトしました", "Logged out after inactivity")
        case .loginFailed: ("ログイン名またはパスワードが違います", "Wrong login name or password")
        case .firstLogin: ("初回ログイン", "First login")
        case .statusNew: ("未対応", "New")
        case .statusInProgress: ("対応中", "In progress")
        case .statusAwaitingApproval: ("承認待ち", "Awaiting approval")
        case .statusDone: ("対応済", "Done")
        case .statusTrash: ("ゴミ箱", "Trash")
        case .allStatuses: ("すべて", "All")
        case .assignee: ("担当者", "Assignee")
        case .assigneeMe: ("自分", "Me")
        case .assigneeUnassigned: ("未割当", "Unassigned")
        case .assigneeAnyone: ("全員", "Anyone")
        case .mailbox: ("受信箱", "Mailbox")
        case .allMailboxes: ("すべての受信箱", "All mailboxes")
        case .subject: ("件名", "Subject")
        case .customer: ("顧客", "Customer")
        case .received: ("受信日時", "Received")
        case .elapsed: ("経過時間", "Elapsed")
        case .nextPage: ("次の 50 件 ›", "Next 50 ›")
        case .noInquiries: ("該当する問い合わせはありません", "No inquiries")
        case .noSubject: ("(件名なし)", "(no subject)")
        case .history: ("履歴", "History")
        case .attachments: ("添付ファイル", "Attachments")
        case .remoteContentBlocked: ("外部画像をブロックしました", "Remote content blocked")
        case .showHTML: ("HTML で表示", "Show HTML")
        case .showText: ("テキストで表示", "Show text")
        case .quarantine: ("検疫", "Quarantine")
        case .flagAutoReply: ("自動応答", "Auto-reply")
        case .flagBounce: ("配送エラー通知", "Bounce")
        case .flagReplyToDiffers: ("返信先が差出人と異なります", "Reply-To differs from From")
        case .flagInternalSender: ("社内ドメインを名乗る差出人 (なりすましの可能性)", "Claims an internal domain (may be forged)")
        case .flagThreadClaim: ("別の問い合わせの続きと称しています", "Claims to continue another inquiry")
        case .flagSenderOverflow: ("大量送信のためまとめました", "Collected: sender over the hourly limit")
        case .flagMalformed: ("形式に問題のあるメール", "Malformed mail")
        case .flagList: ("メーリングリスト", "Mailing list")
        case .thread: ("スレッド", "Thread")
        case .customerInquiries: ("この顧客の他の問い合わせ", "Other inquiries of this customer")
        case .download: ("ダウンロード", "Download")
        case .backToInbox: ("‹ 受信箱へ", "‹ Inbox")
        case .yesterday: ("昨日", "Yesterday")
        case .keyboardHelp:
            (
                "j/k: 移動 ・ Enter: 開く ・ /: 検索 ・ Esc: 戻る ・ ?: ヘルプ",
                "j/k: move · Enter: open · /: search · Esc: back · ?: help"
            )
        case .linkInterstitialTitle: ("外部サイトへ移動します", "You are leaving Madoguchi")
        case .linkInterstitialText:
            ("このリンクは次の宛先を開きます。宛先を確認してください。", "This link opens the address below. Check it before you go on.")
        case .linkOpen: ("開く", "Open")
        case .notFound: ("見つかりません", "Not found")
        case .forbidden: ("この操作は許可されていません", "Not permitted")
        case .badRequest: ("リクエストが正しくありません", "Bad request")
        case .status: ("ステータス", "Status")
        case .unread: ("未読", "Unread")
        case .htmlTooLarge:
            (
                "この HTML メールは大きすぎるか複雑すぎるため表示できません。テキストで表示してください。",
                "This HTML mail is too large or too complex to show. Please use the text view."
            )
        case .quarantineSignature: ("検出名", "Signature")
        case .quarantineNote:
            ("ウイルスが検出されたメールです。内容は表示されません。", "Mail in which a virus was found. Its content is never shown.")
        case .size: ("サイズ", "Size")
        case .sessionExpired: ("セッションの有効期限が切れました。もう一度ログインしてください", "Your session has expired. Please log in again")
        case .honorific: (" 様", "")
        case .bytes: ("バイト", "bytes")
        case .searchResults: ("検索結果", "Search results")
        case .searchCapped: ("結果が多すぎるため一部のみ表示しています", "Too many matches; showing the first ones")
        case .signature: ("署名", "Signature")
        case .sender: ("差出人", "From")
        case .to: ("宛先", "To")
        case .cc: ("Cc", "Cc")
        case .replyTo: ("返信先", "Reply-To")
        case .reply: ("返信", "Reply")
        case .saveDraft: ("下書き保存", "Save draft")
        case .send: ("送信", "Send")
        case .undoSend: ("送信取消", "Undo send")
        case .approve: ("承認", "Approve")
        case .returnReply: ("差し戻し", "Return")
        case .internalNote: ("社内メモ", "Internal note")
        case .template: ("テンプレート", "Template")
        case .viewing: ("閲覧中", "Viewing")
        case .take: ("自分が担当する", "Take it")
        case .assign: ("担当者を変更", "Assign")
        case .change: ("変更", "Change")
        case .addNote: ("メモを追加", "Add note")
        case .discardDraft: ("下書きを破棄", "Discard draft")
        case .takeOver: ("返信を引き継ぐ", "Take over the reply")
        case .queuedReply: ("送信待ちの返信", "Reply waiting to be sent")
        case .awaitingApprovalReply: ("承認待ちの返信", "Reply awaiting approval")
        case .returnComment: ("差し戻しコメント", "Comment")
        case .sendFailed: ("送信できませんでした", "Sending failed")
        case .sendUnconfirmed:
            ("送信結果を確認できませんでした。相手に届いたか確認してください", "Could not confirm that this reply was sent. Check whether it arrived")
        case .resend: ("もう一度送信", "Send again")
        case .markSent: ("送信済みにする", "Mark as sent")
        case .sentReply: ("送信済み", "Sent")
        case .statusAfterSend: ("送信後のステータス", "Status after sending")
        case .templates: ("テンプレート", "Templates")
        case .templateName: ("テンプレート名", "Template name")
        case .templateBody: ("本文", "Text")
        case .templatePlaceholders:
            (
                "差し込み: {customer_name} 顧客名 ・ {inquiry_number} 問い合わせ番号 ・ {operator_name} 担当者名 ・ {mailbox_name} 受信箱名",
                "Placeholders: {customer_name} {inquiry_number} {operator_name} {mailbox_name}"
            )
        case .save: ("保存", "Save")
        case .delete: ("削除", "Delete")
        case .recipient: ("宛先", "To")
        case .addAttachment: ("ファイルを添付", "Attach a file")
        case .remove: ("削除", "Remove")
        case .approvalQueue: ("承認待ち", "Approvals")
        case .replyEditor: ("返信の作成", "Reply")
        case .insertTemplate: ("テンプレートを挿入", "Insert template")
        case .allMailboxesTemplate: ("すべての受信箱", "All mailboxes")
        case .newTemplate: ("新しいテンプレート", "New template")
        case .draftReply: ("下書き", "Draft")
        case .continueDraft: ("下書きを開く", "Open draft")
        case .noTemplates: ("テンプレートはまだありません", "No templates yet")
        case .eventAssigned: ("担当者を設定", "Assigned")
        case .eventUnassigned: ("担当者を解除", "Unassigned")
        case .eventStatus: ("ステータスを変更", "Status changed")
        case .eventNote: ("社内メモ", "Internal note")
        case .eventLock: ("返信を開始", "Started a reply")
        case .eventUnlock: ("返信を終了", "Ended the reply")
        case .eventTakeOver: ("返信を引き継ぎ", "Took over the reply")
        case .eventQueued: ("返信を送信待ちに", "Queued a reply")
        case .eventCancelled: ("送信を取り消し", "Undid sending")
        case .eventApprovalRequested: ("承認を依頼", "Asked for approval")
        case .eventApproved: ("返信を承認", "Approved the reply")
        case .eventReturned: ("返信を差し戻し", "Returned the reply")
        case .eventSent: ("返信を送信", "Reply sent")
        case .eventRetry: ("送信を再試行", "Sending will be retried")
        case .eventFailed: ("送信に失敗", "Sending failed")
        case .eventUnconfirmed: ("送信結果が不明", "Sending unconfirmed")
        case .changedMeanwhile:
            ("他の担当者が先に変更しました。最新の状態を確認してください", "Someone changed this meanwhile. Check the current state")
        case .lockedNotice: ("対応中のため返信できません", "Locked")
        case .lockedYou: ("あなたが返信中です", "You are replying")
        case .nothingToApprove: ("承認待ちの返信はありません", "No replies await approval")
        case .returnPrompt: ("差し戻す理由", "Why it goes back")
        case .bodyEmpty: ("本文が空です", "The text is empty")
        case .attachmentRefused:
            ("ウイルスが検出されたため添付できません", "A virus was found in this file; it was not attached")
        case .attachmentTooLarge: ("ファイルが大きすぎます", "The file is too large")
        case .scannerDown:
            ("ウイルス検査ができないため添付できません。後でもう一度お試しください", "The virus scanner is unavailable; try again later")
        case .cannotApproveOwn: ("自分の返信は承認できません", "You cannot approve your own reply")
        case .undoExpired: ("取消期限を過ぎました", "Too late to undo")
        case .sendsIn: ("送信まで", "Sends in")
        case .seconds: ("秒", "s")
        case .noRecipient: ("宛先の顧客アドレスがありません", "The customer has no address to reply to")
        case .relayAnswer: ("送信サーバの応答", "Relay's answer")
        case .noFromAddress:
            (
                "この受信箱には返信の差出人アドレスが設定されていません (管理者にお問い合わせください)",
                "This mailbox has no reply From address (ask an administrator)"
            )
        case .draftSaved: ("下書きを保存しました", "Draft saved")
        case .unencodableNotice:
            (
                "この受信箱の返信は ISO-2022-JP で送るため、送れない文字を含む返信は送信できません",
                "This mailbox sends replies in ISO-2022-JP; a reply with characters it cannot carry cannot be sent"
            )
        case .unencodable:
            (
                "ISO-2022-JP で送れない文字: 書き換えてから送信してください",
                "Characters ISO-2022-JP cannot carry: change them before sending"
            )
        }
    }
}
