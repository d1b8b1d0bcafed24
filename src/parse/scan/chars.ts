/** Character codes of the punctuators the fast extractor tests for (a token's `op`). */
export const AMP = 38;
export const LPAREN = 40;
export const RPAREN = 41;
export const STAR = 42;
export const COMMA = 44;
export const MINUS = 45;
export const DOT = 46;
export const COLON = 58;
export const SEMI = 59;
export const EQUALS = 61;
export const LBRACKET = 91;
export const RBRACKET = 93;
export const LBRACE = 123;
export const RBRACE = 125;
export const TILDE = 126;
export const BANG = 33;
export const QUESTION = 63;
