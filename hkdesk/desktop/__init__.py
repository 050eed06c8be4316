"""The desktop assembly: build the services, build the window, wire them, run, shut down in order."""
