#!/usr/bin/env python3
"""Levelization check of bttd's layers (doc/modules.md, "Layers").

Reads every #include in src/ and include/, maps the including and the included file to a layer
(include/btt/<layer>/ and src/<layer>/; src/app/ is the top) and fails on:
  - an include that points up the layer order, or sideways between peer layers;
  - a cycle between layers;
  - a private header (src/<layer>/...) included from another layer or from a public header;
  - a module (src/modules/<m>/) including another module's private files (src/modules/<o>/):
    modules use each other only through include/btt/modules/<o>/ (or include/btt/modules/<o>.h);
  - gRPC or Boost headers in the layers that must stay free of them (the kernel, mempool,
    consensus);
  - a layer library in CMakeLists.txt (btt_layer(...)) whose LAYERS differ from the layers its
    files include, so the link graph says what the code uses.
Usage: contrib/check-layers.py [--graph]   (--graph prints the layer graph the includes form)
"""

import os
import re
import sys

# The order. A layer may include layers of a lower rank only; peers (same rank) never include
# each other.
RANK = {
    "common": 0,
    "crypto": 1,
    "storage": 2,
    "ledger": 3,
    "modules": 4,
    "chain": 5,
    "mempool": 6,
    "consensus": 6,
    "p2p": 6,
    "rpc": 7,
    "node": 8,
    "app": 9,
}
# Layers that must not include gRPC or Boost (what decides state, and the pure consensus logic).
NO_GRPC_NO_BOOST = {"common", "crypto", "storage", "ledger", "modules", "chain", "mempool",
                    "consensus"}
GRPC_HEADER = re.compile(r"^grpc(pp|\+\+)?/|\.grpc\.pb\.h$")
BOOST_HEADER = re.compile(r"^boost/")

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCE_EXT = (".h", ".hpp", ".cpp", ".cc", ".ipp")

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def layer_of(rel):
    """(layer, module) of a repository-relative path, or (None, None) outside the layers."""
    parts = rel.split("/")
    if len(parts) >= 3 and parts[0] == "include" and parts[1] == "btt":
        layer = parts[2]
        rest = parts[3:]
    elif len(parts) >= 2 and parts[0] == "src":
        layer = parts[1]
        rest = parts[2:]
    else:
        return None, None
    if layer == "v1":  # generated protobuf code (btt/v1/*.pb.h): below every layer
        return None, None
    module = None
    if layer == "modules" and rest:
        module = rest[0][:-2] if rest[0].endswith(".h") and len(rest) == 1 else rest[0]
        if len(rest) == 1 and parts[0] == "src":
            module = None  # a file directly in src/modules/ belongs to no single module
    return layer, module


def resolve(including, target):
    """The repository-relative path an include names, or None (system or generated header)."""
    candidates = [os.path.join(os.path.dirname(including), target),
                  os.path.join("include", target), os.path.join("src", target)]
    for c in candidates:
        c = os.path.normpath(c)
        if os.path.isfile(os.path.join(ROOT, c)):
            return c
    if target.startswith("btt/") and not target.startswith("btt/v1/"):
        return os.path.normpath(os.path.join("include", target))  # missing: judge by its path
    return None


def read_cmake_layers():
    """layer -> declared LAYERS of its btt_layer(...) call in CMakeLists.txt."""
    path = os.path.join(ROOT, "CMakeLists.txt")
    with open(path, encoding="utf-8") as f:
        text = re.sub(r"#[^\n]*", "", f.read())
    declared = {}
    for m in re.finditer(r"\bbtt_layer\(\s*(\w+)([^)]*)\)", text):
        words = m.group(2).split()
        deps, on = set(), False
        for w in words:
            if w == "LAYERS":
                on = True
            elif w in ("PUBLIC", "PRIVATE"):
                on = False
            elif on:
                deps.add(w)
        declared[m.group(1)] = deps
    return declared


def find_cycle(edges):
    """One cycle of the layer graph as a list of layers, or None."""
    state = {}
    stack = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(edges.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(edges):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def main(argv):
    errors = []
    edges = {}  # layer -> layers it includes
    files = includes = 0
    for top in ("include", "src"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, top)):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith(SOURCE_EXT):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), ROOT)
                layer, module = layer_of(rel)
                if layer not in RANK:
                    errors.append(f"{rel}: folder '{layer}' is not a layer of the table in "
                                  "contrib/check-layers.py (doc/modules.md, \"Layers\")")
                    continue
                files += 1
                with open(os.path.join(ROOT, rel), encoding="utf-8", errors="replace") as f:
                    lines = f.readlines()
                for lineno, line in enumerate(lines, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    bracket, target = m.groups()
                    where = f"{rel}:{lineno}: {layer} includes \"{target}\""
                    if layer in NO_GRPC_NO_BOOST and (GRPC_HEADER.search(target) or
                                                      BOOST_HEADER.search(target)):
                        errors.append(f"{where}: the {layer} layer uses no gRPC and no Boost")
                        continue
                    if bracket == "<" and not target.startswith("btt/"):
                        continue
                    dest = resolve(rel, target)
                    if dest is None:
                        continue
                    includes += 1
                    to_layer, to_module = layer_of(dest)
                    if to_layer is None:
                        continue
                    if to_layer not in RANK:
                        errors.append(f"{where}: '{to_layer}' is not a layer")
                        continue
                    if rel.startswith("include/") and dest.startswith("src/"):
                        errors.append(f"{where}: a public header includes the private {dest}")
                    elif dest.startswith("src/") and to_layer != layer:
                        errors.append(f"{where}: {dest} is private to {to_layer}/ (src/); "
                                      f"use a header in include/btt/{to_layer}/")
                    if (layer == "modules" and dest.startswith("src/modules/") and
                            to_module is not None and to_module != module):
                        errors.append(f"{where}: module '{module}' reaches into module "
                                      f"'{to_module}''s private files; use "
                                      f"include/btt/modules/{to_module}/")
                    if to_layer == layer:
                        continue
                    edges.setdefault(layer, set()).add(to_layer)
                    if RANK[to_layer] > RANK[layer]:
                        errors.append(f"{where}: {to_layer} is above {layer} in the layer order")
                    elif RANK[to_layer] == RANK[layer]:
                        errors.append(f"{where}: {to_layer} and {layer} are peer layers and "
                                      "use none of each other")

    cycle = find_cycle(edges)
    if cycle:
        errors.append("layer cycle: " + " -> ".join(cycle))

    declared = read_cmake_layers()
    for layer in sorted(RANK, key=lambda l: (RANK[l], l)):
        if layer == "app":
            continue  # the programs link `btt` (every layer)
        if layer not in declared:
            errors.append(f"CMakeLists.txt: no btt_layer({layer} ...)")
            continue
        used = edges.get(layer, set())
        for extra in sorted(declared[layer] - used):
            errors.append(f"CMakeLists.txt: btt_{layer} links btt_{extra}, "
                          f"but no file of {layer}/ includes {extra}/")
        for missing in sorted(used - declared[layer]):
            errors.append(f"CMakeLists.txt: {layer}/ includes {missing}/, "
                          f"but btt_layer({layer} LAYERS ...) does not list it")

    if "--graph" in argv:
        for layer in sorted(edges, key=lambda l: (RANK[l], l)):
            below = sorted(edges[layer], key=lambda l: (RANK[l], l))
            print(f"{layer:>9} -> {' '.join(below)}")
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print(f"layers: {len(errors)} violation(s) (doc/modules.md, \"Layers\")", file=sys.stderr)
        return 1
    print(f"layers: {files} files, {includes} project includes; "
          "no upward include, no cycle, link graph matches")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
