"""Site: entries to pages. The site model (which pages and feeds exist), Jinja rendering,
Markdown bodies, feeds, JSON-LD, the map and timeline geometry, and the editorial checks that
render bodies. Every path comes from digest/urls.py."""
