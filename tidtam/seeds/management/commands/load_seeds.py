"""`tidtam load_seeds`: reference frameworks and the two seed agencies, loaded once."""

from typing import Any

from tidtam.commands import DataCommand
from tidtam.seeds.loader import load_all


class Command(DataCommand):
    help = "โหลดข้อมูลอ้างอิงและข้อมูลตัวอย่างของ สมศ. (ปีงบประมาณ 2567) และสำนักความสัมพันธ์ต่างประเทศ สป. (ปีงบประมาณ 2564)"

    def handle(self, *args: Any, **options: Any) -> None:
        for line in load_all():
            self.stdout.write(line)
