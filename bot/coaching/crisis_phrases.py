"""What the safety net listens for: statements of the writer's own crisis, as regexes.

These are the words alone. Whether the words are the writer's own, and present, is decided
in bot/coaching/safety.py (quotes, reported speech, "if I...", and statements dated to the
past). All patterns run on ``normalize``d text (lower case, straight apostrophes).

The second part of this file ("The clause reading") is not phrases but a small lexicon of
concepts (an act, a state, means, a place, goodbyes, absence, burden), each with the words
it needs (``GATES``) and the words it can open with (``ANCHORS``); safety.py reads them clause
by clause, with the stance rules in its docstring.

Speed: each pattern starts with plain text (its first word, or a letter) and only then
checks, with a look-behind, that the text begins a word. The engine skips straight to where
that text occurs; a leading \\b, look-behind or choice of characters ([.!?\\n]) would make
every search try every position of the text, several times slower.
"""

from __future__ import annotations

import re

# Where a short phrase ("end it", "be here") ends a thought rather than starts another.
_END = (r"(?= *(?:$|[.!?,;:)\n]|any ?more\b|any longer\b|tonight\b|today\b|now\b|right now\b"
        r"|for good\b|forever\b|soon\b|once and for all\b|this week|lol\b|tbh\b|rn\b"
        r"|and be (?:done|gone)\b|and never (?:wake up|come back)\b))")
# "suicide" used professionally: prevention, risk, screening...
# Gone only for a while: "if I disappeared for a day at work", "if I wasn't here for group".
_NOT_A_WHILE = (r"(?! (?:for|from) (?:a|an|the|one|two|\d+|our|my|this|that|a few|a couple"
                r"(?: of)?) ?(?:\w+ )?(?:day|days|hour|hours|week|weeks|minute|minutes|while|bit"
                r"|shift|meeting|group|session|work|class|chat|night)\b)")
_NOT_PROFESSIONAL = (
    r"(?![- ](?:prevention|risk|screening|assessment|safety|hotline|lifeline|and crisis"
    r"|awareness|training|protocol|polic|rate|statistic|loss|survivor|postvention|care|line"
    r"|response|first aid|intervention|as\b|in terms|from\b|differently|attempt))"
)
# Nouns after "overdose"/"self-harm" that make them professional: "I keep overdose kits".
_NOT_A_NOUN = (
    r"(?![- ](?:prevention|reversal|response|kits?|training|risk|deaths?|education|awareness"
    r"|crisis|rates?|data|free|resources?|groups?|support|recovery|history|behaviou?rs?|scars?"
    r"|injur|urges?|thoughts?|on (?:coffee|caffeine|sugar|chocolate|information)"
    r"|(?:them|him|her|you|people)\b))"
)
# "In crisis" about the work: "I'm in crisis services", "a crisis of confidence".
_NOT_CRISIS_WORK = (
    r"(?![- ](?:work|workers?|intervention|services?|response|stabili[sz]ation|management"
    r"|support|care|teams?|lines?|cent(?:er|re)s?|units?|planning|counsel|field|training|roles?"
    r"|mode|situations?|calls?|settings?|beds?|shelters?|residential|respite"
    r"|of (?:confidence|faith|conscience|identity))|[\w-])"
)
# What people take too much of.
_PILLS = (r"(?:(?:sleeping |pain |my )?pills|meds|medications?|tablets|painkillers|tylenol"
          r"|paracetamol|acetaminophen|advil|ibuprofen|aspirin|insulin|antidepressants|seroquel"
          r"|quetiapine|xanax|klonopin|ativan|valium|ambien|trazodone|lithium|oxy|oxys|oxycodone"
          r"|percocets?|tramadol|benadryl|sleeping tablets)")
# Chat typos of "suicidal".
_SUICIDAL = r"(?:suicidal|suicidial|sucidal|suicdal|suicidle)"
_SELF_HARM = (
    r"(?:kill myself|killing myself(?! (?:to|at|with|trying|laughing|over)\b)|hang(?:ing)? myself"
    r"|shoot(?:ing)? myself(?! in the foot)"
    r"|cut(?:ting)? myself(?! (?:some|a little|a bit of|more) slack| off| short)"
    r"|hurt(?:ing)? myself|harm(?:ing)? myself|starv(?:e|ing) myself|burn(?:ing)? myself(?! out)"
    r"|(?:hit|hitting|punch|punching) myself"
    rf"|self[- ]?harm(?:ing)?{_NOT_A_NOUN}|kms|unalive (?:myself|me)|commit(?:ting)? suicide"
    rf"|end(?:ing)? (?:my (?:own )?life|it all|everything|it{_END}|things{_END}|things for good)"
    r"|tak(?:e|ing) my (?:own )?life|give up on (?:life|living)"
    r"|stop breathing(?! (?:so|too) (?:fast|quickly|shallow))"
    rf"|end(?:ing)? (?:my pain|the pain(?: for good| forever| tonight)?){_END}"
    r"|drink(?:ing)? (?:myself to death|until i (?:don'?t|do not|never) wake up|until i die)"
    r"|tak(?:e|ing) (?:everything|every pill|all the (?:pills|meds)) in (?:my|the) (?:medicine"
    r" cabinet|cabinet|bathroom|drawer)"
    rf"|tak(?:e|ing) (?:all (?:of )?my {_PILLS} (?:at once|tonight"
    r"|together|right now|and (?:die|end it|never wake up))|a (?:whole )?bottle of (?:pills"
    r"|tablets|sleeping pills)|the whole bottle)"
    r"|die(?! (?:on (?:this|that|the) hill|of (?:embarrassment|laughter|boredom|shame)"
    r"|laughing|trying|a little|inside|(?:peacefully |happy |happily |content )?(?:at (?:\w+ )?"
    r"(?:ninety|eighty|seventy|hundred|100|[6-9]\d|(?:a )?(?:ripe )?old age)|of old age|old\b)))"
    rf"|be dead|not (?:be )?(?:alive|here{_END}|exist)|(?:not|never) wake up"
    rf"|stop (?:existing|being alive|living{_END})|cease to exist"
    r"|(?:go to sleep|fall asleep|sleep) and (?:not|never) wake up|(?:go to )?sleep forever"
    rf"|overdos(?:e|ing){_NOT_A_NOUN}|od{_NOT_A_NOUN}"
    r"|disappear (?:forever|for good|permanently|and never come back)"
    r"|jump(?:ing)? (?:off|from) (?:a|the|my) (?:\w+ )?(?:bridge|building|roof|rooftop|cliff"
    r"|garage|overpass|balcony|tower|ledge)"
    r"|(?:jump(?:ing)?|step(?:ping)?|walk(?:ing)?) in front of (?:a|the) (?:train|bus|car|truck)"
    r"|walk into (?:the )?(?:sea|ocean|river|lake|traffic)"
    r"|(?:driv(?:e|ing)|crash(?:ing)?) (?:my car |the car )?(?:into|off) (?:a|the)"
    r" (?:tree|wall|bridge|cliff"
    r"|river|lake|truck))"
).replace("myself", "my ?self")  # "kill my self" is a common typing of it
_ADV = (r"(?: really| just| still| honestly| kind of| sort of| seriously| actually| literally"
        r"| definitely| probably| finally| already| sometimes| often| always| constantly)")
