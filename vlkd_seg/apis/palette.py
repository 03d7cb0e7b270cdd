"""Colours that follow a class's name across images and vocabularies."""
import hashlib
from typing import List, Sequence


def class_palette(names: Sequence[str]) -> List[List[int]]:
    """An RGB colour per class, derived from its name alone.

    The same name gets the same colour in every image and every
    vocabulary; channels stay within 40-255 so no class is drawn black.
    """
    palette = []
    for name in names:
        digest = hashlib.sha1(name.strip().lower().encode('utf-8')).digest()
        palette.append([40 + b * 215 // 255 for b in digest[:3]])
    return palette
