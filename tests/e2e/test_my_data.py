"""A person's own data end to end: /mydata files, and /forget leaving nothing behind."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlalchemy import func, select

from bot.emulator import TestUser
from storage.models import Base, PersonRow
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_reminders import set_appointment, set_daily_reminder
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


async def mydata_json(user: TestUser) -> dict[str, Any]:
    """Send /mydata and read the JSON file that comes back."""
    before = len(user.documents)
    await user.send_and_wait("/mydata", contains="everything I have stored")
    await user.wait_for(lambda e: e.kind == "document" and e.file is not None
                        and (e.file.filename or "").endswith(".csv"), what="the CSV file")
    (made,) = [f for f in user.documents[before:] if f.filename == "backcoach-my-data.json"]
    data: dict[str, Any] = json.loads(made.data)
    return data


async def test_mydata_after_every_feature_with_every_kind_of_reminder(
        timed: TimedWorld) -> None:
    """Times of day (reminder, quiet hours, check-in) and every reminder row, whatever its
    status, are in the export: /mydata once failed for anyone who had set a time."""
    uma = timed.emulator.user("Uma")
    async with timed.bot():
        await onboard(uma)
        await set_daily_reminder(uma, "09:00")
        await uma.send_and_wait("/reminders", contains="every day at 09:00")
        await uma.press_and_wait("🌙 Quiet hours", contains="Quiet hours")
        await uma.press_and_wait("22:00 to 08:00", contains="every day at 09:00")
        await uma.press_and_wait("📝 Daily pain check-in", contains="ask how your back is")
        await uma.press_and_wait("20:00", contains="check-in every day at 20:00")
        await uma.press_and_wait("✅ Done", contains="I'll remind you")
        await timed.advance(3600)  # Monday 09:00: the session reminder is sent
        await uma.expect("Time for your exercises")
        await uma.send_and_wait("/reminders", contains="every day at 09:00")
        await uma.press_and_wait("⏰ Time", contains="When should I remind you")
        # 09:00 cancelled; 07:00 is inside the quiet hours, which the bot says: leave it.
        await uma.press_and_wait("07:00", contains="inside your quiet hours")
        await uma.press_and_wait("Leave it", contains="every day at 07:00")
        await uma.press_and_wait("✅ Done", contains="I'll remind you")
        await set_appointment(uma, zone_known=True)
        await begin(timed, uma, pain="4")
        await uma.send_and_wait("/cancel")
        await uma.send_and_wait("/ask Should I ice it?", contains="Saved")
    timed.clock.advance(seconds=2 * 86400)  # the bot is down: Tuesday's reminders are missed
    async with timed.bot():
        await timed.tick()
        data = await mydata_json(uma)

    settings = data["person"]["reminder_settings"]
    assert settings == {"time_zone": "Europe/Lisbon", "session_time": "07:00",
                        "days": [0, 1, 2, 3, 4, 5, 6], "paused": False,
                        "quiet_start": "22:00", "quiet_end": "08:00", "checkin_time": "20:00"}
    reminders = data["reminders"]
    assert {r["status"] for r in reminders} == {"sent", "missed", "cancelled", "pending"}
    assert {r["kind"] for r in reminders} >= {
        "session", "checkin", "appointment_3d", "appointment_1d", "visit_done"}
    assert {"kind": "session", "fire_at": "2026-01-05T09:00:00+00:00", "status": "sent",
            "sent_at": "2026-01-05T09:00:00+00:00"} in reminders
    assert all(r["fire_at"] for r in reminders)
    assert "reminders" not in data["person"]  # the pending ones are among all of them
    assert data["person"]["appointment"]["with_whom"] == "Dr Silva"
    assert data["questions"][0]["text"] == "Should I ice it?"
    assert [r["rating"] for r in data["pain_ratings"]] == [4]
