import os
import os.path as osp
import re
import uuid
from typing import List

from mmengine.dist import is_main_process
from mmengine.fileio.backends import LocalBackend
from mmengine.hooks import CheckpointHook
from mmengine.model import is_model_wrapper
from mmengine.registry import HOOKS

from vlkd_seg.compat import plain_message_hub, restore_message_hub
from vlkd_seg.utils.checkpoints import NUMBERED_CHECKPOINT
from vlkd_seg.utils.io import fsync_file, write_atomically
from vlkd_seg.utils.resume_checks import check_resumed_weights

#: a temporary file of an unfinished atomic write (this hook's and
#: ``write_atomically``'s)
_TEMPORARY = re.compile(r'\..+\.[0-9a-f]{8}\.tmp')


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """``CheckpointHook`` whose files survive a kill at any moment and load
    with torch's safe unpickler as they are.

    Same arguments and behaviour as mmengine's ``CheckpointHook``, with
    six differences:

    * a local checkpoint is written under a temporary name, flushed to disk
      and renamed, so a file named ``iter_N.pth`` is always complete;
    * ``last_checkpoint`` is replaced atomically, and only once its
      checkpoint is complete;
    * checkpoints beyond ``max_keep_ckpts`` are removed after the new one
      is saved, not before, so ``last_checkpoint`` never names a deleted
      file;
    * the message hub's state goes into the file as plain data
      (:func:`~vlkd_seg.compat.plain_message_hub`) and comes back as
      ``HistoryBuffer`` objects when a run loads it, so
      ``torch.load(weights_only=True)``, mmengine's loaders and mmseg's
      ``init_model`` read the file with no allow-list;
    * a resumed checkpoint whose parameter names or shapes are not the
      model's is refused (another recipe's) before any weight is loaded;
    * a run starts by removing what a killed one left: temporary files of
      unfinished writes, checkpoints the keep policy had dropped.

    Registered in mmengine's root registry: mmseg and mmpretrain configs
    find it as ``type='AtomicCheckpointHook'``.
    """

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        if 'message_hub' in checkpoint:
            checkpoint['message_hub'] = plain_message_hub(
                checkpoint['message_hub'])

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        if runner.cfg.get('resume') and 'state_dict' in checkpoint:
            model = runner.model.module if is_model_wrapper(
                runner.model) else runner.model
            check_resumed_weights(checkpoint['state_dict'], model.state_dict())
        if isinstance(checkpoint.get('message_hub'), dict):
            checkpoint['message_hub'] = restore_message_hub(
                checkpoint['message_hub'])

    def before_train(self, runner) -> None:
        """mmengine's set-up, then the leftovers of a killed run go: the
        temporary files of unfinished writes and the checkpoints the keep
        policy had already dropped."""
        super().before_train(runner)
        if not is_main_process() or not isinstance(self.file_backend,
                                                   LocalBackend):
            return
        for folder in {self.out_dir, runner.work_dir}:
            for name in os.listdir(folder) if osp.isdir(folder) else []:
                if self._left_over(name):
                    os.remove(osp.join(folder, name))

    def _left_over(self, name: str) -> bool:
        """Whether file ``name`` is a killed run's: an unfinished write, or
        a checkpoint older than the ones the keep policy keeps."""
        if _TEMPORARY.fullmatch(name):
            return True
        step = NUMBERED_CHECKPOINT.fullmatch(name)
        return bool(step and self.max_keep_ckpts > 0 and self.keep_ckpt_ids
                    and int(step.group(1)) < min(self.keep_ckpt_ids))

    def _save_checkpoint_with_step(self, runner, step, meta) -> None:
        stale = self._keep(runner, step)
        filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir, filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        local = isinstance(self.file_backend, LocalBackend)
        written = f'.{filename}.{uuid.uuid4().hex[:8]}.tmp' if local \
            else filename
        runner.save_checkpoint(
            self.out_dir,
            written,
            self.file_client_args,
            save_optimizer=self.save_optimizer,
            save_param_scheduler=self.save_param_scheduler,
            meta=meta,
            by_epoch=self.by_epoch,
            backend_args=self.backend_args,
            **self.args)
        if not is_main_process():
            return
        if local:
            self._move_into_place(
                osp.join(self.out_dir, written), self.last_ckpt)
        write_atomically(self.last_ckpt,
                         osp.join(runner.work_dir, 'last_checkpoint'))
        for old in stale:
            self._remove(self.filename_tmpl.format(old))

    @staticmethod
    def _move_into_place(written: str, final: str) -> None:
        """Flush the complete file ``written`` to disk and rename it to
        ``final`` (one step: readers see the old file or the new one)."""
        fsync_file(written)
        os.replace(written, final)

    def _keep(self, runner, step: int) -> List[int]:
        """Record ``step`` among the kept checkpoints; return the steps
        whose files must go once it is saved."""
        if self.max_keep_ckpts <= 0 or (self.keep_ckpt_ids
                                        and self.keep_ckpt_ids[-1] == step):
            return []
        stale = []
        if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
            stale.append(self.keep_ckpt_ids.popleft())
        self.keep_ckpt_ids.append(step)
        runner.message_hub.update_info('keep_ckpt_ids',
                                       list(self.keep_ckpt_ids))
        return stale

    def _remove(self, filename: str) -> None:
        path = self.file_backend.join_path(self.out_dir, filename)
        if self.file_backend.isfile(path):
            self.file_backend.remove(path)
        elif self.file_backend.isdir(path):  # deepspeed checkpoints
            self.file_backend.rmtree(path)
