"""Barometer of the Pacte des solidarités: where each national target of the référentiel stands.

- `rules`: how a target is judged from numbers (starting point, expected progress, gap, status, confidence);
  no database;
- `figures`: the figures once read (a line per target, the contracts behind it, the drill-down);
- `reads`: the queries that gather them, in a fixed number whatever the number of targets and contracts.

Code outside the observation app uses the names below; inside it, import the submodules.
"""

from pacte.observation.barometer.figures import Barometer, TargetProgress
from pacte.observation.barometer.reads import barometer, target_progress

__all__ = ["Barometer", "TargetProgress", "barometer", "target_progress"]
