/**
 * Parameter checks that answer with AWS's error codes and message shapes. Handlers and
 * `validate` functions use these so that bad input is a value, never a throw.
 */
import type { ApiError, Params } from './types.ts';

export const err = (code: string, message: string): { error: ApiError } => ({ error: { code, message } });

/** CloudWatch/Logs/STS-style message: "1 validation error detected: Value ... at 'x' failed ...". */
export function validationError(member: string, value: unknown, constraint: string): ApiError {
  const shown = value === undefined || value === null ? 'null' : `'${String(value).slice(0, 100)}'`;
  const memberCamel = member.charAt(0).toLowerCase() + member.slice(1);
  return {
    code: 'ValidationException',
    message: `1 validation error detected: Value ${shown} at '${memberCamel}' failed to satisfy constraint: ${constraint}`,
  };
}

export interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: RegExp;
  oneOf?: readonly string[];
}

type Style = 'validation' | 'ec2';

function missing(style: Style, member: string): ApiError {
  return style === 'ec2'
    ? { code: 'MissingParameter', message: `The request must contain the parameter ${member}` }
    : validationError(member, undefined, 'Member must not be null');
}

function invalid(style: Style, member: string, value: unknown, constraint: string): ApiError {
  return style === 'ec2'
    ? { code: 'InvalidParameterValue', message: `Value (${String(value).slice(0, 100)}) for parameter ${member} is invalid. ${constraint}` }
    : validationError(member, value, constraint);
}

/** Checks a string member; returns the first problem or null. */
export function checkString(p: Params, member: string, rule: StringRule = {}, style: Style = 'validation'): ApiError | null {
  const v = p[member];
  if (v === undefined || v === null) return rule.required ? missing(style, member) : null;
  if (typeof v !== 'string') return invalid(style, member, v, 'Member must be a string');
  if (rule.min !== undefined && v.length < rule.min)
    return invalid(style, member, v, `Member must have length greater than or equal to ${rule.min}`);
  if (rule.max !== undefined && v.length > rule.max)
    return invalid(style, member, v, `Member must have length less than or equal to ${rule.max}`);
  if (rule.pattern && !rule.pattern.test(v))
    return invalid(style, member, v, `Member must satisfy regular expression pattern: ${rule.pattern.source}`);
  if (rule.oneOf && !rule.oneOf.includes(v))
    return invalid(style, member, v, `Member must satisfy enum value set: [${rule.oneOf.join(', ')}]`);
  return null;
}

/** Checks an integer member within bounds. */
export function checkInt(p: Params, member: string, rule: { required?: boolean; min?: number; max?: number } = {}, style: Style = 'validation'): ApiError | null {
  const v = p[member];
  if (v === undefined || v === null) return rule.required ? missing(style, member) : null;
  if (typeof v !== 'number' || !Number.isInteger(v)) return invalid(style, member, v, 'Member must be an integer');
  if (rule.min !== undefined && v < rule.min)
    return invalid(style, member, v, `Member must have value greater than or equal to ${rule.min}`);
  if (rule.max !== undefined && v > rule.max)
    return invalid(style, member, v, `Member must have value less than or equal to ${rule.max}`);
  return null;
}

/** Checks a list of strings. */
export function checkStringList(p: Params, member: string, rule: { required?: boolean; minItems?: number; maxItems?: number; item?: StringRule } = {}, style: Style = 'validation'): ApiError | null {
  const v = p[member];
  if (v === undefined || v === null) return rule.required ? missing(style, member) : null;
  if (!Array.isArray(v)) return invalid(style, member, v, 'Member must be a list');
  if (rule.minItems !== undefined && v.length < rule.minItems)
    return style === 'ec2' && v.length === 0 ? missing(style, member) : invalid(style, member, `[${v.join(', ')}]`, `Member must have length greater than or equal to ${rule.minItems}`);
  if (rule.maxItems !== undefined && v.length > rule.maxItems)
    return invalid(style, member, `[${v.length} items]`, `Member must have length less than or equal to ${rule.maxItems}`);
  for (let i = 0; i < v.length; i++) {
    const e = checkString({ [`${member}.${i + 1}`]: v[i] }, `${member}.${i + 1}`, { ...rule.item, required: true }, style);
    if (e) return e;
  }
  return null;
}

/** Checks a boolean member. */
export function checkBool(p: Params, member: string, style: Style = 'validation'): ApiError | null {
  const v = p[member];
  if (v === undefined || v === null || typeof v === 'boolean') return null;
  return invalid(style, member, v, 'Member must be a boolean');
}

/** The first non-null error of several checks. */
export function firstError(...errors: (ApiError | null)[]): ApiError | null {
  for (const e of errors) if (e) return e;
  return null;
}

/** Reads `Tags: [{Key, Value}]` (EC2 `TagSpecifications` style or plain) into a checked list. */
export function readTags(v: unknown, member: string): { tags: { Key: string; Value: string }[] } | { error: ApiError } {
  if (v === undefined || v === null) return { tags: [] };
  if (!Array.isArray(v)) return { error: { code: 'InvalidParameterValue', message: `${member} must be a list of {Key, Value}` } };
  const tags: { Key: string; Value: string }[] = [];
  for (const [i, t] of v.entries()) {
    const key = (t as Record<string, unknown>)?.Key;
    const value = (t as Record<string, unknown>)?.Value ?? '';
    if (typeof key !== 'string' || key.length === 0 || key.length > 128)
      return { error: { code: 'InvalidParameterValue', message: `${member}.${i + 1}.Key must be a string of 1 to 128 characters` } };
    if (typeof value !== 'string' || value.length > 256)
      return { error: { code: 'InvalidParameterValue', message: `${member}.${i + 1}.Value must be a string of at most 256 characters` } };
    if (key.startsWith('aws:'))
      return { error: { code: 'InvalidParameterValue', message: `Tag keys starting with 'aws:' are reserved for internal use` } };
    tags.push({ Key: key, Value: value });
  }
  return { tags };
}
