// madoguchi: the admin command. Thin: the subcommands are MadoguchiPrograms.AdminProgram.

import MadoguchiPrograms

@main
struct Madoguchi {
    static func main() {
        AdminProgram.main()
    }
}
