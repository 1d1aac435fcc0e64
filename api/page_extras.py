"""What a resolution's page shows beside api.data's ResolutionDetail: the spokesperson
appointments it makes and the bodies it establishes, continues or ends, in one worker round
trip (a body's page gets its share from api.land_view)."""

from __future__ import annotations

from dataclasses import dataclass

from api.appointments import Appointment, appointment_queries, appointments_from_rows
from api.body_changes import BodyChange, body_change_query, changes_from_rows
from api.data import Linker
from api.runner import QueryRunner


@dataclass(frozen=True)
class ResolutionExtras:
    appointments: list[Appointment]
    changes: list[BodyChange]


async def resolution_extras(runner: QueryRunner, client: str, linker: Linker,
                            iri: str) -> ResolutionExtras:
    appointments, points, changes = await runner.select_many(
        client, [*appointment_queries(iri, "resolution"), body_change_query(iri, "resolution")])
    return ResolutionExtras(appointments_from_rows(appointments, points, linker),
                            changes_from_rows(changes, linker))
