"""Triage in Spanish, class by class: the kinds of wording es/blind_3 was missed on
(tests/corpora/es/blind_3.toml), each checked on sentences written afresh for this test, in
other words than the corpus, with near misses that must stay at none. A class holds when a
new sentence of it lands, not when the corpus sentence does."""

from __future__ import annotations

import pytest

from bot.domain.triage import Triage
from bot.loaders.triage import load_triage


@pytest.fixture(scope="module")
def triage() -> Triage:
    return load_triage()


# Stockpiled medicines, a dose or a method looked up, jumping, tracks, a car not braking, a gun
# kept near, a wish to be taken, no longer a burden, things given away with affairs in order,
# a goodbye with a decision, a plan for when alone, hurting oneself on purpose with anything.
OBLIQUE_SELF_HARM = [
    ("llevo semanas juntando los somniferos de mi madre en una caja de zapatos",
     "emergency", "self"),
    ("tengo los calmantes acumulados en el bolso, ya casi son suficientes", "emergency", "self"),
    ("estoy ahorrando pastillas de la receta, no me tomo ninguna", "emergency", "self"),
    ("ya averigue cuanto tramadol hace falta para no despertar", "emergency", "self"),
    ("anoche estuve mirando como hacerlo sin que duela", "emergency", "self"),
    ("esta noche me tiro desde la azotea del edificio", "emergency", "self"),
    ("a veces pienso en saltar del puente cuando paso por ahi", "emergency", "self"),
    ("cuando vuelva por la autopista me voy a estrellar contra un muro a proposito",
     "emergency", "self"),
    ("en la curva del barranco no voy a frenar y listo", "emergency", "self"),
    ("me acuesto en las vias y que pase lo que tenga que pasar", "emergency", "self"),
    ("guardo la escopeta de mi padre en la mesita de noche y pienso mucho en ella",
     "emergency", "self"),
    ("ojala dios me lleve esta noche mientras duermo", "emergency", "self"),
    ("que dios me lleve de una vez, ya no aguanto", "emergency", "self"),
    ("pronto mis padres van a poder descansar de mi", "emergency", "someone_else"),
    ("ya no voy a ser una carga para nadie, lo prometo", "emergency", "self"),
    ("no quiero seguir siendo un lastre para mi familia", "emergency", "self"),
    ("regale mis libros y mis discos a los vecinos, ya no los necesito",
     "emergency", "someone_else"),
    ("dejé los papeles del seguro en orden y le di las llaves a mi hijo", "emergency", "self"),
    ("me despido de todos, ya tome la decision", "emergency", "self"),
    ("cuando mis hijos se vayan al colegio lo hago, ya lo tengo pensado",
     "emergency", "someone_else"),
    ("no pienso estar aqui para navidad, asi que da igual", "emergency", "self"),
    ("me queme el brazo con la plancha a proposito porque me lo merezco", "emergency", "self"),
    ("me golpee la cabeza contra la pared adrede para castigarme", "emergency", "self"),
    ("estoy cansada de luchar y nada cambia, quiero desaparecer", "emergency", "self"),
    ("kiero matarme, ya no aguanto mas", "emergency", "self"),
]

# Someone else's crisis told as a scene: who, and what they did, with no word for it.
SOMEONE_ELSES_CRISIS = [
    ("mi hermano se trago todas las pastillas de la abuela y no contesta bien",
     "emergency", "someone_else"),
    ("mi pareja se encerro en el baño y se esta cortando", "emergency", "someone_else"),
    ("mi hija dice que se va a tirar por la ventana", "emergency", "someone_else"),
    ("mi madre se despide de todos por whatsapp y dice que ya lo decidio",
     "emergency", "someone_else"),
    ("mi amigo se fue en la moto diciendo que se va a estrellar", "emergency", "someone_else"),
]

