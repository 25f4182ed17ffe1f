#!/usr/bin/env python3
"""Prints the Debian mirror the machine's APT configuration uses for a suite.

    python3 mirror.py /etc/apt/sources.list.d/debian.sources bookworm

Reads a deb822 `.sources` file (or a one-line `sources.list`) and prints the first URI of a `deb`
entry that lists the suite. Exits with 1 when there is none. The bench never writes the mirror
down: it passes it to debootstrap and copies the machine's sources file into the docker builds.
"""
import re
import sys


def deb822_entries(text):
    for stanza in re.split(r"\n[ \t]*\n", text):
        fields = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line or line[:1].isspace():
                continue
            key, value = line.split(":", 1)
            fields[key.strip().lower()] = value.split()
        if "deb" in fields.get("types", []):
            yield fields.get("uris", []), fields.get("suites", [])


def one_line_entries(text):
    for line in text.splitlines():
        words = re.sub(r"\[[^]]*\]", "", line.split("#", 1)[0]).split()
        if len(words) >= 3 and words[0] == "deb":
            yield [words[1]], [words[2]]


def main(path, suite):
    text = open(path, encoding="utf-8").read()
    entries = deb822_entries(text) if path.endswith(".sources") else one_line_entries(text)
    for uris, suites in entries:
        if suite in suites and uris:
            print(uris[0])
            return 0
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
