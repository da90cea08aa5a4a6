"""A person's own data end to end: /mydata files, and /forget leaving nothing behind."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import func, select

from storage.models import Base, PersonRow
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_session import begin


async def test_mydata_holds_everything_and_forget_removes_it(timed: TimedWorld) -> None:
    async with timed.bot():
        ana, ben = timed.emulator.user("Ana"), timed.emulator.user("Ben")
        await onboard(ana)
        await onboard(ben)  # someone else, whose rows must survive Ana's /forget
        await begin(timed, ana, pain="3")
        await ana.press_and_wait("I'm in position")
        await ana.press_and_wait("It hurts, stop", contains="How bad")
        await ana.press_and_wait("6", contains="Where")
        await ana.press_and_wait("Neck", contains="call your doctor")
        await ana.send_and_wait("im worried the pain is getting worse", contains="call your doctor")
        await ana.press_and_wait("Save it as a question", contains="Saved")
        await ana.send_and_wait("/mydata", contains="everything I have stored")
        await ana.wait_for(lambda e: e.kind == "document" and "csv" in (e.file.filename or "")
                           if e.file else False, what="the CSV file")
        files = {f.filename: f.data for f in ana.documents}
        data = json.loads(files["backcoach-my-data.json"])
        assert data["person"]["country_code"] == "PT"
        assert [r["moment"] for r in data["pain_ratings"]] == ["before", "during"]
        assert data["questions"][0]["text"] == "im worried the pain is getting worse"
        levels = [(d["level"], d["source"]) for d in data["triage_decisions"]]
        assert ("call_doctor", "session") in levels and ("call_doctor", "message") in levels
        assert all(d["catalogue_version"] for d in data["triage_decisions"])
        assert data["sessions"][0]["results"] == {"head_rolls": "pain"}
        rows = list(csv.DictReader(io.StringIO(files["backcoach-pain-ratings.csv"].decode())))
        assert [(r["moment"], r["rating_0_to_10"], r["where"]) for r in rows] == [
            ("before", "3", ""), ("during", "6", "neck")]

        await ana.send_and_wait("/forget", contains="can't be undone")
        await ana.press_and_wait("Yes, delete everything", contains="Everything about you is")
        assert timed.deps is not None
        async with timed.deps.engine.connect() as connection:
            ana_id = (await connection.execute(select(PersonRow.id).where(
                PersonRow.telegram_user_id == ana.user_id))).scalar_one_or_none()
            assert ana_id is None
            for table in Base.metadata.sorted_tables:
                if "person_id" in table.c:
                    total = (await connection.execute(
                        select(func.count()).select_from(table))).scalar_one()
                    ben_rows = (await connection.execute(
                        select(func.count()).select_from(table).join(
                            PersonRow, PersonRow.id == table.c.person_id).where(
                            PersonRow.telegram_user_id == ben.user_id))).scalar_one()
                    assert total == ben_rows, f"{table.name} still holds Ana's rows"
        await ana.send_and_wait("/start", contains="Before we start")  # treated as new
        await ana.send_and_wait("/mydata", contains="nothing stored")


async def test_forget_can_be_declined(timed: TimedWorld) -> None:
    async with timed.bot():
        cara = timed.emulator.user("Cara")
        await onboard(cara)
        await cara.send_and_wait("/forget", contains="Delete everything?")
        await cara.press_and_wait("No, keep it", contains="nothing was deleted")
        await cara.send_and_wait("/exercise", contains="Before you start")
