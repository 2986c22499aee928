"""The HTTP server: a thin ASGI app over the request pipeline."""
