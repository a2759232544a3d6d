import {
  GraphQLError,
  Lexer,
  Source,
  TokenKind,
  type DocumentNode,
  type ParseOptions,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitError } from './limit-error.js';

/**
 * How deeply braces, brackets and parentheses may nest in a document. graphql-js parses
 * recursively, so a list nested thousands deep overflows the stack (a masked 500, or worse, a
 * RangeError sent over a WebSocket); no real document comes near this, selections included (maxDepth
 * bounds those far lower).
 */
export const MAX_DOCUMENT_NESTING = 128;

const OPENERS = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSERS = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/** Lexes the document once (no recursion), refusing it past `maxTokens` tokens or MAX_DOCUMENT_NESTING levels. */
export function scanDocument(body: string, maxTokens: number): void {
  const lexer = new Lexer(new Source(body));
  let tokens = 0;
  let depth = 0;
  for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
    if (++tokens > maxTokens)
      throw limitError(`the document has more than ${maxTokens} tokens`, 'maxTokens');
    if (OPENERS.has(token.kind) && ++depth > MAX_DOCUMENT_NESTING) {
      throw new GraphQLError(
        `the document nests braces, brackets or parentheses more than ${MAX_DOCUMENT_NESTING} deep (line ${token.line})`,
        {
          extensions: { code: 'LIMIT_EXCEEDED', limit: 'nesting' },
        },
      );
    } else if (CLOSERS.has(token.kind)) depth--;
  }
}

/**
 * Checks every document before it is parsed, for HTTP and graphql-ws alike, inside the parse
 * function so that Yoga answers it like any other parse failure (HTTP 400). A lexing error is left
 * to the parser, which reports it as the syntax error it is.
 */
export function useDocumentScan(maxTokens: number): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      // Envelop types the parse function loosely; this is graphql-js's signature.
      const parse = parseFn as (source: string | Source, options?: ParseOptions) => DocumentNode;
      setParseFn((source: string | Source, options?: ParseOptions): DocumentNode => {
        const body = typeof source === 'string' ? source : source.body;
        try {
          scanDocument(body, maxTokens);
        } catch (error) {
          if ((error as { extensions?: { code?: unknown } }).extensions?.code === 'LIMIT_EXCEEDED')
            throw error;
        }
        return parse(source, options);
      });
    },
  };
}
