"""Every error a user can cause is a FiclensError with a one-line message."""


class FiclensError(Exception):
    """Base of every error a user can cause (bad input, bad options).  The message is one line."""


class InputError(FiclensError):
    """The document cannot be read: missing, a directory, empty, binary, too large, undecodable."""


class FormatError(FiclensError):
    """The document claims a format it does not have (a corrupt EPUB, an unknown format)."""


class OptionsError(FiclensError):
    """An option is wrong: an unreadable character list, an unknown fandom, a missing spaCy model."""
