/** Parameter readers shared by the CloudWatch operations, answering with CloudWatch's error shapes. */
import { err, validationError } from '../../kernel/params.ts';
import { toMillis } from '../../kernel/time.ts';
import type { ApiError } from '../../kernel/types.ts';
import { UNITS, type Dimension } from './cloudwatch.model.ts';

export const invalid = (member: string, value: unknown, why = ''): { error: ApiError } =>
  err('InvalidParameterValue', `The value ${String(value)} for parameter ${member} is invalid.${why ? ' ' + why : ''}`);

export const missing = (member: string): { error: ApiError } =>
  err('MissingParameter', `The parameter ${member} is required.`);

export const NAMESPACE_RE = /^[0-9A-Za-z.\-_/#: ]+$/;

export function checkNamespace(v: unknown, member = 'Namespace', allowAws = true): { error: ApiError } | null {
  if (v === undefined || v === null) return missing(member);
  if (typeof v !== 'string' || v.length < 1 || v.length > 255 || !NAMESPACE_RE.test(v) || v.trim() === '')
    return { error: validationError(member, v, 'Member must satisfy regular expression pattern: [^:].*') };
  if (!allowAws && v.startsWith('AWS/')) return invalid(member, v);
  return null;
}

export function checkName(v: unknown, member: string, max = 255): { error: ApiError } | null {
  if (v === undefined || v === null) return missing(member);
  if (typeof v !== 'string' || v.length < 1 || v.length > max)
    return { error: validationError(member, v, `Member must have length between 1 and ${max}`) };
  return null;
}

/** Dimensions list (≤ 30, Name 1–255, Value 1–1024, no duplicate names). */
export function readDimensions(v: unknown, member: string): { dims: Dimension[] } | { error: ApiError } {
  if (v === undefined || v === null) return { dims: [] };
  if (!Array.isArray(v)) return invalid(member, v);
  if (v.length > 30) return { error: validationError(member, `[${v.length} items]`, 'Member must have length less than or equal to 30') };
  const dims: Dimension[] = [];
  for (const [i, d] of v.entries()) {
    const name = (d as Record<string, unknown>)?.Name, value = (d as Record<string, unknown>)?.Value;
    const e = checkName(name, `${member}.member.${i + 1}.Name`) ?? checkName(value, `${member}.member.${i + 1}.Value`, 1024);
    if (e) return e;
    if (dims.some((x) => x.Name === name))
      return err('InvalidParameterValue', `No Metric may specify the same dimension name twice: ${String(name)}`);
    dims.push({ Name: name as string, Value: value as string });
  }
  return { dims };
}

export function checkUnit(v: unknown, member = 'Unit'): { error: ApiError } | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || !(UNITS as readonly string[]).includes(v))
    return { error: validationError(member, v, `Member must satisfy enum value set: [${UNITS.join(', ')}]`) };
  return null;
}

/** A time member (ISO string or epoch ms). */
export function readTime(v: unknown, member: string, required: boolean): { t: number | undefined } | { error: ApiError } {
  if (v === undefined || v === null) return required ? missing(member) : { t: undefined };
  const t = toMillis(v);
  if (Number.isNaN(t)) return invalid(member, v);
  return { t };
}

/** Query periods: 1, 5, 10, 30 or any multiple of 60 (spec §2.2). */
export function checkQueryPeriod(v: unknown, member: string, max?: number): { error: ApiError } | null {
  if (v === undefined || v === null) return missing(member);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    return { error: validationError(member, v, 'Member must have value greater than or equal to 1') };
  if (![1, 5, 10, 30].includes(v) && v % 60 !== 0)
    return err('InvalidParameterValue', `The parameter ${member} must be 1, 5, 10, 30, or a multiple of 60.`);
  if (max !== undefined && v > max) return err('InvalidParameterValue', `The parameter ${member} must be less than or equal to ${max}.`);
  return null;
}

/** A finite number in CloudWatch's accepted range (−2^360 … 2^360); NaN/Infinity rejected. */
export function checkValue(v: unknown, member: string): { error: ApiError } | null {
  if (v === undefined || v === null) return missing(member);
  if (typeof v !== 'number' || !Number.isFinite(v)) return invalid(member, v);
  if (Math.abs(v) > 2 ** 360) return invalid(member, v, 'The value must be between -2^360 and 2^360.');
  return null;
}
