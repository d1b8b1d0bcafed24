import { resolve } from 'node:path';
import type { Command, Option } from 'commander';
import { UsageError } from '../util/errors.js';

/**
 * Makes a command line that gives one single-valued option twice a usage error instead of
 * keeping the last silently: `-s a -s b`, `--cache DIR --no-cache` (one setting, two answers),
 * `-C a callees -C b f` (the common options are taken before and after the subcommand). An
 * option repeated with the same value (for a file or folder option, `<dir>` or `<file>`, the same
 * path however written: `-C /t -C /t/`), a flag given twice (`-v -v`) and the repeatable options
 * (`--via`, `--avoid`, `--exclude`, `--limit`: `repeatable` tells them) are fine. Listens to
 * commander's `option:NAME` events of `program` and every subcommand; throws UsageError while
 * parsing, which the CLI prints as one line (exit 2).
 */
export function rejectRepeatedOptions(program: Command, repeatable: (option: Option) => boolean): void {
  const given = new Map<string, { flag: string; value: unknown }>();
  const watch = (cmd: Command): void => {
    for (const option of cmd.options) {
      if (repeatable(option)) continue;
      const flag = option.flags.replace(/ [<[].*$/, '');
      const isPath = /<(?:dir|file)>/.test(option.flags);
      const same = (a: unknown, b: unknown): boolean => a === b || (isPath && typeof a === 'string' && typeof b === 'string' && resolve(a) === resolve(b));
      cmd.on(`option:${option.name()}`, (value: unknown) => {
        const key = option.attributeName();
        const before = given.get(key);
        given.set(key, { flag, value });
        if (!before || (before.flag === flag && same(before.value, value))) return;
        const shown = (f: string, v: unknown): string => (typeof v === 'string' ? `${f.replace(/^-\w, /, '')} ${v}` : f.replace(/^-\w, /, ''));
        throw new UsageError(
          before.flag === flag
            ? `option '${flag}' is given twice (${String(before.value)}, then ${String(value)}): give it once`
            : `'${shown(before.flag, before.value)}' and '${shown(flag, value)}' contradict each other: give one of them`,
        );
      });
    }
    for (const sub of cmd.commands) watch(sub);
  };
  watch(program);
}
