// SearchCorpus: deterministic, realistic inquiry mail for the search benchmark —
// Japanese business mail mixed with English, 2–20 KB bodies, product and company names
// of medium frequency and rare terms, so queries range from "in every message" to
// "in none". Seeded, so every run builds the same corpus.

import Foundation

/// A small deterministic generator (SplitMix64).
struct SplitMix {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func chance(_ probability: Double) -> Bool { Double(next() % 1_000_000) < probability * 1_000_000 }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Generates subjects and bodies.
struct SearchCorpus {
    static let products = [
        "ワイヤレスイヤホン", "空気清浄機", "電動歯ブラシ", "ロボット掃除機", "加湿器", "電気ケトル", "ノートパソコン", "スマートウォッチ",
        "コーヒーメーカー", "炊飯器", "Bluetoothスピーカー", "USB充電器",
    ]
    static let companies = [
        "株式会社サンプル商事", "山田工業株式会社", "有限会社みどり企画", "株式会社東京ロジスティクス", "北海道フーズ株式会社", "Acme Trading Co.",
        "Globex Japan", "株式会社さくらシステム",
    ]
    static let names = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤", "Smith", "Johnson"]
    /// Terms that occur in few messages (each with its own probability).
    static let rare: [(term: String, probability: Double)] = [
        ("輸入代行", 0.002), ("蛍光ペン", 0.001), ("ジャイロセンサー", 0.0005), ("オーロラ便", 0.003), ("防水加工", 0.004),
        ("初期不良交換", 0.005), ("法人割引", 0.002), ("分割払い", 0.006), ("年末年始", 0.008), ("保証書紛失", 0.0015),
        ("海外発送", 0.003), ("ギフト包装", 0.004), ("領収書の宛名", 0.005), ("二重請求", 0.001), ("退会手続き", 0.003),
    ]
    static let subjects = [
        "{product}の返品について", "【至急】請求書の再発行をお願いします", "{product}が動かなくなりました", "注文内容の変更のお願い",
        "ログインできません", "パスワードを忘れてしまいました", "配送状況の確認をお願いします", "見積書送付のお願い（{company}）",
        "{product}の使い方について質問です", "お支払い方法について", "商品が届いていません", "会員登録の解除について",
        "Question about my order", "Invoice request for {company}", "{product} stopped working", "Re: 発送予定日のご確認",
        "Re: Re: {product}の交換について", "領収書発行の依頼", "キャンセルしたいです", "ポイントが反映されていません",
    ]
    static let japanese = [
        "いつもお世話になっております。", "お忙しいところ恐れ入りますが、ご確認のほどよろしくお願いいたします。",
        "先日注文した{product}について問い合わせいたします。", "注文番号は{number}です。", "届いた商品の箱が破損しておりました。",
        "電源を入れても反応がなく、ランプも点灯しません。", "請求書の宛名を{company}に変更して再発行していただけますでしょうか。",
        "お支払いは銀行振込で済ませております。", "配送予定日を過ぎても商品が届いておりません。", "返品の手続きについて教えてください。",
        "ログイン画面でパスワードを入力するとエラーが表示されます。", "会員情報の住所を変更したいのですが、どこから手続きできますか。",
        "見積書を今週中にお送りいただけますと幸いです。", "担当の{name}様によろしくお伝えください。", "以前にも同じ件でご連絡しております。",
        "交換品の発送はいつ頃になりますでしょうか。", "取扱説明書を紛失してしまいました。", "ポイントの有効期限について確認させてください。",
        "お手数をおかけしますが、折り返しご連絡をお願いいたします。", "何卒よろしくお願い申し上げます。", "{company} 総務部 {name}",
        "電話番号は03-1234-{digits}です。", "キャンセル料が発生する場合は事前にお知らせください。", "同じ商品をもう一台追加で購入したいと考えております。",
        "領収書は発送時に同梱していただけますか。", "ご対応いただきありがとうございました。", "本件、社内で確認のうえ改めてご連絡いたします。",
    ]
    /// Business nouns, most frequent first (drawn with a Zipf distribution, s = 1).
    static let nouns = [
        "商品", "注文", "確認", "連絡", "対応", "発送", "請求書", "支払い", "返品", "交換", "配送", "見積書", "アカウント", "パスワード",
        "ログイン", "会員登録", "ポイント", "キャンセル", "領収書", "納品書", "在庫", "送料", "料金", "契約", "解約", "更新", "修理",
        "保証", "不具合", "破損", "梱包", "納期", "振込", "口座", "住所", "電話番号", "宛名", "割引", "クーポン", "手数料", "設定",
        "アプリ", "メールアドレス", "通知", "予約", "店舗", "営業時間", "担当者", "価格", "税込", "明細", "部品", "電池", "充電",
        "画面", "ボタン", "電源", "取扱説明書", "有効期限", "交換品", "初期設定", "再起動", "エラー", "ダウンロード", "インストール",
        "請求金額", "支払期限", "引き落とし", "クレジットカード", "代金引換", "コンビニ払い", "銀行振込", "定期購入", "お届け日",
        "配達時間", "不在票", "再配達", "追跡番号", "倉庫", "出荷", "検品", "サイズ", "カラー", "型番", "シリアル番号", "付属品",
        "ケーブル", "アダプター", "リモコン", "フィルター", "消耗品", "カートリッジ", "延長保証", "点検", "訪問修理", "見積金額",
        "法人契約", "請求先", "支店", "本社", "経理部", "総務部", "購買部", "発注書", "検収書", "仕様書", "カタログ", "サンプル",
        "展示会", "新製品", "旧製品", "生産終了", "後継機種", "互換性", "ファームウェア", "セキュリティ", "二段階認証", "個人情報",
        "利用規約", "プライバシー", "退会", "メールマガジン", "配信停止", "問い合わせ番号",
    ]
    static let templates = [
        "{noun}について確認させてください。", "{noun}の件でご連絡いたしました。", "{noun}と{noun}の状況を教えていただけますか。",
        "{noun}に問題があるようです。", "{noun}はいつ頃になりますでしょうか。", "{noun}の変更は可能でしょうか。",
        "先日お送りした{noun}をご確認ください。", "{noun}が見つかりません。", "{noun}と{noun}を添付いたします。",
        "Please check the {noun} for order {number}.",
    ]

