"""Generated reports in SQL (``interface.GeneratedReport``): GenerateServiceLastAccessedDetails'
jobs and credential reports, in one table every replica reads (schema version 16).

None of this is on the request path of other operations: only the operations that generate
and read reports touch the table, so its statements stay plain Core (no ``Prepared``, no
row cache: a payload may be large, and is read a few times at most)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, insert, select

from . import schema as s
from .interface import GeneratedReport, ReportKind
from .sql_base import QueryBase

_rep = s.generated_reports
# Newest first; among reports of one instant, by id (any fixed order will do).
_NEWEST_FIRST = (_rep.c.created.desc(), _rep.c.id.desc())


def _report(row: Any) -> GeneratedReport:
    return GeneratedReport(
        report_id=row.id,
        account_id=row.account_id,
        kind=cast(ReportKind, row.kind),
        owner=row.owner,
        created=row.created,
        payload=row.payload,
    )


class ReportQueries(QueryBase):
    def add_generated_report(self, report: GeneratedReport) -> None:
        self._run(
            insert(_rep).values(
                id=report.report_id,
                account_id=report.account_id,
                kind=report.kind,
                owner=report.owner,
                created=report.created,
                payload=report.payload,
            )
        )

    def get_generated_report(self, report_id: str, kind: ReportKind) -> GeneratedReport | None:
        row = self._one(select(_rep).where(_rep.c.id == report_id, _rep.c.kind == kind))
        return _report(row) if row is not None else None

    def latest_generated_report(self, account_id: str, kind: ReportKind) -> GeneratedReport | None:
        row = self._one(
            select(_rep).where(_rep.c.account_id == account_id, _rep.c.kind == kind).order_by(*_NEWEST_FIRST).limit(1)
        )
        return _report(row) if row is not None else None

    def expire_generated_reports(
        self,
        kind: ReportKind,
        *,
        before: datetime | None = None,
        keep: int | None = None,
        account_id: str | None = None,
    ) -> int:
        scope = [_rep.c.kind == kind]
        if account_id is not None:
            scope.append(_rep.c.account_id == account_id)
        gone = 0
        if before is not None:
            gone += int(self._run(delete(_rep).where(*scope, _rep.c.created < before)).rowcount)
        if keep is not None:
            beyond = select(_rep.c.id).where(*scope).order_by(*_NEWEST_FIRST).offset(max(keep, 0))
            gone += int(self._run(delete(_rep).where(_rep.c.id.in_(beyond))).rowcount)
        return gone