# Sensations said by comparison, with no term: a load on the chest, a blow with nothing that
# hit, a part that feels like someone else's; regional words for the saddle area.
SENSATIONS = [
    ("siento como si tuviera un saco de arena encima del pecho y me sudan las manos",
     "emergency", "self"),
    ("fue como si me dieran con un palo en la cabeza, de la nada", "emergency", "self"),
    ("un dolor de cabeza como un portazo, nunca habia sentido nada igual", "emergency", "self"),
    ("no siento nada al sentarme, como si la entrepierna fuera de otra persona",
     "emergency", "self"),
    ("tengo el poto dormido y no siento mis partes cuando me limpio", "emergency", "self"),
]

# Verb forms: numbness as it spreads, retention as a duration, 'no he podido', 'no puedo
# orinar nada' ('nada' is 'at all' there, not a denial).
VERB_FORMS = [
    ("se me fueron durmiendo las dos piernas mientras caminaba", "emergency", "self"),
    ("llevo desde ayer sin poder orinar nada", "emergency", "self"),
    ("no puedo orinar nada desde anoche", "emergency", "self"),
    ("se me estan durmiendo los dos pies y tropiezo al andar", "emergency", "self"),
    ("llevo toda la noche sin orinar y tengo la vejiga a reventar", "emergency", "self"),
    ("desde ayer no he podido hacer pis aunque tengo ganas", "emergency", "self"),
]

# Function lost said as an everyday failure: a knee that gives way, stuck in the bath, a number
# past the scale, a minor knock at an age of fragile bones, pain that rest does not ease.
FUNCTION_LOST = [
    ("la rodilla se me vence sola cuando bajo escaleras, cada vez mas a menudo", "urgent", "self"),
    ("estoy atascada en la banera, la espalda no me deja salir", "emergency", "self"),
    ("me duele como un 12 en la escala", "emergency", "self"),
    ("tengo 84 años y me deje caer en el sofa, ahora me duele mucho la espalda", "urgent", "self"),
    ("el dolor no cede ni acostado, me roe la columna por dentro", "urgent", "self"),
]

# Scope cues misread: 'never ... and suddenly' is news; 'now I'm fine' keeps a past sign past;
# 'se fue en el coche' is someone leaving, not a sign gone; 'hasta el cuello' after a spreading
# pain is the neck, not the idiom; a new place of pain.
SCOPE = [
    ("hace dos años quise matarme, pero ahora estoy bien y feliz", "none", "past"),
    ("nunca tengo mareos y de golpe todo me da vueltas y veo doble", "emergency", "self"),
    ("nunca me ha dolido el pecho y de repente siento un peso enorme", "emergency", "self"),
    ("mi padre se fue en el coche diciendo que se va a matar",
     "emergency", "someone_else"),
    ("nunca me duele el pecho y de repente me aprieta muchisimo y me sube al brazo",
     "emergency", "self"),
    ("me dolia el pecho y me sube hasta el cuello, sudo frio", "emergency", "self"),
    ("me duele la espalda en otra zona, ahora mas arriba", "call_doctor", "self"),
]

