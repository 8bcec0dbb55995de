/** Reads SQLite's constraint errors so domain code can answer with the field at fault. */
export type ConstraintViolation =
  | { kind: 'unique'; table: string; columns: string[] }
  | { kind: 'foreign_key' }
  | { kind: 'check'; detail: string }
  | { kind: 'not_null'; table: string; column: string }
  /** A trigger's `raise(abort, '<conflict|refused>:<field>:<message>')`: a rule the database enforces, with the field at fault. */
  | { kind: 'raised'; code: 'conflict' | 'refused'; field: string; message: string };

export function constraintViolation(error: unknown): ConstraintViolation | null {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return null;
  const code = error.code;
  if (!code.startsWith('SQLITE_CONSTRAINT')) return null;
  const msg = error.message;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const cols = msg.replace(/^.*constraint failed: /i, '').split(',').map((s) => s.trim());
    const table = cols[0]?.split('.')[0] ?? '';
    return { kind: 'unique', table, columns: cols.map((c) => c.split('.')[1] ?? c) };
  }
  if (code === 'SQLITE_CONSTRAINT_TRIGGER') {
    const raised = /^(conflict|refused):([\w.]+):(.+)$/s.exec(msg);
    if (raised) return { kind: 'raised', code: raised[1] as 'conflict' | 'refused', field: raised[2]!, message: raised[3]! };
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return { kind: 'foreign_key' };
  if (code === 'SQLITE_CONSTRAINT_NOTNULL') {
    const [table = '', column = ''] = msg.replace(/^.*constraint failed: /i, '').split('.');
    return { kind: 'not_null', table, column };
  }
  return { kind: 'check', detail: msg };
}

/** True when the database was busy past the timeout: another writer held it. */
export function isBusy(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED');
}
