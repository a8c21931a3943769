"""The core's side of its seam with storage: the values it exchanges with a store
(``records``) and what it needs a store to do (``ports``). See docs/ARCHITECTURE.md."""
