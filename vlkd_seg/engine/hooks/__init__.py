from .atomic_checkpoint_hook import AtomicCheckpointHook
from .label_spaces_hook import LabelSpacesHook
from .random_state_hook import RandomStateHook
from .rank_consistency_hook import RankConsistencyHook
from .run_isolation_hook import RunIsolationHook
from .train_iter_hook import TrainIterHook

__all__ = [
    'AtomicCheckpointHook', 'LabelSpacesHook', 'RandomStateHook',
    'RankConsistencyHook', 'RunIsolationHook', 'TrainIterHook'
]
