from .config_checks import (UserError, check_data_roots, check_weight_files,
                            check_zero_shot_setup, dataset_classes,
                            iter_datasets, load_config)
from .launch import (finish_run_config, load_run_config, replace_sync_bn,
                     resume_checkpoint, setup_device, teardown_distributed)

__all__ = [
    'UserError', 'check_data_roots', 'check_weight_files',
    'check_zero_shot_setup', 'dataset_classes', 'finish_run_config',
    'iter_datasets', 'load_config', 'load_run_config', 'replace_sync_bn',
    'resume_checkpoint', 'setup_device', 'teardown_distributed'
]
