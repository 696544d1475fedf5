"""The errors whose message is written for people, in one light module.

Every pipeline step catches these to print the message instead of a traceback;
keeping them apart from pandera, pandas and pandoc means a step that only
renders or draws does not pay for importing the validator.
"""


class ProvenanceError(Exception):
    """A raw file has no usable sidecar, or its content no longer matches it."""


class ValidationFailed(Exception):
    """A raw table broke its schema; the message names file, column, line and check."""


class RenderError(Exception):
    """The renderer failed; the message holds its own error output."""


#: What a step reports as a message rather than a traceback.
EXPECTED_ERRORS = (ProvenanceError, ValidationFailed, RenderError)
