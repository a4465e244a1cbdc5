"""Server time of every list and detail page in each role's menu, beside a minimal page measured in
the same run (issue 14: p95 under 300 ms for every page at ten years' scale).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cuakhau_gen_10y \\
        .venv/bin/python bench/pages.py [--repeat 7] [--roles board_leader,gate_operator] [--links 3]

The database must hold the reference data, the demo data (its users: one per role) and, for the
figures that matter, generated years (`cuakhau demo generate --years 10`). For each role the crawl
starts at the role's menu (core.navigation), follows links on each menu page that stay in that app
(its lists' tabs and the first `--links` detail links of each list), and times each page `--repeat`
times in-process through Django's test client, signed in as the role's demo user (the second factor
marked as passed): server time without the network. It prints p50 and p95 per page, the minimal
page (`/healthz`) as the floor, and the pages over the target.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cuakhau.settings")
os.environ.setdefault("DEBUG", "1")

TARGET_MS = 300.0
LINK = re.compile(r'href="(/[^"#?]*)"')


def _timed(client, url: str, repeat: int) -> tuple[int, list[float]]:
    times = []
    status = 0
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        status = response.status_code
    return status, times


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _links(html: str, prefix: str, limit: int) -> list[str]:
    """The page's links inside the app (`prefix`), lists first, then up to `limit` detail links
    (a path with a number or a code after the prefix) of each shape."""
    seen: list[str] = []
    shapes: dict[str, int] = {}
    for href in LINK.findall(html):
        if (
            not href.startswith(prefix)
            or href in seen
            or href.endswith((".pdf", ".docx", ".xlsx", ".csv", ".md"))
        ):
            continue
        if any(word in href for word in ("/logout", "/delete", "/new", "/edit", "/download", "/file")):
            continue
        shape = re.sub(r"/[0-9A-Za-z_-]*\d[0-9A-Za-z_-]*/", "/<id>/", href)
        if shape != href:
            shapes[shape] = shapes.get(shape, 0) + 1
            if shapes[shape] > limit:
                continue
        seen.append(href)
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--roles", default="")
    parser.add_argument("--links", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from cuakhau.core.models import User
    from cuakhau.core.navigation import menu_for
    from cuakhau.core.roles import Role

    settings.ALLOWED_HOSTS = ["*"]
    roles = [r for r in args.roles.split(",") if r] or list(Role.values)
    floor_client = Client()
    _status, floor = _timed(floor_client, "/healthz", args.repeat * 3)
    print(f"minimal page /healthz: p50 {statistics.median(floor):.1f} ms, p95 {_p95(floor):.1f} ms")
    print(f"{'role':<18} {'page':<58} {'status':>6} {'p50 ms':>8} {'p95 ms':>8}")
    over: list[str] = []
    pages = 0
    for role in roles:
        user = User.objects.filter(role=role, is_active=True, is_service_account=False).order_by("pk").first()
        if user is None:
            print(f"{role:<18} (no user with this role in this database)")
            continue
        client = Client()
        client.force_login(user)
        device = (
            user.totpdevice_set.filter(confirmed=True).first() if hasattr(user, "totpdevice_set") else None
        )
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        urls: list[str] = []
        for item in menu_for(user):
            response = client.get(item["url"], follow=True)  # a module's index may lead to its list
            url = response.redirect_chain[-1][0] if response.redirect_chain else item["url"]
            if url in urls:
                continue
            urls.append(url)
            prefix = "/" + url.strip("/").split("/")[0] + "/" if url != "/" else "/"
            if prefix == "/":
                continue
            html = response.content.decode(errors="replace")
            urls.extend(link for link in _links(html, prefix, args.links) if link not in urls)
        for url in urls:
            status, times = _timed(client, url, args.repeat)
            p50, p95 = statistics.median(times), _p95(times)
            pages += 1
            flag = " *" if p95 > TARGET_MS and status == 200 else ""
            print(f"{role:<18} {url[:58]:<58} {status:>6} {p50:>8.1f} {p95:>8.1f}{flag}")
            if flag:
                over.append(f"{role} {url} p95 {p95:.0f} ms")
    print(f"\n{pages} pages timed, {args.repeat} times each; target p95 < {TARGET_MS:.0f} ms")
    print(f"over the target: {len(over)}")
    for line in over:
        print(f"  {line}")


if __name__ == "__main__":
    main()