_STATE_ADV = (r"(?: really| so| still| kind of| feeling| getting| actually| honestly| very"
              r"| seriously| pretty| quite| always| actively| passively| constantly)")
_TO_LIVE = (r"(?: for me)? (?:to|in|of) (?:live(?! (?:in|with)\b)"
            r"|living(?! in (?:fear|shame|denial|the past)\b)|going on|being alive"
            r"|staying alive|carrying on)")
_DYING = (r"dying\b(?! (?:peers?|people|patients?|clients?|persons?|family|relatives?|loved"
          r" ones?|parents?|process|with dignity)\b)")
# Contractions, with or without the apostrophe ("im", "ive", "dont").
_AM, _HAVE, _WOULD = r"(?:'?m| am)", r"(?:'?ve| have)", r"(?:'?d| would)"
_WILL = (r"(?:'ll| will|ll(?= (?:just |probably )?(?:kill|kms|end it|end my|hurt|cut|hang"
         r"|take my|jump)))")
_DONT, _CANT = r"(?:don'?t|do not)", r"(?:can'?t|cannot|can not)"
_WANT = r"(?:want|wnat)"  # and its commonest typo

# After the word "i" (each pattern below starts right after it).
AFTER_I = (
    # I want to die / I'm going to kill myself / I've been cutting myself / I feel like ending it
    rf"{_AM}?{_ADV}? ?(?:{_WANT}|wanna|wanting|need|plan|intend|going|gonna|planning"
    rf"|{_HAVE} decided|decided|ready|about|wish i could|think i will|think i'll|{_WILL}"
    r"|thinking about|thinking of|keep thinking about|keep thinking of|think about|think of"
    rf"|{_CANT} stop thinking about|feel like|feeling like|keep|keep wanting|{_HAVE} been"
    rf"|{_HAVE} started|started|{_HAVE} been thinking (?:about|of)|{_HAVE} been wanting"
    rf"|{_HAVE} been planning(?: to| on)?|should|feel like i should|think i should"
    rf"|might as well|might just|keep hoping i(?:'ll| will)?|hope i(?:'ll| will)"
    rf") (?:just |really )?(?:too? |(?:of |about )?(?:ways|how|a way) to )?{_SELF_HARM}\b",
    # I'm suicidal / I've been having suicidal thoughts / I'm in crisis
    rf"(?:{_AM}|{_HAVE} been){_STATE_ADV}? (?:{_SUICIDAL}|feeling {_SUICIDAL}"
    rf"|(?:thinking (?:about|of)|considering|contemplating) suicide{_NOT_PROFESSIONAL}"
    rf"|having (?:{_SUICIDAL} (?:thoughts|urges|feelings)|thoughts of (?:suicide|killing myself"
    rf"|ending my life|dying))|in (?:a |real |deep |serious )?crisis{_NOT_CRISIS_WORK})",
    rf"(?: really| still| honestly)? feel(?:ing)? (?:really |very |so |quite |pretty )?"
    rf"{_SUICIDAL}",
    rf" (?:keep |{_CANT} stop |still |often |sometimes |always |constantly )?(?:think|thinking)"
    rf" (?:about|of) (?:suicide{_NOT_PROFESSIONAL}|{_DYING})",
    rf" (?:really |just |honestly |even |truly )?(?:feel like|keep thinking about) {_DYING}",
    # I don't want to be alive anymore
    rf" (?:really |just |honestly |truly )?(?:{_DONT}|no longer) (?:really |even |honestly"
    rf" )?(?:{_WANT} to|wanna(?: to)?) (?:live(?! (?:in|with|on|near|by|off|up|out|there"
    rf"|alone|through|a|my|our|their|like that|and)\b)|be alive|be here{_END}|exist"
    r"|be in this world|be on this earth"
    r"|wake up(?! (?:a|an|the|my|his|her|their|them|him|anyone|someone|people"
    rf"|everyone|early|late)\b)|go on{_END}|go on living|keep (?:going|living){_END})",
    # I can't go on anymore / I can't take it anymore
    rf" {_CANT} (?:go on|keep going|do this|go on living|keep living|live like this|take it"
    r"|take this|take the pain)(?= *(?:right now|tonight|today|again|any ?more|any longer"
    r"|lately|these days|like this|$|[.!,\n]))",
    # I see no reason to live / I have nothing left to live for
    rf"(?:(?: have|'?ve got| see) no|(?: {_CANT}| {_DONT}) see (?:the|any)) (?:reason|point)"
    rf"{_TO_LIVE}",
    rf"(?:{_HAVE}|'?ve got| have got| got) nothing (?:left )?(?:to live for|worth living for)",
    rf"{_WOULD} (?:be better off dead|rather (?:be dead|die\b(?! than)|not (?:be alive"
    r"|exist|wake up)))",
    rf" wish i (?:was|were|'d been) (?:dead|never born|gone{_END})"
    rf"| wish i (?:wasn't|weren't|was not|were not) (?:alive|here{_END}|born)",
    # I hate my life and want to die / I just want it all to end
    rf" (?:hate|{_CANT} stand) (?:my life|being alive|living)(?:,| and| so)? (?:i )?"
    rf"(?:just |really )?(?:{_WANT}|wanna|need) to {_SELF_HARM}\b",
    rf" (?:just |really |honestly )?(?:{_WANT}|wanna|need) (?:(?:it all|it|this|all of it"
    rf"|everything|my life) to (?:end|stop|be over)|the pain to end){_END}",
    # I'm tired of living / I'm done with life
    rf"{_AM}{_STATE_ADV}? (?:tired of|done with|sick of|done) (?:living|life|being alive"
    rf"|existing){_END}",
    rf"{_AM}(?: still| really| just)? (?:cutting|hurting|harming|starving|burning) myself"
    r"(?! (?:some|a little|a bit of|more) slack| off| short| out)",
    # I used to self-harm and I still do
    r" used to (?:self[- ]?harm|(?:cut|hurt|harm|burn|starve) myself)(?:,| and| but)*"
    r" (?:i )?(?:sometimes |occasionally )?still (?:do|am|cut|self[- ]?harm|hurt myself)\b",
    rf"(?:{_HAVE} been|{_HAVE} started|{_AM}| started| keep) cutting (?:again|my (?:arms?|wrists?"
    r"|legs?|thighs?|skin)(?![\w']))",
    # I'm not safe with myself / I don't trust myself tonight
    rf"{_AM} not safe(?: (?:with|around) myself\b|{_END})",
    rf" {_DONT} (?:feel safe (?:with|around) myself\b|trust myself (?:to (?:stay|be|keep)"
    r" safe|not to|alone|with (?:my|the) (?:pills|meds|gun|knife))|trust myself{_END})",
    # Where I am: "I'm standing on the bridge".
    rf"{_AM}(?: just| now)? (?:standing|sitting) on (?:a|the) (?:bridge|ledge|roof|edge of"
    r" (?:a|the) (?:bridge|roof|building|cliff)|(?:train |railway )?tracks)\b",
    # The means, and the plan.
    rf"(?:{_HAVE}|'?ve got| have got|'?ve already|'?ve just| just| got) (?:a|the|my) (?:plan"
    r"|means|pills|gun|rope)(?: ready)? (?:to|and|for) (?:kill myself|end it|end my life|die"
    r"|do it)",
    rf"(?:{_HAVE}|'?ve got| have got| got) (?:a|the|my) plan and (?:the )?means(?! (?:to|for)"
    r" (?!(?:kill|end|die|do it)))",
    rf"(?:'?ve got| have got|{_HAVE}|'?ve bought| bought| got) (?:(?:a|the|my|some) )?(?:gun"
    r"|rope|pills|knife|razor(?: blades)?|blades|insulin)(?: (?:ready|here|with me|on me"
    r"|saved(?: up)?|at home|in front of me|hidden|in my (?:room|car|bag|drawer|hand|pocket"
    r"|closet|house|apartment))){0,2}"
    rf" and i{_AM}? (?:going to|gonna|will|'ll|want to|plan to|(?:keep )?think(?:ing)? (?:about"
    r"|of)) (?:(?:use|using) (?:it|them)\b|(?:take|taking) (?:it|them)\b"
    r"(?! as prescribed| every| daily| each| in the morning| at night| with food))",
    rf"(?:'?ve got| have got|{_HAVE}|'?ve bought| bought| got) (?:a|the|some|enough) (?:gun"
    rf"|rope|pills|knife|razor blades?|blades)(?: \w+){{0,2}} to {_SELF_HARM}\b",
    rf"{_HAVE}(?: been)? (?:saving|stockpiling|hoarding|collecting) (?:up )?(?:my |some "
    rf"|all my |all of my )?{_PILLS}",
    # What the writer did: an attempt, an overdose, self-harm. It may be last night or a
    # recovery story; safety.py reads the sentence's time words to tell (the "act" group).
    rf"(?P<act>(?:{_HAVE})?(?: just| once| then| finally| nearly| almost| already| actually)?"
    rf" (?:(?:tried|attempted)(?: again)? to {_SELF_HARM}\b"
    rf"|(?:attempted|tried) suicide{_NOT_PROFESSIONAL}|made (?:a|another) suicide attempt"
    r"|took an overdose"
    rf"|overdosed{_NOT_A_NOUN}|od'?d{_NOT_A_NOUN}|self[- ]?harmed"
    r"|(?:slit|cut) my (?:wrists?|arms?|legs?|thighs?)(?![\w'])|hanged myself"
    rf"|(?:bought|got|stocked up on|picked up) (?:a lot of|lots of|a bunch of|loads of|enough"
    rf"|extra|a (?:whole )?bottle of|(?:\d+|two|three|four|five) (?:bottles|boxes|packs) of)"
    rf" {_PILLS}\b"
    r"|cut (?:myself )?again(?! (?:the|a|my|some|back|down|costs?|ties|corners|it|them)\b)"
    r"|gave away (?:(?:all|most) (?:of )?)?my (?:stuff|things|belongings|possessions|pets?|cat"
    r"|dog)\b"
    r"|burned myself(?! out| cooking| on (?:a|the)\b| by accident| accidentally| while)"
    r"|cut myself(?! (?:some|a little|a bit of|more) slack| off| short| shaving| cooking"
    r"| chopping| on (?:a|the|some)\b| by accident| accidentally| while| in the kitchen)"
    r"|(?:wrote|written) (?:(?:a|my|some|the) )?(?:suicide notes?|goodbye (?:letter|note)s?)"
    # Pills: ten or more, a bottle, too many (not "2 ibuprofen", not "the pills away from him").
    r"|(?:took|taken|swallowed) (?:[1-9]\d+(?: of my)?|a (?:whole )?bottle of|the whole bottle"
    rf" of|too many|a bunch of|a handful of|all the) (?:(?:my|her|his|their) (?:[\w]+'s )?)?"
    rf"{_PILLS}\b"
    r"(?! (?:away|from|off|out of|back|to (?:the|a|his|her|their))\b)"
    # "All my meds" is a normal day ("as prescribed", "this morning") unless nothing says so.
    rf"|(?:took|taken|swallowed) all (?:of )?my {_PILLS}\b(?! (?:as prescribed|this morning"
    r"|today|on time|every|each|daily|with|like|before|after|at (?:night|bedtime|the))\b)))",
    # Warning signs: the plan made, the means gathered, things put in order.
    rf" {_CANT} (?:keep myself safe|see (?:a|any|another) way out (?:but|except|other than|besides)"
    r" (?:dying|death|suicide|killing myself|ending it))",
    rf"{_AM}?(?: so| really)? (?:scared|afraid|frightened|terrified) (?:of )?what i(?:'m| am|m)?"
    r" (?:going to|gonna|might|will|could|'ll) do to myself",
    rf"(?:{_HAVE}|'?ve got| have got| got) (?:the|my|all (?:of )?my|some|enough) {_PILLS}"
    r" (?:all )?(?:counted(?: out)?|lined up|laid out|ready to (?:take|go)|ready for tonight)",
    rf"(?:{_HAVE}(?: been)?|{_AM})? (?:look(?:ed|ing)? up|research(?:ed|ing)?|googl(?:ed|ing)"
    r"|search(?:ed|ing)(?: for)?) (?:how many (?:pills|tablets|of (?:them|my \w+)) (?:it takes"
    r"|i(?:'d| would)? need|would)|which bridge|how to (?:kill myself|die|end it|end my life"
    r"|hang myself|overdose)|(?:the )?(?:easiest |quickest |best )?ways? to (?:die|kill myself"
    r"|end it))",
    r" know (?:exactly )?(?:how and when|how i(?:'d| would|'ll| will|'m going to) do it and when"
    r"|how many (?:i(?:'d| would)? need|it takes|to take)(?= *(?:$|[.!?,;\n])))",
    rf"(?:{_HAVE}|'?ve just| just)? (?:picked|chosen|chose|set) (?:a|the) (?:date|day){_END}",
    rf"(?:{_HAVE} been|{_AM}(?: just)?) giving (?:away )?(?:(?:all|most) (?:of )?)?my (?:stuff"
    r"|things|belongings|possessions|pets?|cat|dog)(?: away)?\b",
    r"(?:'?ve| have)?(?: just)? (?:wrote|written|writing|write) (?:goodbye )?(?:letters?|notes?)"
    r"[^.!?\n]{0,60}?\b(?:when|after|once) i(?:'m| am|m) gone\b",
    r"(?: won'?t| will not) (?:need (?:anything|any of (?:it|this|my (?:stuff|things))|my (?:stuff"
    r"|things)|them|it) (?:after|any ?more|much longer|where i'm going)|be (?:around|here|alive)"
    r" (?:much longer|for (?:much )?longer|for long|any ?more|after tonight"
    rf"|(?:for|by|at|when|to see) [^.!?\n,]{{0,30}}? any ?way{_END}))",
    r" (?:just |really )?(?:want|wanna) out (?:for good|permanently|of (?:this|my) life)",
    rf" {_DONT} think i(?:'ll| will|ll) (?:make it|survive|be (?:here|alive|around))"
    r" (?:through |past |until |to )?(?:this week|tonight|the night|the weekend|next week"
    r"|much longer|another day|tomorrow)",
    rf" (?:honestly |really |just )?{_CANT} (?:see|imagine|picture) myself (?:being )?"
    r"(?:alive|here|around|living)"
    r" (?:next|in a|in (?:a|one|two) (?:year|month|week)|by|much longer|for long)",
    r"(?:'?m| am| keep| always| often|'?ve been| have been)? (?:picturing|imagining|planning"
    r"|thinking about) my (?:own )?funeral",
    rf"(?:{_AM}|{_HAVE} been|{_HAVE} started| started) writing (?:goodbye )?(?:notes|letters)"
    r" to (?:my (?:family|kids|children|wife|husband|partner|parents|mom|mum|dad|friends)"
    rf"|everyone(?: i love)?){_END}",
    rf" hope i (?:{_DONT}|won'?t|never) wake up(?! (?:late|early|with|in|on|too|at)\b)",
    rf" {_DONT} see the point (?:any ?more|in (?:anything|living|going on|life|any of it)"
    rf"(?: any ?more)?){_END}",
    rf"(?:{_HAVE}(?: decided)?|{_AM} sure)? (?:(?:that )?this is|this'll be) my last"
    rf" (?:week|day|night|weekend){_END}",
    rf"(?:{_HAVE}|'?ve already| already| just)? (?:said|written|made) (?:all )?my goodbyes{_END}",
    rf"{_AM} not (?:going to|gonna) be (?:around|here|alive) (?:much longer|for long|after"
    r" (?:this|tonight|today|tomorrow|the weekend|\w+day)\b)(?![^.!?\n]{0,30}?\b(?:because"
    r"|since|as|cause|'cause|i'm (?:moving|leaving|travel)|on (?:vacation|holiday|leave)))",
    rf"(?:'?ve got| have got|{_HAVE}| got) [^.!?\n]{{0,40}}?\b(?:my|the|all my|all the) {_PILLS}"
    rf"(?: ready)? and i(?:'m| am|m) (?:done|ready|finished){_END}",
    rf"{_AM}(?: standing| sitting)? (?:at|on) (?:the|a) (?:bridge|ledge|roof|rooftop|edge|tracks"
    rf"|cliff)(?: right now| rn| now)?(?= *(?:$|[.!?\n]|rn\b|right now\b|now\b))",
    rf"{_AM}?(?: (?:keep|still|often|constantly|always|sometimes))? (?:having|have|get|getting)"
    rf" (?:{_SUICIDAL} thoughts|thoughts (?:of|about) (?:suicide{_NOT_PROFESSIONAL}|killing myself"
    r"|ending (?:my life|it)|dying))",
    rf" {_DONT} (?:really |even )?care (?:if|whether) i live or die",
    r" know (?:exactly )?how i(?:'m| am|m) (?:going to|gonna) do it(?= *(?:$|[.!\n]))",
    rf"{_AM}? (?:going to|gonna) (?:finally )?do it (?:tonight|today|this weekend){_END}",
    rf"{_AM}(?: just| finally)? ending (?:it(?: all)?|my life|things){_END}",
    rf"{_AM}?(?: already)? (?:planning|plan|planned) my (?:own )?(?:suicide{_NOT_PROFESSIONAL}"
    r"|death\b)",
    r"(?: keep| am| 'm|'m) (?:staring|looking) at (?:the|my|a) (?:knife|knives|pills|rope|gun"
    r"|razor|blades|bridge)\b",
    rf"(?:{_HAVE}|'?ve already| already| just)? (?:said|say|saying) (?:my )?goodbyes? to"
    rf" (?:everyone|everybody|all)(?: (?:of )?(?:you|them))?(?: i (?:love|care about))?{_END}",
    rf"{_AM}(?: just| now)? (?:sitting|sat|parked) in (?:my|the) car[^.!?\n]{{0,40}}(?:engine"
    r"|motor) (?:running|on)",
    # "...easier if I was dead": counts only after "better off", "easier"... (see safety.py).
    rf"(?P<if>f i (?:just )?(?:(?:was|were|{_AM}) (?:dead|gone)|died|killed myself"
    r"|disappeared|(?:wasn't|weren't|was not|were not) (?:here|around|alive))" + _NOT_A_WHILE
    + ")",
)
# A quick look at the word after "i" before trying every pattern: it must be one that can
# follow "i" in AFTER_I (keep the two in step; tests/test_safety.py checks it on every case).
# "I'd" is half the "I"s of an interview answer ("I'd ask her..."), and in AFTER_I only
# _WOULD's "I'd be better off dead" and "I'd rather..." follow it: the gate reads that far.
_I_GATE = (
    r"i(?=[ 'mvdlf])(?<![\w']i)(?=(?:'(?!d\b)|'?d (?:be better off dead|rather )|m\b|ve\b|ll\b"
    r"|f i | (?:am|have|would|will|want|wanna"
    r"|wnat|wanting|need|plan|intend|going|gonna|planning|decided|ready|about|wish|think"
    r"|thinking|keep|can|cant|cannot|feel|feeling|started|really|just|still|honestly|kind|sort"
    r"|seriously|actually|literally|definitely|probably|finally|already|sometimes|often|always"
    r"|constantly|don|dont|do|no|truly|even|see|hate|got|bought|once|then|nearly|almost"
    r"|tried|attempted|made|took|taken|swallowed|overdosed|od|self|slit|cut|burned|hanged"
    r"|wrote|used|scared|afraid|frightened|terrified|look|looked|looking|research|researched"
    r"|researching|googled|googling|searched|searching|know|picked|chose|chosen|set|giving|gave"
    r"|written|writing|write|won't|wont|will|so|hope|picturing|imagining|often|said|sure"
    r"|stocked|picked|should|might|at|on|having|get|getting|care|ending|staring|looking"
    r"|saying|say)\b))"
)
# No subject, chat style, at the start of a sentence: "Thinking about ending my life again."
# What follows the mark that ends the sentence before ([.!?\n]); it never crosses the end of
# its own sentence, so a pattern per mark finds what one pattern for all four would.
BARE = (
    r" ?(?=honestly|tbh|been|just|still|keep|thinking|wan|going|gonna|planning|feel"
    r"|no )(?P<bare>(?:honestly,? |tbh,? )?(?:(?:been |just |still |keep )?(?:thinking"
    r" (?:about|of)|want to|wanna|going to|gonna|planning to|planning on|feel like)"
    rf" (?:{_SELF_HARM}\b|suicide{_NOT_PROFESSIONAL})|no (?:reason|point){_TO_LIVE}))"
)
# Every pattern, with a plain substring it cannot match without (or None): most answers lack
# the substring, and ``in`` is far cheaper than a regex search.
CRISIS: tuple[tuple[str | None, re.Pattern[str]], ...] = (
    (None, re.compile(_I_GATE + "(?:" + "|".join(f"(?:{p})" for p in AFTER_I) + ")")),
    # There's no reason to live / There's nothing left for me to live for
    ("no point in me", re.compile(
        rf"there(?<![\w']there)(?:'s| is) no point (?:in )?me being (?:here|alive|around){_END}")),
    ("there", re.compile(rf"there(?<![\w']there)(?:'?s| is)(?: just)? (?:no (?:reason|point)"
                        rf"{_TO_LIVE}|nothing (?:left )?(?:for me )?to live for)")),
    # The only way out I can see is to kill myself
    ("way out", re.compile(
        r"there(?<![\w']there)(?:'s| is) no (?:other )?way out(?: for me)?(?: now)? (?:except|but"
        r"|other than|besides) (?:ending it|ending my life|dying|death|suicide|killing myself)")),
    ("way out", re.compile(
        r"the(?<![\w']the) only way out (?:i (?:can )?see|for me|left|i have)(?: now)? is"
        rf" (?:to )?(?:{_SELF_HARM}\b|death|dying|suicide)")),
    # My plan is to overdose tonight
    ("plan is", re.compile(rf"my(?<![\w']my) (?:only )?plan is to {_SELF_HARM}\b")),
    # Everyone would be better off without me
    ("without me", re.compile(
        r"(?P<off>better(?<![\w']better)(?: off)? without me(?: (?:around|here|in it|in (?:their"
        rf"|the) (?:lives?|way|world)))?{_END})")),
    # Nobody needs to worry about me after Friday
    ("worry about me", re.compile(
        r"(?:nobody|no one|no-one)(?<![\w']nobody)(?<![\w']no one)(?<![\w']no-one)"
        r" (?:needs to|will (?:need|have) to|has to|will|'ll have to) worry about me"
        r" (?:after|any ?more|much longer|soon|for long)")),
    # Life isn't worth living anymore (the writer's own words: at a sentence's start, or "my").
    ("worth", re.compile(
        r"life(?:(?<=[.!?\n]life)|(?<=[.!?\n] life)|(?<=\bmy life))(?: just| really)?"
        rf" (?:isn'?t|is not|ain'?t|is no longer) worth (?:living|it)(?: any ?more)?{_END}")),
    ("the night", re.compile(rf"tonight(?<![\w']tonight)(?:'s| is) the night{_END}")),
    ("my ", re.compile(
        rf"my(?<![\w']my) {_PILLS} (?:are )?(?:all )?(?:in (?:a|one) (?:pile|heap)|lined up"
        r"|counted out|laid out|piled up)")),
    # Goodbye everyone. (Not "goodbye everyone, see you Tuesday".)
    ("goodbye", re.compile(
        r"goodbye(?<![\w']goodbye),? (?:everyone|everybody|world|all|to (?:everyone|all))"
        r"(?: forever)?(?= *[.!\n]|$)(?![\s\S]{0,40}?(?:see you|for now|until|till |tomorrow"
        r"|next (?:week|time|session)|have a (?:good|great|nice)|thanks|thank you))")),
    # Nobody would miss me if I died
    (None, re.compile(
        r"no(?<![\w']no)(?: ?one|-one|body)(?: would| will|'d)?(?: even| really| ever)? (?:miss"
        r"(?:es)? me|notices?|cares?|be sad) (?:if|whether) i (?:died|die|live or die|was gone"
        r"|were gone|killed myself|disappeared|wasn't here|weren't here|was dead)"
        # ...not "if I disappeared for a day at work".
        + _NOT_A_WHILE
    )),
    # Part of me wants to die
    ("part of me", re.compile(rf"part(?<![\w']part) of me (?:still |just |really |sometimes )?"
                              rf"wants to {_SELF_HARM}\b")),
    ("this is my", re.compile(
        r"this(?<![\w']this) is my (?:goodbye|last message|final message)(?= *(?:$|[.!,\n]"
        r"| to (?:everyone|you all|the world)| everyone| forever))")),
    ("my last", re.compile(
        r"this(?<![\w']this) (?:will be|'ll be|is going to be) my (?:last|final) (?:message"
        r"|answer|post)(?= *(?:$|[.!\n]))")),
    ("for everything", re.compile(
        r"thank(?<![\w']thank)(?:s| you) for everything[,.!]* *(?:and )?(?:goodbye|bye)\b"
        r"(?! for now| and see| see you)")),
    # Tonight I'm going to do it.
    ("tonight", re.compile(rf"tonight(?<![\w']tonight),? i(?:'m| am|m) (?:going to|gonna)"
                           rf" (?:finally )?do it{_END}")),
    # It would be easier to just not exist.
    ("easier", re.compile(
        r"easier(?<![\w']easier)(?: for (?:everyone|everybody|them))? to (?:just )?(?:not exist"
        r"|die|be dead|not be (?:here|alive|around)|disappear|stop existing|end it(?: all)?)"
        + _END)),
    # No subject, chat style, at the start of a sentence: one pattern per mark that ends the
    # sentence before (see BARE).
    *((mark, re.compile(re.escape(mark) + BARE)) for mark in ".!?\n"),
)


