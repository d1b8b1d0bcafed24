import { describe, expect, it } from 'vitest';
import { returnsFunction } from '../../src/parse/pointer-stores.js';

describe('returnsFunction: a declarator returning a function pointer', () => {
  it('reads `( *... name (` as returning a function pointer', () => {
    expect(returnsFunction('pick', 'void (*pick(void))(void)', 'void')).toBe(true);
    expect(returnsFunction('pick', 'void ( * pick (int a))(int)', 'void')).toBe(true);
    expect(returnsFunction('pick', 'int (* __attribute__((x)) pick(void))(void)', 'int')).toBe(false);
    expect(returnsFunction('pick', 'static void (* const pick\n(void))(void)', 'void')).toBe(true);
  });

  it('needs the name as a whole word, a star first after the parenthesis, and no parenthesis between', () => {
    expect(returnsFunction('pick', 'void (*unpick(void))(void)', 'void')).toBe(false);
    expect(returnsFunction('pick', 'void (x *pick(void))(void)', 'void')).toBe(false);
    expect(returnsFunction('pick', 'void *pick(void)', 'void')).toBe(false);
    expect(returnsFunction('pick', 'int pick(void (*cb)(void))', 'int')).toBe(false);
    expect(returnsFunction('pick', 'void (*pick)', 'void')).toBe(false);
  });

  it('looks past an earlier occurrence of the name that does not match', () => {
    expect(returnsFunction('pick', 'pick_t (*pick(void))(void)', 'struct s')).toBe(true);
    expect(returnsFunction('pick', 'void (*xpick(pick), (*pick(int))(void)', 'void')).toBe(true);
  });

  it('a typedef return type may hold a function; plain, struct and pointer-to-data types do not', () => {
    expect(returnsFunction('get', 'irq_flow_handler_t get(void)', 'irq_flow_handler_t')).toBe(true);
    expect(returnsFunction('get', 'int get(void)', 'int')).toBe(false);
    expect(returnsFunction('get', 'struct s *get(void)', 'struct s')).toBe(false);
  });

  it('a name that is no plain identifier is matched literally', () => {
    expect(returnsFunction('a.b', 'void (*a.b(void))(void)', 'void')).toBe(true);
    expect(returnsFunction('a.b', 'void (*axb(void))(void)', 'void')).toBe(false);
  });
});
