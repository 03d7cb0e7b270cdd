import os.path as osp

import pytest

from ..conftest import DEMO_CONFIG, REPO, load_tool

WORLD_CLS_CONFIG = osp.join(REPO, 'configs', 'demo',
                            'vlkd-cls_r18-tiny_synthetic-world.py')


@pytest.mark.parametrize(
    'argv, expected',
    [
        (['configs/demo/missing.py'
          ], 'config file configs/demo/missing.py does not exist'),
        ([DEMO_CONFIG, '--cfg-options', 'model.backbone.dept=18'
          ], "has no 'dept' (did you mean 'depth'?)"),
        ([
            DEMO_CONFIG, '--cfg-options',
            'train_dataloader.dataset.data_root=/no/such/root'
        ], 'data root /no/such/root of train_dataloader does not exist'),
        # an mmpretrain-scoped recipe: its own registry knows the arguments
        ([WORLD_CLS_CONFIG, '--cfg-options', 'model.templatez=single'
          ], "has no 'templatez' (did you mean 'templates'?)"),
        ([
            WORLD_CLS_CONFIG, '--cfg-options',
            'train_dataloader.dataset.dataset.data_root=/no/world_objects'
        ], 'write it with `python tools/world_classification.py` or pass '
         '--cfg-options train_dataloader.dataset.dataset.data_root=PATH'),
    ])
def test_bad_input_is_a_one_line_error(argv, expected, capsys):
    train = load_tool('train')
    with pytest.raises(SystemExit) as info:
        train.main(argv)
    message = str(info.value.code)
    assert message.startswith('error: ') and expected in message
    assert '\n' not in message
