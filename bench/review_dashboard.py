"""Steward dashboard bench (issue 8, review workflow): server time of /sprava and of its
queries with N datasets in the portal, and the per-dataset cost of scoring at index time.

Seeds N synthetic datasets straight into the database (package rows, quality scores, 10 %
pending review; names start with ``bench-review-``, removed at the end unless --keep) for
one organisation whose editor opens the dashboard. Prints figures, asserts nothing. Run on
a test slot, never the portal's database, e.g.:
  .venv/bin/python bench/review_dashboard.py -c .state/ckan_test_r.ini [--datasets 10000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.startup import ckan_request_context
from bench.timing import summary, timed

PREFIX = "bench-review-"


def seed(count: int) -> tuple[str, str]:
    """An organisation with an editor and `count` datasets; returns (org id, editor name)."""
    import ckan.plugins.toolkit as tk
    from ckan import model

    from ckanext.smartregion.clock import now
    from ckanext.smartregion.organizations import site_context
    from ckanext.smartregion.review.model import QualityScore, ReviewState

    editor = f"{PREFIX}editor"
    if model.User.get(editor) is None:
        tk.get_action("user_create")(
            site_context(),
            {"name": editor, "email": "bench@example.cz", "password": uuid.uuid4().hex},
        )
    org_name = f"{PREFIX}org"
    if model.Group.get(org_name) is None:
        tk.get_action("organization_create")(
            site_context(),
            {"name": org_name, "title": "Bench", "users": [{"name": editor, "capacity": "editor"}]},
        )
    org_id = model.Group.get(org_name).id
    existing = model.Session.query(model.Package).filter(model.Package.name.like(f"{PREFIX}%"))
    have = existing.count()
    rng = random.Random(8)
    packages, scores, states = [], [], []
    for index in range(have, count):
        package_id = str(uuid.uuid4())
        packages.append(
            model.Package(
                id=package_id,
                name=f"{PREFIX}{index:05d}",
                title=f"Bench {index}",
                type="dataset",
                state="active",
                private=index % 10 == 0,
                owner_org=org_id,
            )
        )
        scores.append(
            QualityScore(
                package_id=package_id,
                owner_org=org_id,
                score=rng.randint(20, 100),
                missing=["recommended:contact_email", "recommended:ruian"],
                broken_links=[],
                computed=now(),
            )
        )
        if index % 10 == 0:
            states.append(ReviewState(package_id=package_id, state="pending", updated=now()))
    for batch in (packages, scores, states):
        model.Session.bulk_save_objects(batch)
        model.Session.commit()
    print(f"datasets of the organisation: {count} (seeded now: {len(packages)})")
    return org_id, editor


def cleanup() -> None:
    from ckan import model

    from ckanext.smartregion.review.model import QualityScore, ReviewState

    ids = [
        row.id
        for row in model.Session.query(model.Package.id).filter(
            model.Package.name.like(f"{PREFIX}%")
        )
    ]
    for table in (QualityScore, ReviewState):
        model.Session.query(table).filter(table.package_id.in_(ids)).delete(
            synchronize_session=False
        )
    model.Session.query(model.Package).filter(model.Package.id.in_(ids)).delete(
        synchronize_session=False
    )
    model.Session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--datasets", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    with ckan_request_context(args.config) as flask_app:
        import ckan.plugins.toolkit as tk

        from ckanext.smartregion.review import listing, quality

        _org, editor = seed(args.datasets)
        token = tk.get_action("api_token_create")(
            {"user": editor, "ignore_auth": True}, {"user": editor, "name": "bench"}
        )["token"]
        summary(
            "quality list, page 1 (worst first)",
            timed(args.runs, lambda: listing.quality_list(editor, {"limit": 25})),
        )
        summary(
            "quality list, page 200",
            timed(args.runs, lambda: listing.quality_list(editor, {"limit": 25, "offset": 4975})),
        )
        summary(
            "pending list (100 rows)",
            timed(
                args.runs, lambda: listing.review_list(editor, {"state": "pending", "limit": 100})
            ),
        )
        sample = {
            "id": str(uuid.uuid4()),
            "type": "dataset",
            "title": "Bench",
            "notes": "Bench",
            "owner_org": _org,
            "tags": [{"name": "bench"}],
            "themes": ["ENER"],
            "frequency": "ANNUAL",
            "resources": [{"id": str(uuid.uuid4()), "name": "a", "format": "CSV"}],
        }
        summary(
            "score and store one dataset (index hook)",
            timed(args.runs, lambda: quality.save(sample)),
        )
    client = flask_app.test_client()
    headers = {"Authorization": token}
    client.get("/sprava", headers=headers)  # warm-up
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        response = client.get("/sprava", headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    summary("/sprava page (server time, in-process)", times)
    client.get("/dataset/", headers=headers)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        client.get("/dataset/", headers=headers)
        times.append((time.perf_counter() - start) * 1000)
    summary("for scale, CKAN's /dataset/ search page, same user and load", times)
    with flask_app.test_request_context():
        from ckan import model

        from ckanext.smartregion.review.model import QualityScore

        model.Session.query(QualityScore).filter_by(package_id=sample["id"]).delete()
        model.Session.commit()
        if not args.keep:
            cleanup()
            print("seeded datasets removed")


if __name__ == "__main__":
    main()
