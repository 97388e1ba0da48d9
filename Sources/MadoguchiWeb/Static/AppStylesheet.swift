// AppStylesheet: /static/app.css — the whole look of the page: system fonts only
// (nothing loaded from outside), a quiet neutral palette with one accent colour,
// status colours always with their word, AA contrast, visible focus rings; a
// two-column frame from 900 px, one column below.

enum AppStylesheet {
    static let text = #"""
        :root {
          --ink: #1f2430; --muted: #5b6170; --line: #dfe2e8; --paper: #ffffff; --canvas: #f4f5f7;
          --accent: #1d5fa8; --accent-ink: #ffffff; --accent-soft: #e7f0fa;
          --new: #b3261e; --progress: #1d5fa8; --approval: #8a5a00; --done: #2e7d32; --trash: #6b6f78;
          --warn-bg: #fff4e5; --warn: #8a4b00; --ours: #f1f6fc;
          font-family: "Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic UI", Meiryo, system-ui, sans-serif;
          font-size: 14px; line-height: 1.6; color: var(--ink); background: var(--canvas);
        }
        * { box-sizing: border-box; }
        [hidden] { display: none !important; }
        body { margin: 0; }
        a { color: var(--accent); text-decoration: none; }
        a:hover { text-decoration: underline; }
        :focus-visible { outline: 3px solid #f0a000; outline-offset: 2px; }
        button, input { font: inherit; }
        .top { background: var(--paper); border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
        .bar { display: flex; align-items: center; gap: 16px; padding: 8px 20px; }
        .brand { font-weight: 700; font-size: 18px; color: var(--ink); letter-spacing: .05em; }
        .search { flex: 1; max-width: 560px; }
        .search input { width: 100%; padding: 6px 12px; border: 1px solid var(--line); border-radius: 6px; background: var(--canvas); }
        .user { margin-left: auto; display: flex; align-items: center; gap: 14px; white-space: nowrap; }
        .user form { margin: 0; }
        .who { font-weight: 600; }
        button.link { background: none; border: 0; padding: 0; color: var(--accent); cursor: pointer; }
        button.link:hover { text-decoration: underline; }
        .meta { display: flex; flex-wrap: wrap; gap: 4px 18px; padding: 2px 20px 6px; color: var(--muted); font-size: 12.5px; }
        .meta .warn, #countdown.warn { color: var(--warn); font-weight: 600; }
        #countdown { margin-left: auto; }
        .frame { display: grid; grid-template-columns: 220px minmax(0, 1fr); gap: 0; min-height: calc(100vh - 80px); }
        .frame.single { grid-template-columns: minmax(0, 1fr); }
        .side { background: var(--paper); border-right: 1px solid var(--line); padding: 14px 10px; }
        .side h2 { font-size: 12px; color: var(--muted); margin: 16px 10px 4px; font-weight: 600; }
        .nav { list-style: none; margin: 0; padding: 0; }
        .nav a { display: flex; justify-content: space-between; padding: 5px 10px; border-radius: 6px; color: var(--ink); }
        .nav a:hover { background: var(--canvas); text-decoration: none; }
        .nav a[aria-current="page"] { background: var(--accent-soft); color: var(--accent); font-weight: 600; }
        .count { color: var(--muted); font-variant-numeric: tabular-nums; }
        main { padding: 16px 24px; min-width: 0; }
        .frame.single main { display: grid; grid-template-columns: minmax(0, 1fr) 280px; gap: 20px; align-items: start; align-content: start; }
        .frame.single main > :not(.inquiry):not(.related-panel) { grid-column: 1 / -1; }
        .title { font-size: 18px; margin: 0 0 12px; }
        .note, .blocked { background: var(--warn-bg); color: var(--warn); padding: 6px 12px; border-radius: 6px; }
        .empty { color: var(--muted); padding: 24px 0; }
        table.list { width: 100%; border-collapse: collapse; background: var(--paper); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
        .list th { text-align: left; font-size: 12px; color: var(--muted); font-weight: 600; padding: 8px 10px; border-bottom: 1px solid var(--line); background: #fafbfc; white-space: nowrap; }
        .list td { padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; white-space: nowrap; }
        .list td.subject { white-space: normal; width: 45%; overflow-wrap: anywhere; }
        .list td.customer { white-space: normal; overflow-wrap: anywhere; min-width: 12em; max-width: 16em; }
        .list tr:last-child td { border-bottom: 0; }
        .list tr.row:hover, .list tr.row.current { background: var(--accent-soft); }
        .list tr.unread .subject a { font-weight: 700; }
        .list tr.unread .subject::before { content: ""; display: inline-block; width: 7px; height: 7px; border-radius: 50%; background: var(--accent); margin-right: 6px; vertical-align: middle; }
        .vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        .num { color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
        .elapsed { font-variant-numeric: tabular-nums; }
        .elapsed.aging { color: var(--warn); font-weight: 600; }
        .elapsed.late { color: var(--new); font-weight: 700; }
        .more { text-align: right; }
        .status { display: inline-flex; align-items: center; gap: 6px; font-size: 12.5px; font-weight: 600; }
        .status .dot { width: 9px; height: 9px; border-radius: 50%; background: currentColor; }
        .s-new { color: var(--new); } .s-in_progress { color: var(--progress); } .s-awaiting_approval { color: var(--approval); }
        .s-done { color: var(--done); } .s-trash { color: var(--trash); }
        .back { margin: 0 0 8px; }
        .inquiry .head { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin-bottom: 12px; }
        .inquiry h1 { font-size: 18px; margin: 0 0 6px; overflow-wrap: anywhere; }
        .facts { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0; }
        .facts div { display: flex; gap: 8px; }
        .facts dt { color: var(--muted); }
        .facts dd { margin: 0; }
        .flags { list-style: none; margin: 8px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 6px; }
        .flags li { background: var(--warn-bg); color: var(--warn); border-radius: 4px; padding: 1px 8px; font-size: 12.5px; font-weight: 600; }
        .message { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin-bottom: 12px; }
        .message.ours { background: var(--ours); }
        .message header { display: flex; gap: 12px; align-items: baseline; color: var(--muted); }
        .message .from { color: var(--ink); font-weight: 600; overflow-wrap: anywhere; }
        .toggle { margin-left: auto; font-size: 12.5px; }
        .recipients { margin: 4px 0 0; font-size: 12.5px; color: var(--muted); }
        .recipients div { display: flex; gap: 8px; }
        .recipients dd { margin: 0; overflow-wrap: anywhere; }
        .body { white-space: pre-wrap; overflow-wrap: anywhere; margin-top: 10px; }
        iframe.mail-html { width: 100%; height: 60vh; border: 1px solid var(--line); border-radius: 6px; margin-top: 10px; background: #fff; }
        .attachments h3 { font-size: 12.5px; color: var(--muted); margin: 12px 0 4px; }
        .attachments ul, .related { list-style: none; margin: 0; padding: 0; }
        .attachments li, .related li { padding: 3px 0; overflow-wrap: anywhere; }
        .attachments a { text-decoration: underline; }
        .sub { color: var(--muted); font-size: 12px; }
        .related-panel { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
        .related-panel h2 { font-size: 13px; margin: 0 0 6px; }
        .related .sub { display: block; }
        .login { display: flex; justify-content: center; padding: 12vh 16px; }
        .card { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 28px 32px; width: 360px; display: flex; flex-direction: column; gap: 6px; }
        .card.wide { width: 640px; }
        .card h1 { font-size: 17px; margin: 0 0 10px; }
        .card .brand { display: block; font-size: 24px; }
        .card label { font-weight: 600; font-size: 13px; margin-top: 6px; }
        .card input { padding: 8px 10px; border: 1px solid #9aa1ad; border-radius: 6px; }
        .primary, a.button { margin-top: 14px; padding: 8px 14px; border: 0; border-radius: 6px; background: var(--accent); color: var(--accent-ink); font-weight: 600; cursor: pointer; display: inline-block; }
        .alert { background: #fdecea; color: var(--new); padding: 8px 10px; border-radius: 6px; margin: 0; }
        .info { background: var(--accent-soft); color: var(--accent); padding: 8px 10px; border-radius: 6px; margin: 0; }
        .lang { text-align: right; margin: 8px 0 0; font-size: 12.5px; }
        .destination code { display: block; background: var(--canvas); padding: 8px; border-radius: 6px; overflow-wrap: anywhere; }
        .help { position: fixed; right: 20px; bottom: 20px; background: var(--ink); color: #fff; padding: 10px 14px; border-radius: 8px; }
        button, input, select, textarea { font: inherit; }
        .actions { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; margin-top: 10px; padding-top: 10px; border-top: 1px solid var(--line); }
        .actions form { display: inline-flex; align-items: center; gap: 6px; margin: 0; }
        .actions select, .editor select { padding: 4px 28px 4px 8px; border: 1px solid #9aa1ad; border-radius: 6px; background: var(--paper); }
        button.secondary { padding: 5px 12px; border: 1px solid #9aa1ad; border-radius: 6px; background: var(--paper); color: var(--ink); cursor: pointer; }
        button.secondary:hover { background: var(--canvas); }
        button.primary-small { padding: 5px 14px; border: 0; border-radius: 6px; background: var(--accent); color: var(--accent-ink); font-weight: 600; cursor: pointer; }
        button.danger { padding: 5px 12px; border: 1px solid var(--new); border-radius: 6px; background: var(--paper); color: var(--new); cursor: pointer; }
        button[disabled] { opacity: .55; cursor: default; }
        .presence, .lock { display: inline-flex; gap: 6px; align-items: center; font-size: 12.5px; }
        .presence { color: var(--muted); }
        .presence::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--done); }
        .lock { background: var(--warn-bg); color: var(--warn); padding: 2px 10px; border-radius: 4px; font-weight: 600; }
        .lock.mine { background: var(--accent-soft); color: var(--accent); }
        .event { display: flex; gap: 10px; align-items: baseline; color: var(--muted); font-size: 12.5px; margin: 0 0 12px 12px; padding-left: 12px; border-left: 2px solid var(--line); }
        .event .who { color: var(--ink); font-weight: 600; }
        .message.note { background: #fff9e8; border-color: #eedc9a; }
        .message.note header::before { content: attr(data-label); color: var(--warn); font-weight: 700; }
        .message.outgoing { background: var(--ours); border-style: dashed; }
        .reply-state { font-weight: 600; }
        .reply-state.failed, .reply-state.unconfirmed { color: var(--new); }
        .answer { white-space: pre-wrap; overflow-wrap: anywhere; background: #fdecea; color: var(--new); padding: 6px 10px; border-radius: 6px; font-size: 12.5px; }
        .undo { display: inline-flex; gap: 8px; align-items: center; background: var(--accent-soft); color: var(--accent); padding: 4px 10px; border-radius: 6px; }
        .undo .left { font-variant-numeric: tabular-nums; font-weight: 700; }
        .note-form textarea, .editor textarea { width: 100%; border: 1px solid #9aa1ad; border-radius: 6px; padding: 8px 10px; line-height: 1.6; }
        .note-form { margin: 0 0 12px; }
        .note-form summary { cursor: pointer; color: var(--accent); }
        .editor { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; display: flex; flex-direction: column; gap: 8px; }
        .editor label { font-weight: 600; font-size: 13px; }
        .editor input[type=text] { width: 100%; padding: 6px 10px; border: 1px solid #9aa1ad; border-radius: 6px; }
        .editor textarea.body-text { min-height: 22em; font-family: inherit; }
        .editor .row { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
        .editor .to { color: var(--muted); }
        .buttons { display: flex; gap: 10px; align-items: center; margin-top: 6px; }
        .buttons .primary { margin-top: 0; }
        table.plain { border-collapse: collapse; width: 100%; background: var(--paper); border: 1px solid var(--line); }
        table.plain th, table.plain td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        @media (max-width: 900px) {
          .frame, .frame.single main { grid-template-columns: minmax(0, 1fr); }
          .side { border-right: 0; border-bottom: 1px solid var(--line); }
          .list td:nth-child(5), .list th:nth-child(5) { display: none; }
        }
        @media print { .top, .side, .related-panel { display: none; } }
        """#
}
