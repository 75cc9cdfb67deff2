"""Places a reporter can ask about: forces, and the areas made of them."""

from __future__ import annotations

from functools import cache

from bot.core.plan import Place, PlaceKind
from bot.core.reference import Force, ForceKind, force_by_name, forces

NATIONAL = "England and Wales"


def territorial_forces() -> tuple[Force, ...]:
    return tuple(f for f in forces() if f.kind is ForceKind.TERRITORIAL)


def force_place(name: str) -> Place:
    force = force_by_name()[name]
    return Place(force.force, PlaceKind.FORCE, (force.force,), force.display_name)


def local_place(name: str, force: str) -> Place:
    """A local authority area (its Community Safety Partnership), inside one force's area;
    'Bristol, City of' is shown as 'Bristol'."""
    return Place(name, PlaceKind.LOCAL, (force,), name.removesuffix(", City of"))


@cache
def national() -> Place:
    """England and Wales: the 43 territorial forces, the one basis every table (and the
    population) shares, so a figure never jumps between periods or measures with the basis."""
    return Place(NATIONAL, PlaceKind.NATIONAL, tuple(f.force for f in territorial_forces()))


@cache
def areas() -> dict[str, Place]:
    """Countries and regions by name."""
    found: dict[str, Place] = {NATIONAL: national()}
    for country in ("England", "Wales"):
        members = tuple(f.force for f in territorial_forces() if f.country == country)
        found[country] = Place(country, PlaceKind.COUNTRY, members)
    for region in sorted({f.region for f in territorial_forces()} - {"Wales"}):
        members = tuple(f.force for f in territorial_forces() if f.region == region)
        found[region] = Place(region, PlaceKind.REGION, members, f"the {region} region")
    return found
