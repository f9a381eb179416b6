"""The house shows its rooms (issue 18): each package's docstring is its map — every module of the package named in
it —, no module name is used twice in different folders, and the core never imports streamlit (pages only render)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE, UI = ROOT / "papi_analysis", ROOT / "ui"
PACKAGES = sorted(p.parent for p in CORE.rglob("__init__.py") if p.parent != CORE)


def modules(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__")


def dotted(folder: Path) -> str:
    return ".".join(folder.relative_to(ROOT).parts)


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_each_package_names_every_module_in_its_docstring(package):
    doc = importlib.import_module(dotted(package)).__doc__ or ""
    words = set(doc.replace(",", " ").split())
    assert [m for m in modules(package) if m not in words] == [], f"{dotted(package)}'s map misses these"


def test_no_module_name_is_used_twice():
    seen: dict[str, list[str]] = {}
    for folder in (CORE, UI):
        for path in folder.rglob("*.py"):
            if path.stem != "__init__":
                seen.setdefault(path.stem, []).append(str(path.relative_to(ROOT)))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_the_core_never_imports_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in CORE.rglob("*.py") if "streamlit" in imported(p)]
    assert offenders == []


def test_the_core_never_imports_the_pages():
    offenders = [str(p.relative_to(ROOT)) for p in CORE.rglob("*.py") if imported(p) & {"ui", "pages"}]
    assert offenders == []


def test_no_script_leaves_a_value_for_magic_to_show():
    """Streamlit's "magic" (writing a bare expression's value) is off in .streamlit/config.toml (issue 18: a page is
    then compiled, not parsed and rewritten, after the last session closes): a bare value would show nothing."""
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert "magicEnabled = false" in config
    shown_by_magic = []
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *UI.rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = node.value if isinstance(node, ast.Expr) else None
            if value is None or isinstance(value, ast.Call | ast.Await | ast.Yield | ast.YieldFrom):
                continue
            if not (isinstance(value, ast.Constant) and isinstance(value.value, str | type(...))):
                shown_by_magic.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert shown_by_magic == []
