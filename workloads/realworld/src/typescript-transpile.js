// Transpiles TypeScript to JavaScript with the TypeScript compiler's
// `transpileModule` (what ts-loader and ts-jest do per file). The compiler
// is one ~9 MB file: the largest bundle of the suite.
import "./as-browser.js";
import ts from "typescript";

export function run(input) {
  const output = ts.transpileModule(input, {
    fileName: "core.ts",
    reportDiagnostics: false,
    compilerOptions: {
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.ESNext,
      importsNotUsedAsValues: undefined,
      verbatimModuleSyntax: false,
    },
  });
  return output.outputText;
}
