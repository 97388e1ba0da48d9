#!/usr/bin/env python3
"""check-layout.py: the module arrows of the README's "Source layout" table, checked.

Reads the import lines of every Swift file under Sources/ and fails when
- a module imports one the table below does not allow (an arrow pointing the wrong
  way, e.g. MadoguchiFetch importing MadoguchiStore, or MadoguchiWeb importing
  MadoguchiPrograms);
- a type or extension named `...Command` lives outside the program bodies
  (MadoguchiPrograms): the domain returns values, the commands parse and print;
- an executable (Sources/<program>/) holds more than one file, imports more than one
  module, or does more in `main()` than one call;
- a source, test, script, cron file or man page cites a document that is not in the
  repository (an upper-case Markdown name other than README, or a section sign): the
  project documents itself, so a comment cites an RFC, a man page such as
  madoguchi-security(7) with its hostile-input ids, or a test name.
Run by Tests/run-all.sh before the build; exits 1 with one line per violation.
"""

import os
import re
import sys

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
ROOT = os.path.join(REPO, "Sources")

# Toolchain and system modules any library may use.
SYSTEM = {"Foundation", "Glibc", "Dispatch", "Synchronization"}

# Module -> the project modules it may import (besides SYSTEM).
ALLOWED = {
    "MadoguchiCore": set(),
    "MadoguchiCrypto": {"MadoguchiCore", "COpenSSL"},
    "MadoguchiStore": {"MadoguchiCore", "MadoguchiCrypto", "CSQLite"},
    "MadoguchiMail": {"MadoguchiCore", "MadoguchiCrypto"},
    "MadoguchiFetch": {"MadoguchiCore", "MadoguchiCrypto", "MadoguchiMail"},
    "MadoguchiArchive": {"MadoguchiCore", "MadoguchiCrypto", "CArchive"},
    "MadoguchiInbox": {"MadoguchiCore", "MadoguchiCrypto", "MadoguchiStore", "MadoguchiMail"},
    "MadoguchiHTTP": {"MadoguchiCore", "MadoguchiCrypto", "COpenSSL"},
    "MadoguchiWeb": {"MadoguchiCore", "MadoguchiCrypto", "MadoguchiStore", "MadoguchiMail", "MadoguchiInbox",
                     "MadoguchiHTTP"},
    "MadoguchiPrograms": {"MadoguchiCore", "MadoguchiCrypto", "MadoguchiStore", "MadoguchiMail", "MadoguchiFetch",
                          "MadoguchiInbox", "MadoguchiArchive"},
}
# Test support may use every library and Swift Testing, but no executable imports it.
TEST_SUPPORT = "MadoguchiTestSupport"
C_MODULES = {"CSQLite", "COpenSSL", "CArchive"}

IMPORT = re.compile(r"^\s*(?:@testable\s+|@_\w+\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let)\s+)?(\w+)",
                    re.M)
COMMAND_TYPE = re.compile(r"^\s*(?:public\s+|internal\s+|private\s+|fileprivate\s+)?(?:final\s+)?"
                          r"(?:enum|struct|class|protocol|actor|extension)\s+(\w*Command)\b", re.M)


def swift_files(directory):
    for base, _, names in os.walk(directory):
        for name in sorted(names):
            if name.endswith(".swift"):
                yield os.path.join(base, name)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def check_library(module, problems):
    directory = os.path.join(ROOT, module)
    known = set(ALLOWED) | C_MODULES | {TEST_SUPPORT}
    for path in swift_files(directory):
        text = strip_comments(open(path, encoding="utf-8").read())
        relative = os.path.relpath(path, os.path.join(ROOT, ".."))
        for imported in IMPORT.findall(text):
            if module == TEST_SUPPORT:
                if imported not in known | SYSTEM | {"Testing"}:
                    problems.append(f"{relative}: imports {imported}, which is neither a project nor a system module")
                continue
            if imported in SYSTEM or imported in ALLOWED[module]:
                continue
            problems.append(f"{relative}: {module} may not import {imported}")
        if module != "MadoguchiPrograms" and module != TEST_SUPPORT:
            for name in COMMAND_TYPE.findall(text):
                problems.append(f"{relative}: {name} is a command; commands live in MadoguchiPrograms")


