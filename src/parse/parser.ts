import { createRequire } from 'node:module';
import type Parser from 'tree-sitter';

export type SyntaxNode = Parser.SyntaxNode;

let shared: Parser | null = null;

/**
 * One tree-sitter parser per thread, created on first use. tree-sitter and its C grammar (native
 * addons, about 30 ms to load) are loaded then too, so that the default extractor (the scanner)
 * and every query from the cache never load them.
 */
export function cParser(): Parser {
  if (!shared) {
    const require = createRequire(import.meta.url);
    const TreeSitter = require('tree-sitter') as typeof Parser;
    shared = new TreeSitter();
    shared.setLanguage(require('tree-sitter-c') as Parser.Language);
  }
  return shared;
}
