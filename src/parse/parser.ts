import Parser from 'tree-sitter';
import C from 'tree-sitter-c';

export type SyntaxNode = Parser.SyntaxNode;

let shared: Parser | null = null;

/** One tree-sitter parser per thread, created on first use. */
export function cParser(): Parser {
  if (!shared) {
    shared = new Parser();
    shared.setLanguage(C as unknown as Parser.Language);
  }
  return shared;
}
