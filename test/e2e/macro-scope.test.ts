import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliOn } from '../support/run-cli.js';

/**
 * fixtures/macroscope on the command line: a header macro (`call_probe`) calls `really_probe`,
 * which is static in the file expanding it (drivers/base/dd.c). A preprocessor binds the call
 * there: the path through it holds, `check` accepts the chain and the stack trace that skips the
 * inlined static function, and `explain` names the macro that makes the call.
 */
const cli = cliOn('macroscope');
const docs = join(import.meta.dirname, '../../fixtures/macroscope/docs');

describe('a macro calling a function static to the expanding file', () => {
  it('finds the path through the static function', () => {
    const r = cli('-s', 'foo_init', '-t', 'foo_probe');
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').map((l) => l.replace(/^[\s└─│├]+/, '').split(/\s+/)[0])).toEqual(['foo_init', 'driver_probe', 'really_probe', 'foo_probe']);
    expect(r.stdout).toContain('really_probe (drivers/base/dd.c)  drivers/base/dd.c:21  [macro]');
  });

  it('never reaches the static function of another file through the macro', () => {
    expect(cli('-s', 'other_probe', '-t', 'foo_probe').code).toBe(1);
    expect(cli('callees', 'other_probe').stdout).toContain('really_probe (drivers/misc/other.c)');
  });

  it('checks the chain and the stack trace as the path query does', () => {
    const r = cli('check', join(docs, 'probe.md'), join(docs, 'trace.txt'));
    expect(r.stderr + r.stdout).toContain('every step holds');
    expect(r.code).toBe(0);
  });

  it('explains the step with the macro whose body makes it, and the macro with why the call is external there', () => {
    const r = cli('explain', 'driver_probe', 'really_probe');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('really_probe called in the body of call_probe (include/dev.h:9), expanded here: bound in drivers/base/dd.c');
    const m = cli('explain', 'call_probe', 'really_probe');
    expect(m.code).toBe(0);
    expect(m.stdout).toContain('left out drivers/base/dd.c:8: no definition is visible from include/dev.h');
    expect(m.stderr).toContain('only the body of macro call_probe (include/dev.h:9) calls it');
  });
});
