import json
import os.path as osp
import random
import re
from typing import List, Optional, Pattern, Sequence

from mmengine.fileio import get_text
from mmengine.logging import print_log
from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS

from vlkd_seg.utils.errors import (ConfigError, MissingFileError,
                                   number_in_range)


@DATASETS.register_module()
class PhraseMaskDataset(BaseSegDataset):
    """Phrases and the masks they refer to (referring segmentation, as
    CLIPSeg's PhraseCut training): each sample is an image, a phrase and
    the binary mask of what the phrase names.

    ``ann_file`` holds JSON lines, one sample per line, paths relative to
    ``data_root`` (``tools/convert_phrasecut.py`` writes PhraseCut's in
    this form)::

        {"image": "img/1.jpg", "phrase": "the red kite", "mask": "ann/1.png"}
        {"image": "img/1.jpg", "phrase": "a zebra", "mask": null}

    A mask file's non-zero pixels are the phrase's region, or, with
    ``"values": [3, 5]``, its pixels of those values (a label map serves
    every phrase of its image). A ``null`` mask is a negative (the phrase
    names nothing there); with
    ``negative_prob`` (the release: 0.2) a sample is also drawn as a
    negative, its phrase replaced by another sample's. Load masks with
    ``LoadPhraseMask`` and pack the phrase (``PackSegInputs`` with
    :data:`PHRASE_META_KEYS`): ``CLIPSeg`` then answers each image's own
    phrase, and ``IoUMetric``'s ``phrase`` class is the binary IoU.

    Args:
        ann_file (str): The JSON-lines file.
        negative_prob (float): Chance of drawing a sample as a negative.
        exclude_words (Sequence[str]): Samples whose phrase holds one of
            these words (whole words, any case) are left out: the unseen
            classes of a zero-shot test (the release's ``remove_classes``).
        **kwargs: ``BaseSegDataset`` arguments (``data_root``, ``pipeline``).
    """
    METAINFO = dict(
        classes=('other', 'phrase'),
        palette=[[0, 0, 0], [255, 255, 255]],
        prompted=True)  # no vocabulary needs to match the classes

    def __init__(self,
                 ann_file: str,
                 negative_prob: float = 0.,
                 exclude_words: Sequence[str] = (),
                 **kwargs):
        self.negative_prob = number_in_range(
            negative_prob, 'PhraseMaskDataset negative_prob', 0, 1)
        self.excluded = _word_pattern(exclude_words)
        self.phrases: List[str] = []
        super().__init__(ann_file=ann_file, **kwargs)

    def load_data_list(self) -> List[dict]:
        """The samples of ``ann_file``, each line checked."""
        if '://' not in self.ann_file and not osp.isfile(self.ann_file):
            raise MissingFileError(
                f'PhraseMaskDataset ann_file {self.ann_file} does not exist: '
                'write one JSON line per sample, or convert PhraseCut with '
                'tools/convert_phrasecut.py')
        samples = [
            self._sample(line, f'{self.ann_file}:{number}')
            for number, line in enumerate(
                get_text(self.ann_file).splitlines(), 1) if line.strip()
        ]
        if self.excluded is not None:
            kept = [
                s for s in samples if not self.excluded.search(s['phrase'])
            ]
            print_log(
                f'PhraseMaskDataset: {len(samples) - len(kept)} of '
                f'{len(samples)} phrases name an excluded word',
                logger='current')
            samples = kept
        self.phrases = sorted({s['phrase'] for s in samples})
        if self.negative_prob and len(self.phrases) < 2:
            raise ConfigError(
                f'{self.ann_file}: negative_prob={self.negative_prob} draws '
                'another sample\'s phrase, but the file has fewer than 2 '
                'distinct phrases')
        return samples

    def _sample(self, line: str, where: str) -> dict:
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise ConfigError(f'{where} is not JSON ({error})') from None
        if not isinstance(entry, dict) or not isinstance(
                entry.get('image'), str) or not isinstance(
                    entry.get('phrase'), str) or not entry['phrase'].strip():
            raise ConfigError(
                f'{where}: a sample is {{"image": PATH, "phrase": TEXT, '
                f'"mask": PATH or null}} with a non-empty phrase, got {line}')
        mask, values = entry.get('mask'), entry.get('values')
        if mask is not None and not isinstance(mask, str):
            raise ConfigError(f'{where}: "mask" must be a path or null, got '
                              f'{mask!r}')
        if values is not None and (not isinstance(values, list) or not all(
                isinstance(v, int) and 0 <= v < 256 for v in values)):
            raise ConfigError(f'{where}: "values" must be a list of pixel '
                              f'values 0-255, got {values!r}')
        return dict(
            img_path=osp.join(
                self.data_prefix.get('img_path', ''), entry['image']),
            seg_map_path=None if mask is None else osp.join(
                self.data_prefix.get('seg_map_path', ''), mask),
            phrase=entry['phrase'].strip(),
            mask_values=values,
            label_map=None,
            reduce_zero_label=False,
            seg_fields=[])

    def get_data_info(self, idx: int) -> dict:
        """Sample ``idx``, drawn as a negative with ``negative_prob``."""
        info = super().get_data_info(idx)
        if self.negative_prob and random.random() < self.negative_prob:
            others = [
                p for p in random.sample(self.phrases, 2)
                if p != info['phrase']
            ]
            info.update(phrase=others[0], seg_map_path=None)
        return info


def _word_pattern(words: Sequence[str]) -> Optional[Pattern]:
    """A case-blind whole-word pattern of ``words``; None for none."""
    if isinstance(words, str) or any(not isinstance(w, str) or not w.strip()
                                     for w in words):
        raise ConfigError('PhraseMaskDataset exclude_words must be a list of '
                          f'non-empty words, got {words!r}')
    if not words:
        return None
    alternatives = '|'.join(re.escape(w.strip()) for w in words)
    return re.compile(rf'\b(?:{alternatives})\b', re.IGNORECASE)
