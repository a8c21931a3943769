"""The stigmatising terms language.py looks for, each with its person-first alternative.

Rules worth knowing (tested in tests/test_language.py):
- Words are matched whole: "addict" is flagged, "addiction" is not; "schizo" but not
  "schizoaffective"; "tweaker" but not "tweaked"; "cutters" but not "box cutters".
- "abuse" only in the substance-use sense ("substance abuse", "drug abuse", "abusing drugs"),
  never "child abuse", "elder abuse" or "her abuser".
- "clean"/"dirty" only of drug use, in two forms with two suggestions: of a drug test ("a
  dirty UA", "tested clean": say negative/positive) and of a person ("been clean", "clean
  for nine years": say in recovery / not using); never "a clean workspace".
- Words that are only a label as a noun ("a drunk", "a borderline", "the disabled") are
  flagged as a noun, not as an adjective ("drunk driving", "a borderline score", "the
  disabled parking space").
- "resistant" of a person ("resistant to change", "a resistant client") is flagged; the
  clinical compounds ("treatment-resistant depression", "drug-resistant TB") are not.
- "non-compliant" of a person is flagged, even "non-compliant with the court order"; of a law
  or policy ("non-compliant with HIPAA") it is not, nor is the administrative noun of an
  order ("non-compliance with the court order"). "High-functioning" of a person, not a team.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: re.Pattern[str]
    suggestion: str
    # Lower-case substrings, one of which every match contains (within REACH of its start).
    triggers: tuple[str, ...]


# How far before its trigger word a match may start ("confined to a wheelchair").
REACH = 32


def _rule(pattern: str, suggestion: str, *triggers: str) -> Rule:
    return Rule(re.compile(pattern, re.IGNORECASE), suggestion, triggers)


_DRUGS = (r"(?:drugs?|alcohol|substances?|opioids?|opiates?|pills|heroin|meth|cocaine"
          r"|prescriptions?)")
# Words after "suicide" that make a phrase about the work: "completed suicide risk training".
_SUICIDE_WORK = (r"(?![- ](?:risk|prevention|assessment|screening|safety|training|awareness"
                 r"|intervention|postvention|first aid|protocol|course|certification|hotline"
                 r"|lifeline|education|response|care)\b)")
# After a word that is a label only as a noun ("she's a drunk", "a borderline who..."):
# the end of the phrase, not a noun it describes ("a drunk driver", "a borderline case").
_AS_NOUN = (r"(?= *(?:$|[.,;:!?)\"']|(?:who|that|and|or|on|in|at|from|with|like|is|was|are"
            r"|were|again|anymore|myself|himself|herself|themselves|for|to|because|but|by|deserve"
            r"|need|have|has|had|can|could|should|will|would|face|get|often|also|always)\b))")
_DURATION = (r"(?:(?:over|almost|nearly|about|more than|just|a|an|\d+|one|two|three|four|five"
             r"|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|forty|fifty|several"
             r"|many|a few|a couple of|\w+-\w+) )+(?:days?|weeks?|months?|years?|decades?)")
# What "non-compliance" can be with, when it is not about a person.
_RULES_OF = (r"(?:hipaa|ferpa|42 cfr|the law|laws?|regulations?|polic(?:y|ies)|rules|standards"
             r"|requirements|osha|the ada)")
_ORDERS = (r"(?:(?:the|a|an|his|her|their|its|our) )?(?:court|judge'?s?|legal|licens\w*"
           r"|contract\w*|grant|funding|reporting|audit|billing|documentation|privacy|fire"
           r"|building|tax|orders?|terms of)")
_TEST = "testing negative/positive (the test is negative or positive, not the person)"
_CLEAN = "in recovery / not using / abstinent"
_DIRTY = "using / had a return to use"
_EXPERIENCE = "describe the experience (e.g. distressing, overwhelming) rather than the person"
_SUD = "person with a substance use disorder / person in recovery"
_USES = "person who uses drugs / person with a substance use disorder"
_READY = "not ready yet / has other priorities / ambivalent (and ask what matters to them)"

# Order matters only for overlapping phrases: longer phrases first.
RULES: tuple[Rule, ...] = (
    # Suicide.
    _rule(rf"\b(?:commit(?:s|ted|ting)?|complet(?:ed|es|e)) suicide\b{_SUICIDE_WORK}",
          "died by suicide / took their own life", "suicide"),
    _rule(rf"\b(?:successful|failed|unsuccessful) suicide(?: attempts?)?\b{_SUICIDE_WORK}",
          "died by suicide / survived a suicide attempt", "suicide"),
    # Substance use.
    _rule(r"\b(?:drug|substance|alcohol|opioid|heroin|polysubstance) abusers?\b",
          "person who uses substances / person with a substance use disorder", "abuser"),
    _rule(r"\b(?:substance|drug|alcohol|opioid|prescription|polysubstance) abuse\b",
          "substance use / misuse / substance use disorder", "abuse"),
    _rule(rf"\babus(?:e|es|ed|ing) (?:of )?{_DRUGS}\b", "misusing / using", "abus"),
    _rule(r"\b(?:ex-|former |recovering |drug |heroin |meth )?addicts?\b|\bjunkies?\b", _SUD,
          "addict", "junkie"),
    _rule(r"\bthe addicted\b(?! (?:to|babies|newborns|infants)\b)", _SUD, "the addicted"),
    _rule(r"\b(?:addicted (?:babies|newborns|infants)|crack babies)\b",
          "babies with neonatal abstinence syndrome / neonatal opioid withdrawal syndrome",
          "addicted", "crack babies"),
    _rule(r"(?<!non-)(?<!non )\b(?:recovering )?alcoholics?\b(?! (?:anonymous|beverages?"
          r"|drinks?|content|liver|hepatitis|cirrhosis|ketoacidosis|neuropathy|cardiomyopathy"
          r"|pancreatitis|punch|cider)\b)",
          "person with an alcohol use disorder / person in recovery", "alcoholic"),
    _rule(rf"\b(?:an? |the |old )drunk\b{_AS_NOUN}|\bdrunks\b",
          "person with an alcohol use disorder / person in recovery", "drunk"),
    _rule(r"\b(?:druggies?|druggy|crackheads?|crack heads?|tweakers?)\b", _USES, "drugg",
          "crack", "tweaker"),
    _rule(r"\b(?:iv|intravenous) drug (?:users?|abusers?)\b|\bivdus?\b",
          "person who injects drugs", "drug user", "drug abuser", "ivdu"),
    _rule(r"\b(?:drug|substance|heroin|meth|opioid|crack|cocaine) users?\b", _USES, "user"),
    _rule(r"\bdrug[- ]seek(?:ing|ers?)\b",
          "describe the need (e.g. asking for pain relief, in withdrawal)", "drug-seek",
          "drug seek"),
    _rule(r"\b(?:opioid|opiate|methadone|buprenorphine|drug) (?:replacement|substitution"
          r"|substitute)(?: (?:therapy|treatment|programs?))?\b",
          "medication for opioid use disorder (MOUD)", "replacement", "substitut"),
    # Clean / dirty of a drug test: the test is negative or positive, not the person.
    _rule(r"\b(?:(?:clean|dirty) (?:urine|uas?|tests?|screens?|results?|samples?|specimens?"
          r"|(?:drug|tox|urine) (?:tests?|screens?))|(?:test|tests|tested|testing|came back"
          r"|come back|comes back|coming back|peed|pee) (?:clean|dirty)|(?:uas?|urines?|tests?"
          r"|screens?|results?|samples?) (?:was|were|is|are) (?:clean|dirty))\b",
          _TEST, "clean", "dirty"),
    # Clean / dirty of a person: the phrases first, then verbs and people ("been clean").
    _rule(r"\b(?:clean and sober|sober and clean|clean (?:time|date)s?)\b", _CLEAN, "clean"),
    _rule(r"\b(?:(?:stay|stays|stayed|staying|get|gets|got|getting|been|being|am|days|weeks"
          r"|months|years|(?:i|you|he|she|we|they)(?:'m|'re|'s| am| are| is| was| were))"
          r" clean|(?:is|are|was|were|be) clean(?= (?:for|since|now|today|again|off)\b)"
          rf"|clean(?= (?:for {_DURATION}|since (?:\d|19|20|last|i\b|my\b|then\b))))\b",
          _CLEAN, "clean"),
    _rule(r"\b(?:(?:been|being|got|getting|(?:i|you|he|she|we|they)(?:'m|'re|'s| am| are| is"
          r"| was| were)) dirty(?= (?:for|since|now|again|off|at)\b)"
          r"|(?:is|are|was|were|be) dirty(?= (?:for|since|now|again)\b))",
          _DIRTY, "dirty"),
    # Mental health.
    _rule(r"\bsuffer(?:s|ed|ing)? (?:from|with)\b|\bsufferers?\b", "lives with / has / experiences",
          "suffer"),
    _rule(r"\b(?:the )?mentally ill\b", "person living with a mental health condition",
          "mentally ill"),
    _rule(r"\bmental (?:patients?|cases?)\b",
          "person receiving mental health care / person with a mental health condition",
          "mental patient", "mental case"),
    _rule(r"\b(?:a |the )?(?:schizophrenics?|psychotics)\b|\b(?:a|the) psychotic\b(?! (?:episodes?"
          r"|breaks?|symptoms?|features?|disorders?|experiences?|states?|illness|depression)\b)"
          r"|\bschizos?\b",
          "person living with schizophrenia / psychosis", "schizo", "psychotic"),
    _rule(r"\b(?:a|the) bipolar\b(?! (?:disorder|diagnosis|i|ii|1|2|depression|symptoms?"
          r"|episodes?|medications?|meds|spectrum|type|support)\b)",
          "person living with bipolar disorder", "bipolar"),
    # "She's bipolar": the condition as what the person is.
    _rule(r"(?:(?<=\bis )|(?<=\bwas )|(?<='s )|(?<=\bare )|(?<=\bwere )|(?<=\bam )|(?<='m )"
          r"|(?<=\bbeen ))bipolar\b(?! (?:disorder|diagnosis|i|ii|1|2|depression|symptoms?"
          r"|episodes?|medications?|meds|spectrum|type|support)\b)",
          "person living with bipolar disorder", "bipolar"),
    _rule(rf"\b(?:a|the) borderline\b{_AS_NOUN}|\bborderlines\b",
          "person living with borderline personality disorder", "borderline"),
    _rule(r"\b(?:a|the|some) cutter\b|(?<!box )(?<!bolt )(?<!wire )(?<!pizza )(?<!paper )"
          r"(?<!glass )(?<!tile )(?<!cookie )(?<!cookie-)(?<!hair )(?<!stone )(?<!pipe )"
          r"(?<!cigar )(?<!laser )\bcutters\b",
          "person who self-harms", "cutter"),
    _rule(r"\b(?:crazy|insane|psychos?|psychopaths?|lunatics?|nutcases?|nut ?jobs?|loony"
          r"|looney)\b",
          _EXPERIENCE, "crazy", "insane", "psycho", "lunatic", "nut", "loony", "looney"),
    _rule(r"\b(?:is|are|was|were|be|been|being|'s|'re|'m|am|go|goes|going|gone|went|drive|drives"
          r"|driving|drove|driven)(?: (?:a bit|a little|totally|completely|absolutely|kind of"
          r"|so|really|just|all|me|us|him|her|them|you))* nuts\b(?! (?:and bolts|about|for)\b)",
          _EXPERIENCE, "nuts"),
    # Service language.
    # Of a person. Not of a law or policy ("non-compliant with HIPAA"), and not the
    # administrative noun of an order ("non-compliance with the court order"); but "the client
    # was non-compliant with the court order" labels the client.
    _rule(rf"(?<!hipaa )(?<!regulatory )\bnon[- ]?(?:compliant\b(?! (?:with|to) {_RULES_OF}\b)"
          rf"|compliance\b(?! (?:with|to) (?:{_RULES_OF}|{_ORDERS})\b))",
          "chose not to follow the plan / not taking medication as prescribed (and ask why)",
          "complian", "noncomplian"),
    _rule(r"\bfrequent flyers?\b(?! (?:miles|points|programs?|status|numbers?|cards?"
          r"|accounts?)\b)", "person who uses services often", "frequent flyer"),
    _rule(r"\b(?:manipulative|attention[- ]seeking)\b",
          "trying to get needs met / asking for connection", "manipulative", "attention"),
    # Of a person, not a compound ("treatment-resistant depression", "drug-resistant TB").
    _rule(r"(?<!-)(?<!treatment )(?<!drug )(?<!antibiotic )(?<!insulin )(?<!water )"
          r"(?<!heat )(?<!fire )(?<!stain )\bresistant\b(?! (?:depression|schizophrenia"
          r"|epilepsy|hypertension|bacteria|strains?|infections?|tb|tuberculosis|to (?:antibiotics"
          r"|insulin|water|heat|fire|infection|disease))\b)", _READY, "resistant"),
    _rule(r"\bunmotivated\b", _READY, "unmotivated"),
    _rule(r"\bin denial\b(?! of (?:service|benefits|coverage|claims?)\b)",
          "not ready to talk about it yet / ambivalent", "denial"),
    _rule(r"\b(?:high|low)[- ]functioning\b(?! (?:teams?|organi[sz]ations?|systems?|groups?"
          r"|units?|agenc(?:y|ies)|programs?|departments?|offices?|workplaces?|committees?"
          r"|boards?|networks?|coalitions?|partnerships?|services?|clinics?|practices?"
          r"|machines?|devices?|economies?|markets?)\b)",
          "describe the person's strengths and needs", "functioning"),
    _rule(r"\bhomeless (?:clients?|m[ae]n|wom[ae]n|people|persons?|guys?|folks?|individuals?"
          r"|youth|kids?|children|veterans?|vets?|population|famil(?:y|ies)|mothers?|fathers?"
          r"|parents?|adults?|teens?|participants?|peers?|patients?|residents?)\b"
          r"|\bthe homeless\b(?! (?:shelters?|services?|outreach|coalition|programs?|count"
          r"|drop-in|cent(?:er|re)s?|teams?|court|camps?|encampments?|ministry|mission|clients?"
          r"|m[ae]n|wom[ae]n|people|persons?|guys?|folks?|individuals?|youth|kids?|children"
          r"|veterans?|vets?|population|famil(?:y|ies)|mothers?|fathers?|parents?|adults?"
          r"|teens?|participants?|peers?|patients?|residents?)\b)",
          "person experiencing homelessness", "homeless"),
    # Disability.
    _rule(r"\b(?:wheelchair[- ]bound|confined to a wheelchair)\b", "uses a wheelchair",
          "wheelchair"),
    _rule(r"\b(?:retarded|retards?|mental retardation|handicapped)\b",
          "person with a (intellectual) disability", "retard", "handicapped"),
    _rule(rf"\bthe disabled\b{_AS_NOUN}",
          "people with disabilities / disabled people (as they prefer)", "the disabled"),
    _rule(r"\bspecial needs\b(?! (?:trusts?|plans?)\b)",
          "disability / access needs / support needs", "special needs"),
)