def check_executable(program, problems):
    directory = os.path.join(ROOT, program)
    files = list(swift_files(directory))
    relative = os.path.relpath(directory, os.path.join(ROOT, ".."))
    if len(files) != 1:
        problems.append(f"{relative}: an executable is one file with its @main (found {len(files)})")
        return
    text = strip_comments(open(files[0], encoding="utf-8").read())
    imports = IMPORT.findall(text)
    if len(imports) != 1 or imports[0] not in ALLOWED:
        problems.append(f"{relative}: an executable imports exactly one library module (found {imports})")
    body = re.sub(r"\s+", " ", re.sub(r"^\s*import\s+\w+\s*$", "", text, flags=re.M)).strip()
    one_call = re.fullmatch(
        r"@main (?:struct|enum) \w+ \{ static func main\(\) \{ [\w.]+\(\) \} \}", body)
    if not one_call:
        problems.append(f"{relative}: main() must be one call into its library, found: {body[:120]}")


# Where documents are cited: everything tracked except the sample mail.
CITING = [os.path.join(REPO, name) for name in ("Sources", "Tests", "man", "cron", "installer", ".ci", "README.md",
                                                 "Package.swift")]
DOCUMENT = re.compile(r"(?<![\w.])[A-Z][A-Z0-9_-]*\.md\b")


def check_citations(problems):
    documents = set()
    for base, dirs, names in os.walk(REPO):
        dirs[:] = [d for d in dirs if d not in (".git", ".build")]
        documents.update(name for name in names if name.endswith(".md"))
    paths = []
    for entry in CITING:
        if os.path.isfile(entry):
            paths.append(entry)
        for base, dirs, names in os.walk(entry):
            dirs[:] = [d for d in dirs if d != "Samples"]
            paths.extend(os.path.join(base, name) for name in sorted(names))
    for path in paths:
        try:
            lines = open(path, encoding="utf-8").read().splitlines()
        except (UnicodeDecodeError, OSError):
            continue
        relative = os.path.relpath(path, REPO)
        for number, line in enumerate(lines, 1):
            missing = [name for name in DOCUMENT.findall(line) if name not in documents]
            if missing or "\u00a7" in line:
                problems.append(f"{relative}:{number}: cites a document not in the repository: {line.strip()[:100]}")


def check_atomic_writes(problems):
    """Foundation on Linux leaves a /tmp/TemporaryDirectory.* behind for every
    `write(..., atomically: true)`; the programs use DurableFile, tests plain writes."""
    for directory in (ROOT, os.path.join(REPO, "Tests")):
        for path in swift_files(directory):
            for number, line in enumerate(open(path, encoding="utf-8").read().splitlines(), 1):
                if "atomically: true" in strip_comments(line):
                    relative = os.path.relpath(path, REPO)
                    problems.append(f"{relative}:{number}: atomically: true leaves a directory in /tmp; "
                                    "use DurableFile (programs) or atomically: false (tests)")


def main():
    problems = []
    check_citations(problems)
    check_atomic_writes(problems)
    for entry in sorted(os.listdir(ROOT)):
        path = os.path.join(ROOT, entry)
        if not os.path.isdir(path) or entry in C_MODULES:
            continue
        if entry in ALLOWED or entry == TEST_SUPPORT:
            check_library(entry, problems)
        elif entry[0].islower():
            check_executable(entry, problems)
        else:
            problems.append(f"Sources/{entry}: a module the layout check does not know; add it to ALLOWED")
    for problem in problems:
        print(f"check-layout: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"check-layout: {sum(1 for _ in swift_files(ROOT))} files, every import arrow allowed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
