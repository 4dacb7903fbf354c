"""A regular expression that first checks, with plain substring search, for the words every match needs.

The content stage runs some sixty phrase patterns (alternations of dozens of regular expressions each) over every
sentence of a story; nearly all find nothing, and Python's ``re`` tries every alternative at every position to
find that out: a quarter of the stage's time on a novel.  Most alternatives hold a literal stretch that any match
must contain ("pool of blood", "strapped "), so a sentence with none of a pattern's stretches in it cannot match,
and ``str.__contains__`` says so several times faster.  The stretches are read off the pattern's parse tree; a
pattern with an alternative that needs no stretch of three characters or more is run as it is.

Why not a library: the multi-string matchers on PyPI (pyahocorasick and the like) search for literals, not for
regular expressions; what is needed is the literals a regular expression implies, which only its parse says.
``re._parser`` is the standard library's own parser of them.
"""

from __future__ import annotations

import re

from re import _constants as _sre, _parser as _sre_parse  # the standard library's own (Python 3.11 on)

SHORTEST_NEEDLE = 3  # a shorter stretch ("on ", "a") is in nearly every sentence: checking it saves nothing
_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT)


class PrefilteredPattern:
    """A compiled pattern whose ``search``, ``finditer`` and ``findall`` skip texts that hold none of its
    ``needles`` (the literal stretches one of which every match contains); otherwise the pattern's own answer."""

    __slots__ = ("regex", "needles")

    def __init__(self, regex: re.Pattern):
        self.regex = regex
        self.needles = required_stretches(regex)

    def _may_match(self, text: str) -> bool:
        return self.needles is None or any(map(text.__contains__, self.needles))  # no Python frame per needle

    def search(self, text: str):
        return self.regex.search(text) if self._may_match(text) else None

    def finditer(self, text: str):
        return self.regex.finditer(text) if self._may_match(text) else iter(())

    def findall(self, text: str) -> list:
        return self.regex.findall(text) if self._may_match(text) else []


def required_stretches(regex: re.Pattern) -> tuple[str, ...] | None:
    """Literal stretches of at least SHORTEST_NEEDLE characters, one of which every match of ``regex`` contains
    (None where the parse shows no such set, or where case is ignored)."""
    if not isinstance(regex.pattern, str) or regex.flags & re.IGNORECASE:
        return None
    try:
        found = _required(_sre_parse.parse(regex.pattern, regex.flags))
    except Exception:  # a construct this reading does not know: the pattern runs unfiltered
        return None
    if not found or min(map(len, found)) < SHORTEST_NEEDLE:
        return None
    # a stretch containing another is redundant: any text holding it holds the shorter one
    return tuple(sorted(s for s in found if not any(o != s and o in s for o in found)))


def _required(items) -> set[str] | None:
    """A set of strings one of which every match of the parsed sequence ``items`` contains, or None."""
    options: list[set[str]] = []
    run: list[str] = []

    def end_run():
        if run:
            options.append({"".join(run)})
            run.clear()

    for op, arg in items:
        if op is _sre.LITERAL:
            run.append(chr(arg))
            continue
        end_run()
        if op in _ZERO_WIDTH:
            continue
        found = None
        if op is _sre.SUBPATTERN:
            _group, add_flags, _del_flags, inner = arg
            if not add_flags & _sre.SRE_FLAG_IGNORECASE:
                found = _required(inner)
        elif op is _sre.BRANCH:
            branches = [_required(branch) for branch in arg[1]]
            if all(branches):
                found = set().union(*branches)
        elif op in _REPEATS and arg[0] >= 1:
            found = _required(arg[2])
        if found:
            options.append(found)
    end_run()
    if not options:
        return None
    # the best set: the longest shortest stretch (the rarest in text), then the fewest stretches
    return max(options, key=lambda stretches: (min(map(len, stretches)), -len(stretches)))
