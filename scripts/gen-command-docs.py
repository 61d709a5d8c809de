#!/usr/bin/env python3
"""Writes core/src/store/cmd/docs.tsv: redis-cli's `help` text for every
command and subcommand the playground's store has, so the console's
`help <command>` prints what redis-cli 7.0 prints.

Usage: python3 scripts/gen-command-docs.py PORT
(a redis-server 7.0 on 127.0.0.1:PORT; playground-cli built). The
differential tests check the console's help against redis-cli's again.
"""
import re, subprocess, sys

port = sys.argv[1]
ansi = re.compile(r"\x1b\[[0-9;]*m")

def cli(*args):
    out = subprocess.run(["redis-cli", "-p", port, *args], capture_output=True, text=True).stdout
    return ansi.sub("", out).replace("\r", "")

listed = subprocess.run(
    ["cargo", "run", "-q", "-p", "playground-core", "--bin", "playground-cli"],
    input="COMMAND LIST\n", capture_output=True, text=True, check=True,
).stdout
names = [re.sub(r'^\s*\d+\) "?|"$', "", l) for l in listed.splitlines()]
top = sorted({n for n in names if n and "|" not in n})

rows = {}
for name in top:
    blocks = cli("help", name).strip("\n").split("\n\n")
    for b in blocks:
        lines = b.split("\n")
        words = lines[0][2:].split(" ")
        fields = dict(l.strip().split(": ", 1) for l in lines[1:])
        # After a container's own block come its subcommands' blocks, named
        # by two words: "OBJECT ENCODING key".
        if b is not blocks[0]:
            full, args = " ".join(words[:2]), " ".join(words[2:])
        else:
            full, args = words[0], " ".join(words[1:])
        assert "\t" not in args + fields["summary"]
        rows[full.lower()] = (args, fields["summary"], fields["since"], fields["group"])

with open("core/src/store/cmd/docs.tsv", "w") as f:
    for full in sorted(rows, key=str.lower):
        f.write("\t".join((full, *rows[full])) + "\n")
print(len(rows), "entries")
