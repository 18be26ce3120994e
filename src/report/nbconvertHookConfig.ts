/**
 * An nbconvert configuration file (Python; written to a temporary file and passed with `--config`)
 * that installs nbclient hooks for the notebook runner. nbconvert's ExecutePreprocessor runs nbclient's
 * synchronous path, which calls no hook when the kernel dies and installs no signal handler, so the file
 * also sets a kernel manager class, an exception hook and signal handlers of its own:
 * - `on_cell_start`: writes "[mp-report] cell <index> of <count>" to nbconvert's stderr before each code
 *   cell, so the runner can show progress; remembers the cell, so a stop can name it;
 * - `on_cell_executed`: copies the execution count from the kernel's reply into the cell (tslab sends no
 *   execute_input message, from which nbclient would otherwise take it, so cells would show "In [ ]");
 * - `on_cell_error`: when a cell fails, writes the partly executed notebook (the failing cell with its
 *   outputs, where tslab puts the real error text) to the path in MP_REPORT_FAILED_NOTEBOOK;
 * - the kernel manager (a subclass of jupyter_client's AsyncKernelManager) sends the kernel's own stdout
 *   and stderr to the file MP_REPORT_KERNEL_LOG. Otherwise the kernel inherits nbconvert's stderr, and
 *   Node (tslab) switches that shared pipe to non-blocking mode, after which nbconvert's own traceback is
 *   cut off when the pipe is full. It also keeps the kernel's process, so its exit status can be read;
 * - the exception hook: when nbconvert stops on any other exception (the kernel died, a cell timed out),
 *   it writes the partly executed notebook to MP_REPORT_FAILED_NOTEBOOK too, with the kernel's exit
 *   status when it died;
 * - SIGTERM, SIGINT and SIGHUP: the partly executed notebook is written, marked as interrupted, the kernel's
 *   process group is killed and its connection file removed, and nbconvert exits at once (status 128 +
 *   the signal's number).
 * Every saved notebook carries `metadata.mp_report`: `failed_cell` (the cell that was running),
 * `reason` ("error", "kernel died", "timeout", "interrupted" or "stopped"), `error` (the exception),
 * `kernel` ({"exit_code": n} or {"signal": "SIGKILL", "signal_number": 9}, when known) and `signal` (for
 * "interrupted"); the running cell also gets a stderr output saying why the run stopped there.
 * The hooks never raise: a problem in them must not change how the notebook runs.
 */
import { stopNotes } from "./stopNotes";

