"""The code reads the way the data flows: no package imports a later stage.

read → normalize → validate → consolidate → write: ``intake`` never imports ``checks``, ``district``
never imports ``outputs``, nothing below ``run`` imports the orchestrator.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"

#: Every package/module of ``pipeline`` by layer; a module may import only its own layer or lower.
LAYERS = [
    ("text",),
    ("core",),
    ("config",),
    ("annexes",),
    ("intake",),
    ("checks",),
    ("result",),
    ("archive",),
    ("district",),
    ("excel",),
    ("forms",),
    ("outputs",),
    ("progress", "console"),
    ("run",),
    ("cli", "argparse_vi", "__main__"),
]
RANK = {name: i for i, names in enumerate(LAYERS) for name in names}


def _stage(module: str) -> str:
    return module.split(".")[1]


def _imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pipeline."):
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("pipeline.")]
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


def test_every_module_has_a_layer():
    stages = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in MODULES}
    assert stages - set(RANK) == set()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_later_stage(path):
    own = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    backward = [m for m in _imports(path) if RANK[_stage(m)] > RANK[own]]
    assert backward == [], f"{path.relative_to(PACKAGE)} imports a later stage: {backward}"
