"""Demo step of `seed_demo`: the declared indicators, and their values computed from the demo
budgets and projects (nothing is generated here: the values follow from the seeded data)."""


def seed_indicators(*, scale: str, stdout) -> list[str]:
    """Sync the indicator definitions, then recompute every value (idempotent)."""
    from benchmarks.services import indicator_values_recompute, indicators_sync

    synced = indicators_sync()
    written = indicator_values_recompute()
    stdout.write(
        f"benchmarks: indicators {synced['created']} created, {synced['updated']} updated; "
        f"{sum(count for code, count in written.items() if code != 'removed')} values written"
    )
    return []
