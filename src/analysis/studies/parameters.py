"""Checks shared by the studies' parameter files (``assumptions.yaml``): a mapping must have
exactly the keys of its shape, each of the type it names, else the error names the key."""

from __future__ import annotations


def check_keys(raw: object, shape: dict, where: str, error: type[Exception]) -> None:
    """Raise ``error`` naming ``where`` and the key unless ``raw`` is a mapping with exactly
    the keys of ``shape`` ({key: type}; ``float`` accepts ints; ``int`` refuses booleans)."""
    if not isinstance(raw, dict):
        raise error(f"{where}: expected a mapping")
    missing = sorted(set(shape) - set(raw))
    unknown = sorted(set(raw) - set(shape))
    if missing or unknown:
        raise error(f"{where}: missing keys {missing}, unknown keys {unknown}")
    for key, kind in shape.items():
        value = raw[key]
        ok = isinstance(value, (int, float)) if kind is float else isinstance(value, kind)
        if not ok or (kind in (int, float) and isinstance(value, bool)):
            raise error(f"{where}: {key!r} must be {kind.__name__}, not {value!r}")
