# python.sh - sourced by the end-to-end scripts: python3 means Debian's interpreter (installed
# by ./setup with the modules the tests use). A version manager's shim first in PATH (pyenv)
# costs a second or more per call on a busy machine, and the scripts make hundreds of calls.
# PATH rather than a shell function, so that `python3 ... &` gives $! of python itself and the
# scripts' kill reaches it.
if [ -x /usr/bin/python3 ]; then
    export PATH="/usr/bin:$PATH"
fi
