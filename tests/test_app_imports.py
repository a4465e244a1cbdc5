"""The README's map of which app may import which, checked against the code.

Every `import` in src/cuakhau/<app>/ (at module level or inside a function) is read with `ast`; an import
of another app must be in ALLOWED, which says what the README's table says. A new dependency between
apps fails here, naming the file and line: change the code, or change the README's table and this one
together."""

import ast
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "cuakhau"
APPS = sorted(p.name for p in SRC.iterdir() if (p / "apps.py").exists())

ANY = "*"
FOUNDATION = {"core": ANY, "gates": ANY, "parties": ANY}
# For each app: {other app: ANY or the set of that app's top-level modules it may import}.
OPERATIONAL = {
    **FOUNDATION,
    "fees": {"services", "selectors", "models"},
    "traffic": {"services", "selectors", "models"},
}
ALLOWED: dict[str, dict] = {
    "core": {},
    "gates": {"core": ANY},
    "parties": {"core": ANY},
    "fees": dict(FOUNDATION),
    # the fee engine's plain description of a charge; models and generator for `demo generate`
    "traffic": {**FOUNDATION, "fees": {"services", "selectors", "engine", "models", "generate"}},
    "trade": {**FOUNDATION, "traffic": {"selectors"}, "fees": {"selectors"}},
    "plans": OPERATIONAL,
    "incidents": OPERATIONAL,
    "cooperation": OPERATIONAL,
    "assets": OPERATIONAL,
    # the public feedback on staff gives the satisfaction figure
    "procedures": {**OPERATIONAL, "plans": {"models", "selectors"}},
    # a won auction becomes a lease; deposits are paid by VietQR and matched on bank statements
    "auctions": {
        **OPERATIONAL,
        "assets": ANY,
        "fees": {"services", "selectors", "models", "vietqr", "statements", "statement_files"},
    },
    # reports reads every app's selectors (and trade's periods and amount wording)
    "reports": {
        **{app: {"selectors"} for app in APPS if app != "reports"},
        "core": ANY,
        "trade": {"selectors", "periods", "formatting"},
    },
}


def _imports(path: Path, app: str):
    """(line, absolute module name) of every import in one file."""
    package = ["cuakhau", app, *path.relative_to(SRC / app).parent.parts]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module == "cuakhau":  # from cuakhau import fees
                for alias in node.names:
                    yield node.lineno, f"cuakhau.{alias.name}"
            else:
                yield node.lineno, module


def _cross_app_imports():
    for app in APPS:
        for path in sorted((SRC / app).rglob("*.py")):
            for line, module in _imports(path, app):
                parts = module.split(".")
                if parts[0] != "cuakhau" or len(parts) < 2 or parts[1] == app or parts[1] not in APPS:
                    continue
                yield app, parts[1], parts[2] if len(parts) > 2 else "", f"{path.relative_to(SRC)}:{line}"


def test_every_app_imports_only_what_the_readme_allows():
    wrong = []
    for app, other, module, where in _cross_app_imports():
        allowed = ALLOWED[app].get(other)
        if allowed is None or (allowed != ANY and module not in allowed):
            wrong.append(f"{where}: {app} imports cuakhau.{other}{'.' + module if module else ''}")
    assert not wrong, "imports the README's map does not allow:\n" + "\n".join(wrong)


def test_the_map_covers_every_app_has_no_cycle_and_nothing_imports_reports():
    assert set(ALLOWED) == set(APPS)
    assert not [app for app, deps in ALLOWED.items() if "reports" in deps]
    done, visiting = set(), []

    def visit(app):
        assert app not in visiting, "cycle: " + " -> ".join([*visiting, app])
        if app in done:
            return
        visiting.append(app)
        for other in ALLOWED[app]:
            visit(other)
        visiting.pop()
        done.add(app)

    for app in APPS:
        visit(app)


def test_the_checker_sees_a_forbidden_import(tmp_path, monkeypatch):
    """The checker itself can fail: a relative import from gates into fees is caught."""
    app = tmp_path / "gates"
    (app / "sub").mkdir(parents=True)
    (app / "sub" / "x.py").write_text("def f():\n    from ...fees.services import fee_assess\n")
    monkeypatch.setattr(sys.modules[__name__], "SRC", tmp_path)
    assert list(_imports(app / "sub" / "x.py", "gates")) == [(2, "cuakhau.fees.services")]
