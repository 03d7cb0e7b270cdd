from typing import Optional, Sequence

from mmengine.dist import barrier, get_rank
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.registry import HOOKS

from ..teacher_features import cached_teacher_features


@HOOKS.register_module()
class TeacherFeatureHook(Hook):
    """Give a :class:`VLDistillClassifier` the teacher features of the
    split it is about to train on or evaluate.

    Before training, validation and testing, the teacher embeds every
    sample of the loop's dataset once through ``pipeline`` (a deterministic
    view, ending in ``PackInputs``); the features are cached on disk (see
    :func:`cached_teacher_features`) and handed to the model by sample
    index. In a distributed run rank 0 computes, the others read the cache.

    Registered in mmengine's root registry: mmpretrain and mmseg configs
    both find it.

    Args:
        pipeline (Sequence[dict]): Teacher view of a sample, e.g.
            ``[LoadImageFromFile, ResizeEdge(224), CenterCrop(224),
            PackInputs]``.
        batch_size (int): Images per teacher forward.
        num_workers (int): Data loading workers of that pass.
        to_rgb (bool): Flip the BGR images of ``LoadImageFromFile`` to the
            RGB order CLIP expects.
        cache_dir (str, optional): Defaults to
            ``$VLKD_CACHE/teacher_features``.
    """
    priority = 'HIGH'

    def __init__(self,
                 pipeline: Sequence[dict],
                 batch_size: int = 64,
                 num_workers: int = 0,
                 to_rgb: bool = True,
                 cache_dir: Optional[str] = None):
        self.pipeline = list(pipeline)
        self.kwargs = dict(
            batch_size=batch_size,
            num_workers=num_workers,
            to_rgb=to_rgb,
            cache_dir=cache_dir)
        self._done = {}

    def before_train(self, runner) -> None:
        self._prepare(runner, 'train', runner.train_dataloader.dataset)

    def before_val(self, runner) -> None:
        self._prepare(runner, 'eval', runner.val_dataloader.dataset)

    def before_test(self, runner) -> None:
        self._prepare(runner, 'eval', runner.test_dataloader.dataset)

    def _prepare(self, runner, split: str, dataset) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        if id(dataset) not in self._done:
            self._done[id(dataset)] = self._features(model, dataset)
        model.set_teacher_features(split, self._done[id(dataset)])

    def _features(self, model, dataset):

        def log(msg):
            print_log(msg, logger='current')

        if get_rank() == 0:
            feats = cached_teacher_features(
                model.teacher, dataset, self.pipeline, log=log, **self.kwargs)
        barrier()
        if get_rank() != 0:
            feats = cached_teacher_features(model.teacher, dataset,
                                            self.pipeline, **self.kwargs)
        return feats
