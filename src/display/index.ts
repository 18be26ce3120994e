/**
 * Display: plain data for tables and plotly figures (testable without a kernel or a browser), and thin
 * adapters that show them inline in a tslab notebook or, from a plain script, on the terminal, as
 * standalone offline HTML files, or through nodeplotlib when asked.
 */
export * from "./formatNumber";
export * from "./formatDuration";
export type { TableInput, DataFrameLike, TableOptions } from "./tableCells";
export * from "./tableHtml";
export * from "./tableText";
export * from "./plotlyFigure";
export * from "./lineFigure";
export * from "./logTailFigure";
export * from "./figureHtml";
export * from "./figurePageHtml";
export * from "./plotlyBundleHtml";
export type { PlotlySession } from "./plotlySession";
export * from "./tslabKernel";
export * from "./displayTarget";
export * from "./showTable";
export * from "./showFigure";
export * from "./nodeplotlibPlot";
export * from "./embedPlotlyBundle";
export * from "./progressLine";
export * from "./progressReporter";
export * from "./showMarkdown";
export * from "./heatmapFigure";
export * from "./claimsTable";
export * from "./showClaims";
export * from "./tailOverlaySeries";
export * from "./policyTailFigure";
export * from "./parameterRows";
export * from "./studyProgressReporter";
// A table's rows as records, a heatmap grid from a table, series drawn over a figure, an estimate as text.
export { tableRecords } from "./tableCells";
export * from "./heatmapGrid";
export * from "./overlaySeries";
export * from "./formatEstimate";
