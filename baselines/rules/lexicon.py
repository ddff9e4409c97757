"""The hand-written lexicons of the rules baseline, from general domain knowledge.

Nothing here is copied from the gold annotations: the entries are generic English
words of the conflict-reporting register (weapon nouns, facility nouns, attack verbs,
titles, qualifiers), the name *shapes* of Iraqi armed groups (head words such as
Kataib / Kata'ib / Asaib / Harakat, never a whole group name), and public geography
(country names and Iraq's governorates and their capitals). Conventions (the closed
trigger lexicon, what is left out of a span, the weapon classes) follow the general
rules of annotations/GUIDELINES.md, not its per-document decisions. ``tests/test_baselines.py``
checks that no entry equals a gold string beyond generic words and that geography.
Their authors have nevertheless read the five test articles, so the rules baseline is
an optimistic reference, not a fair held-out system.
"""

from __future__ import annotations

NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand "
    "dozen zero").split()
NUMBER_REGEX = r"^(\d{1,3}(,\d{3})+|\d+|" + "|".join(NUMBER_WORDS) + r")$"
VAGUE_QUANTITY = ("dozens", "tens", "hundreds")
CALIBRE_REGEX = r"^\d+(mm|cm)?$"

# WEAPON: head noun (lower case, singular and plural) -> weapon_class.
WEAPON_NOUNS: dict[str, str] = {
    **dict.fromkeys(("rocket", "rockets", "katyusha", "katyushas", "rpg", "rpgs"), "rocket"),
    **dict.fromkeys(("missile", "missiles"), "missile"),
    **dict.fromkeys(("drone", "drones", "uav", "uavs"), "drone"),
    **dict.fromkeys(("bomb", "bombs", "ied", "ieds", "explosive", "explosives", "grenade", "grenades",
                     "mine", "mines", "landmine", "landmines", "car-bomb"), "explosive"),
    **dict.fromkeys(("rifle", "rifles", "gun", "guns", "bullet", "bullets", "gunfire", "firearm",
                     "firearms", "machine-gun", "kalashnikov", "kalashnikovs"), "firearm"),
    **dict.fromkeys(("warplane", "warplanes", "fighter-jets", "bomber", "bombers", "gunship", "gunships"),
                    "aircraft"),
    **dict.fromkeys(("mortar", "mortars", "shell", "shells", "artillery"), "other"),
}
WEAPON_MODIFIERS = ("ballistic", "cruise", "guided", "precision", "armed", "explosive", "roadside", "car",
                    "suicide", "katyusha", "grad", "attack", "kamikaze", "one-way", "mortar", "artillery",
                    "fighter", "heavy", "light", "unmanned", "rocket-propelled", "anti-tank", "surface-to-air")

# CASUALTY: people nouns and modifiers; the victim class a word implies.
PEOPLE_NOUNS = ("contractor", "contractors", "sub-contractor", "subcontractor", "civilian", "civilians",
                "soldier", "soldiers", "people", "persons", "person", "personnel", "others", "americans",
                "american", "iraqis", "iraqi", "troops", "servicemen", "serviceman", "members", "member",
                "guards", "guard", "workers", "worker", "employees", "employee", "children", "child",
                "women", "woman", "men", "man", "fighters", "fighter", "militants", "militant",
                "officers", "officer", "policemen", "policeman", "police", "staff", "casualties", "marines",
                "marine", "individuals", "citizen", "citizens", "residents", "more")
PEOPLE_MODIFIERS = ("iraqi", "american", "us", "u.s", "u.s.", "foreign", "civilian", "local", "western",
                    "coalition", "security", "military", "kurdish", "syrian", "iranian", "british", "other",
                    "service", "private", "defence", "defense", "international", "wounded", "injured", "dead")
VICTIM_WORDS: dict[str, str] = {
    **dict.fromkeys(("contractor", "contractors", "sub-contractor", "subcontractor"), "contractor"),
    **dict.fromkeys(("civilian", "civilians", "children", "child", "women", "woman", "residents"), "civilian"),
    **dict.fromkeys(("soldier", "soldiers", "troops", "servicemen", "serviceman", "marines", "marine",
                     "military", "service"), "military"),
}
STATUS_WORDS: dict[str, str] = {
    **dict.fromkeys(("killed", "kill", "kills", "killing", "dead", "died", "die", "dies", "death", "deaths",
                     "fatalities", "fatality", "fatal", "slain", "lives", "perished"), "killed"),
    **dict.fromkeys(("wounded", "wound", "wounding", "injured", "injure", "injuring", "injuries", "injury",
                     "hurt", "wounds"), "injured"),
    **dict.fromkeys(("casualties", "casualty"), "unspecified"),
}
STATUS_AFTER_PENALTY = 3  # token distance added to a status word after the span
STATUS_REACH = 10  # a status word further away does not describe the span
VAGUE_STARTS = ("several", "many", "multiple", "some", "few")
MIXED_MARKERS = ("including",)
HYPOTHETICAL = ("if", "would", "will", "could", "might")

