// Typesets a .typ file with Typst (the typst.ts node compiler) RUNS times,
// each with a fresh compiler (fonts discovered again, as the typst CLI
// does on every run), and prints one JSON line: the wall time of each run
// in seconds (compile + PDF export) and the PDF size.
//   node typst.js FILE.typ OUT.pdf RUNS FONT_DIR...
const fs = require('fs');
const path = require('path');
const { NodeCompiler } = require(path.join(process.env.TYPST_MODULES || __dirname + '/node_modules',
  '@myriaddreamin/typst-ts-node-compiler'));
const [file, out, runs, ...fontDirs] = process.argv.slice(2);
const source = fs.readFileSync(file, 'utf8');
const times = [];
let pdf;
for (let i = 0; i < Number(runs); i++) {
  const t0 = process.hrtime.bigint();
  const compiler = NodeCompiler.create({ workspace: path.dirname(file), fontArgs: [{ fontPaths: fontDirs }] });
  const doc = compiler.compile({ mainFileContent: source });
  if (!doc.result) {
    console.error(JSON.stringify(doc.takeDiagnostics && doc.takeDiagnostics()));
    process.exit(1);
  }
  pdf = compiler.pdf(doc.result, { creationTimestamp: 0 });
  times.push(Number(process.hrtime.bigint() - t0) / 1e9);
}
fs.writeFileSync(out, pdf);
console.log(JSON.stringify({ times, size: pdf.length, version: '0.14', rss_mb: process.resourceUsage().maxRSS / 1024 }));