# --- The clause reading (safety.py, "second reading") --------------------------------------
# Not phrases but concepts: each is a small group of words that say one thing a person in
# crisis says about themselves. safety.py reads them only in a clause whose subject is the
# writer ("i", or a sentence that starts without one, as chat does), in the present or the
# future, not negated, not reported, framed, hypothetical or dated to the past.

# Where a clause ends: the end of the text read, a mark, or a word that starts another clause.
_CLAUSE_END = (r"(?= *(?:$|[,:;().!?\n]|(?:but|because|though|although|while|cause|whereas|and|so"
               r"|then|or)\b))")

# After "living", "go on": the end of the thought, not "living in fear", "go on shift".
_GOES_ON = (r"(?= *(?:$|[,:;().!?\n]|like this\b|any ?more\b|any longer\b|much longer\b|living\b"
            r"|with (?:life|this|it)\b|(?:but|because|and(?! on)|so|or|tbh|honestly)\b))")

# Chat spellings and contractions typed without the apostrophe, made plain word by word.
CHAT_WORDS = {
    "dont": "don't", "wont": "won't", "cant": "can't", "didnt": "didn't", "doesnt": "doesn't",
    "wouldnt": "wouldn't", "isnt": "isn't", "aint": "ain't", "im": "i'm", "ive": "i've",
    "wanna": "want to", "gonna": "going to", "gotta": "got to", "abt": "about", "bout": "about",
    "rn": "right now", "kms": "kill myself", "idk": "i don't know", "u": "you", "ur": "your",
    "tonite": "tonight", "2nite": "tonight", "tmrw": "tomorrow", "tmr": "tomorrow",
    "cuz": "because", "bc": "because", "tho": "though", "thru": "through", "pls": "please",
    "ima": "i'm going to", "imma": "i'm going to", "rly": "really", "kinda": "kind of",
    "unalive": "kill", "myslef": "myself", "mysef": "myself", "suicidial": "suicidal",
    "sucidal": "suicidal", "suicdal": "suicidal", "wnat": "want", "od": "overdose",
    "oding": "overdosing", "od'd": "overdosed", "odd": "overdosed", "unaliving": "killing",
    "unalived": "killed", "kys": "kill yourself",
    "lol": "", "lmao": "", "tbh": "", "ngl": "", "fr": "", "frfr": "", "idc": "", "smh": "",
    "fml": "", "istg": "",
}

