"""Typed SQLAlchemy 2.0 models of the plan, the figures entered against it and the audit.

Every table is reached through Alembic migrations (``app/migrations``); a test checks
that these classes and the migrations agree. Money is whole Rupiah in ``Numeric(18, 0)``
and counts are ``Numeric(18, 4)`` (19 digits on PostgreSQL) so that Indonesian decimals
like ``268,08`` survive exactly, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.domain.breakdown import Breakdown

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# 15 whole digits (the figure rule) plus 4 decimals: 19 on a server, which enforces the
# declared size; SQLite ignores it, so its files keep the 18 they were made with.
Count = Numeric(18, 4, asdecimal=True).with_variant(Numeric(19, 4, asdecimal=True), "postgresql")
Money = Numeric(18, 0, asdecimal=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def version_column() -> Mapped[int]:
    """The optimistic-concurrency counter of a table two people can edit at once.

    Used as the mapper's ``version_id_col``: every ORM UPDATE or DELETE says
    ``WHERE version = :seen`` and raises ``StaleDataError`` when someone else wrote first,
    so no edit silently overwrites another (docs/deployment.md, "Beberapa pengguna
    sekaligus"). The server default gives rows written by plain SQL (imports) version 1.
    """
    return mapped_column(Integer, nullable=False, server_default=text("1"))


def versioned_by(column: Mapped[int]) -> dict[str, Any]:
    """The mapper options that make ``column`` the table's concurrency counter."""
    return {"version_id_col": column}


class BreakdownColumns:
    """Mixin for the four sex-disaggregated columns, read and written as one Breakdown."""

    total: Mapped[Decimal | None] = mapped_column(Count)
    male: Mapped[Decimal | None] = mapped_column(Count)
    female: Mapped[Decimal | None] = mapped_column(Count)
    disabled: Mapped[Decimal | None] = mapped_column(Count)

    @property
    def breakdown(self) -> Breakdown:
        return Breakdown(self.total, self.male, self.female, self.disabled)

    @breakdown.setter
    def breakdown(self, value: Breakdown) -> None:
        self.total, self.male, self.female, self.disabled = (
            value.total,
            value.male,
            value.female,
            value.disabled,
        )


class Plan(Base):
    """A plan document with its own period: RAD PUG 2022–2024, a Renstra 2024–2026, …"""

    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text, default="")
    data_version: Mapped[str] = mapped_column(String(80), default="")

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class Opd(Base):
    """A regency agency (Perangkat Daerah) under its canonical name."""

    __tablename__ = "opd"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    short_name: Mapped[str] = mapped_column(String(120))
    aliases: Mapped[list[OpdAlias]] = relationship(
        back_populates="opd", cascade="all, delete-orphan"
    )


class OpdAlias(Base):
    """A spelling of an OPD's name seen in documents, so imports can map it back."""

    __tablename__ = "opd_alias"
    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id", ondelete="CASCADE"), index=True)
    variant: Mapped[str] = mapped_column(Text)
    opd: Mapped[Opd] = relationship(back_populates="aliases")
    __table_args__ = (UniqueConstraint("opd_id", "variant"),)


class PlanNode(Base):
    """One level of the hierarchy (misi … sub kegiatan).

    Program and the levels below belong to one OPD: two agencies running a program of the
    same name report it separately, and the ARG checklist is answered per OPD and kegiatan.
    """

    __tablename__ = "plan_node"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_node.id", ondelete="CASCADE"), index=True
    )
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    level: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(64), unique=True)
    code: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    parent: Mapped[PlanNode | None] = relationship(remote_side=[id])


