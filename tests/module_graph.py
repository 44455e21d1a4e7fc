#!/usr/bin/env python3
"""The modules of src/ call each other in one direction only: from the
library's members (nm), module A depends on B when A uses a symbol B
defines; any cycle (a strongly connected group of two or more modules)
fails.

usage: module_graph.py LIBBRIEFCORE.a
"""
import pathlib
import subprocess
import sys


def members(lib, flag):
    """{member: symbols} from `nm -A` on the archive: lines read
    "LIB:MEMBER:ADDRESS KIND NAME" (no address for undefined symbols)."""
    out = subprocess.run(["nm", "-A", flag, str(lib)], capture_output=True, text=True,
                         check=True).stdout
    table = {}
    for line in out.splitlines():
        _, member, rest = line.split(":", 2)
        f = rest.split()
        table.setdefault(member, set())
        if flag == "--undefined-only" or f[-2] in "TDBR":
            table[member].add(f[-1])
    return table


def cycles(graph):
    """Tarjan's strongly connected components with more than one member."""
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    lib = pathlib.Path(sys.argv[1])
    defined, used = members(lib, "--defined-only"), members(lib, "--undefined-only")
    name = lambda member: member[:-4] if member.endswith(".c.o") else member
    owner = {s: name(m) for m, syms in defined.items() for s in syms}
    graph = {name(m): set() for m in defined}
    for m, syms in used.items():
        graph.setdefault(name(m), set()).update(
            owner[s] for s in syms if s in owner and owner[s] != name(m))
    if len(graph) < 10:
        print("too few modules in", lib)
        return 1
    found = cycles(graph)
    for comp in found:
        detail = "; ".join(f"{a} -> {b}" for a in comp for b in sorted(graph[a]) if b in comp)
        print("cycle:", ", ".join(comp), f"({detail})")
    print(f"{len(graph)} modules, {sum(len(v) for v in graph.values())} dependencies, {len(found)} cycles")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