# Where someone stands to jump.
PLACE = (r"(?:bridge|ledge|roof|rooftop|tracks|balcony|cliff|overpass|garage|parking garage"
         r"|building|tower|railway|train tracks)")
# What the writer would do to die or to hurt themselves, or a state of not being.
ACT = (
    rf"(?:die|dying|be dead|death|kill my ?self|killing my ?self|(?:commit|committing) suicide"
    r"|(?:thinking|think|thought|considering|contemplating|planning) (?:about |of )?suicide"
    r"|end (?:it|it all"
    r"|things|everything|my life|my own life|the pain for good)|ending (?:it|it all|things"
    r"|everything|my life)|take my (?:own )?life|taking my (?:own )?life|overdos(?:e|ing)"
    r"|hang my ?self|hanging my ?self|shoot my ?self(?! in the foot)"
    rf"|jump(?:ing)? (?:off|from) (?:a|the|my|this|that) (?:\w+ )?{PLACE}"
    r"|(?:jump|jumping|step|stepping|walk|walking) in front of (?:a|the) (?:train|bus|car|truck)"
    r"|(?:cut|cutting|hurt|hurting|harm|harming|burn|burning|starve|starving) my ?self"
    r"(?! (?:some|a little|a bit of|more) slack| off| short| out)"
    r"|self[- ]?harm(?:ing)?|(?:not|never) (?:wake|waking) up|not (?:be|being) (?:here|alive"
    rf"|around)|not exist(?:ing)?|stop (?:living|existing|being alive){_GOES_ON}|disappear(?:ing)?"
    r" (?:forever|for good|permanently)|sleep forever|give up on (?:life|living|everything)"
    r"|(?:be|being) gone for good|(?:be|being) gone forever"
    r"|(?:were|was) dead|(?:don't|won't) wake up(?! (?:late|early|in time|on time|with|at|too"
    r"|before|after|until)\b)|cutting again|cut again"
    r"|cutting(?= *(?:$|[.!?,;:\n]|since\b|for (?:weeks|days|months|years)\b|every\b|most\b"
    r"|daily\b|lately\b|at night\b|again\b))"
    r"|cutting my (?:arms?|wrists?|legs?|thighs?|skin)"
    r"|disappear(?:ing)? and never come back|do (?:something |anything )?to my ?self"
    r"|(?:walk|walking) into (?:the )?(?:sea|ocean|river|lake|traffic)"
    r"|stop breathing(?! (?:so|too) )|end(?:ing)? (?:my|the) pain"
    r"|(?:take|taking|took|swallow|swallowing|swallowed) (?:all (?:of )?(?:my|the)|every"
    r"|everything in (?:my|the)|the whole bottle of|a (?:whole )?bottle of|too many|enough"
    r"|a bunch of|a handful of|a lot of) (?:[\w']+ ){0,2}?(?:medicine cabinet|cabinet"
    rf"|{_PILLS})"
    r"|(?:drive|driving|crash|crashing|steer) (?:my car |the car )?(?:off|into) (?:the|a)"
    r" (?:road|bridge|tree|wall|river|lake|cliff|traffic|truck)"
    # Passive wishes: the heart stopping, vanishing, being gone, not being here.
    r"|heart (?:would |will |could |to |just |would just |will just )?(?:stops?|stopping"
    r"|gives? out|giving out)(?! (?:racing|pounding|beating|hammering|skipping|aching))"
    rf"|(?:just )?(?:disappear|vanish|be gone|not be here|cease to exist){_GOES_ON}"
    r"|(?:crash|crashing|wreck|wrecking) my car(?! (?:last|again|twice|once|in (?:19|20)))"
    r"|(?:hang|hanging) (?:my ?self )?with (?:a|the|my) (?:rope|belt|cord))"
)
# How the writer stands toward it, now or soon: the words between "i" and the act.
INTENT = (
    r"(?:want|wanting|wish|wishing|going to|will|'ll|plan|planning|intend|ready|decided"
    r"|thinking|think|keep|considering|contemplating|need|hope|hoping|rather|should|might"
    r"|urge|urges|tempted|feel like|feeling like|scared|afraid|about to|can't stop|mind"
    r"|dream|fantasi[sz]e|try|trying|made up my mind|choose|chose to|waiting (?:for (?:a|an|the)"
    r" (?:reason|excuse|chance|moment|right time|right moment) )?to|praying|pray)"
)
# A state that says it without an act: suicidal, done with living, no reason to stay, not
# wanting to live, wanting it all to stop.
STATE = (
    r"(?:suicidal|(?:tired|sick|done|finished) (?:of|with) (?:living|life|being alive|existing"
    rf"|it all|fighting){_GOES_ON}|(?:can't|cannot) (?:go on|keep going"
    rf"|take (?:it|this) any ?more|hold on|live like this|keep living){_GOES_ON}"
    r"|nothing (?:left )?to live for|(?:life|living) (?:isn't|is not|ain't|is no longer) worth"
    r"|giving up on (?:life|living|everything)|(?:no|(?:don't|can't) see (?:the|a|any))"
    r" (?:point|reason) (?:in |to |of |for me to )?(?:me )?(?:living|live|going on|go on"
    r"|being here|be here|being alive|staying|stay|sticking around|stick around|carrying on"
    rf"|carry on|any of it|anything){_GOES_ON}"
    r"|how (?:much )?long(?:er)? i can (?:hold on|keep going|go on|do this|take this|take it)"
    r"|(?:don't|do not|no longer) (?:really |even )?want to (?:live(?! (?:in|with|on|near|by|off"
    r"|up|out|there|alone|through|a|my|our|their|like that|and|at|here)\b)|be alive"
    r"|be here(?! (?:just |only )?(?:for|to|as|because|if|when|at|with|on)\b)"
    r"|exist|wake up(?! (?:a|an|the|my|anyone|someone|people|everyone|early|late)\b)"
    rf"|go on{_GOES_ON}|keep going{_GOES_ON}|keep living|be around|be in this world)"
    r"|(?:want|need|wish) (?:for )?(?:it|it all|everything|all of it|the pain|my life|this)"
    r" to (?:stop|end|be over)(?! (?:soon|quickly)\b)"
    r"|better off dead|rather be dead|rather not (?:be alive|exist|wake up|be here)"
    rf"|(?:picked|chosen|chose|set) (?:a|the) date{_CLAUSE_END}"
    r"|(?:no|(?:can't|cannot|don't) see (?:a|any|another)|see no) way out (?:for me )?(?:now )?"
    r"(?:except|other than|besides)|(?:can't|cannot) keep my ?self safe"
    r"|not safe (?:with|around) my ?self"
    r"|(?:can't|cannot|won't) (?:promise|guarantee|say) (?:that )?(?:i'll|i will|i can|to)"
    r" (?:be|stay|keep) (?:my ?self )?safe"
    r"|(?<=ready to )(?:stop|quit) fighting(?: now| for good| this time| tonight)?"
    rf"{_GOES_ON}"
    r"|(?:(?<='ve )|(?<=have ))made (?:my )?peace(?: with (?:dying|death|it all|everything"
    rf"|leaving|going|not being here))?{_CLAUSE_END}"
    r"|(?:picked|chosen|chose|set) (?:a |the )?(?:day|time|monday|tuesday|wednesday|thursday"
    rf"|friday|saturday|sunday|tomorrow|tonight|this weekend|next week){_CLAUSE_END}"
    r"|(?:don't|do not) trust my ?self(?: (?:to (?:stay|be|keep) safe|not to|alone|tonight"
    rf"|right now|with (?:my|the) \w+)|{_CLAUSE_END})|(?:can't|don't) (?:see|imagine|picture)"
    rf" my ?self (?:being )?(?:alive|here|around)|tonight(?:'s| is) the night{_CLAUSE_END}"
    r"|(?:don't|do not) (?:even )?care (?:if|whether) i live or die"
    r"|car (?:[\w']+ ){0,6}(?:engine|motor) running"
    r"|(?:no|(?:don't|can't) see (?:a|any)) (?:reason|point) (?:for me )?to (?:still )?(?:be|stay)"
    rf" (?:here|alive|around){_GOES_ON})"
)
# "My head keeps telling me to kill myself", "my plan is to overdose".
INNER = (
    r"(?:(?:voices?|head|brain|mind|thoughts?) (?:[\w']+ ){0,3}?(?:telling|tells|tell|told|saying"
    r"|says|say|wants?|ordering|orders?|commanding|commands?|urging|urges?|pushing|pushes"
    r"|screaming at|screams at|yelling at|yells at) (?:me to|me i (?:should|need to|have to|must)"
    r"|i (?:should|need to|have to|must))"
    r"|(?<=i )(?:keep |kept )?(?:telling|tell) my ?self (?:i (?:should|need to)|to)"
    r"|(?:(?<=my )|(?<=my only ))plan is to|(?:(?<=i have a )|(?<=i've got a )|(?<=i made a ))"
    r"plan to|(?:(?<=the )|(?<=my )|(?<=an )|(?<=this ))(?:urges?|impulse|temptation|pull)"
    r" to)"
)
# The means, and what makes them ready.
MEANS = (r"(?:pills|meds|medications?|prescriptions?|tablets|rope|gun|firearm|knife|blades?"
         rf"|razors?|noose|bottle of \w+|{_PILLS}|which {PLACE})")
