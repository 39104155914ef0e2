/** Auto Scaling parameter checks: AWS answers with the error code `ValidationError` (query API). */
import { validationError } from '../../kernel/params.ts';
import type { ApiError } from '../../kernel/types.ts';

export const verr = (message: string): { error: ApiError } => ({ error: { code: 'ValidationError', message } });

/** The "1 validation error detected" message with Auto Scaling's code. */
export function constraint(member: string, value: unknown, text: string): { error: ApiError } {
  return { error: { ...validationError(member, value, text), code: 'ValidationError' } };
}

export const missingMember = (member: string) => constraint(member, undefined, 'Member must not be null');

/** An optional integer member within bounds; `undefined` when absent. */
export function readInt(v: unknown, member: string, min: number, max = 2_147_483_647): { value: number | undefined } | { error: ApiError } {
  if (v === undefined || v === null) return { value: undefined };
  if (typeof v !== 'number' || !Number.isInteger(v)) return constraint(member, v, 'Member must be an integer');
  if (v < min) return constraint(member, v, `Member must have value greater than or equal to ${min}`);
  if (v > max) return constraint(member, v, `Member must have value less than or equal to ${max}`);
  return { value: v };
}

/** A name member (group or policy): 1–255 characters, no control characters. */
export function nameProblem(v: unknown, member: string, required = true): { error: ApiError } | null {
  if (v === undefined || v === null) return required ? missingMember(member) : null;
  if (typeof v !== 'string') return constraint(member, v, 'Member must be a string');
  if (v.length < 1) return constraint(member, v, 'Member must have length greater than or equal to 1');
  if (v.length > 255) return constraint(member, v, 'Member must have length less than or equal to 255');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(v))
    return constraint(member, v, 'Member must satisfy regular expression pattern: [\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\r\\n\\t]*');
  return null;
}

export const groupNotFound = (name: string) => verr(`AutoScalingGroup name not found - AutoScalingGroup ${name} not found`);
