"""The three pure subpackages stay pure and layered one way: api <- tariffs <- history.

Walks every module's imports with `ast` (nothing is imported), so a forbidden import fails here
even in a branch no test executes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "custom_components" / "octopus_viz"
NAME = "custom_components.octopus_viz"
# Each layer and the subpackages it may import (itself included).
ALLOWED = {
    "api": {"api"},
    "tariffs": {"api", "tariffs"},
    "history": {"api", "tariffs", "history"},
}


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def _imports(path: Path) -> list[str]:
    """Absolute dotted names of everything a module imports (relative ones resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = path.relative_to(PACKAGE.parents[1]).with_suffix("").parts
    package = parts[:-1]  # a module and an __init__ resolve against their folder alike
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = node.module or ""
            else:
                base = ".".join(package[: len(package) - node.level + 1])
                if node.module:
                    base = f"{base}.{node.module}"
            if node.module is None and node.level:
                names.extend(f"{base}.{alias.name}" for alias in node.names)
            else:
                names.append(base)
    return names


def _layer_of(dotted: str) -> str | None:
    """The subpackage a dotted name of ours is in, "" for the root glue, None if not ours."""
    if dotted != NAME and not dotted.startswith(NAME + "."):
        return None
    rest = dotted[len(NAME) + 1 :].split(".")
    return rest[0] if rest[0] in ALLOWED else ""


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_no_home_assistant_import(layer: str) -> None:
    """No module of a pure subpackage imports homeassistant."""
    offenders = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in _modules(layer)
        for name in _imports(path)
        if name == "homeassistant" or name.startswith("homeassistant.")
    ]
    assert offenders == []


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layers_run_one_way(layer: str) -> None:
    """A layer imports only itself and the layers below it, never the Home Assistant glue."""
    offenders = []
    for path in _modules(layer):
        for name in _imports(path):
            target = _layer_of(name)
            if target is not None and target not in ALLOWED[layer]:
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_walker_sees_relative_imports() -> None:
    """The walker resolves `..` imports, so the checks above can fail."""
    module = PACKAGE / "api" / "models.py"
    resolved = _imports(module)
    assert all(not name.startswith(".") for name in resolved)
    assert _layer_of(f"{NAME}.history.cache") == "history"
    assert _layer_of(f"{NAME}.const") == ""
    assert _layer_of("homeassistant.core") is None
    source = PACKAGE / "tariffs" / "source.py"
    assert f"{NAME}.api.models" in _imports(source)