MEANS_READY = (
    r"(?:saved|saving|stockpil\w+|hoard\w+|collect\w+|counted|lined up|laid out|loaded"
    r"|bought|ready|in front of me|by (?:my|the) bed|with me|looking up|looked up|research\w*"
    r"|googl\w+|how many|enough|(?:in )?(?:a|one) pile|next to me|on the table|in my hand"
    r"|staring at|looking at|holding|hold|held"
    r"|(?:sitting|lying|standing|alone|here)(?: [\w']+){0,4} with (?:a|the|my)"
    r"|against my (?:wrists?|arms?|skin|throat|neck|thighs?|legs?|chest))"
)
# Goodbyes and things put in order.
GOODBYE = (
    r"(?:(?:my|this is my) (?:last|final) (?:\w+ )?(?:message|answer|post|words|goodbye)"
    r"|my (?:last|final) (?:night|day|week)(?! (?:at|of|in|before|on|for|with|as)\b)"
    r"|goodbye,? (?:everyone|everybody|all|world|forever)|(?:said|say|saying) (?:my goodbyes"
    r"|goodbyes? to (?:everyone|everybody|all of you|the people i|my (?:family|kids|children"
    r"|friends|mom|mum|dad|wife|husband|partner|parents)))|(?:goodbye|suicide) (?:letters?"
    r"|notes?)|(?:giving|gave|given|give) (?:away )?(?:all (?:of )?|most (?:of )?)?my (?:\w+ )?"
    r"(?:stuff|things|belongings|possessions|pets?|cat|dog|guitar|car|bike|jewell?e?ry|records"
    r"|books|savings|tools|games|plants)(?: away| to (?:my|a|the) \w+)?"
    rf"|(?:letters?|notes?) to (?:my|everyone|all)(?: [\w']+){{0,3}}{_CLAUSE_END}"
    r"|case i'm not (?:around|here|alive)|(?:when|after|once) i'm gone"
    r"|my will is (?:written|done|ready|signed|sorted|made)|(?:got|put|putting|getting) my"
    r" affairs in order|(?:left|leaving|wrote|written|writing) (?:\w+ )?(?:letters?|notes?) for"
    r" (?:my (?:\w+ )?(?:family|kids|children|brothers?|sisters?|mom|mum|dad|parents|wife"
    r"|husband|partner|friends|sons?|daughters?|loved ones)|everyone)"
    r"|this is (?:my )?(?:goodbye|farewell)(?! (?:for now|for today|to (?:my|the|a|our)))"
    r"|(?:wrote|written|writing|planned|planning|picked|picking|chose|choosing|made|making)"
    r" (?:out |up )?my (?:own )?funeral(?: \w+)?"
    r"|tell my \w+ (?:that )?i love (?:her|him|them|you)|won't need (?:them|it|anything|my \w+"
    r"|any of (?:it|this|them)) (?:any ?more|after|where|much longer|now)?)"
)
# Not being here soon.
ABSENCE = (
    r"(?:(?:won't|will not|don't think i'll|not going to|don't think i will) (?:be )?(?:alive"
    r"|here|around|make it (?:through|past|to))|not be alive|(?:be )?gone (?:by|before|soon))"
)
# The others better off: "without me", "if i was gone".
BURDEN = (
    r"(?:better off (?:[\w']+ ){0,4}?without me|better without me"
    r"|happier (?:[\w']+ ){0,4}?without me|(?:notice|miss me|care)"
    r" if i (?:was|were|'m|am) (?:just )?gone"
    r"|if i (?:was|were) (?:just )?(?:gone" + _NOT_A_WHILE + "|dead)"
    r"|if i (?:just )?died|if i (?:wasn't|weren't) (?:here|around|alive|in it"
    r"|in (?:their|the|this|his|her) (?:lives?|life|picture|world))" + _NOT_A_WHILE
    + r"|if i disappeared" + _NOT_A_WHILE
    + r"|(?:nobody|no one) (?:needs to|will have to|has to|will) worry about me"
    r"|burden (?:to|on) (?:everyone|everybody|my)"
    r"|(?:picturing|picture|imagining|imagine|dreaming about|dream about|fantasi[sz]ing about)"
    r" my (?:own )?funeral)"
)
# Each concept needs one of its words (after the chat spellings are made plain): a sentence
# without any is not read for it. Keep in step with the concepts (tests/test_safety.py checks
# the reading with and without these gates on every case).
def word_set(words: str) -> frozenset[str]:
    """The words of ``words``, split at spaces."""
    return frozenset(words.split())


