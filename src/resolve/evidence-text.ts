/** One place that binds an indirect edge's target (an initializer, an assignment, a registration, a table entry): shown with the edge. */
export interface Evidence {
  file: string;
  line: number;
  /** One-line description: `.sendmsg = inet_sendmsg in struct proto_ops inet_stream_ops`. */
  text: string;
}

/** One evidence as a line of the packed evidence text: `file\tline\ttext`. */
export const packEvidence = (e: Evidence): string => `${e.file}\t${e.line}\t${e.text.replace(/[\t\n]/g, ' ')}`;

/** The evidence of one packed line (without its newline). */
export function unpackEvidence(packed: string): Evidence {
  const [file, line, ...rest] = packed.split('\t');
  return { file: file!, line: Number(line), text: rest.join('\t') };
}
