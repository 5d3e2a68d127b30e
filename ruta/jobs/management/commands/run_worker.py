import os
import signal
import socket
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from ruta.jobs.services import discover, wait_for_work, work_once


class Command(BaseCommand):
    help = "Run the background worker: deadlines, escalations, notifications, exports, imports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Do one pass and exit.")
        parser.add_argument("--name", default=f"{socket.gethostname()}:{os.getpid()}")

    def handle(self, *args: Any, **options: Any) -> None:
        discover()
        worker = options["name"]
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"worker {worker} started")
        while not stopping:
            ran = work_once(worker)
            if options["once"]:
                break
            if not ran:
                wait_for_work(settings.RUTA_WORKER_POLL_SECONDS)
        self.stdout.write(f"worker {worker} stopped")
