// HTMLBenchmark: `madoguchi-bench html [seconds]` — sanitizes a generated 200 KB
// newsletter (nested layout tables, inline styles, remote images, tracking links,
// Japanese text, entities, conditional comments) with HTMLSanitizer and prints the
// wall time per document (mean, best), the thread CPU time per document (what a
// shared, loaded machine does not inflate) and the throughput. Run through
// Tests/Benchmarks/html.sh.

import Glibc
import MadoguchiMail

enum HTMLBenchmark {
    /// A newsletter of at least `bytes` UTF-8 bytes.
    static func newsletter(bytes: Int) -> String {
        var html = """
            <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
            <html><head><meta charset="utf-8"><title>今月のお知らせ</title>
            <style>body{margin:0} .btn{background:url(https://cdn.example.com/b.png)} @media (max-width:600px){td{display:block}}</style>
            <!--[if mso]><xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml><![endif]-->
            </head><body style="margin:0;padding:0;background-color:#f4f4f4">
            <table width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f4f4f4"><tr><td align="center">

            """
        var item = 0
        while html.utf8.count < bytes {
            item += 1
            html += """
                <table width="600" cellpadding="0" cellspacing="0" style="max-width:600px;border:1px solid #ddd;font-family:'Hiragino Sans','Meiryo',sans-serif">
                <tr><td style="padding:16px 24px;font-size:18px;line-height:1.6;color:#333333"><h2 style="margin:0 0 8px 0;font-weight:bold">新商品のご案内 \(item)</h2>
                <p style="margin:0 0 12px 0">いつも株式会社窓口をご利用いただき、誠にありがとうございます。&nbsp;今月の&quot;おすすめ&quot;商品をご紹介します&hellip;</p>
                <a href="https://click.example.com/track?u=abc&amp;id=\(item)&amp;r=https%3A%2F%2Fshop.example.com%2Fitem%2F\(item)" style="color:#0066cc;text-decoration:underline" target="_blank" onclick="track(\(item))">詳しくはこちら &raquo;</a>
                <img src="https://cdn.example.com/img/\(item).jpg" width="552" height="200" alt="商品画像 \(item)" style="display:block;border:0" class="hero">
                <font face="Arial" size="2" color="#999999">※価格は税込です。<br>&copy; 2026 Madoguchi &amp; Co.</font></td></tr>
                <tr><td align="center" valign="top" style="padding:0 24px 24px 24px"><div class="btn" style="background-color:#ff6600;border-radius:4px;padding:12px 0"><a href="mailto:support@example.com?subject=%E5%95%8F%E3%81%84%E5%90%88%E3%82%8F%E3%81%9B" style="color:#ffffff;font-size:16px">お問い合わせ</a></div></td></tr>
                </table><!-- item \(item) -->

                """
        }
        html +=
            "<img src=\"https://track.example.com/open.gif?id=1\" width=\"1\" height=\"1\"></td></tr></table></body></html>\n"
        return html
    }

    /// CPU time of this thread in seconds.
    static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    static func run(_ arguments: [String]) {
        let seconds = arguments.first.flatMap { Double($0) } ?? 3
        let html = newsletter(bytes: 200_000)
        var configuration = HTMLSanitizer.Configuration()
        configuration.timeBudget = .seconds(10)
        let sanitizer = HTMLSanitizer(configuration: configuration)
        guard let first = sanitizer.sanitize(html, rewriteLink: { "/go?u=" + $0 }).document else {
            preconditionFailure("benchmark newsletter over budget")
        }
        let clock = ContinuousClock()
        let budget = Duration.milliseconds(Int64(seconds * 1000))
        var runs = 0
        var best = Duration.seconds(1000)
        let cpuStart = threadCPUSeconds()
        let start = clock.now
        while clock.now - start < budget {
            let began = clock.now
            _ = sanitizer.sanitize(html, rewriteLink: { "/go?u=" + $0 })
            best = min(best, clock.now - began)
            runs += 1
        }
        let mean = (clock.now - start) / runs
        let cpu = (threadCPUSeconds() - cpuStart) / Double(runs)
        let megabytes = Double(html.utf8.count) / 1e6
        print(
            "html_input \(html.utf8.count) bytes, output \(first.html.utf8.count) bytes, remote blocked \(first.remoteContentBlocked)"
        )
        print("html_sanitize_200k_mean \(MadoguchiBench.format(MadoguchiBench.milliseconds(mean))) ms")
        print("html_sanitize_200k_best \(MadoguchiBench.format(MadoguchiBench.milliseconds(best))) ms")
        print("html_sanitize_200k_cpu \(MadoguchiBench.format(cpu * 1000)) ms (\(runs) runs)")
        let tokenizeStart = threadCPUSeconds()
        for _ in 0..<runs {
            var tokenizer = HTMLTokenizer(html)
            while tokenizer.next() != nil {}
        }
        let tokenize = (threadCPUSeconds() - tokenizeStart) / Double(runs)
        print("html_tokenize_200k_cpu \(MadoguchiBench.format(tokenize * 1000)) ms")
        print("html_sanitize_rate_cpu \(MadoguchiBench.format(megabytes / cpu)) MB/s")
    }
}