# Near misses of every class above: the same words in everyday talk stay at none.
NEAR_MISSES = [
    ("mi bebe se fue durmiendo en mis brazos", "none", "nothing"),
    ("estoy juntando las cajas de la mudanza", "none", "nothing"),
    ("guarde las pastillas que sobraron del antibiotico", "none", "nothing"),
    ("mi hijo tira juguetes por la ventana", "none", "nothing"),
    ("salte la valla del edificio para entrar", "none", "nothing"),
    ("me acuesto temprano porque manana tomo el tren", "none", "nothing"),
    ("uso la pistola de masaje por la noche en la espalda", "none", "nothing"),
    ("pienso comprarme una pistola de masaje", "none", "idiom"),
    ("espero que me lleve mi marido al medico", "none", "nothing"),
    ("se me dobla el tobillo cuando corro", "none", "nothing"),
    ("acabo de tomarme el ibuprofeno", "none", "nothing"),
    ("dormi toda la noche sin hacer pis", "none", "nothing"),
    ("escuche un portazo y me asuste", "none", "nothing"),
    ("saco pecho cuando hago el ejercicio de la pared", "none", "nothing"),
    ("pongo las manos encima del pecho para respirar", "none", "nothing"),
    ("estoy atrapada en el coche en un atasco", "none", "nothing"),
    ("todo en orden con los ejercicios, me despido hasta manana", "none", "nothing"),
    ("estaba cortandome un trozo de pan y me corte un poco el dedo", "none", "idiom"),
    ("no quiero ser un estorbo en la clase de pilates", "none", "negated"),
    ("guarde las pastillas en el botiquin del bano", "none", "nothing"),
    ("estoy juntando dinero para las vacaciones", "none", "nothing"),
    ("me tire a la piscina desde el trampolin, que divertido", "none", "nothing"),
    ("mi hijo salto del columpio y se rio mucho", "none", "nothing"),
    ("la via del tren pasa cerca de mi casa y hace ruido", "none", "nothing"),
    ("regale mis libros viejos a la biblioteca del barrio", "none", "nothing"),
    ("le di las llaves del coche a mi hijo para que vaya al super", "none", "nothing"),
    ("me despido por hoy, manana sigo con los ejercicios", "none", "nothing"),
    ("ya tome la decision de apuntarme a pilates", "none", "nothing"),
    ("cuando mi marido se vaya al trabajo hago los ejercicios", "none", "nothing"),
    ("no voy a frenar mi progreso, sigo con la rutina", "none", "nothing"),
    ("me corte las unas de los pies, cortandome las unas me doble mucho", "none", "idiom"),
    ("estoy hasta el cuello de trabajo esta semana", "none", "nothing"),
    ("me explota la cabeza con tantas facturas", "none", "idiom"),
    ("se me cayo el alma a los pies con la noticia", "none", "idiom"),
    ("con este calor no hay quien respire", "none", "nothing"),
    ("no pude ver la serie porque se fue la luz", "none", "idiom"),
    ("el corazon me va a mil de la emocion por el viaje", "none", "idiom"),
    ("mi abuela decia que el frio da neumonia, que mito", "none", "nothing"),
    ("hace anos intente quitarme la vida, ahora estoy bien y tengo ganas de vivir", "none", "past"),
    ("nunca me duele la cabeza y hoy tampoco, todo bien", "none", "nothing"),
    ("no noto las manos torpes, todo normal", "none", "negated"),
    ("mi hermana se fue en el coche a la playa", "none", "nothing"),
    ("ya no voy a ser tan perezosa con los ejercicios", "none", "nothing"),
    ("me muero de hambre", "none", "nothing"),
    ("este trafico me esta matando", "none", "nothing"),
    ("tengo 75 años y hago los ejercicios todos los dias sin problema", "none", "nothing"),
    ("me duele tanto la espalda como ayer, igual", "none", "nothing"),
]


@pytest.mark.parametrize(("text", "level", "about"),
                         OBLIQUE_SELF_HARM + SOMEONE_ELSES_CRISIS + SENSATIONS + VERB_FORMS
                         + FUNCTION_LOST + SCOPE + NEAR_MISSES)
def test_a_class_of_wording_lands_on_new_words(triage: Triage, text: str, level: str,
                                               about: str) -> None:
    decision = triage.decide(text)
    assert (decision.level.label, decision.about.value) == (level, about), decision


@pytest.mark.parametrize("text", [text for text, _, _ in OBLIQUE_SELF_HARM + SOMEONE_ELSES_CRISIS])
def test_oblique_self_harm_gets_the_crisis_answer(triage: Triage, text: str) -> None:
    """Said obliquely or as a scene, it is still the crisis answer (crisis line and number)."""
    decision = triage.decide(text)
    assert decision.family == "self_harm", decision
