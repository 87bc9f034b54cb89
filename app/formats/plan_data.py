"""The shape of plan data: the shipped ``resources/plans/*.json`` and a matrix package's data.

The same format travels in two ways (shipped with the app, and inside a signed matrix
package from Pokja), so its vocabulary lives with the other travelling formats: the
hierarchy levels a row names, which of them belong to one OPD, and the extra keys a
Renstra row carries.
"""

from __future__ import annotations

PLAN_FORMAT = "monev-radpug-plan"
HIERARCHY = ("misi", "tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan")
# From program down, a node belongs to one OPD (see PlanNode).
OPD_LEVELS = {"program", "kegiatan", "sub_kegiatan"}

# Row keys of a Renstra (TC-25/TC-27) that RAD PUG rows lack: plain texts, and
# {"text", "value"} pairs for the figures the document prints (value as parsed).
RENSTRA_TEXT_FIELDS = ("source_table", "statement", "formula", "unit_name", "location")
RENSTRA_FIGURE_FIELDS = ("baseline", "end_target", "end_budget")

__all__ = [
    "HIERARCHY",
    "OPD_LEVELS",
    "PLAN_FORMAT",
    "RENSTRA_FIGURE_FIELDS",
    "RENSTRA_TEXT_FIELDS",
]
