"""Serve: the preview server, its watcher and reload channel. Sits above build, which it runs on
every change."""
