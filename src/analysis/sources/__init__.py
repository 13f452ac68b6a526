"""Sources: the catalogue of official files (:mod:`.catalogue`) and their verified fetch
(:mod:`.fetch`). The lowest layer above the core modules: it imports nothing but them."""
