"""The database's Thai order, made to agree with the core's (tidtam.domain.thai.thai_sort_key).

PostgreSQL's ready-made ICU collation "th-TH-x-icu" puts Thai letters before Latin ones and
before a space ("โครงการพัฒนาหลักสูตร" before "โครงการพัฒนา Platform"); the core, the seeds'
documents and SQLite put spaces, digits and Latin first. This ICU collation reorders Latin
before Thai, so that a page boundary falls in the same place on both databases. Nothing on
SQLite: tidtam.paging registers the same name there with the core's key.
"""

from django.contrib.postgres.operations import CreateCollation
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orgs", "0003_text_limits")]

    operations = [
        CreateCollation("tidtam-thai", locale="th-u-kr-latn-thai", provider="icu"),
    ]
