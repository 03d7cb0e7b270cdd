import os.path as osp

from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.registry import HOOKS

from vlkd_seg.utils.io import write_json_atomically


@HOOKS.register_module()
class LabelSpacesHook(Hook):
    """Write the merge table of a training set that unifies several
    datasets' classes (``UnifiedDataset``, whose metainfo holds
    ``label_spaces``) to ``work_dir/label_spaces.json`` before training:
    per unified class, each dataset's name of it. Other datasets are left
    alone. The default runtime adds it.
    """

    def before_train(self, runner) -> None:
        meta = runner.train_dataloader.dataset.metainfo
        if 'label_spaces' not in meta or not is_main_process():
            return
        path = osp.join(runner.work_dir, 'label_spaces.json')
        write_json_atomically(
            dict(classes=list(meta['classes']), table=meta['label_spaces']),
            path)
        runner.logger.info(f'merge table of the label spaces: {path}')
