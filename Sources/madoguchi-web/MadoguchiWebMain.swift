// madoguchi-web: the HTTPS server of the operator page (long-running; see
// madoguchi-web(8)). Thin: the work is MadoguchiWeb.WebProgram.

import MadoguchiWeb

@main
struct MadoguchiWebMain {
    static func main() {
        WebProgram.main()
    }
}
