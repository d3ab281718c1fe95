"""The TZNR cast (`tests.tznr.factories.tznr_cast`), one fixture per person or place: in Pays de la Loire the
commissioner (alice), the DDETS of Loire-Atlantique (dora), the CCAS of Nantes that carries `experiment` (its
member carl, `porteur`), national steering (nina); outside the scope the same roles elsewhere: the commissioner of
Bretagne (charlie), the DDETS of Vendée (victor), the CCAS of Brest (bruno). `experiment` covers Nantes;
`other_experiment` covers Brest."""

import pytest

from tests.tznr.factories import tznr_cast

NAMES = (
    "bretagne",
    "finistere",
    "nantes",
    "brest",
    "ccas_nantes",
    "ccas_brest",
    "experiment",
    "other_experiment",
    "porteur",
    "other_porteur",
    "commissioner",
    "other_commissioner",
    "ddets",
    "other_ddets",
    "national",
)


@pytest.fixture
def cast(region, loire_atlantique, vendee):
    return tznr_cast(region, loire_atlantique, vendee)


def _member(name: str):
    @pytest.fixture(name=name)
    def fixture(cast):
        return getattr(cast, name)

    return fixture


for _name in NAMES:
    globals()[f"_{_name}"] = _member(_name)
