"""How long the texts people type may be, chosen from what the documents print.

The longest texts in the seeds (tidtam/seeds/data): a project name of 229 characters in seed 000,
a source note of 777, an explanation of 371. A name is printed in one table cell of the quarterly
report and the plan, so 500 characters (two long printed lines) is generous; a narrative (a result,
an explanation, a KPI's definitions) is a paragraph or a few in a document, so 5,000 characters
(about two printed pages) leaves room without letting a pasted book make every page that lists it
slow to draw. Short labels (units, positions, titles) keep their 64 / 255 character columns.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxLengthValidator

NAME_MAX = 500
TEXT_MAX = 5_000


def limited(limit: int) -> dict[str, Any]:
    """Field options for a TextField: Django enforces a TextField's max_length only in forms,
    so the model also gets the validator that `full_clean` runs."""
    return {"max_length": limit, "validators": [MaxLengthValidator(limit)]}


# A position number (ตัวชี้วัดที่, ลำดับ): far above any real list, far below the integer column.
ORDER_MAX = 9_999