class PlanRow(Base):
    """An activity/indicator row of the matrix: what targets and realisations hang on."""

    __tablename__ = "plan_row"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    node_id: Mapped[int | None] = mapped_column(ForeignKey("plan_node.id"), index=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    no: Mapped[str] = mapped_column(String(20), default="")
    aktivitas: Mapped[str] = mapped_column(Text, default="")
    indikator: Mapped[str] = mapped_column(Text, default="")
    satuan: Mapped[str] = mapped_column(Text, default="")
    polarity: Mapped[str] = mapped_column(String(10), default="higher")
    keterangan: Mapped[str] = mapped_column(Text, default="")
    opd_text: Mapped[str | None] = mapped_column(Text)
    seed_line: Mapped[int | None] = mapped_column(Integer)
    share_male: Mapped[Decimal | None] = mapped_column(Count)
    share_female: Mapped[Decimal | None] = mapped_column(Count)
    share_disabled: Mapped[Decimal | None] = mapped_column(Count)
    # Renstra columns (TC-25/TC-27); NULL for RAD PUG rows, which the matrix does not give.
    # The document's own end-of-period figures are kept as printed beside their parse,
    # because the app computes the totals from the yearly values and shows both where
    # they differ (DOMAIN.md, erratum 6).
    source_table: Mapped[str | None] = mapped_column(String(20))
    statement: Mapped[str | None] = mapped_column(Text)
    formula: Mapped[str | None] = mapped_column(Text)
    # The office responsible for the row (TC-27 "Unit Kerja"); named apart from `satuan`,
    # the unit of measure. The column keeps its first name, as do the plan files.
    responsible_unit: Mapped[str | None] = mapped_column("unit_name", Text)
    location: Mapped[str | None] = mapped_column(Text)
    baseline_text: Mapped[str | None] = mapped_column(Text)
    baseline: Mapped[Decimal | None] = mapped_column(Count)
    end_target_text: Mapped[str | None] = mapped_column(Text)
    end_target: Mapped[Decimal | None] = mapped_column(Count)
    end_budget_text: Mapped[str | None] = mapped_column(Text)
    end_budget: Mapped[Decimal | None] = mapped_column(Money)
    # Set when a distributed matrix no longer lists the row but the row still carries a
    # focal point's work (realisations, proposals, links): kept, attached by key, hidden
    # from the matrix instead of deleted (docs/matrix-distribution.md). NULL = current.
    retired_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Who last edited the row's plan text (plan_edit); NULL for rows as seeded.
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = version_column()
    __mapper_args__ = versioned_by(version)
    node: Mapped[PlanNode | None] = relationship()
    opd: Mapped[Opd] = relationship()
    targets: Mapped[list[Target]] = relationship(
        back_populates="row", cascade="all, delete-orphan", order_by="Target.year"
    )
    # An imported file reads its OPD's rows of the plan: with one index per column SQLite
    # walks the whole plan through plan_id (migration 0013). retired_at lets the board
    # count each OPD's rows in force from the index alone (migration 0014).
    __table_args__ = (Index("ix_plan_row_in_force", "plan_id", "opd_id", "retired_at"),)


class Target(BreakdownColumns, Base):
    """A yearly target: the official figure as printed, and an OPD's proposed change.

    The official columns never change after seeding; a proposal lives beside them so
    that every report can show both and the difference is never silently lost.
    """

    __tablename__ = "target"
    id: Mapped[int] = mapped_column(primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("plan_row.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    is_percent: Mapped[bool] = mapped_column(Boolean, default=False)
    # The plan's own Rupiah for the year (Renstra TC-27), as printed and as read; a
    # realisation's budget (pagu) is entered separately and may differ.
    budget_text: Mapped[str | None] = mapped_column(Text)
    budget: Mapped[Decimal | None] = mapped_column(Money)
    # Proposed change (all NULL while the official target stands).
    proposed: Mapped[bool] = mapped_column(Boolean, default=False)
    proposed_text: Mapped[str | None] = mapped_column(Text)
    proposed_total: Mapped[Decimal | None] = mapped_column(Count)
    proposed_male: Mapped[Decimal | None] = mapped_column(Count)
    proposed_female: Mapped[Decimal | None] = mapped_column(Count)
    proposed_disabled: Mapped[Decimal | None] = mapped_column(Count)
    proposed_at: Mapped[datetime | None] = mapped_column(DateTime)
    proposed_by: Mapped[str | None] = mapped_column(Text)
    # Who last changed the proposal or the plan target (withdrawing clears proposed_by).
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = version_column()
    __mapper_args__ = versioned_by(version)
    row: Mapped[PlanRow] = relationship(back_populates="targets")
    __table_args__ = (UniqueConstraint("row_id", "year"),)

    @property
    def proposed_breakdown(self) -> Breakdown:
        return Breakdown(
            self.proposed_total, self.proposed_male, self.proposed_female, self.proposed_disabled
        )

    @property
    def effective_breakdown(self) -> Breakdown:
        return self.proposed_breakdown if self.proposed else self.breakdown


class Realisation(BreakdownColumns, Base):
    """What an OPD achieved on a row in a year (semester 0 = the whole year)."""

    __tablename__ = "realisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("plan_row.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    semester: Mapped[int] = mapped_column(Integer, default=0)
    budget: Mapped[Decimal | None] = mapped_column(Money)
    spending: Mapped[Decimal | None] = mapped_column(Money)
    evidence: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = version_column()
    __mapper_args__ = versioned_by(version)
    # The completeness board counts filled rows (total set) per OPD and year from this
    # index alone, without visiting the table (migration 0013).
    __table_args__ = (
        UniqueConstraint("row_id", "year", "semester"),
        Index("ix_realisation_filled", "row_id", "year", "semester", "total"),
    )


class AuditEntry(Base):
    """Who changed what, when, from which value to which: never updated, only appended."""

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(40))
    row_key: Mapped[str | None] = mapped_column(String(64), index=True)
    year: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(40), default="")
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class Setting(Base):
    """Small key/value settings of this installation (role, user, OPD, year)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)

    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = version_column()
    __mapper_args__ = versioned_by(version)


class ArgAnswer(Base):
    """One answer of the ARG checklist (Tabel 5.1–5.3) for a kegiatan/sub kegiatan and year.

    The question-set version is part of the key: answers given to an older version stay
    readable and attributed to it after Pokja ships corrected questions.
    """

    __tablename__ = "arg_answer"
    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("plan_node.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    qset_version: Mapped[str] = mapped_column(String(80))
    question_id: Mapped[str] = mapped_column(String(20))
    answer: Mapped[str] = mapped_column(String(20))
    remark: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime] = mapped_column(DateTime)
    answered_by: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = version_column()
    __mapper_args__ = versioned_by(version)
    # The board scores every instrument from the answers' index alone (migration 0014).
    __table_args__ = (
        UniqueConstraint("node_id", "year", "qset_version", "question_id"),
        Index("ix_arg_answer_classes", "node_id", "year", "qset_version", "question_id", "answer"),
    )


class PinnedKey(Base):
    """An OPD's signing key as Pokja accepted it (trust on first use, then explicit).

    Only one key per OPD is active; a replaced key stays listed, inactive, so the
    history of which key signed what remains readable.
    """

    __tablename__ = "pinned_key"
    id: Mapped[int] = mapped_column(primary_key=True)
    opd_code: Mapped[str] = mapped_column(String(64), index=True)
    key_id: Mapped[str] = mapped_column(String(32))
    # Indexed: every imported file asks whether its key is pinned for another OPD.
    public_key: Mapped[str] = mapped_column(String(64), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    pinned_at: Mapped[datetime] = mapped_column(DateTime)
    pinned_by: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (UniqueConstraint("opd_code", "key_id"),)


class Submission(Base):
    """A signed submission file Pokja received (docs/submissions.md).

    ``current`` marks the revision whose figures are in the database for that OPD and
    year; superseded revisions stay listed. ``signature_state`` is ``signed``,
    ``unsigned`` (a fill-in workbook from an OPD without the app) or ``refused``.
    """

    __tablename__ = "submission"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[str] = mapped_column(String(36), index=True)
    opd_code: Mapped[str] = mapped_column(String(64), index=True)
    plan_code: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(DateTime)
    signature_state: Mapped[str] = mapped_column(String(12))
    key_id: Mapped[str | None] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(Text, default="")
    current: Mapped[bool] = mapped_column(Boolean, default=False)
    # The canonical content JSON as received (signed bytes, or the content read from an
    # unsigned fill-in workbook); None for refusals and for rows from before 0006.
    content: Mapped[str | None] = mapped_column(Text)

    # The ``current`` flag flips when a newer file arrives: two imports must not both flip.
    version: Mapped[int] = version_column()
    __mapper_args__ = versioned_by(version)


class ImportLog(Base):
    """Every file Pokja tried to import, with its outcome and the reason (Indonesian)."""

    __tablename__ = "import_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    file_name: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    opd_code: Mapped[str | None] = mapped_column(String(64))
    year: Mapped[int | None] = mapped_column(Integer)
    submission_id: Mapped[str | None] = mapped_column(String(36))
    revision: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")


class RowLink(Base):
    """Two rows of different plans that are the same activity (a RAD PUG row and a Renstra
    sub kegiatan indicator): one realisation, entered once, serves both.

    Stored once per pair with ``row_a_id < row_b_id``.
    """

    __tablename__ = "row_link"
    id: Mapped[int] = mapped_column(primary_key=True)
    row_a_id: Mapped[int] = mapped_column(ForeignKey("plan_row.id", ondelete="CASCADE"), index=True)
    row_b_id: Mapped[int] = mapped_column(ForeignKey("plan_row.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (UniqueConstraint("row_a_id", "row_b_id"),)


class MatrixUpdate(Base):
    """A signed matrix package applied to this database (docs/matrix-distribution.md).

    The newest ``created_at`` per plan is what a later package must exceed: an equal or
    older package changes nothing.
    """

    __tablename__ = "matrix_update"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_code: Mapped[str] = mapped_column(String(64), index=True)
    data_version: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    key_id: Mapped[str] = mapped_column(String(32))
    applied_at: Mapped[datetime] = mapped_column(DateTime)
    applied_by: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")


class PokjaCorrection(Base):
    """A value Pokja changed on figures that came from an OPD's signed submission.

    The database holds the corrected value in ``realisation``; this row keeps what the OPD
    signed, who changed it, when and why, so the form, the tree, the board, the reports
    and the revision comparison can say "Dikoreksi Pokja: 52 → 60". Rows are never
    deleted: a later correction of the same field, a correction back to the signed value
    or a newer signed revision sets ``active`` False and says when and why in
    ``ended_at``/``ended_reason`` (docs/submissions.md, "Koreksi Pokja").
    """

    __tablename__ = "pokja_correction"
    id: Mapped[int] = mapped_column(primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("plan_row.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    semester: Mapped[int] = mapped_column(Integer, default=0)
    field: Mapped[str] = mapped_column(String(20))
    # Exact texts as the audit trail writes them ("52", "1500000"); None = empty.
    signed_value: Mapped[str | None] = mapped_column(Text)
    corrected_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    corrected_at: Mapped[datetime] = mapped_column(DateTime)
    corrected_by: Mapped[str] = mapped_column(Text, default="")
    # The signed submission (``submission.id``) whose value was corrected.
    submission_ref: Mapped[int | None] = mapped_column(
        ForeignKey("submission.id", ondelete="SET NULL")
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    ended_reason: Mapped[str | None] = mapped_column(Text)

    version: Mapped[int] = version_column()
    __mapper_args__ = versioned_by(version)


class RowContinuation(Base):
    """A row that continues a row of an earlier period (RAD PUG 2025–2029 after 2022–2024).

    Unlike :class:`RowLink` the two rows share nothing: the periods do not overlap, each
    keeps its own figures, and the form and reports read the earlier row's years as
    history of the indicator. One previous row per row (``row_id`` unique); the earlier
    row may be continued by several (an indicator split in the new plan).
    """

    __tablename__ = "row_continuation"
    id: Mapped[int] = mapped_column(primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("plan_row.id", ondelete="CASCADE"), unique=True)
    previous_row_id: Mapped[int] = mapped_column(
        ForeignKey("plan_row.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(Text, default="")


class PprgDocument(Base):
    """A GAP or GBS (docs/pprg.md) of one kegiatan/sub kegiatan, OPD and year.

    The document itself is the canonical JSON of :mod:`app.domain.pprg`, so the signed
    submission carries exactly what is stored. Plan nodes are named by their stable key,
    not their id: a document outlives a revised matrix that renumbers nodes. ``origin`` is
    ``lokal`` (written here, at the OPD) or ``kiriman`` (received by Pokja in a signed
    submission, ``submission_id`` naming it); only one of each per kind, node and year.
    """

    __tablename__ = "pprg_document"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(3))
    node_key: Mapped[str] = mapped_column(String(64), index=True)
    opd_code: Mapped[str] = mapped_column(String(64), index=True)
    year: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(10), default="lokal")
    content: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(Text, default="")
    submission_id: Mapped[str | None] = mapped_column(String(36))
    version: Mapped[int] = version_column()
    __mapper_args__ = versioned_by(version)
    __table_args__ = (UniqueConstraint("kind", "node_key", "year", "origin"),)


class PprgReview(Base):
    """A verdict on one version (``content_hash``) of a received GAP or GBS.

    Kept as history: a newer verdict on the same document is a new row; the latest by
    ``reviewed_at`` counts. At the OPD the same table holds the verdicts received back in
    Pokja's signed review file (``received_at`` set, ``review_file_id`` naming the file).
    """

    __tablename__ = "pprg_review"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(3))
    node_key: Mapped[str] = mapped_column(String(64), index=True)
    opd_code: Mapped[str] = mapped_column(String(64), index=True)
    year: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))
    remarks: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(Text, default="")
    reviewer_role: Mapped[str] = mapped_column(String(20), default="pokja")
    reviewed_at: Mapped[datetime] = mapped_column(DateTime)
    received_at: Mapped[datetime | None] = mapped_column(DateTime)
    review_file_id: Mapped[str | None] = mapped_column(String(36))
