"""The generated national dataset the benchmarks run on: made when the year has none."""

from __future__ import annotations

from django.db import connection

from tidtam.seeds.generate import Scale, generate, generated_exists


def ensure_data(year: int, scale: float, seed: int) -> None:
    """`tidtam generate` for the year at the scale when it has no generated data yet (then
    ANALYZE on PostgreSQL); nothing when it has."""
    if generated_exists(year):
        return
    print(f"generating the dataset (scale {scale}) …", flush=True)
    generate(fiscal_year=year, scale=Scale().scaled(scale), seed=seed)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
