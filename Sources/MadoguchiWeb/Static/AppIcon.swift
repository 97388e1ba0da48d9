// AppIcon: /static/favicon.svg — the page's icon (a window, 窓), named by every
// document so that browsers do not ask for /favicon.ico, which is no route: that 404
// is a console error on every page (BrowserTests).

enum AppIcon {
    static let text = #"""
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">
        <rect x="1" y="1" width="14" height="14" rx="3" fill="#1d5fa8"/>
        <path d="M4.5 4.5h7v7h-7zM8 4.5v7M4.5 8h7" fill="none" stroke="#fff" stroke-width="1.4"/>
        </svg>
        """#
}
