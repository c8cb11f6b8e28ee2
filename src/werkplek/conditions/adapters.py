"""Build the plain values of `types.py` from the database (kept out of `types.py` and `rules.py`,
which stay free of models)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .types import ExtraDocument, SectorRules

if TYPE_CHECKING:
    from werkplek.catalog.models import ExtraDocumentRequirement, Partnership

__all__ = ["extra_document_from_requirement", "sector_rules_from_partnership"]


def extra_document_from_requirement(requirement: ExtraDocumentRequirement) -> ExtraDocument:
    return ExtraDocument(
        code=requirement.code,
        name_nl=requirement.name_nl,
        name_en=requirement.name_en,
        scope=requirement.scope,
        condition=requirement.condition,
    )


def sector_rules_from_partnership(partnership: Partnership | None) -> SectorRules:
    """The partnership's sector rules and extra documents (ordered by code).

    ``partnership_name`` is the name in the active language. With no partnership (none found
    yet) the general rules apply: the `SectorRules` defaults.
    """
    if partnership is None:
        return SectorRules()
    return SectorRules(
        partnership_name=partnership.name,
        min_mentor_age=partnership.min_mentor_age,
        min_experience_years=partnership.min_experience_years,
        experience_derogation_allowed=partnership.experience_derogation_allowed,
        mentor_training_required=partnership.mentor_training_required,
        mentor_training_deadline_months=partnership.mentor_training_deadline_months,
        extra_documents=tuple(
            extra_document_from_requirement(requirement)
            for requirement in partnership.extra_documents.order_by("code")
        ),
    )
