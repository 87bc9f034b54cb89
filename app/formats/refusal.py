"""The last guard of every public reader of a received file: it fails alone, with a reason.

A received file is hostile until proven otherwise, and a library reading it (zipfile,
the XML parser, openpyxl, json) can raise almost anything on a file shaped in a way
nobody foresaw. The readers refuse every case we know of by rule, with a precise
Indonesian reason; whatever is left is turned here into the same refusal type
(:class:`SubmissionError`, or the caller's subclass) with a plain reason, and the
traceback goes to the application log for the maintainers, never to the user. So the
caller (a batch import, the Terima Berkas check, a CLI loop) only ever has to catch the
refusal type, and one broken file never stops the others.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

log = logging.getLogger("app.formats")


class SubmissionError(ValueError):
    """A refused file; the message (Indonesian) says why and what to do.

    Named after the first file kind that travelled (the submission); every reader of a
    received file raises it or a subclass (``MatrixError``, ``FillinError``, …). Also
    importable from ``app.formats.canonical_json``, where it first lived.
    """


P = ParamSpec("P")
R = TypeVar("R")


READ_FAILED = (
    "Berkas tidak dapat dibaca: isinya rusak atau tersusun dengan cara yang tidak dikenal "
    "aplikasi ini (kesalahan tak terduga: {error}); berkas ditolak. Minta pengirim "
    "mengirim ulang berkas aslinya."
)


def unexpected(
    exc: BaseException, error: type[SubmissionError] = SubmissionError, text: str = READ_FAILED
) -> SubmissionError:
    """The refusal for an exception no rule foresaw (its traceback is logged, not shown).

    ``text`` holds ``{error}``, replaced by the exception's type name.
    """
    log.error("Unexpected %s while handling a received file", type(exc).__name__, exc_info=exc)
    return error(text.replace("{error}", type(exc).__name__))


def refusing(
    error: type[SubmissionError] = SubmissionError, text: str = READ_FAILED
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a public reader so that it raises only ``error`` (or a subclass of it).

    A :class:`SubmissionError` that is not an ``error`` keeps its message in an ``error``;
    any other exception becomes ``unexpected(exc, error, text)``.
    """

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return fn(*args, **kwargs)
            except error:
                raise
            except SubmissionError as exc:
                raise error(str(exc)) from None
            except Exception as exc:  # the last guard: see the module docstring
                raise unexpected(exc, error, text) from None

        return guarded

    return wrap


__all__ = ["READ_FAILED", "SubmissionError", "refusing", "unexpected"]
