import type { OutputOf, ParsedInputOf, ProcedureName } from '../../../shared/api/contract';
import type { CallContext } from './context';

export type Handler<P extends ProcedureName> = (input: ParsedInputOf<P>, ctx: CallContext) => Promise<OutputOf<P>>;

/** The handlers of one area's part of the contract, checked against it by the compiler. */
export type HandlersFor<M> = { [P in keyof M & ProcedureName]: Handler<P> };

export type AllHandlers = { [P in ProcedureName]: Handler<P> };