_gate = word_set


_PILL_WORDS = (
    " pills meds medication medications prescription prescriptions tablets painkillers tylenol"
    " paracetamol acetaminophen advil ibuprofen aspirin insulin antidepressants seroquel"
    " quetiapine xanax klonopin ativan valium ambien trazodone lithium oxy oxys oxycodone"
    " percocet percocets tramadol benadryl cabinet bottle")
_PLACE_WORDS = (" bridge ledge roof rooftop tracks balcony cliff overpass garage building tower"
                " railway")
GATES = {
    "act": _gate(
        "die dying dead death myself self suicide end ending life overdose overdosing wake"
        " waking alive here around exist existing living disappear disappearing forever gone"
        " breathing pain train bus car truck sea ocean river lake traffic road tree"
        " wall cutting cut self-harm self-harming heart disappear vanish cease wreck wrecking"
        " crash crashing hang hanging" + _PILL_WORDS + _PLACE_WORDS),
    "state": _gate(
        "suicidal tired sick done finished can't cannot worth living point reason nothing"
        " giving hold want rather stop end over dead date except besides other myself self"
        " tonight care engine motor promise guarantee fighting peace day time monday tuesday"
        " wednesday thursday friday saturday sunday tomorrow weekend week"),
    "inner": _gate("urge impulse temptation pull telling tells tell told plan saying says say"
                   " want wants ordering orders order"
                   " commanding commands command urging urges urge pushing pushes screaming"
                   " screams yelling yells"),
    "burden": _gate("without gone dead died disappeared worry burden funeral wasn't weren't"),
    "goodbye": _gate(
        "funeral last final goodbye goodbyes letters letter notes note gone love need giving"
        " gave given"
        " give case suicide will affairs goodbye farewell"),
    "absence": _gate("alive here around make gone"),
    "means": _gate("rope gun firearm knife blade blades razor razors noose"
                   + _PILL_WORDS + _PLACE_WORDS),
    "place": _gate(_PLACE_WORDS),
}
# The words each concept can open with: it is tried only where one of them stands.
ANCHORS = {
    "act": _gate(
        "die dying be being death kill killing suicide commit committing thinking think thought"
        " considering contemplating planning end ending take taking overdose"
        " overdosing hang hanging shoot jump jumping step stepping walk walking cut cutting hurt"
        " hurting harm harming burn burning starve starving self-harm self-harming self selfharm"
        " selfharming not never stop disappear disappearing sleep give go do were was don't"
        " won't drive driving crash crashing steer took swallow swallowing swallowed heart"
        " disappear vanish cease wreck wrecking"),
    "state": _gate(
        "suicidal tired sick done finished can't cannot won't made stop quit nothing life"
        " living giving no don't do"
        " see how want need wish better rather picked chosen chose set not tonight car"),
    "inner": _gate("urge urges impulse temptation pull voices voice head brain mind thoughts"
                   " thought plan keep kept telling tell"),
    "burden": _gate("better happier notice miss care if nobody no burden picturing picture"
                    " imagining imagine dreaming dream fantasizing fantasising"),
    "goodbye": _gate(
        "my this goodbye said say saying giving gave given give letters letter notes note"
        " suicide case when after once tell won't will got put putting getting left leaving"
        " wrote written writing planned planning picked picking chose choosing made making"),
    "absence": _gate("won't will don't not be gone"),
}
