import { config } from 'zod';
import type { $ZodRawIssue } from 'zod/v4/core';

/**
 * Messages people read. Every schema in the contract names its own messages where it knows the
 * field; this covers the rest, so zod's own wording ("Invalid input: expected number, received
 * undefined") never reaches a form or an API caller. Applied once, wherever the contract loads.
 */
const KIND: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a set of fields',
  date: 'a date',
};

export function friendlyMessage(issue: $ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null || issue.input === '') return 'Required';
      return `Must be ${KIND[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length <= 6 ? `Choose one of: ${issue.values.map(String).join(', ')}` : 'Not one of the allowed values';
    case 'unrecognized_keys':
      return `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'Required' : `At least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `At least ${issue.minimum}`;
      return `At least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `At most ${issue.maximum} characters`;
      return `At most ${issue.maximum}`;
    case 'invalid_format':
      return 'Not in the expected format';
    default:
      return undefined;
  }
}

config({ customError: friendlyMessage });
