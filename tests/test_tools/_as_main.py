"""Run a Python tool as its ``__main__`` in the test process."""
import contextlib
import io
import os
import runpy
import subprocess
import sys
import traceback

from mmengine.utils import ManagerMixin


def run_as_main(path, args, folder):
    """``python PATH ARGS`` run from ``folder``, in this process: what it
    prints, and its exit code (an uncaught exception prints its traceback,
    as the interpreter would). argv, the folder, the environment and
    mmengine's named instances (visualizers, loggers, message hubs, scopes:
    a later runner of the same name would reuse the tool's) are put back
    afterwards."""
    out, err = io.StringIO(), io.StringIO()
    argv, cwd, env = sys.argv, os.getcwd(), dict(os.environ)
    instances = {cls: dict(cls._instance_dict) for cls in _managed()}
    code = 0
    try:
        sys.argv = [path, *args]
        os.chdir(folder)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                runpy.run_path(path, run_name='__main__')
            except SystemExit as exit_info:
                if isinstance(exit_info.code, str):
                    print(exit_info.code, file=sys.stderr)
                code = exit_info.code if isinstance(exit_info.code, int) else 1
                code = 0 if exit_info.code is None else code
            except Exception:  # what the interpreter does with it
                traceback.print_exc()
                code = 1
    finally:
        sys.argv = argv
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        for cls in _managed():
            cls._instance_dict.clear()
            cls._instance_dict.update(instances.get(cls, {}))
    return subprocess.CompletedProcess([path, *args], code, out.getvalue(),
                                       err.getvalue())


def _managed() -> list:
    """Every class whose named instances mmengine keeps globally."""
    found, todo = [], [ManagerMixin]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if '_instance_dict' in vars(cls):
            found.append(cls)
    return found