export const nbconvertHookConfig = `# nbconvert hooks of the migration-penalties notebook runner (src/report/nbconvertHookConfig.ts)
import os
import signal
import sys

import nbformat

_mp_state = {"nb": None, "cell": None, "km": None, "saved": False, "stopping": False}


def _mp_notebook_start(notebook=None, **kwargs):
    _mp_state["nb"] = notebook


def _mp_cell_start(cell=None, cell_index=None, **kwargs):
    try:
        if cell is not None and cell.get("cell_type") == "code":
            _mp_state["cell"] = cell_index
            nb = _mp_state["nb"]
            count = len(nb.cells) if nb is not None else 0
            sys.stderr.write("[mp-report] cell %d of %d\\n" % (cell_index, count))
            sys.stderr.flush()
    except Exception:
        pass


def _mp_cell_executed(cell=None, cell_index=None, execute_reply=None, **kwargs):
    # tslab sends no execute_input message, so nbclient leaves execution_count empty ("In [ ]").
    try:
        count = (execute_reply or {}).get("content", {}).get("execution_count")
        if cell is not None and cell.get("execution_count") is None and isinstance(count, int):
            cell["execution_count"] = count
    except Exception:
        pass


def _mp_save(mark, note=None):
    """Writes the partly executed notebook to MP_REPORT_FAILED_NOTEBOOK (through a temporary file and a rename)."""
    try:
        path = os.environ.get("MP_REPORT_FAILED_NOTEBOOK")
        nb = _mp_state["nb"]
        if not path or nb is None:
            return
        index = mark.get("failed_cell")
        if note and isinstance(index, int) and 0 <= index < len(nb.cells) and nb.cells[index].get("cell_type") == "code":
            nb.cells[index].setdefault("outputs", []).append(nbformat.v4.new_output("stream", name="stderr", text=note + "\\n"))
        nb.metadata["mp_report"] = mark
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        partial = "%s.partial-%d" % (path, os.getpid())
        nbformat.write(nb, partial)
        os.replace(partial, path)
        _mp_state["saved"] = True
    except Exception as error:
        sys.stderr.write("[mp-report] could not save the partly executed notebook: %s\\n" % error)


def _mp_cell_error(cell=None, cell_index=None, execute_reply=None, **kwargs):
    _mp_save({"failed_cell": cell_index, "reason": "error"})


def _mp_kernel_status():
    """{"exit_code": n} or {"signal": name, "signal_number": n} once the kernel process has ended, else {}."""
    try:
        process = getattr(getattr(_mp_state["km"], "provisioner", None), "process", None)
        code = process.poll() if process is not None else None
        if code is None:
            return {}
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = "signal %d" % -code
            return {"signal": name, "signal_number": -code}
        return {"exit_code": code}
    except Exception:
        return {}


def _mp_end_kernel():
    """Kills the kernel's process group and removes its connection file."""
    km = _mp_state["km"]
    if km is None:
        return
    try:
        provisioner = getattr(km, "provisioner", None)
        process = getattr(provisioner, "process", None)
        if process is not None and process.poll() is None:
            try:
                os.killpg(getattr(provisioner, "pgid", None) or process.pid, signal.SIGKILL)
            except Exception:
                process.kill()
            process.wait(5)
    except Exception:
        pass
    try:
        km.cleanup_connection_file()
    except Exception:
        pass


def _mp_excepthook(kind, value, traceback):
    try:
        if not _mp_state["saved"] and _mp_state["nb"] is not None and not issubclass(kind, KeyboardInterrupt):
            name = kind.__name__
            kernel = _mp_kernel_status()
            if name == "DeadKernelError" or kernel:
                reason, note = "kernel died", ${JSON.stringify(stopNotes.kernelDied)}
            elif name == "CellTimeoutError":
                reason, note = "timeout", ${JSON.stringify(stopNotes.timeout)}
            else:
                reason, note = "stopped", None
            first_line = (str(value).strip().splitlines() or [""])[0]
            mark = {"failed_cell": _mp_state["cell"], "reason": reason, "error": ("%s: %s" % (name, first_line)).strip()}
            if kernel:
                mark["kernel"] = kernel
                sys.stderr.write("[mp-report] kernel ended: %s\\n" % kernel)
            _mp_save(mark, note)
    except Exception:
        pass
    _mp_previous_excepthook(kind, value, traceback)


def _mp_stop(signum, frame):
    if _mp_state["stopping"]:
        return
    _mp_state["stopping"] = True
    try:
        name = signal.Signals(signum).name
    except ValueError:
        name = "signal %d" % signum
    try:
        if _mp_state["nb"] is not None:
            _mp_save(
                {"failed_cell": _mp_state["cell"], "reason": "interrupted", "signal": name},
                "Interrupted (%s) ${stopNotes.interrupted}" % name,
            )
        _mp_end_kernel()
        sys.stderr.write("[mp-report] interrupted by %s\\n" % name)
        sys.stderr.flush()
    finally:
        os._exit(128 + signum)


try:
    from jupyter_client.manager import AsyncKernelManager as _MpBaseKernelManager

    class MpReportKernelManager(_MpBaseKernelManager):
        """Keeps the kernel's process for the hooks and sends its stdout and stderr to MP_REPORT_KERNEL_LOG."""

        async def _launch_kernel(self, kernel_cmd, **kw):
            _mp_state["km"] = self
            log_path = os.environ.get("MP_REPORT_KERNEL_LOG")
            if log_path:
                log = open(log_path, "ab")
                kw.setdefault("stdout", log)
                kw.setdefault("stderr", log)
            return await super()._launch_kernel(kernel_cmd, **kw)

    c.ExecutePreprocessor.kernel_manager_class = MpReportKernelManager
except Exception as error:
    sys.stderr.write("[mp-report] keeping the default kernel manager: %s\\n" % error)

_mp_previous_excepthook = sys.excepthook
sys.excepthook = _mp_excepthook
signal.signal(signal.SIGTERM, _mp_stop)
signal.signal(signal.SIGINT, _mp_stop)
signal.signal(signal.SIGHUP, _mp_stop)

c.ExecutePreprocessor.on_notebook_start = _mp_notebook_start
c.ExecutePreprocessor.on_cell_start = _mp_cell_start
c.ExecutePreprocessor.on_cell_executed = _mp_cell_executed
c.ExecutePreprocessor.on_cell_error = _mp_cell_error
`;
