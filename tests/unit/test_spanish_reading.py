"""Spanish typed answers as a Spanish speaker types them (issue 17, point 2): times, quiet
hours, days, numbers and ratings, dates, yes and no, countries and places. Every form is
read by the shipped content, through the same readers as English; what is ambiguous is
not read (the question is asked again), and English readings are unchanged."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.engine.events import Press
from bot.domain.onboarding.exercise_choice import read_choice
from bot.domain.reminders.schedule import find_zone, parse_days, parse_hours
from bot.domain.understanding.dates import read_date
from bot.domain.understanding.days_and_times import parse_time
from bot.domain.understanding.typing_help import find_country, normalise, read_number, read_rating
from bot.loaders.content import load_content
from tests.unit.conftest import Chat

CATALOG = load_content().catalog
MONDAY = date(2026, 12, 7)


@pytest.mark.parametrize(("typed", "expected"), [
    ("7 y media", time(7, 30)), ("las 7 y cuarto", time(7, 15)),
    ("las 8 menos cuarto", time(7, 45)), ("8 menos 10", time(7, 50)),
    ("7 y 20", time(7, 20)), ("7 con 15", time(7, 15)),
    ("a las 7 de la tarde", time(19)), ("8 de la mañana", time(8)),
    ("8 de la manana", time(8)), ("9 de la noche", time(21)), ("7 de la noche", time(19)),
    ("las 3 de la madrugada", time(3)), ("4 de la mañana", time(4)),
    ("la 1 del mediodía", time(13)), ("12 de la noche", time(0)),
    ("a las 7 y media de la tarde", time(19, 30)), ("8 menos cuarto de la tarde", time(19, 45)),
    ("1 menos cuarto de la tarde", time(12, 45)), ("12 y media", time(12, 30)),
    ("19:30 h", time(19, 30)), ("las 19.30h", time(19, 30)), ("7.30", time(7, 30)),
    ("sobre las 8", time(8)), ("a eso de las 9", time(9)), ("a las 19", time(19)),
    ("a las 19 de la tarde", time(19)),
    ("la una", time(1)), ("a la una y media", time(1, 30)), ("las siete", time(7)),
    ("siete y media", time(7, 30)), ("doce menos cuarto de la noche", time(23, 45)),
    ("a las diez de la mañana", time(10)), ("mediodía", time(12)), ("medianoche", time(0)),
    # What time it is where they are, asked to find their time zone.
    ("son las 7 y media", time(7, 30)), ("ahora son las 3 de la tarde", time(15)),
    ("aquí son las 8 y cuarto", time(8, 15)), ("es la una", time(1)),
    ("19 hs", time(19)), ("a las 21 horas", time(21)), ("7 en punto", time(7)),
])
def test_spanish_times(typed: str, expected: time) -> None:
    assert parse_time(typed, CATALOG.times) == expected


@pytest.mark.parametrize("typed", [
    # An hour the part of the day cannot hold is asked about, never moved to fit.
    "6 de la noche", "3 de la tarde de la mañana", "10 de la tarde",
    # Said twice, or minutes on minutes.
    "7pm de la tarde", "7:30 y cuarto", "7 y 75", "25 y media",
    # A number word alone is too common a word to be a time ("una", "dos").
    "una", "dos", "media", "y media", "de la tarde",
    # "once" is eleven in Spanish, but "at once" is English: only "las 11" is read.
    "at once", "a las once",
])
def test_spanish_non_times_are_not_guessed(typed: str) -> None:
    assert parse_time(typed, CATALOG.times) is None


# "las 7" is 07:00, as "7" and "at 7" are in English: the bot says the time back when it
# saves it ("Aviso a las 07:00"), and a person who meant the evening types "7 de la tarde".
def test_an_hour_without_its_part_of_the_day_reads_as_in_english() -> None:
    assert parse_time("las 7", CATALOG.times) == parse_time("at 7", CATALOG.times) == time(7)


@pytest.mark.parametrize(("typed", "expected"), [
    ("de las 22 a las 7", (time(22), time(7))),
    ("de 10 de la noche a 7 de la mañana", (time(22), time(7))),
    ("entre las 22 y las 7", (time(22), time(7))),
    ("desde las 23 hasta las 6 y media", (time(23), time(6, 30))),
    ("de 10 y media de la noche a 7", (time(22, 30), time(7))),
    ("de 22:00 a 07:00", (time(22), time(7))), ("22-7", (time(22), time(7))),
])
def test_spanish_quiet_hours(typed: str, expected: tuple[time, time]) -> None:
    assert parse_hours(typed, CATALOG.times) == expected


def test_quiet_hours_that_read_two_ways_are_asked_again() -> None:
    # 10 to 7:15, or 10:07 to 15:00: the bot does not pick one.
    assert parse_hours("entre 10 y 7 y 15", CATALOG.times) is None


@pytest.mark.parametrize(("typed", "expected"), [
    ("L M X J V", (0, 1, 2, 3, 4)), ("l, x, v", (0, 2, 4)), ("L-V", (0, 1, 2, 3, 4)),
    ("M J", (1, 3)), ("x", (2,)), ("l m x j v d", (0, 1, 2, 3, 4, 6)),
    ("lun, mié, vie", (0, 2, 4)), ("de lunes a viernes", (0, 1, 2, 3, 4)),
    ("fines de semana", (5, 6)), ("todos los días", (0, 1, 2, 3, 4, 5, 6)),
    ("menos el domingo", (0, 1, 2, 3, 4, 5)), ("sábados y domingos", (5, 6)),
    ("todos los dias menos sabado y domingo", (0, 1, 2, 3, 4)),
    ("los martes y jueves", (1, 3)), ("lu mi vi", (0, 2, 4)),
])
def test_spanish_days(typed: str, expected: tuple[int, ...]) -> None:
    assert parse_days(typed, CATALOG.days) == expected


def test_day_letters_are_read_in_one_language() -> None:
    # English letters first: "m" alone and "m w f" stay as they were (Monday).
    assert parse_days("m", CATALOG.days) == (0,)
    assert parse_days("m w f", CATALOG.days) == (0, 2, 4)
    assert parse_days("m-f", CATALOG.days) == (0, 1, 2, 3, 4)
    # "m" with Spanish letters is martes; letters of no single language are not guessed.
    assert parse_days("l m", CATALOG.days) == (0, 1)
    assert parse_days("w x", CATALOG.days) is None
    assert parse_days("s", CATALOG.days) is None  # sábado, or Saturday or Sunday


@pytest.mark.parametrize("typed", ["cada dos días", "un día sí y otro no", "ningún día",
                                   "every two days"])
def test_what_is_no_set_of_days_is_asked_again(typed: str) -> None:
    # "cada dos días" was read as Sunday: "dos" without its "s" is the start of "domingo".
    assert parse_days(typed, CATALOG.days) is None


@pytest.mark.parametrize(("typed", "expected"), [
    ("un 4", 4), ("como un seis", 6), ("un siete más o menos", 7), ("cero", 0),
    ("diez", 10), ("unos 6", 6), ("un 5 de 10", 5), ("un seis sobre diez", 6),
    ("creo que un 6", 6), ("un 3, creo", 3),
])
def test_spanish_ratings(typed: str, expected: int) -> None:
    words = CATALOG.words
    assert read_rating(typed, CATALOG.numbers, words["out_of"], words["halves"]) == expected


@pytest.mark.parametrize("typed", ["entre 3 y 4", "4 o 5", "nada", "once", "4,5",
                                   "un 4 y medio", "cuatro y media", "4 and a half"])
def test_spanish_ratings_that_are_not_one_number_are_asked_again(typed: str) -> None:
    words = CATALOG.words
    assert read_rating(typed, CATALOG.numbers, words["out_of"], words["halves"]) is None


def onboard_to_idle(chat: Chat) -> None:
    """Set up by the buttons' actions, whatever their labels say in the person's language."""
    chat.send("/start")
    for action, arg in (("agree", ""), ("country", "ES"), ("all_exercises", ""),
                        ("exercises_done", ""), ("keep_doses", ""), ("safety_ok", "")):
        chat.do(Press(action, arg, chat.person.conversation.revision))
    assert chat.state == "home/idle", chat.state


def test_a_half_typed_in_a_session_is_asked_again_not_rounded(chat: Chat) -> None:
    chat.texts = chat.content.locales.texts("es")
    chat.person.language = "es"
    onboard_to_idle(chat)
    chat.send("/exercise")
    chat.do(Press("ready", "", chat.person.conversation.revision))
    chat.send("un 4 y medio")
    assert chat.session.pain_before is None
    chat.send("un 4")
    assert chat.session.pain_before == 4


@pytest.mark.parametrize(("typed", "expected"), [
    ("veintidós", 22), ("veintiuno", 21), ("veinticinco", 25), ("treinta segundos", 30),
    ("doce", 12), ("cuarenta", 40),
    # "cuarenta y cinco" was read as 5 when "cuarenta" was no number: now two numbers, so
    # the question is asked again instead.
    ("cuarenta y cinco", None), ("treinta y cinco", None),
])
def test_spanish_numbers(typed: str, expected: int | None) -> None:
    assert read_number(typed, CATALOG.numbers) == expected


@pytest.mark.parametrize(("typed", "expected"), [
    ("pasado mañana", (date(2026, 12, 9),)), ("el 3 de abril", (date(2027, 4, 3),)),
    ("3/4", (date(2027, 4, 3),)),  # day first, as in Spain and Latin America
    ("dentro de dos semanas", (date(2026, 12, 21),)),
    ("dentro de una semana", (date(2026, 12, 14),)), ("en una semana", (date(2026, 12, 14),)),
    ("dentro de tres días", (date(2026, 12, 10),)), ("en 2 semanas", (date(2026, 12, 21),)),
    ("20 de dic", (date(2026, 12, 20),)), ("el jueves", (date(2026, 12, 10),)),
    # Said on a Monday, "next Thursday" may be this week's or next week's: both offered.
    ("el próximo jueves", (date(2026, 12, 10), date(2026, 12, 17))),
    ("in two weeks", (date(2026, 12, 21),)), ("in a week", (date(2026, 12, 14),)),
    ("en quince días", (date(2026, 12, 22),)), ("el 15/12", (date(2026, 12, 15),)),
    ("el martes 15 de diciembre", (date(2026, 12, 15),)),
    ("tuesday 15 december", (date(2026, 12, 15),)),
    # The day's name and the date disagree (the 15th is a Tuesday): which one?
    ("el miércoles 15 de diciembre", ()),
    # No month: asked again.
    ("el 15", ()), ("el día 20", ()),
])
def test_spanish_dates(typed: str, expected: tuple[date, ...]) -> None:
    assert read_date(typed, MONDAY, CATALOG.dates) == expected


YES = ["sí", "sip", "sisi", "sí, claro", "claro", "claro que sí", "por supuesto", "desde luego",
       "de acuerdo", "vale", "ok", "okey", "dale", "afirmativo", "sí, gracias", "¡de una!",
       "órale", "ándale", "venga"]
NO = ["no", "nop", "no no", "nah", "ni de broma", "ni hablar", "qué va", "para nada",
      "claro que no", "de ninguna manera", "negativo", "ni de coña", "ni loca", "nones"]


@pytest.mark.parametrize("typed", YES)
def test_spanish_yes(typed: str) -> None:
    said = normalise(typed)
    assert CATALOG.is_word("yes", said) and CATALOG.is_word("agree", said)
    assert not CATALOG.is_word("no", said) and not CATALOG.is_word("decline", said)


@pytest.mark.parametrize("typed", NO)
def test_spanish_no(typed: str) -> None:
    said = normalise(typed)
    assert CATALOG.is_word("no", said) and CATALOG.is_word("decline", said)
    assert not CATALOG.is_word("yes", said) and not CATALOG.is_word("agree", said)


IDS = [e.id for e in CATALOG.exercises]


@pytest.mark.parametrize(("typed", "numbers"), [
    ("1, 3 y 5", [1, 3, 5]), ("uno y tres", [1, 3]), ("todos", [1, 2, 3, 4, 5]),
    ("todos menos el 2", [1, 3, 4, 5]), ("todos menos el 2 y el 4", [1, 3, 5]),
    ("1-4 salvo el 3", [1, 2, 4]), ("sin el 5", [1, 2, 3, 4]),
    # English had read these as the very exercises left out ("all but 2" was exercise 2).
    ("all but 2", [1, 3, 4, 5]), ("all except 2 and 5", [1, 3, 4]),
    # Nothing left out, or a number beyond the list: nothing is changed, asked again.
    ("todos menos", None), ("menos el 7", None), ("todos menos el 1-5", None),
])
def test_exercises_chosen_with_an_exception(typed: str, numbers: list[int] | None) -> None:
    expected = None if numbers is None else [IDS[n - 1] for n in numbers]
    assert read_choice(typed, CATALOG) == expected


@pytest.mark.parametrize(("group", "typed"), [
    ("next", "ya está"), ("next", "ya lo hice"), ("next", "venga"), ("start", "¡empecemos!"),
    ("start", "vamos allá"), ("agree", "vale, gracias"), ("agree", "genial")])
def test_spanish_words_of_a_session(group: str, typed: str) -> None:
    assert CATALOG.is_word(group, normalise(typed))


@pytest.mark.parametrize(("typed", "code"), [
    ("EEUU", "US"), ("EE. UU.", "US"), ("CDMX", "MX"), ("Ciudad de México", "MX"),
    ("Bs As", "AR"), ("Bs. As.", "AR"), ("Buenos Aires", "AR"), ("Madrid", "ES"),
    ("espana", "ES"), ("Perú", "PE"), ("peru", "PE"), ("Panama", "PA"), ("Rep. Dominicana", "DO"),
])
def test_spanish_countries(typed: str, code: str) -> None:
    found = find_country(typed, CATALOG.countries)
    assert found is not None and found.code == code


@pytest.mark.parametrize(("typed", "zone"), [
    ("CDMX", "America/Mexico_City"), ("Bs As", "America/Argentina/Buenos_Aires"),
    ("Bogota", "America/Bogota"), ("vivo en Bogotá", "America/Bogota"),
    ("hora de Madrid", "Europe/Madrid"), ("hora peninsular", "Europe/Madrid"),
    ("San José de Costa Rica", "America/Costa_Rica"),
])
def test_spanish_places(typed: str, zone: str) -> None:
    assert find_zone(typed, CATALOG.places) == zone


HOURS = st.integers(min_value=1, max_value=12)
PARTS = ("de la mañana", "de la tarde")
AMOUNTS = {"y cuarto": 15, "y media": 30, "menos cuarto": -15}


@given(HOURS, st.sampled_from(sorted(AMOUNTS)), st.sampled_from(sorted(PARTS)),
       st.booleans())
def test_spoken_times_read_as_said(hour: int, amount: str, part: str, lead: bool) -> None:
    # On the twelve-hour clock: "1 menos cuarto" is 0:45, "12 y media" 0:30.
    said = (hour * 60 + AMOUNTS[amount]) % (12 * 60)
    if part == "de la tarde":  # 12:00 to 21:59
        expected = said + 12 * 60 if said < 10 * 60 else None
    else:  # 00:00 to 12:59: "12 y media de la mañana" could be either, so it is asked
        expected = said if said >= 60 else None
    typed = f"{'a las ' if lead else ''}{hour} {amount} {part}"
    read = parse_time(typed, CATALOG.times)
    assert read == (None if expected is None else time(expected // 60, expected % 60)), typed


@given(st.integers(0, 23), st.integers(0, 59), st.integers(0, 23), st.integers(0, 59),
       st.sampled_from(["de las {} a las {}", "entre las {} y las {}", "desde las {} hasta las {}",
                        "{} - {}"]))
def test_quiet_hours_in_spanish_round_trip(h1: int, m1: int, h2: int, m2: int,
                                           form: str) -> None:
    typed = form.format(f"{h1}:{m1:02d}", f"{h2}:{m2:02d}")
    assert parse_hours(typed, CATALOG.times) == (time(h1, m1), time(h2, m2))


LETTERS = {0: "l", 1: "m", 2: "x", 3: "j", 4: "v", 6: "d"}


@given(st.sets(st.sampled_from(sorted(LETTERS)), min_size=1),
       st.sampled_from([" ", ", ", "-", " y "]))
def test_spanish_day_letters_round_trip(days: set[int], joint: str) -> None:
    typed = joint.join(LETTERS[day].upper() for day in sorted(days))
    spanish_only = days & {0, 2, 3, 4, 6}
    if joint == "-" and len(days) > 1:
        return  # a dash is a range, tested above
    expected = tuple(sorted(days)) if spanish_only else (0,)  # "M" alone is English Monday
    assert parse_days(typed, CATALOG.days) == expected


MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre"]


@given(st.dates(min_value=MONDAY, max_value=date(2027, 12, 6)), st.booleans(), st.booleans())
def test_spanish_dates_round_trip(day: date, article: bool, numeric: bool) -> None:
    """Any date of the coming year, as '3 de abril', 'el 3 de abril' or 'el 3/4' (day first)."""
    typed = f"{day.day}/{day.month}" if numeric else f"{day.day} de {MONTHS[day.month - 1]}"
    typed = f"el {typed}" if article else typed
    # A day and month without a year is the next such day, today or within a year.
    assert read_date(typed, MONDAY, CATALOG.dates) == (day,), typed


@given(st.integers(0, 23), st.integers(0, 59), st.sampled_from(["a las {}", "{} h", "las {} hs",
                                                                "sobre las {}", "son las {}"]))
def test_spanish_clock_times_round_trip(hour: int, minute: int, form: str) -> None:
    typed = form.format(f"{hour}:{minute:02d}")
    assert parse_time(typed, CATALOG.times) == time(hour, minute), typed


HOUR_WORDS = ["una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
              "", "doce"]


@given(st.integers(1, 12).filter(lambda hour: hour != 11), st.sampled_from(sorted(AMOUNTS)))
def test_hours_said_in_words(hour: int, amount: str) -> None:
    article = "la" if hour == 1 else "las"
    typed = f"{article} {HOUR_WORDS[hour - 1]} {amount}"
    at = (hour * 60 + AMOUNTS[amount]) % (24 * 60)
    assert parse_time(typed, CATALOG.times) == time(at // 60, at % 60), typed


@given(st.integers(1, 10), st.sampled_from([("dia", 1), ("dias", 1), ("semana", 7),
                                            ("semanas", 7)]), st.booleans())
def test_days_ahead_in_words(count: int, unit: tuple[str, int], lead: bool) -> None:
    words = ["una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez"]
    typed = f"{'dentro de' if lead else 'en'} {words[count - 1]} {unit[0]}"
    assert read_date(typed, MONDAY, CATALOG.dates) == (MONDAY + timedelta(days=count * unit[1]),)


@given(st.text(max_size=300))
def test_any_text_is_read_without_error(text: str) -> None:
    parse_time(text, CATALOG.times)
    parse_hours(text, CATALOG.times)
    parse_days(text, CATALOG.days)
    read_date(text, MONDAY, CATALOG.dates)


LOCALES = load_content().locales
READERS: dict[str, Callable[[str], object]] = {
    "reminders.time": lambda typed: parse_time(typed, CATALOG.times),
    "reminders.time_help": lambda typed: parse_time(typed, CATALOG.times),
    "appointments.time": lambda typed: parse_time(typed, CATALOG.times),
    "reminders.quiet": lambda typed: parse_hours(typed, CATALOG.times),
    "reminders.quiet_help": lambda typed: parse_hours(typed, CATALOG.times),
    "reminders.days_help": lambda typed: parse_days(typed, CATALOG.days),
    "appointments.date_help": lambda typed: read_date(typed, MONDAY, CATALOG.dates) or None,
}


@pytest.mark.parametrize("language", sorted(LOCALES.by_language))
@pytest.mark.parametrize("key", sorted(READERS))
def test_every_example_the_bot_gives_is_read(language: str, key: str) -> None:
    """A help line that shows "7 de la tarde" must understand "7 de la tarde"."""
    examples = re.findall(r'"([^"]+)"', LOCALES.texts(language).strings[key])
    assert examples, f"{language} {key} shows no example"
    for example in examples:
        assert READERS[key](example) is not None, f"{language} {key}: {example!r} is not read"
