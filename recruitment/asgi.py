"""The ASGI entry point for servers started by import string (`recruitment serve`, uvicorn with
several workers)."""

from recruitment.api.app import create_app
from recruitment.heap import settle_heap
from recruitment.settings import Settings

app = create_app(Settings())
app.on_startup.append(lambda: settle_heap(serving=True))
