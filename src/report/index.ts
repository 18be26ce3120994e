/**
 * Report: the notebook runner behind `npm run report` (entry: main.ts) and the pieces notebooks and
 * tests use: the run mode, the failing-cell extraction, the report's index page.
 */
export * from "./runMode";
export * from "./notebookFailure";
export * from "./reportIndexHtml";
