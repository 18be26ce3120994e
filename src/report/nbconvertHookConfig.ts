/**
 * An nbconvert configuration file (Python; written to a temporary file and passed with `--config`)
 * that installs nbclient hooks for the notebook runner:
 * - `on_cell_start`: writes "[mp-report] cell <index> of <count>" to nbconvert's stderr before each code
 *   cell, so the runner can show progress and name the cell that was running when a timeout struck;
 * - `on_cell_executed`: copies the execution count from the kernel's reply into the cell (tslab sends no
 *   execute_input message, from which nbclient would otherwise take it, so cells would show "In [ ]");
 * - `on_cell_error`: when a cell fails, writes the partly executed notebook (the failing cell with its
 *   outputs, where tslab puts the real error text) to the path in MP_REPORT_FAILED_NOTEBOOK, marking the
 *   cell in metadata.mp_report.failed_cell. nbconvert itself writes nothing when a cell fails, and its
 *   exception message is blank with tslab.
 * The hooks never raise: a problem in them must not change how the notebook runs.
 */
export const nbconvertHookConfig = `# nbconvert hooks of the migration-penalties notebook runner (src/report/nbconvertHookConfig.ts)
import os
import sys

import nbformat

_mp_state = {"nb": None}


def _mp_notebook_start(notebook=None, **kwargs):
    _mp_state["nb"] = notebook


def _mp_cell_start(cell=None, cell_index=None, **kwargs):
    try:
        if cell is not None and cell.get("cell_type") == "code":
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


def _mp_cell_error(cell=None, cell_index=None, execute_reply=None, **kwargs):
    try:
        path = os.environ.get("MP_REPORT_FAILED_NOTEBOOK")
        nb = _mp_state["nb"]
        if path and nb is not None:
            nb.metadata["mp_report"] = {"failed_cell": cell_index}
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
            nbformat.write(nb, path)
    except Exception as error:
        sys.stderr.write("[mp-report] could not save the failed notebook: %s\\n" % error)


c.ExecutePreprocessor.on_notebook_start = _mp_notebook_start
c.ExecutePreprocessor.on_cell_start = _mp_cell_start
c.ExecutePreprocessor.on_cell_executed = _mp_cell_executed
c.ExecutePreprocessor.on_cell_error = _mp_cell_error
`;
