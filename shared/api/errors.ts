/**
 * Errors travel in an envelope, never as thrown exceptions across a transport:
 * Electron's invoke flattens thrown errors to a bare message.
 */
export type ErrorCode =
  | 'validation' // input failed the contract; `fields` names what is wrong
  | 'not_found'
  | 'conflict' // a uniqueness or concurrency rule said no (duplicate login, address taken)
  | 'refused' // a business rule said no (delete of a referenced contact, forbidden transition)
  | 'unauthorized'
  | 'unknown_procedure'
  | 'internal';

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  /** Field path (dot-separated) → message, for errors tied to input fields. */
  fields?: Record<string, string>;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;

  constructor(code: ErrorCode, message: string, fields?: Record<string, string>) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.fields = fields;
  }

  toBody(): ApiErrorBody {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }

  static fromBody(body: ApiErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.fields);
  }
}

/** Raise a validation error that names one field. */
export function fieldError(field: string, message: string): ApiError {
  return new ApiError('validation', message, { [field]: message });
}

export const httpStatusOf: Record<ErrorCode, number> = {
  validation: 400,
  unknown_procedure: 404,
  not_found: 404,
  conflict: 409,
  refused: 422,
  unauthorized: 401,
  internal: 500,
};
