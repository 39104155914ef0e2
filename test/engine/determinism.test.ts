import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, restoreEngine, type Engine, type Identity } from '../../src/engine/index.ts';

const alice: Identity = { type: 'IAMUser', userName: 'alice' };
type Step = { kind: 'run'; n: number } | { kind: 'advance'; ms: number } | { kind: 'stop'; i: number } | { kind: 'terminate'; i: number }
  | { kind: 'start'; i: number } | { kind: 'bucket'; name: string } | { kind: 'lookup' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('run' as const), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3_600_000 }) }),
  fc.record({ kind: fc.constant('stop' as const), i: fc.nat(5) }),
  fc.record({ kind: fc.constant('terminate' as const), i: fc.nat(5) }),
  fc.record({ kind: fc.constant('start' as const), i: fc.nat(5) }),
  fc.record({ kind: fc.constant('bucket' as const), name: fc.constantFrom('logs-a', 'logs-b', 'Bad_Name') }),
  fc.record({ kind: fc.constant('lookup' as const) }),
);

function ids(e: Engine): string[] {
  return e.read<{ order: string[] }>('ec2').order;
}

function apply(e: Engine, s: Step): void {
  const pick = (i: number) => ids(e)[i % Math.max(1, ids(e).length)] ?? 'i-00000000';
  switch (s.kind) {
    case 'run': e.callSync('ec2', 'RunInstances', { ImageId: 'ami-0abc', MinCount: s.n, MaxCount: s.n, InstanceType: 't3.micro' }, { identity: alice }); break;
    case 'advance': e.advanceSync(s.ms); break;
    case 'stop': e.callSync('ec2', 'StopInstances', { InstanceIds: [pick(s.i)] }, { identity: alice }); break;
    case 'terminate': e.callSync('ec2', 'TerminateInstances', { InstanceIds: [pick(s.i)] }, { identity: alice }); break;
    case 'start': e.callSync('ec2', 'StartInstances', { InstanceIds: [pick(s.i)] }, { identity: alice }); break;
    case 'bucket': e.callSync('s3', 'CreateBucket', { Bucket: s.name }, { identity: alice }); break;
    case 'lookup': e.callSync('cloudtrail', 'LookupEvents', { MaxResults: 5 }, { identity: alice }); break;
  }
}

const config = (seed: number) => ({ seed, startTime: '2026-03-01T00:00:00Z', accountId: '111122223333', region: 'us-east-1' });

describe('determinism', () => {
  it('same seed and same calls give the same state hash; another seed gives another', () => {
    const steps: Step[] = [{ kind: 'run', n: 3 }, { kind: 'advance', ms: 120_000 }, { kind: 'stop', i: 1 }, { kind: 'advance', ms: 600_000 }];
    const hashes = [1, 1, 2].map((seed) => { const e = createEngine(config(seed)); steps.forEach((s) => apply(e, s)); return e.stateHash(); });
    expect(hashes[0]).toBe(hashes[1]);
    expect(hashes[2]).not.toBe(hashes[0]);
  });

  for (const seed of [11, 29, 4242]) {
    it(`snapshot mid-run → restore → same hash as the uninterrupted run (seed ${seed})`, () => {
      fc.assert(fc.property(fc.array(stepArb, { minLength: 2, maxLength: 25 }), fc.nat(), (steps, cutRaw) => {
        const cut = cutRaw % steps.length;
        const straight = createEngine(config(seed));
        steps.forEach((s) => apply(straight, s));
        const first = createEngine(config(seed));
        steps.slice(0, cut).forEach((s) => apply(first, s));
        const snap = JSON.parse(JSON.stringify(first.snapshot()));
        const resumed = restoreEngine(snap);
        expect(resumed.stateHash()).toBe(first.stateHash());
        steps.slice(cut).forEach((s) => apply(resumed, s));
        expect(resumed.stateHash()).toBe(straight.stateHash());
      }), { seed, numRuns: 40 });
    });
  }

  it('restoreEngine rejects a snapshot that is not one, naming what is wrong', () => {
    expect(() => restoreEngine({})).toThrow(/format/);
    expect(() => restoreEngine({ format: 'opsroom-engine', engineVersion: 999, state: {} })).toThrow(/newer engine/);
    expect(() => restoreEngine({ format: 'opsroom-engine', engineVersion: 1, state: { clock: 'x' } })).toThrow(/incomplete/);
  });
});

describe('bad input never throws and never changes state', () => {
  const e = createEngine(config(5));
  e.callSync('ec2', 'RunInstances', { ImageId: 'ami-0abc', MinCount: 1, MaxCount: 1 }, { identity: alice });
  e.advanceSync(60_000);

  it.each([
    ['ec2', 'Explode', {}, 'UnknownOperationException'],
    ['nosuch', 'DescribeInstances', {}, 'UnknownOperationException'],
    ['ec2', 'RunInstances', { ImageId: 'ami-0abc', MinCount: 1 }, 'MissingParameter'],
    ['ec2', 'RunInstances', { ImageId: 'ami-0abc', MinCount: 3, MaxCount: 2 }, 'InvalidParameterValue'],
    ['ec2', 'RunInstances', { ImageId: 'ami-0abc', MinCount: 'one', MaxCount: 1 }, 'InvalidParameterValue'],
    ['ec2', 'StopInstances', { InstanceIds: [] }, 'MissingParameter'],
    ['ec2', 'StopInstances', { InstanceIds: 'i-1234' }, 'InvalidParameterValue'],
    ['s3', 'CreateBucket', {}, 'ValidationException'],
    ['iam', 'CreateUser', { UserName: 'bad name!' }, 'ValidationError'], // IAM's code (#3)
  ] as const)('%s:%s %j → %s', (service, action, params, code) => {
    const before = e.stateHash();
    const r = e.callSync(service, action, params as Record<string, unknown>, { identity: alice });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message.length).toBeGreaterThan(10);
    }
    expect(e.stateHash()).toBe(before);
  });

  it('answers random garbage with an error value for every operation', () => {
    const ops: [string, string][] = [['ec2', 'RunInstances'], ['ec2', 'DescribeInstances'], ['ec2', 'StopInstances'], ['ec2', 'StartInstances'],
      ['ec2', 'TerminateInstances'], ['ec2', 'CreateTags'], ['s3', 'CreateBucket'], ['s3', 'DeleteBucket'], ['s3', 'PutObject'],
      ['s3', 'ListObjectsV2'], ['iam', 'CreateUser'], ['iam', 'ListUsers'], ['cloudtrail', 'LookupEvents']];
    fc.assert(fc.property(fc.constantFrom(...ops), fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 })), ([s, a], params) => {
      const r = e.callSync(s, a, params);
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) expect(r.error.code).toMatch(/^[A-Z][A-Za-z.]+$/);
    }), { numRuns: 300, seed: 77 });
  });
});
