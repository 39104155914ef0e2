/**
 * A role's trust policy, read just far enough to decide whether a principal of this account may
 * call sts:AssumeRole (Allow statements naming the account root, the caller's ARN or `*`).
 * Deny statements, conditions and cross-account principals are not evaluated (LIMITATIONS.md).
 */

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function actionAllows(action: unknown): boolean {
  return asList(action).some((a) => typeof a === 'string' && ['sts:assumerole', 'sts:*', '*'].includes(a.toLowerCase()));
}

/** True when the trust policy lets `callerArn` (of account `accountId`) assume the role. */
export function trustAllows(policyJson: string, accountId: string, callerArn: string): boolean {
  let policy: { Statement?: unknown };
  try { policy = JSON.parse(policyJson) as { Statement?: unknown }; } catch { return false; }
  for (const s of asList(policy.Statement) as Record<string, unknown>[]) {
    if (!s || s.Effect !== 'Allow' || !actionAllows(s.Action)) continue;
    const principal = s.Principal;
    if (principal === '*') return true;
    if (!principal || typeof principal !== 'object') continue;
    const aws = asList((principal as Record<string, unknown>).AWS);
    if (aws.some((p) => p === '*' || p === accountId || p === `arn:aws:iam::${accountId}:root` || p === callerArn)) return true;
  }
  return false;
}
