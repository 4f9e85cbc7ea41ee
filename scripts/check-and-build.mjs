// Type-checks the sources and the tests (tsconfig.json) and writes dist/ as `tsc -p tsconfig.build.json`
// does, from one TypeScript program: each `tsc` run spends most of its time reading the same
// declaration files (Node's, the model SDKs', the browser driver's), so one program instead of two
// halves the cost. The emitted files are those of the build: rootDir src, outDir dist.
// Usage: node scripts/check-and-build.mjs [--out-dir DIR]   (DIR: write the build elsewhere; default dist)
import { relative, resolve } from "node:path";
import ts from "typescript";

const REPO = new URL("..", import.meta.url).pathname;
const outFlag = process.argv.indexOf("--out-dir");

const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => report([d]) };
const parse = (name) => ts.getParsedCommandLineOfConfigFile(resolve(REPO, name), undefined, host) ?? process.exit(2);
// What is checked: tsconfig.json's files (the sources and the tests). How it is written: tsconfig.build.json.
const checked = parse("tsconfig.json");
const build = parse("tsconfig.build.json");
if (checked.errors.length + build.errors.length > 0) exit([...checked.errors, ...build.errors]);
const SRC = build.options.rootDir;
const outDir = outFlag === -1 ? build.options.outDir : resolve(REPO, process.argv[outFlag + 1]);
const options = { ...build.options, outDir };
const program = ts.createProgram({ rootNames: checked.fileNames, options });

const under = (dir, file) => !relative(dir, file).startsWith("..");
// The tests lie outside the build's rootDir, as they do in the build: that is the layout, not an error.
// A source file that imports one still is.
const testsOutsideRootDir = (d) => {
  if (d.code !== 6059) return false;
  const file = /File '(.+?)' is not under/.exec(ts.flattenDiagnosticMessageText(d.messageText, "\n"))?.[1];
  return file !== undefined && !under(SRC, file) && (d.file === undefined || !under(SRC, d.file.fileName));
};
const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => !testsOutsideRootDir(d));
// Only the build's files are written: the tests' would land outside dist.
const writeFile = (file, text, bom) => under(outDir, file) && ts.sys.writeFile(file, text, bom);
exit([...diagnostics, ...program.emit(undefined, writeFile).diagnostics]);

function report(list) {
  if (list.length === 0) return;
  const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
  process.stderr.write(
    format(list, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => REPO, getNewLine: () => "\n" }),
  );
}

function exit(list) {
  report(list);
  const errors = list.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
  if (errors > 0) process.stderr.write(`\nFound ${errors} error${errors === 1 ? "" : "s"}.\n`);
  process.exit(errors > 0 ? 2 : 0);
}
