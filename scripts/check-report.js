#!/usr/bin/env node
// The Chromium check of the notebook report: node scripts/check-report.js [reportDir]
// Loads every notebook page of reports/ in Debian's headless Chromium, checks that each plotly chart was
// drawn (svg.main-svg present) with no script error, that no output area is wider than the page (wide
// tables scroll in their own box) and no chart title is cut off, that tables exist and index.html links
// every page, and writes reports/screenshots/*.png. The logic is src/report/checkReport.ts (compiled by
// npm run build).
"use strict";
const path = require("node:path");
const root = path.resolve(__dirname, "..");
let check;
try {
  check = require(path.join(root, "dist", "report", "checkReport.js"));
} catch (error) {
  process.stderr.write(`The project is not built (${error.message}). Run: npm run build\n`);
  process.exit(2);
}
process.exitCode = check.checkReportMain(process.argv.slice(2), root);
