"""Series: area series on stable LA units, regions and England (:mod:`.area`), the generic
calculations on them (:mod:`.calc`), the named measures (:mod:`.measures`), comparator groups
(:mod:`.comparators`) and the store that builds them on demand (:mod:`.store`)."""
