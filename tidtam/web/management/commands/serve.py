"""`tidtam serve`: the production web server (gunicorn) with bounded workers and threads."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections

from config.env import env_int, env_str

# Connections kept free for what is not a web thread: psql, backups, migrations, monitoring.
DEFAULT_HEADROOM = 10


def connection_budget(*, max_connections: int, reserved: int, headroom: int) -> int:
    """How many connections tidtam's threads and workers may hold at once."""
    return max_connections - reserved - headroom


class Command(BaseCommand):
    help = (
        "เปิดเว็บเซิร์ฟเวอร์สำหรับใช้งานจริง (gunicorn): จำนวน worker และ thread ตาม TIDTAM_WORKERS "
        "และ TIDTAM_THREADS ที่อยู่ตาม TIDTAM_BIND"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=env_str("TIDTAM_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=env_int("TIDTAM_WORKERS", 2))
        parser.add_argument("--threads", type=int, default=env_int("TIDTAM_THREADS", 4))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="พิมพ์คำสั่ง gunicorn ที่จะใช้แล้วจบ โดยไม่เปิดเซิร์ฟเวอร์",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workers: int = options["workers"]
        threads: int = options["threads"]
        bind: str = options["bind"]
        if not 1 <= workers <= 64 or not 1 <= threads <= 64:
            raise CommandError(
                f"TIDTAM_WORKERS ({workers}) และ TIDTAM_THREADS ({threads}) ต้องอยู่ระหว่าง 1 ถึง 64 — "
                "เริ่มจาก worker เท่ากับจำนวนแกนประมวลผล และ thread ละ 4"
            )
        self._check_connections(workers * threads)
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            # A request that runs past this is stopped and its worker restarted; documents are
            # rendered off the request, so no page needs long.
            "--timeout",
            str(env_int("TIDTAM_TIMEOUT", 60)),
            "--graceful-timeout",
            "30",
            # A worker is replaced after this many requests, so slow leaks never grow large.
            "--max-requests",
            "2000",
            "--max-requests-jitter",
            "200",
            "--access-logfile",
            "-",
            "--error-logfile",
            "-",
            # gunicorn 27's control socket sits at one path per user ($HOME/.gunicorn): two
            # servers on one machine would fight over it, and systemd's signals do its work.
            "--no-control-socket",
            # Only this proxy's X-Forwarded-* headers are believed (gunicorn's own default).
            "--forwarded-allow-ips",
            env_str("TIDTAM_FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        ]
        for address in bind.split(","):
            argv += ["--bind", address.strip()]
        shown = ", ".join(
            address if address.startswith("unix:") else f"http://{address}/"
            for address in (a.strip() for a in bind.split(","))
        )
        self.stdout.write(
            f"ติดตาม (tidtam) เปิดที่ {shown}  "
            f"({workers} worker × {threads} thread, DEBUG {'เปิด' if settings.DEBUG else 'ปิด'})"
        )
        if options["dry_run"]:
            self.stdout.write(" ".join(argv))
            return
        self.stdout.flush()
        # Django has set itself up in this process; gunicorn starts afresh in its place, so
        # systemd's signals reach it directly and no connection of ours is inherited.
        connections.close_all()
        os.execv(sys.executable, argv)

    def _check_connections(self, per_server: int) -> None:
        """Refuses to start when the threads could ask PostgreSQL for more connections than it has.

        Each gunicorn thread keeps one connection open (CONN_MAX_AGE); past max_connections
        PostgreSQL refuses new ones and pages fail under load.
        """
        if connection.vendor != "postgresql":
            return
        servers = env_int("TIDTAM_APP_SERVERS", 1)
        db_workers = env_int("TIDTAM_DB_WORKERS", 1)
        headroom = env_int("TIDTAM_DB_HEADROOM", DEFAULT_HEADROOM)
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_connections")
            max_connections = int(cursor.fetchone()[0])
            cursor.execute("SHOW superuser_reserved_connections")
            reserved = int(cursor.fetchone()[0])
        budget = connection_budget(
            max_connections=max_connections, reserved=reserved, headroom=headroom
        )
        need = per_server * servers + db_workers
        if need > budget:
            raise CommandError(
                f"worker × thread × เครื่องแอป + db_worker = {per_server} × {servers} + {db_workers} "
                f"= {need} การเชื่อมต่อ เกินที่ PostgreSQL รับได้ ({max_connections} − สงวนไว้ "
                f"{reserved} − เผื่อไว้ {headroom} = {budget}) — ลด TIDTAM_WORKERS หรือ "
                "TIDTAM_THREADS หรือเพิ่ม max_connections ใน postgresql.conf แล้วเริ่ม PostgreSQL ใหม่"
            )
        self.stdout.write(f"การเชื่อมต่อฐานข้อมูล: ใช้ได้สูงสุด {need} จาก {budget} ที่ PostgreSQL เปิดให้")
