import { z } from 'zod';
import './messages';

/** One procedure of the API contract: its input and output, declared once as runtime schemas. */
export interface Procedure<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** One line for `GET /api` and for readers of the contract. */
  readonly summary: string;
}

export function procedure<I extends z.ZodType, O extends z.ZodType>(
  summary: string,
  input: I,
  output: O,
): Procedure<I, O> {
  return { summary, input, output };
}

export type ProcedureMap = Record<string, Procedure>;
