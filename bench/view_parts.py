"""Each part of the dashboard's first view, timed in turn, for a view never asked
before (issue 18): where an answer's time goes, part by part.

    .venv/bin/python bench/view_parts.py --store /tmp/store-100k.duckdb
    .venv/bin/python bench/view_parts.py --store STORE --filter issue=lachin-corridor

Each ``--filter`` (repeatable; ``name=value[&name=value]`` as the dashboard's
query string) is one view; the default is the few the read bench asks cold.
Prints seconds per part and in all, one line per view.
"""

from __future__ import annotations

import argparse
import time
from urllib.parse import parse_qsl

from peacetrack.profile import load_profile
from peacetrack.settings import load_settings
from peacetrack.store import open_store
from peacetrack.views import PARTS, Filters, narrowed

VIEWS = ["type=verbal-conflict", "actor=russia", "start=2020-01-01&end=2020-12-31",
         "source=Armenpress", "issue=lachin-corridor"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--filter", action="append", default=[], metavar="QUERY")
    args = parser.parse_args(argv)
    profile = load_profile(load_settings().profile)
    with open_store(args.store, read_only=True) as store:
        for query in args.filter or VIEWS:
            filters = Filters(**dict(parse_qsl(query)))
            times = {}
            for part, (compute, _) in PARTS.items():
                start = time.perf_counter()
                compute(store, profile, narrowed(filters, part))
                times[part] = time.perf_counter() - start
            print(f"{query:34} all {sum(times.values()):6.2f} s  "
                  + " ".join(f"{p}={t:.2f}" for p, t in times.items()), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
