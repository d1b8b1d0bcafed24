import { Chalk, type ChalkInstance } from 'chalk';

/** Options every renderer takes. */
export interface RenderOptions {
  /** Use ANSI colour (the CLI decides: TTY and no NO_COLOR). */
  color: boolean;
}

export function styler(options: RenderOptions): ChalkInstance {
  return new Chalk({ level: options.color ? 1 : 0 });
}
