import { terminal as t } from "../../report/terminal.js";
import { GATE_EXAMPLES } from "../help.js";
import type { RegisterCommand } from "./command.js";

/** `gate`: a run's CI gate evaluated again, its verdict the exit code. */
export const registerGate: RegisterCommand = (program, { io, setExit, style }) => {
  program
    .command("gate")
    .description("re-evaluate the CI gate of a run (exit 0 passed, 1 failed)")
    .addHelpText("after", GATE_EXAMPLES)
    .argument("<run>", "run folder or report.json")
    .option("--thresholds <file>", "YAML with thresholds (a bare mapping or a bench file's thresholds block)")
    .option("--json", "print the gate as JSON")
    .action(async (target: string, options: { thresholds?: string; json?: boolean }) => {
      const [{ gateRun }, { renderGateLines }] = await Promise.all([
        import("../../run/gate-run.js"),
        import("../../report/render-summary.js"),
      ]);
      const { gate, rebuilt } = await gateRun(target, options.thresholds);
      if (rebuilt)
        io.stderr(
          t`note: the report was rebuilt from the run log: ${rebuilt} (extractor-bench report ${target} writes it anew)` +
            "\n",
        );
      if (options.json) io.stdout(`${JSON.stringify(gate, null, 2)}\n`);
      else io.stdout(`${renderGateLines(gate, true, style).join("\n")}\n`);
      setExit(gate.passed ? 0 : 1);
    });
};
