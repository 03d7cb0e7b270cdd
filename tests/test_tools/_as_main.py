"""Run a Python tool as its ``__main__`` in the test process."""
import contextlib
import io
import os
import runpy
import subprocess
import sys
import traceback

from ..mmengine_state import named_instances_restored


def run_as_main(path, args, folder):
    """``python PATH ARGS`` run from ``folder``, in this process: what it
    prints, and its exit code (an uncaught exception prints its traceback,
    as the interpreter would). argv, the folder, the environment and
    mmengine's named instances (visualizers, loggers, message hubs, scopes:
    a later runner of the same name would reuse the tool's) are put back
    afterwards."""
    out, err = io.StringIO(), io.StringIO()
    argv, cwd, env = sys.argv, os.getcwd(), dict(os.environ)
    code = 0
    try:
        sys.argv = [path, *args]
        os.chdir(folder)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(
                err), named_instances_restored():
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
    return subprocess.CompletedProcess([path, *args], code, out.getvalue(),
                                       err.getvalue())
