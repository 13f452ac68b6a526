"""Report helpers the studies draw and show with: the figure style and deterministic saving
(:mod:`.plotting`) and what notebooks display for the publishing layer (:mod:`.display`). They
know nothing of any study."""
