"""The AllTick stock quote protocol (WebSocket and HTTP)."""
