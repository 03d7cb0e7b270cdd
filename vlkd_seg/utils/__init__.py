from .checkpoints import (TRAINING_FREE, UnsafeCheckpointError,
                          load_checkpoint_safely, load_trained_weights,
                          needs_checkpoint)
from .cli import one_line, user_errors
from .clip_input import CLIP_MEAN, CLIP_STD, clip_normalize, pad_to_stride
from .config_checks import (check_data_roots, check_zero_shot_setup,
                            dataset_classes, load_config)
from .config_nodes import iter_datasets
from .weight_checks import check_weight_files
from .errors import (WEIGHTS_HINT, ConfigError, MissingFileError, SetupError,
                     UserError)
from .launch import (build_text_model, finish_run_config, load_run_config,
                     replace_sync_bn, resume_checkpoint, setup_device,
                     teardown_distributed)
from .vocabulary import (available_vocabularies, check_class_names,
                         load_class_names, read_lines)

__all__ = [
    'ConfigError', 'MissingFileError', 'SetupError', 'TRAINING_FREE',
    'UnsafeCheckpointError', 'UserError', 'load_checkpoint_safely',
    'load_trained_weights', 'needs_checkpoint', 'one_line', 'user_errors',
    'check_data_roots', 'check_weight_files', 'check_zero_shot_setup',
    'dataset_classes', 'finish_run_config', 'iter_datasets', 'load_config',
    'load_run_config', 'build_text_model', 'replace_sync_bn',
    'resume_checkpoint', 'setup_device', 'teardown_distributed', 'CLIP_MEAN',
    'CLIP_STD', 'clip_normalize', 'pad_to_stride', 'WEIGHTS_HINT',
    'available_vocabularies', 'check_class_names', 'load_class_names',
    'read_lines'
]
