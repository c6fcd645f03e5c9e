"""The ASGI entry point for servers started by import string (uvicorn with several workers)."""

from recruitment.api.app import create_app
from recruitment.settings import Settings

app = create_app(Settings())
