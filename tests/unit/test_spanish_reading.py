"""Spanish typed answers as a Spanish speaker types them (issue 17, point 2): times, quiet
hours, days, numbers and ratings, dates, yes and no, countries and places. Every form is
read by the shipped content, through the same readers as English; what is ambiguous is
not read (the question is asked again). English readings are unchanged, but for two that
were wrong in English too: "all but 2" (exercise 2 alone) and "4 and a half" (4)."""

from __future__ import annotations

from datetime import date, time

import pytest

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


@pytest.mark.parametrize(("typed", "expected"), [
    ("7 in the evening", time(19)), ("10 at night", time(22)), ("2 at night", time(2)),
    ("9 in the morning", time(9)), ("3 in the afternoon", time(15)),
    ("3 in the evening", None), ("12 in the morning", None),  # outside, or either half
])
def test_parts_of_the_day_in_english_too(typed: str, expected: time | None) -> None:
    assert parse_time(typed, CATALOG.times) == expected