# ACTOR: armed-group name shapes (head words of Arabic militia names), group and force nouns.
ARMED_GROUP_HEADS = ("kataib", "kata'ib", "kataeb", "katai'b", "kata’ib", "asaib", "asa'ib", "asaeb",
                     "asa’ib", "harakat", "harakat", "saraya", "liwa", "jaish", "jaysh", "ansar", "hezbollah",
                     "hizballah", "hizbollah", "hashd", "quwat", "alwiya", "usbat", "tansiqiya")
NAME_LINKS = ("al", "el", "ahl", "of", "-", "al-", "bin", "ibn", "abu")
ORG_HEADS = ("corps", "force", "forces", "guard", "guards", "army", "brigade", "brigades", "battalion",
             "battalions", "resistance", "movement", "front", "government", "ministry", "militia",
             "militias", "units", "council", "command", "coalition", "administration", "nations", "alliance")
BACKING_WORDS = ("backed", "linked", "aligned", "affiliated", "allied", "supported", "sponsored", "funded")
GROUP_NOUNS = ("group", "groups", "militia", "militias", "faction", "factions", "militants", "militant",
               "proxies", "proxy", "fighters", "forces", "outfit", "organisation", "organization",
               "organisations", "organizations", "network", "networks", "paramilitaries", "insurgents",
               "rebels", "movement", "cells")
GROUP_MODIFIERS = ("terror", "terrorist", "militant", "armed", "shia", "shi'ite", "shiite", "sunni",
                   "iraqi", "syrian", "proxy", "paramilitary", "hardline", "militia", "islamist",
                   "insurgent", "rebel", "jihadist", "shadowy", "little-known", "prominent", "-",
                   "backed", "linked", "pro", "iranian", "iran", "affiliated", "allied", "rival", "local")
FORCE_NOUNS = ("troops", "forces", "soldiers", "military", "army", "personnel", "officials", "government",
               "authorities", "administration", "militia", "militias", "militants", "diplomats",
               "navy", "marines")
FORCE_MODIFIERS = ("security", "coalition", "foreign", "western", "american", "us", "u.s.", "u.s", "and", "even",
                   "iraqi", "iranian", "kurdish", "syrian", "israeli", "turkish", "british", "federal",
                   "government", "military", "special", "allied", "international")
TITLES = ("president", "prime minister", "secretary of state", "secretary of defense", "secretary of defence",
          "defense secretary", "defence secretary", "foreign minister", "minister", "secretary",
          "spokesman", "spokeswoman", "spokesperson", "commander", "general", "gen.", "mr", "mr.", "mrs",
          "ms", "dr", "cleric", "leader", "chief", "ayatollah", "sheikh", "ambassador", "colonel", "col.",
          "major", "lieutenant", "envoy", "senator", "representative", "deputy commander", "king", "emir")

# LOCATION: facility nouns and their modifiers; place-type nouns that follow a name.
FACILITY_NOUNS = ("base", "airbase", "air base", "airport", "embassy", "consulate", "airfield", "air field",
                  "compound", "complex", "camp", "outpost", "garrison", "installation", "facility", "checkpoint",
                  "barracks")
FACILITY_MODIFIERS = ("us", "u.s", "u.s.", "american", "iraqi", "coalition", "military", "air", "-",
                      "international", "diplomatic", "nearby", "army", "allied", "joint", "united", "states")
PLACE_TYPE_NOUNS = ("province", "provinces", "governorate", "region", "district", "base",
                    "airbase", "air base", "airport", "embassy", "zone", "camp", "air field", "airfield",
                    "border", "crossing", "compound")
DETERMINERS = ("the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "his", "her", "your",
               "some", "any", "all", "both", "each", "every", "no", "another", "such", "same")
FUNCTION_WORDS = ("and", "or", "but", "in", "on", "at", "to", "from", "of", "for", "with", "by", "since", "after",
                  "before", "that", "which", "who", "where", "when", "as", "amid", "during", "into", "over")

# Public geography: countries and Iraq's governorates, their capitals and other large cities.
COUNTRIES = ("Iraq", "Iran", "Syria", "Israel", "Lebanon", "Jordan", "Turkey", "Kuwait", "Saudi Arabia",
             "Qatar", "Bahrain", "Yemen", "Egypt", "Afghanistan", "Russia", "China", "France", "Germany",
             "United States", "United Kingdom", "Britain", "America", "US", "U.S", "U.S.", "USA", "UK",
             "Gaza", "Palestine", "Oman", "United Arab Emirates", "UAE")
