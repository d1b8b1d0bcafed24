/**
 * Reads a kernel configuration file: a full `.config` or a defconfig (scripts/kconfig writes both
 * in the same syntax; a defconfig lists only the options that differ from their defaults).
 *
 * Lines: `CONFIG_X=y`, `CONFIG_X=m`, `CONFIG_X=123`, `CONFIG_X=0x1000`, `CONFIG_X="text"` (with
 * `\"` and `\\` escaped inside), and `# CONFIG_X is not set`. Other comments and blank lines are
 * ignored; a later line for the same option wins, as with scripts/kconfig's reader.
 */

/** One option's setting in a config file. */
export interface ConfigEntry {
  /** 'y', 'm', 'n' (not set), or the value without quotes (`1000`, `lz4`). */
  value: string;
  /** 1-based line. */
  line: number;
}

/** The options a config file sets, by full macro name (`CONFIG_PCI`). */
export function readConfigFile(text: string): Map<string, ConfigEntry> {
  const out = new Map<string, ConfigEntry>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const unset = /^#\s*(CONFIG_\w+) is not set$/.exec(line);
    if (unset) {
      out.set(unset[1]!, { value: 'n', line: i + 1 });
      continue;
    }
    const set = /^(CONFIG_\w+)=(.*)$/.exec(line);
    if (!set) continue;
    let value = set[2]!.trim();
    const quoted = /^"((?:[^"\\]|\\.)*)"$/.exec(value);
    if (quoted) value = quoted[1]!.replace(/\\(.)/g, '$1');
    out.set(set[1]!, { value, line: i + 1 });
  }
  return out;
}
