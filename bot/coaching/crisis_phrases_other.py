"""The safety net in languages other than English: the writer's own crisis, as regexes.

Fewer statements than in English (bot/coaching/crisis_phrases.py), written for how people
say it in chat, and read on text in lower case with accents removed ("aquí" is "aqui"), so
an answer typed without accents is read the same. Each language has:

- ``statements``: the writer, in the first person and the present, wanting to die, to kill
  or hurt themselves, having the means ready, or being unable to go on;
- ``past``: words that date a sentence to the past ("hace años", "cuando era"): a recovery
  story, unless ``recent`` words are in it too ("esta noche", "otra vez");
- ``reported``: words just before a statement that make it someone else's ("me dijo",
  "cuando alguien dice"). Quotation marks are removed before any of this (safety.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Where a short phrase ends a thought: the end of the sentence or of the text.
_END = r"(?= *(?:$|[.!?,;:)\n]))"


@dataclass(frozen=True, slots=True)
class Phrases:
    statements: re.Pattern[str]
    past: re.Pattern[str]
    recent: re.Pattern[str]
    reported: re.Pattern[str]


def _phrases(statements: list[str], past: str, recent: str, reported: str) -> Phrases:
    return Phrases(
        re.compile("|".join(f"(?:{s})" for s in statements)),
        re.compile(past),
        re.compile(recent),
        # Only the end of what comes before the statement is read.
        re.compile(f"(?:{reported})[^.!?\\n]{{0,40}}$"),
    )


_ES_HARM = (r"(?:morir(?:me)?|matarme|suicidarme|quitarme la vida|acabar con (?:mi vida|todo)"
            r"|hacerme dano|cortarme|desaparecer para siempre|dejar de existir"
            r"|no despertar(?:me)?)")
SPANISH = _phrases(
    [
        # quiero morir / voy a matarme / estoy pensando en quitarme la vida
        rf"\b(?:quiero|quisiera|deseo|necesito|voy a|pienso|pienso en|estoy pensando en"
        rf"|tengo ganas de|he decidido|decidi|ya decidi) {_ES_HARM}\b",
        # me quiero morir / me voy a matar / me voy a quitar la vida
        r"\bme (?:quiero|voy a) (?:morir|matar|suicidar|quitar la vida)\b",
        # estoy harta de vivir / ya no tiene sentido seguir viviendo
        r"\b(?:estoy|me siento) (?:muy |tan )?(?:harto|harta|cansado|cansada) de (?:vivir"
        r"|la vida|existir|estar vivo|estar viva)\b",
        r"\bno tiene sentido (?:seguir viviendo|vivir|seguir aqui)\b",
        r"\bnadie me (?:extranaria|echaria de menos|va a extranar) si (?:me muero|muero|me mato"
        r"|desaparezco|ya no estoy|no estoy)\b",
        # (ya) no quiero vivir / no quiero estar aqui nunca mas
        r"\bno quiero (?:vivir(?! (?:con|en|de|sin|asi de)\b)|seguir viviendo|seguir aqui"
        r"|estar aqui|existir|despertar(?:me)?)\b",
        r"\bno quiero seguir" + _END,
        # todos estarian mejor sin mi
        r"\b(?:todos|todo el mundo|mi familia|mis hijos|ellos|mi pareja) (?:estarian|estaria"
        r"|estaran|estara|vivirian) mejor sin mi\b",
        # no aguanto mas / ya no puedo mas / no puedo seguir asi
        r"\b(?:no aguanto|ya no puedo|no puedo) mas" + _END,
        r"\bno puedo seguir (?:asi|viviendo)\b",
        # the means and the plan
        r"\b(?:voy a|quiero|pienso|necesito) (?:tomarme|tragarme) (?:todas (?:las|mis)|un frasco"
        r" de|una caja de|muchas) (?:pastillas|pildoras|medicinas|pastas)",
        r"\btengo (?:las|mis|unas|muchas) (?:pastillas|pildoras|medicinas|pastas)"
        r" (?:listas|preparadas|guardadas|contadas|juntadas)",
        r"\btengo un plan para (?:matarme|suicidarme|morir|quitarme la vida)",
        r"\b(?:soy|estoy|me siento) (?:muy )?suicida\b",
        r"\btengo (?:pensamientos|ideas) (?:suicidas|de (?:suicidio|morir|matarme))",
        r"\besta es mi despedida\b",
    ],
    past=r"\b(?:hace (?:\w+ )?(?:anos|meses|tiempo|mucho)|antes de (?:la|mi) recuperacion"
         r"|cuando (?:era|tenia|estaba)|en (?:19|20)\d\d|solia|en el pasado|en mi adiccion"
         r"|en esa epoca|en aquel (?:entonces|tiempo))\b",
    recent=r"\b(?:hoy|ahora|esta noche|anoche|otra vez|de nuevo|todavia|ya no|esta semana)\b",
    reported=r"\b(?:dijo|dice|decia|dicen|dijeron|escribio|grito|susurro|conto|cuenta"
             r"|repetia|frases como|cosas como)\b",
)

FRENCH = _phrases(
    [
        r"\bje (?:veux|voudrais|vais|compte) (?:mourir|me (?:tuer|suicider)|en finir)\b",
        r"\bj'ai envie de (?:mourir|me tuer|en finir|disparaitre)\b",
        r"\bje (?:ne )?veux plus vivre\b",
        r"\bje n'en peux plus" + _END,
        r"\b(?:tout le monde|ma famille) serait mieux sans moi\b",
        r"\bje suis suicidaire\b",
    ],
    past=r"\b(?:il y a (?:\w+ )?ans|quand j'etais|autrefois|en (?:19|20)\d\d|avant ma guerison)\b",
    recent=r"\b(?:ce soir|aujourd'hui|maintenant|encore|cette nuit)\b",
    reported=r"\b(?:dit|disait|a dit|m'a dit|ecrit|a ecrit|des phrases comme)\b",
)

GERMAN = _phrases(
    [
        r"\bich (?:will|mochte|werde|wurde gern) (?:sterben|mich umbringen|mich toten"
        r"|nicht mehr leben)\b",
        r"\bich bringe mich um\b",
        r"\bich (?:will|kann) nicht mehr" + _END,
        r"\b(?:alle|meine familie) (?:waren|ware) besser dran ohne mich\b",
        r"\bich bin suizidal\b",
    ],
    past=r"\b(?:vor (?:\w+ )?jahren|als ich \w+ war|fruher|damals|(?:19|20)\d\d)\b",
    recent=r"\b(?:heute|jetzt|gerade|wieder|heute nacht)\b",
    reported=r"\b(?:sagte|sagt|hat gesagt|schrieb|schreibt|satze wie)\b",
)

PORTUGUESE = _phrases(
    [
        r"\b(?:eu )?(?:quero|vou|preciso) (?:morrer|me matar|acabar com (?:a )?minha vida"
        r"|sumir para sempre|tirar (?:a )?minha (?:propria )?vida)\b",
        r"\bnao quero (?:mais )?(?:viver|estar aqui|existir)\b",
        r"\b(?:todos|todo mundo|minha familia) (?:estariam|ficariam|estaria|ficaria) melhor"
        r" sem mim\b",
        r"\bnao aguento mais" + _END,
        r"\b(?:sou|estou) suicida\b",
    ],
    past=r"\b(?:ha (?:\w+ )?anos|quando eu era|antigamente|em (?:19|20)\d\d)\b",
    recent=r"\b(?:hoje|agora|esta noite|de novo|outra vez)\b",
    reported=r"\b(?:disse|diz|dizia|escreveu|frases como)\b",
)

BY_LANGUAGE: dict[str, Phrases] = {"es": SPANISH, "fr": FRENCH, "de": GERMAN, "pt": PORTUGUESE}


# --- Spanish, clause by clause (safety.py, "_spanish_clause_crisis") ------------------------
# As in English, the second reading is concepts and stance, not phrases. Spanish drops the
# subject, and its verb says who speaks: "quiero" is the writer, "quiere" someone else. So
# the writer's own stance is a first-person verb ("quiero", "voy a", "estoy pensando en"),
# and a clause counts when such a stance stands before an act, or when the clause says a
# state, the means made ready, a goodbye, or a present act ("me estoy cortando") on its own.


@dataclass(frozen=True, slots=True)
class Concepts:
    triggers: frozenset[str]  # a word one of the concepts needs: nothing is read without one
    clauses: re.Pattern[str]  # where a clause ends
    stance: re.Pattern[str]  # the writer's own "I want / I'm going to / I'm thinking of"
    act: re.Pattern[str]  # dying, killing or hurting oneself, not waking up, disappearing
    now: re.Pattern[str]  # the act itself, now: "me estoy cortando"
    state: re.Pattern[str]  # "ya no quiero vivir", "no tengo razon para seguir", "soy una carga"
    means: re.Pattern[str]  # pills, rope, a gun...
    ready: re.Pattern[str]  # ...saved, bought, in my hand, stared at
    safe: re.Pattern[str]  # ...or kept safe: locked away, as the doctor says
    goodbye: re.Pattern[str]  # goodbye letters, "esto es un adios", things given away
    negation: re.Pattern[str]  # "no"/"nunca" right before the stance
    condition: re.Pattern[str]  # "si", "cuando": the writer's plan for a hard day
    framed: re.Pattern[str]  # a song, a script, a role-play, training, warning signs
    others: re.Pattern[str]  # someone else said or says it


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split(" "))


def _w(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)")


_ES_PILLS = r"(?:pastillas|pildoras|medicinas|medicamentos|pastas|calmantes|somniferos)"
SPANISH_CONCEPTS = Concepts(
    triggers=_word_set(
        "morir morirme muero muera muriera muerte muerto muerta matarme matar suicidarme suicidar"
        " suicida suicidio vida vivir viviendo cortando cortarme cortandome cortar lastimarme"
        " lastimando lastimandome dano herirme hiriendo hiriendome quemando desaparecer"
        " desapareciera existir despertar despertarme despierte amanezca acabar terminar"
        " colgarme ahorcarme tirarme lanzarme saltar carga razon sentido cuerda soga pistola"
        " arma cuchilla cuchillas navaja frasco despedida adios despido regalando regale cartas"
        " notas aqui irme mejor ojala estuviera harto harta cansado cansada pastillas pildoras"
        " medicinas medicamentos pastas calmantes somniferos"),
    clauses=re.compile(r"\s*(?:[,:;()]|\s[-–—]+\s|(?<!\w)(?:pero|porque|aunque|mientras"
                       r"|sino)(?!\w))\s*"),
    stance=_w(
        r"quiero|quisiera|deseo|necesito|voy a|pienso|pienso en|estoy pensando en|sigo pensando"
        r" en|no dejo de pensar en|tengo ganas de|me dan ganas de|he decidido|decidi|ya decidi"
        r"|planeo|estoy planeando|tengo pensado|tengo un plan para|me gustaria|ojala (?:pudiera)?"
        r"|prefiero|estoy (?:listo|lista) para|estoy a punto de|solo quiero|lo unico que quiero"
        r" es"),
    act=_w(
        r"morir(?:me)?|matarme|suicidarme|quitarme la vida"
        r"|quitar(?:me)? la vida|acabar con (?:mi vida|todo|esto)|terminar con (?:mi vida|todo)"
        r"|hacerme dano|lastimarme|cortarme|herirme|desaparecer(?: para siempre)?|dejar de"
        r" existir|no despertar(?:me)?|no volver a despertar|colgarme|ahorcarme|tirarme (?:del?"
        r"|por|al|a|bajo) \w+|lanzarme (?:del?|por|al|a) \w+|saltar (?:del?|desde) \w+"
        r"|tomarme (?:todas (?:las|mis)|un frasco de|una caja de|muchas) (?:\w+ )?" + _ES_PILLS
        + r"|tragarme (?:todas (?:las|mis)|un frasco de) (?:\w+ )?" + _ES_PILLS + r"|irme para"
        r" siempre|no estar aqui|dejar de estar aqui"),
    now=_w(
        r"(?:me estoy (?:cortando|lastimando|haciendo dano|hiriendo|quemando)|estoy (?:cortandome"
        r"|lastimandome|haciendome dano|hiriendome)|me (?:volvi|he vuelto) a cortar"
        r"|(?:volvi|he vuelto) a cortarme|me sigo cortando|sigo cortandome)"
        # ...the body, or nothing: not "me estoy cortando el pelo".
        r"(?= *(?:$|[.,;:!?\n]|y\b|otra vez|de nuevo|ahora|hoy|anoche|todos los dias"
        r"|cada (?:dia|noche)|sin parar|(?:los|las|mis|el|la) (?:brazos?|piernas?|munecas?"
        r"|muslos?|piel|manos?)))"),
    state=_w(
        r"ya no quiero (?:vivir|seguir|estar aqui|existir)|no quiero (?:seguir )?vivir mas"
        r"|no (?:tengo|encuentro|veo) (?:ninguna |una )?razon (?:para|de) (?:vivir|seguir|estar"
        r" aqui)|no le (?:veo|encuentro) sentido a (?:la vida|vivir|seguir|nada)"
        r"|(?:soy|me siento) (?:una|un) carga para (?:todos|mi familia|ellos|los demas)"
        r"|estaria(?:n)? mejor (?:muert[oa]|sin mi)|mejor (?:muert[oa]|sin mi)"
        r"|(?:si|cuando) yo (?:no estuviera|me muriera|desapareciera)"
        r"|estoy (?:muy |tan )?(?:cansad[oa]|hart[oa]) de (?:vivir|existir|la vida|estar viv[oa])"
        r"|(?:soy|estoy|me siento) (?:muy )?suicida"
        r"|me (?:quiero|voy a|gustaria) (?:morir|matar|suicidar|quitar la vida)"
        r"|ojala (?:no (?:despierte|despertar|amanezca)|me muera|(?:pudiera )?desaparecer)"),
    means=_w(_ES_PILLS + r"|cuerda|soga|pistola|arma|cuchillas?|navaja|frasco"),
    ready=_w(r"guardad[oa]s?|juntando|junte|acumul\w+|compre|comprado|listas?|listos?|preparad"
             r"[oa]s?|contad[oa]s?|en la mano|en mi mano|al lado|mirando(?:las|la|los|lo)?"
             r"|cargada"),
    safe=_w(r"(?:lugar|sitio) seguro|bajo llave|con llave|guardad[oa]s? (?:en|bajo)|como (?:dice"
            r"|indica|receto|manda) (?:mi|el|la) (?:medic[oa]|doctor[a]?|psiquiatra)|recetad[oa]s?"
            r"|farmacia|botiquin"),
    goodbye=_w(r"cartas? de despedida|esto es (?:un|mi) adios|esta es mi despedida|me despido"
               r" (?:de todos|para siempre)|(?:estoy )?regalando (?:todas )?mis cosas"
               r"|regale (?:todas )?mis cosas|deje (?:cartas|notas) para"),
    negation=re.compile(r"(?<!\w)(?:no|nunca|jamas|ya no)(?: \w+)? $"),
    condition=_w(r"si|cuando|en caso de que|cada vez que|siempre que"),
    framed=_w(r"cancion|letra|guion|juego de roles|dramatizacion|capacitacion|entrenamiento"
              r"|taller|ejemplos?|senales de (?:alerta|advertencia|riesgo)|frases? como"
              r"|personaje|pelicula|poema|clase|curso"),
    others=_w(r"dijo|dice|decia|dicen|dijeron|escribio|grito|susurro|conto|cuenta|repetia"
              r"|me conto|le dije|ella|ellos|ellas|mi (?:cliente|paciente|companer[oa]"
              r"|amig[oa]|herman[oa]|hij[oa]|madre|padre)|la persona|alguien"),
)
