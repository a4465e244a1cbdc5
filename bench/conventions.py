"""Issue 14's figures on the code itself: services without a required `actor`, role comparisons
outside the apps' policies, and the longest functions. Prints them; run from the project root:

    .venv/bin/python bench/conventions.py [SRC_DIR]

SRC_DIR defaults to src/cuakhau (point it at another checkout's src/cuakhau to compare). The service
count imports the code (Django set up with the test settings); the other two read files as text.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from pathlib import Path

ROLE_TEST = re.compile(
    r"\.role\s*(==|!=|\bin\b|\bnot in\b)|\brole\s*(==|!=)\s*['\"A-Za-z]|\brole in\b|==\s*Role\.|Role\.[A-Z_]+\s*(==|!=|\bin\b)"
)


def role_comparisons(src: Path) -> list[str]:
    found = []
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".py", ".html") or "migrations" in path.parts:
            continue
        if path.name in ("permissions.py", "policy.py", "roles.py") or path.parts[-2:] == (
            "core",
            "checks.py",
        ):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            if ROLE_TEST.search(line):
                found.append(f"{path.relative_to(src)}:{number}: {line.strip()[:100]}")
    return found


def _is_page(row: str) -> bool:
    path = row.split(":", 1)[0]
    return path.startswith("templates/") or "/views" in path or path.endswith(("api.py", "forms.py"))


def longest_functions(src: Path, count: int = 10) -> list[tuple[int, str]]:
    rows = []
    for path in src.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                rows.append((node.end_lineno - node.lineno + 1, f"{path.relative_to(src)}:{node.name}"))
    return sorted(rows, reverse=True)[:count]


def services(src: Path) -> tuple[int, list[str]]:
    sys.path.insert(0, str(src.parent))
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from cuakhau.core.service import public_services, services_without_actor

    return len(public_services()), services_without_actor()


def main() -> None:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "src/cuakhau").resolve()
    roles = role_comparisons(src)
    pages = [r for r in roles if _is_page(r)]
    print(f"role comparisons in views, the API and templates: {len(pages)}")
    print(f"role comparisons outside the policies (any module but permissions.py and roles.py): {len(roles)}")
    for line in roles:
        print(f"  {line}")
    print("longest functions (lines):")
    for length, name in longest_functions(src):
        print(f"  {length:4d}  {name}")
    try:
        total, without = services(src)
    except ImportError as exc:  # an older checkout without core.service
        print(f"services: not measurable here ({exc})")
        return
    print(f"public functions in services modules: {total}; without a required keyword actor: {len(without)}")
    for name in without:
        print(f"  {name}")


if __name__ == "__main__":
    main()
