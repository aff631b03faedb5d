#!/usr/bin/env python3
"""Where the bytes of a WebAssembly module go: code size per crate and per function.

Usage: frontend/wasm-sizes.py MODULE.wasm [--top N] [--crate PREFIX]

Reads the module's name section, so give it a module that still has one: the unoptimised
split main module `target/front/wasm32-unknown-unknown/wasm-release/frontend_split.wasm`, or a
chunk before wasm-opt. Prints the code bytes (function bodies, uncompressed) per crate, the
biggest functions, and the size of each section. Uncompressed code is only a guide to what
brotli sends, but the order of the biggest items rarely changes.
"""

import re
import sys
from collections import defaultdict


def leb(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def demangle(name):
    """Legacy Rust mangling (`_ZN4core3fmt5write17h…E`) to `core::fmt::write`; others as given."""
    if name.startswith("_ZN") and name.endswith("E"):
        pos, parts = 3, []
        body = name[:-1]
        while pos < len(body) and body[pos].isdigit():
            m = re.match(r"\d+", body[pos:])
            n = int(m.group(0))
            pos += len(m.group(0))
            parts.append(body[pos : pos + n])
            pos += n
        if parts and re.fullmatch(r"h[0-9a-f]{16}", parts[-1]):
            parts.pop()
        name = "::".join(parts)
        for code, ch in (("$LT$", "<"), ("$GT$", ">"), ("$u20$", " "), ("$RF$", "&"), ("$C$", ","), ("..", "::")):
            name = name.replace(code, ch)
    return re.sub(r"::h[0-9a-f]{16}$", "", name)


def crate_of(name):
    if name.startswith("_<"):
        name = name[1:]
    name = name.lstrip("<&* ")
    if name.startswith("impl "):
        name = name[5:]
    m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", name)
    return m.group(0) if m else "?"


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    path, top, prefix = args[0], 40, None
    if "--top" in args:
        top = int(args[args.index("--top") + 1])
    if "--crate" in args:
        prefix = args[args.index("--crate") + 1]
    data = open(path, "rb").read()
    assert data[:4] == b"\0asm", "not a WebAssembly module"
    pos, sections, imported, bodies, names = 8, defaultdict(int), 0, [], {}
    while pos < len(data):
        sid = data[pos]
        size, body = leb(data, pos + 1)
        end = body + size
        if sid == 0:
            n, p = leb(data, body)
            label = data[p : p + n].decode()
            sections[f"custom {label}"] += size
            if label == "name":
                p += n
                while p < end:
                    sub, p = leb(data, p)
                    sub_size, p = leb(data, p)
                    if sub == 1:
                        count, q = leb(data, p)
                        for _ in range(count):
                            index, q = leb(data, q)
                            ln, q = leb(data, q)
                            names[index] = data[q : q + ln].decode(errors="replace")
                            q += ln
                    p += sub_size
        else:
            sections[{1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "datacount"}.get(sid, str(sid))] += size
            if sid == 2:
                count, p = leb(data, body)
                for _ in range(count):
                    for _ in range(2):
                        ln, p = leb(data, p)
                        p += ln
                    kind = data[p]
                    p += 1
                    if kind == 0:
                        _, p = leb(data, p)
                        imported += 1
                    elif kind == 1:
                        p += 1
                        flags, p = leb(data, p)
                        _, p = leb(data, p)
                        if flags & 1:
                            _, p = leb(data, p)
                    elif kind == 2:
                        flags, p = leb(data, p)
                        _, p = leb(data, p)
                        if flags & 1:
                            _, p = leb(data, p)
                    elif kind == 3:
                        p += 2
            if sid == 10:
                count, p = leb(data, body)
                for i in range(count):
                    fsize, p = leb(data, p)
                    bodies.append((imported + i, fsize))
                    p += fsize
        pos = end
    per_crate, per_fn = defaultdict(int), []
    for index, fsize in bodies:
        name = demangle(names.get(index, f"func{index}"))
        per_fn.append((fsize, name))
        per_crate[crate_of(name)] += fsize
    total = sum(s for s, _ in per_fn)
    print(f"{path}: {len(data):,} bytes, {len(per_fn):,} functions, {total:,} bytes of code")
    print("\nsections:")
    for label, size in sorted(sections.items(), key=lambda kv: -kv[1]):
        print(f"  {size:>10,}  {label}")
    print("\ncode per crate:")
    for crate, size in sorted(per_crate.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {size:>10,}  {100 * size / max(total, 1):5.1f} %  {crate}")
    print(f"\nbiggest functions{' of ' + prefix if prefix else ''}:")
    chosen = [(s, n) for s, n in per_fn if prefix is None or crate_of(n).startswith(prefix)]
    for size, name in sorted(chosen, reverse=True)[:top]:
        print(f"  {size:>10,}  {name[:160]}")


if __name__ == "__main__":
    main()
