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
        }
    }
}
