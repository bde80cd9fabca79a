"""The plugin's layout holds: imports run one way (tools -> build/output -> site -> read -> top),
no module imports in a circle, and the package's sources are found from one place."""

import ast
from pathlib import Path

from learning_journal.build.build_cache import code_fingerprint
from learning_journal.package import PACKAGE_NAME, PACKAGE_ROOT

# A layer may import its own modules and any layer to its right, never one to its left.
LAYERS = ["tools", "build", "output", "site", "read", ""]
# build/ and output/ are one level: the writer memoises pages, the feeds use the page memo.
SAME_LEVEL = {"build": 1, "output": 1}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_ROOT).with_suffix("").parts
    parts = parts[:-1] if parts[-1] == "__init__" else parts
    return ".".join((PACKAGE_NAME,) + parts)


def imported_modules(path: Path) -> set:
    """The package's own modules that a file imports, wherever in the file (lazy imports count)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith(PACKAGE_NAME):
                continue
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if module_path(candidate) else target)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith(PACKAGE_NAME)}
    return {module for module in found if module_path(module)}


def module_path(name: str) -> Path | None:
    relative = Path(*name.split(".")[1:])
    for candidate in (PACKAGE_ROOT / relative.with_suffix(".py"), PACKAGE_ROOT / relative / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def import_graph() -> dict:
    return {module_name(path): imported_modules(path) for path in sorted(PACKAGE_ROOT.rglob("*.py"))}


def layer_of(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 2 else ""


def level(layer: str) -> int:
    return SAME_LEVEL.get(layer, LAYERS.index(layer))


def test_no_module_imports_in_a_circle():
    graph = import_graph()
    state, cycles = {}, []

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if target == PACKAGE_NAME:  # the wiring module imports everything; nothing imports it back
                continue
            if state.get(target) == "open":
                cycles.append(trail[trail.index(target) :] + [target])
            elif target not in state:
                visit(target, trail + [target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_imports_run_one_way_between_layers():
    wrong = []
    for name, targets in import_graph().items():
        if name == PACKAGE_NAME:
            continue
        for target in targets:
            if target == PACKAGE_NAME:
                wrong.append((name, target))
            elif level(layer_of(target)) < level(layer_of(name)):
                wrong.append((name, target))
    assert wrong == []


def test_reading_and_site_code_never_import_output_code():
    graph = import_graph()
    wrong = [
        (name, target)
        for name, targets in graph.items()
        if layer_of(name) in {"read", "site"}
        for target in targets
        if layer_of(target) in {"output", "build", "tools"}
    ]
    assert wrong == []


def test_editing_any_plugin_source_changes_the_code_fingerprint(tmp_path, monkeypatch):
    """Every sub-package counts: a change deep in read/ or tools/ makes the build cache start over."""
    import learning_journal.build.build_cache as build_cache

    copy = tmp_path / "learning_journal"
    for source in PACKAGE_ROOT.rglob("*.py"):
        target = copy / source.relative_to(PACKAGE_ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    monkeypatch.setattr(build_cache, "PACKAGE_ROOT", copy)
    before = code_fingerprint()
    for sub_package in ("read", "site", "output", "build", "tools"):
        edited = sorted((copy / sub_package).glob("*.py"))[-1]
        edited.write_text(edited.read_text() + "\n# edited\n")
        after = code_fingerprint()
        assert after != before, edited
        before = after
