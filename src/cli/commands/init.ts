import { terminal as t } from "../../report/terminal.js";
import { displayPath } from "../../text/display-path.js";
import type { RegisterCommand } from "./command.js";

/** `init`: a bench scaffolded in a folder. */
export const registerInit: RegisterCommand = (program, { io, setExit }) => {
  program
    .command("init")
    .description("scaffold a bench in a folder: bench file, two extractor configs, a small dataset and golden set")
    .argument("[dir]", "folder to scaffold (created if missing)", ".")
    .action(async (dir: string) => {
      const { initBench } = await import("../../run/init-bench.js");
      const outcome = initBench(dir);
      io.stdout(`${t`Created in ${displayPath(outcome.dir)}:`}\n`);
      for (const file of outcome.files) io.stdout(`${t`  ${file}`}\n`);
      io.stdout(`\nNext:\n  ${t`${outcome.next}`}\n`);
      setExit(0);
    });
};
