"""A document's sentences as templates an agency can reword, not as code.

Each sentence of a document is a one-line Django template, `<document>/<key>.txt`, filled with the
figures its builder computed (and only those: a template formats nothing and decides nothing).
The wording that ships is in tidtam/reports/prose/ (seed 000's, except where seed 000 calls a
figure by another's name: its own wording is kept for it alone, in prose/onesqa/). An
installation rewords it without touching code by putting a file of the same name in
`<TIDTAM_VAR_DIR>/prose/`: for every agency (`prose/quarterly/intro.txt`) or for one
(`prose/<organisation code>/quarterly/intro.txt`), which wins. The installation's files win over
tidtam's. A file is read when it is used, so a change shows in the next document.

Line breaks in a file are for the person editing it: a sentence is one paragraph, so a line break
and the spaces around it become one space.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError

from tidtam.domain.errors import DomainError

PACKAGE_DIR = Path(__file__).resolve().parent / "prose"
_LINE_BREAK = re.compile(r"[ \t]*\r?\n[ \t]*")


def prose_dirs() -> list[Path]:
    """Where sentences are looked for, first match wins: the installation's, then tidtam's."""
    return [Path(settings.VAR_DIR) / "prose", PACKAGE_DIR]


def _engine(folder: Path) -> Engine:
    # Not cached: a reworded file shows in the next document. No autoescape: this is text, and
    # each renderer escapes for its own format.
    return Engine(
        dirs=[str(folder)],
        loaders=["django.template.loaders.filesystem.Loader"],
        autoescape=False,
    )


def _source(document: str, key: str, org_code: str) -> tuple[Path, str]:
    """The file a sentence comes from: the installation's before tidtam's, and in each an
    agency's own before the one for every agency (tidtam ships seed 000's own wording where it
    calls a figure by another name than tidtam does: prose/onesqa/)."""
    names = [f"{org_code}/{document}/{key}.txt", f"{document}/{key}.txt"]
    for folder in prose_dirs():
        for name in names:
            if (folder / name).is_file():
                return folder, name
    return PACKAGE_DIR, names[-1]


def sentence(document: str, key: str, org_code: str, context: dict[str, Any]) -> str:
    """The sentence `key` of `document` for the organisation, filled with `context`."""
    folder, name = _source(document, key, org_code)
    try:
        template = _engine(folder).get_template(name)
        text = template.render(Context(context, autoescape=False))
    except TemplateDoesNotExist as error:
        raise DomainError(
            "prose_missing", document=document, key=key, file=f"{document}/{key}.txt"
        ) from error
    except TemplateSyntaxError as error:
        raise DomainError(
            "prose_invalid", document=document, key=key, problem=f"คำสั่งไม่ถูกต้อง ({error})"
        ) from error
    # Django leaves an unclosed {{ or {% as plain text: it would print in the document.
    if "{{" in text or "{%" in text:
        raise DomainError(
            "prose_invalid", document=document, key=key, problem="มีวงเล็บ {{ หรือ {% ที่ไม่ได้ปิด"
        )
    return _LINE_BREAK.sub(" ", text.strip())


def sentences(
    document: str, keys: tuple[str, ...], org_code: str, context: dict[str, Any]
) -> dict[str, str]:
    return {key: sentence(document, key, org_code, context) for key in keys}