IRAQ_PLACES = ("Baghdad", "Basra", "Mosul", "Erbil", "Irbil", "Arbil", "Kirkuk", "Najaf", "Karbala",
               "Sulaymaniyah", "Sulaimaniyah", "Duhok", "Dohuk", "Ramadi", "Fallujah", "Tikrit", "Samarra",
               "Baqubah", "Baquba", "Hillah", "Kut", "Nasiriyah", "Amarah", "Diwaniyah", "Samawah",
               "Halabja", "Anbar", "Diyala", "Nineveh", "Ninawa", "Salahuddin", "Saladin", "Babil", "Babylon",
               "Wasit", "Maysan", "Dhi Qar", "Muthanna", "Qadisiyah", "Kurdistan", "Kurdistan Region",
               "Qayyarah", "Qayyara", "Sinjar", "Tal Afar", "Haditha", "Al-Qaim", "Taji", "Balad")
OTHER_PLACES = ("Damascus", "Tehran", "Beirut", "Washington", "Deir ez-Zor", "Middle East", "Gulf")
CAPITALS = ("Damascus", "Tehran", "Beirut", "Washington")  # also used for their governments
DEMONYMS: dict[str, str] = {
    "Iraqi": "Iraq", "Iranian": "Iran", "Syrian": "Syria", "Israeli": "Israel", "American": "America",
    "Turkish": "Turkey", "Kurdish": "Kurdistan", "Lebanese": "Lebanon", "Saudi": "Saudi Arabia",
    "British": "Britain", "Russian": "Russia", "Western": "West",
}
LOCATIVE_PREPOSITIONS = ("in", "at", "to", "from", "across", "into", "inside", "near", "throughout", "outside",
                         "around", "within", "towards", "toward", "of", "on", "over", "through")

# ATTACK triggers (a closed lexicon, as in the guidelines) and the context that makes a mention no event.
TRIGGER_WORDS = ("attack", "attacked", "attacking", "strike", "struck", "airstrike", "air strike",
                 "assault", "assaulted", "bombardment", "barrage", "raid", "siege", "fire", "fired", "fires",
                 "firing", "hit", "targeted", "targeting", "stormed", "storming", "rained down", "launched",
                 "assassination", "assassinated", "killing")
PLURAL_TRIGGERS = ("attacks", "strikes", "airstrikes", "air strikes", "assaults", "raids", "barrages")
LIGHT_VERBS = ("launched", "launch", "out", "conducted", "with", "claimed", "for")
NEEDS_WEAPON = ("launched", "fire")
SAME_ATTACK_WINDOW = 10
BOILERPLATE_STARTS = ("source", "previous post", "next post", "read more", "related", "comments", "photo")
NOT_EVENT_BEFORE = ("will", "would", "could", "may", "might", "can", "should", "to", "threaten", "threatened",
                    "threatens", "threatening", "vowed", "vow", "vows", "promise", "promised", "warned",
                    "further", "future", "any", "more", "additional", "other", "such", "possible", "new",
                    "not", "no", "never", "against", "plan", "planned", "planning", "prevent")
PASSIVE_AUXILIARIES = ("was", "were", "been", "being", "be", "is", "are", "got", "get")
ATTACKER_MARKERS = ("by",)
KILLING_TRIGGERS = ("assassination", "assassinated", "killing", "assassinate")
SPEECH_VERBS = ("said", "says", "say", "told", "stated", "added", "wrote", "tweeted", "believe", "believes",
                "reported", "warned", "announced")
TARGET_MARKERS = ("on", "at", "against", "into", "targeting", "toward", "towards", "upon")
PLACE_MARKERS = ("in", "near", "outside", "inside", "across", "around", "within", "from")
OBJECT_VERBS = ("targeted", "attacked", "hit", "struck", "stormed", "assaulted", "targeting", "attacking",
                "fired", "fires")


def all_entries(exclude: tuple[str, ...] = ()) -> set[str]:
    """Every lexicon entry as a lower-case string (for the no-copy test), but those of ``exclude`` lists."""
    names = [n for n in globals() if n.isupper() and not n.endswith("REGEX") and n not in exclude]
    entries: set[str] = set()
    for name in names:
        value = globals()[name]
        if not isinstance(value, (tuple, list, dict, frozenset)):
            continue
        items = list(value.keys()) + list(value.values()) if isinstance(value, dict) else list(value)
        entries.update(str(item).lower() for item in items)
    return entries


GEOGRAPHY_LISTS = ("COUNTRIES", "IRAQ_PLACES", "OTHER_PLACES", "CAPITALS", "DEMONYMS", "GEOGRAPHY")
NAME_SHAPE_LISTS = ("ARMED_GROUP_HEADS", "NAME_LINKS")
GEOGRAPHY = frozenset(p.lower() for p in (*COUNTRIES, *IRAQ_PLACES, *OTHER_PLACES, *DEMONYMS, *DEMONYMS.values()))
