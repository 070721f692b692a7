"""Similar LAOs: a provider registered by an app above `units` (DESIGN.md §2).

Lower apps that suggest something from one LAO to others like it (knowledge: good practices) ask
`similar_laos(lao, limit=)`. `benchmarks` registers its nearest-neighbour provider in its
`AppConfig.ready()`:

    register_similar_laos_provider(nearest_neighbours)

where `nearest_neighbours(lao, limit)` returns a QuerySet of LAOs (so callers can use it as a
subquery). Without a provider the fallback is: active LAOs of the same kind whose population is
in the same band (half to twice), those of the same province first, then the closest in size.
"""

from collections.abc import Callable

from django.db.models import Case, F, Func, IntegerField, QuerySet, Value, When

from units.models import LAO

Provider = Callable[[LAO, int], QuerySet]

_provider: Provider | None = None


def register_similar_laos_provider(provider: Provider | None) -> Provider | None:
    """Answer `similar_laos` with `provider(lao, limit)` (None restores the fallback); returns
    the provider it replaces, so that a test can put it back."""
    global _provider
    previous, _provider = _provider, provider
    return previous


def similar_laos(lao: LAO, *, limit: int = 15) -> QuerySet:
    """Up to `limit` LAOs similar to `lao` (never `lao` itself), most similar first, as a lazy
    QuerySet: the registered provider's, else `same_kind_and_size`."""
    if _provider is not None:
        return _provider(lao, limit)
    return same_kind_and_size(lao, limit=limit)


def same_kind_and_size(lao: LAO, *, limit: int) -> QuerySet:
    """Active LAOs of `lao`'s kind with a population from half to twice its own (any population
    when it has none), the same province first, then by closeness in population. One query,
    when evaluated, on the (is_active, province, kind) and (is_active, kind) indexes."""
    laos = LAO.objects.active().filter(kind=lao.kind).exclude(pk=lao.pk)
    if lao.population:
        laos = laos.filter(population__gte=lao.population // 2, population__lte=lao.population * 2)
        closeness = Func(F("population") - Value(lao.population), function="ABS")
    else:
        closeness = Value(0)
    same_province = Case(
        When(province_id=lao.province_id, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return laos.order_by(same_province, closeness, "pk")[:limit]