    static let english = [
        "Hello, I am writing about my recent order.", "The order number is {number}.",
        "The {product} arrived damaged and does not turn on.",
        "Could you please send me an invoice addressed to {company}?",
        "I have not received the package yet.", "Please let me know how to return the item.",
        "I forgot my password and cannot log in.", "Thank you for your help.", "Best regards, {name}",
        "Is there a discount for corporate customers?", "I would like to cancel my subscription.",
    ]

    var random: SplitMix

    init(seed: UInt64) { random = SplitMix(state: seed) }

    private mutating func fill(_ template: String) -> String {
        var text = template
        if text.contains("{product}") { text = text.replacingAll("{product}", with: random.pick(Self.products)) }
        if text.contains("{company}") { text = text.replacingAll("{company}", with: random.pick(Self.companies)) }
        if text.contains("{name}") { text = text.replacingAll("{name}", with: random.pick(Self.names)) }
        if text.contains("{number}") {
            text = text.replacingAll("{number}", with: "A-\(100_000 + random.below(900_000))")
        }
        if text.contains("{digits}") { text = text.replacingAll("{digits}", with: String(1000 + random.below(9000))) }
        return text
    }

    mutating func subject() -> String { fill(random.pick(Self.subjects)) }

    /// A noun drawn with P(rank k) ∝ 1/k.
    private mutating func noun() -> String {
        // Inverse of the harmonic CDF, approximated by exp(u · ln N).
        let u = Double(random.below(1_000_000)) / 1_000_000
        let rank = min(Self.nouns.count - 1, Int(exp(u * log(Double(Self.nouns.count + 1)))) - 1)
        return Self.nouns[max(0, rank)]
    }

    private mutating func templated() -> String {
        var text = random.pick(Self.templates)
        while let range = text.range(of: "{noun}") { text.replaceSubrange(range, with: noun()) }
        return fill(text)
    }

    /// A body of about `2 KB + exponential(5 KB)`, at most 20 KB of UTF-8.
    mutating func body() -> String {
        let u = Double(random.below(1_000_000) + 1) / 1_000_001
        let target = min(20_000, 2_000 + Int(-5_000 * log(u)))
        let englishShare = random.chance(0.3) ? 0.6 : 0.05
        var text = random.chance(0.9) ? fill("{company}\n{name}様\n\n") : ""
        var rareTerms: [String] = []
        for (term, probability) in Self.rare where random.chance(probability) { rareTerms.append(term) }
        while text.utf8.count < target {
            if random.chance(englishShare) {
                text += fill(random.pick(Self.english))
            } else if random.chance(0.6) {
                text += templated()
            } else {
                text += fill(random.pick(Self.japanese))
            }
            if let term = rareTerms.popLast() { text += "（\(term)の件）" }
            text += random.chance(0.3) ? "\n" : (random.chance(0.5) ? " " : "")
            if random.chance(0.05) { text += "\n> " + fill(random.pick(Self.japanese)) + "\n" }
        }
        return text
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
