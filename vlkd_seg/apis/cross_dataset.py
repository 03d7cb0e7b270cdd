"""A trained model tested on datasets whose classes are not its own
(SSIW's cross-dataset evaluation)."""
import copy
from typing import Dict, Optional, Sequence

from mmengine.runner import Runner, TestLoop


def evaluate_on_dataset(runner: Runner,
                        dataset: dict,
                        prediction_classes: Sequence[str],
                        synonyms: Sequence[Sequence[str]] = (),
                        other: Optional[str] = None,
                        unseen_idx: Sequence[int] = (),
                        dataset_classes: Optional[Sequence[str]] = None,
                        batch_size: int = 8) -> Dict[str, float]:
    """Test ``runner``'s model on ``dataset``, scored in its label space
    (``LabelSpaceIoUMetric``): each predicted class becomes the dataset's
    class of that name or synonym, the others its ``other`` class (or a
    miss).

    Args:
        runner (Runner): A runner holding the (trained) model.
        dataset (dict): The dataset's config, test pipeline and classes.
        prediction_classes (Sequence[str]): The model's classes.
        synonyms (Sequence[Sequence[str]]): Groups of names of one class.
        other (str, optional): The dataset's catch-all class.
        unseen_idx (Sequence[int]): The dataset's classes reported apart
            (``mIoU_unseen``), e.g. those no training dataset annotates.
        dataset_classes (Sequence[str], optional): The names its classes
            are matched by (default: its metainfo's).
        batch_size (int): Test batch size.

    Returns:
        dict[str, float]: ``aAcc, mIoU, mIoU_seen, mIoU_unseen, hIoU``.
    """
    dataset = copy.deepcopy(dataset)  # its own zero-shot split is not ours
    (dataset.get('metainfo') or {}).pop('unseen_idx', None)
    loader = dict(
        batch_size=batch_size,
        num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dataset)
    evaluator = dict(
        type='LabelSpaceIoUMetric',
        prediction_classes=list(prediction_classes),
        synonyms=[list(g) for g in synonyms],
        other=other,
        unseen_idx=list(unseen_idx),
        dataset_classes=dataset_classes)
    loop = TestLoop(runner, loader, evaluator)
    runner.call_hook('before_run')  # as Runner.test: seeds, log paths
    return loop.run()
