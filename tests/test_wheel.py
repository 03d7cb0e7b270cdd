"""The built wheel carries every data file, and works installed outside the
repository (what a user of ``pip install`` gets)."""
import glob
import os
import os.path as osp
import shutil
import subprocess
import sys
import textwrap
import zipfile

import pytest

from .conftest import REPO, TINY_RN, write_clip_config


def _data_files():
    """Every non-Python file of the package, as wheel member names."""
    files = []
    for folder, dirs, names in os.walk(osp.join(REPO, 'vlkd_seg')):
        dirs[:] = [d for d in dirs if d != '__pycache__']
        files += [
            osp.relpath(osp.join(folder, n), REPO).replace(os.sep, '/')
            for n in names if not n.endswith(('.py', '.pyc'))
        ]
    return sorted(files)


@pytest.fixture(scope='module')
def wheel(tmp_path_factory):
    """A wheel built from a copy of the sources (no build files in the
    repository)."""
    src = tmp_path_factory.mktemp('src')
    for name in ('setup.py', 'setup.cfg', 'README.md'):
        shutil.copy(osp.join(REPO, name), src)
    shutil.copytree(
        osp.join(REPO, 'vlkd_seg'),
        src / 'vlkd_seg',
        ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))
    out = tmp_path_factory.mktemp('dist')
    result = subprocess.run([
        sys.executable, '-m', 'pip', 'wheel', '--no-deps',
        '--no-build-isolation', '-q', '-w',
        str(out),
        str(src)
    ],
                            capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    (path, ) = glob.glob(str(out / 'vlkd_seg-*.whl'))
    return path


def test_wheel_holds_every_data_file_of_the_package(wheel):
    expected = _data_files()
    assert any(f.endswith('.tsv') for f in expected)
    assert any(f.endswith('.txt') for f in expected)
    members = set(zipfile.ZipFile(wheel).namelist())
    missing = [f for f in expected if f not in members]
    assert not missing, f'the wheel lacks {missing}'


def test_installed_wheel_loads_its_data_and_builds_a_user_recipe(
        wheel, tmp_path):
    site = tmp_path / 'site'
    subprocess.run([
        sys.executable, '-m', 'pip', 'install', '--no-deps', '-q', '--target',
        str(site), wheel
    ],
                   check=True)
    clip = write_clip_config(tmp_path, 'user-clip', TINY_RN)
    # a user's own recipe, outside configs/, naming packaged vocabularies
    (tmp_path / 'my_recipe.py').write_text(
        textwrap.dedent(f"""
        default_scope = 'mmseg'
        custom_imports = dict(imports=['vlkd_seg'])
        model = dict(
            type='MaskCLIPSegmentor',
            teacher=dict(type='CLIPTeacher', model_name={clip!r},
                         templates='single', text_cache_dir=''),
            class_names='voc20')
        """))
    script = textwrap.dedent(f"""
        import os.path as osp
        import vlkd_seg
        assert vlkd_seg.__file__.startswith({str(site)!r}), vlkd_seg.__file__
        from vlkd_seg.classification import (available_class_splits,
                                             load_class_split)
        from vlkd_seg.utils.vocabulary import (available_vocabularies,
                                                  load_class_names)
        splits = available_class_splits()
        assert 'cub' in splits, splits
        for name in splits:
            assert load_class_split(name).names
        for name in available_vocabularies():
            assert load_class_names(name)
        from mmengine.registry import init_default_scope
        from mmseg.registry import MODELS

        from vlkd_seg.utils import load_config
        cfg = load_config('my_recipe.py')
        init_default_scope(cfg.default_scope)
        model = MODELS.build(cfg.model)
        assert model.num_classes == 20
        print('ok', len(splits), len(available_vocabularies()))
        """)
    env = dict(os.environ, PYTHONPATH=str(site))
    result = subprocess.run([sys.executable, '-c', script],
                            cwd=tmp_path,
                            env=env,
                            capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines()[-1].startswith('ok ')
