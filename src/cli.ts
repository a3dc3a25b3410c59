import { loadDotEnv } from './config.ts';

/**
 * What the store commands (`rotate-key`, `migrate-store`) share: the bot's `.env`, lines
 * to standard output, and a refusal that names the README section to read and exits 1.
 */
export interface StoreCommand {
  out(line: string): void;
  /** Prints `lines` and the README pointer to standard error, and exits 1. */
  fail(lines: string[]): never;
  /** Refuses a configuration that `loadStoreConfig` found problems in. */
  failConfig(problems: readonly string[]): never;
}

export function storeCommand(name: string, readmePointer: string): StoreCommand {
  loadDotEnv();
  const fail = (lines: string[]): never => {
    process.stderr.write(`${[...lines, readmePointer].join('\n')}\n`);
    process.exit(1);
  };
  return {
    out: (line: string) => process.stdout.write(`${line}\n`),
    fail,
    failConfig: (problems) =>
      fail([
        `${name} cannot run: the configuration has problems.`,
        ...problems.map((problem) => `  - ${problem}`),
      ]),
  };
}
