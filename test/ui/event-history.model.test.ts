import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario, startScenario } from '../../src/scenario/index.ts';
import {
  buildLookupParams, DEFAULT_FILTER, LOOKUP_ATTRIBUTES, PAGE_SIZE, parseLocalUtc, prettyRecord, rowsFromOutput,
} from '../../src/ui/event-history.model.ts';

const NOW = Date.UTC(2026, 2, 2, 12, 0, 0);

describe('buildLookupParams', () => {
  test('the console default asks for Read-only = false, 50 a page, no time bounds', () => {
    expect(buildLookupParams(DEFAULT_FILTER, NOW)).toEqual({
      params: { MaxResults: 50, LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }] },
    });
  });

  test('an empty value sends no lookup attribute (every event)', () => {
    expect(buildLookupParams({ ...DEFAULT_FILTER, attribute: 'EventName', value: '  ' }, NOW)).toEqual({ params: { MaxResults: PAGE_SIZE } });
  });

  test('each attribute becomes its API key, value trimmed', () => {
    for (const a of LOOKUP_ATTRIBUTES) {
      const r = buildLookupParams({ ...DEFAULT_FILTER, attribute: a, value: ' x ' }, NOW);
      expect(r).toEqual({ params: { MaxResults: 50, LookupAttributes: [{ AttributeKey: a, AttributeValue: 'x' }] } });
    }
  });

  test('relative ranges are fixed to absolute times at the moment of the query', () => {
    const table = [['30m', '2026-03-02T11:30:00.000Z'], ['1h', '2026-03-02T11:00:00.000Z'], ['3h', '2026-03-02T09:00:00.000Z'],
      ['12h', '2026-03-02T00:00:00.000Z'], ['1d', '2026-03-01T12:00:00.000Z'], ['7d', '2026-02-23T12:00:00.000Z']] as const;
    for (const [range, start] of table) {
      expect(buildLookupParams({ ...DEFAULT_FILTER, value: '', range }, NOW)).toEqual({
        params: { MaxResults: 50, StartTime: start, EndTime: '2026-03-02T12:00:00.000Z' },
      });
    }
  });

  test('a custom range reads datetime-local values as UTC and rejects garbage', () => {
    expect(buildLookupParams({ ...DEFAULT_FILTER, value: '', range: 'custom', customStart: '2026-03-01T08:15', customEnd: '' }, NOW))
      .toEqual({ params: { MaxResults: 50, StartTime: '2026-03-01T08:15:00.000Z' } });
    expect(buildLookupParams({ ...DEFAULT_FILTER, range: 'custom', customStart: 'yesterday', customEnd: '' }, NOW)).toEqual({ problem: 'range' });
    expect(parseLocalUtc('2026-03-01T08:15:30')).toBe(Date.UTC(2026, 2, 1, 8, 15, 30));
    expect(parseLocalUtc('2026-03-01')).toBeNaN();
  });
});

describe('rowsFromOutput', () => {
  test('maps events in order and keeps the NextToken', () => {
    const out = rowsFromOutput({
      Events: [
        { EventId: 'b', EventName: 'TerminateInstances', EventTime: '2026-03-02T00:10:00Z', EventSource: 'ec2.amazonaws.com', Username: 'junho',
          Resources: [{ ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-1' }], CloudTrailEvent: '{"eventName":"TerminateInstances"}' },
        { EventId: 'a', EventName: 'ConsoleLogin', EventTime: '2026-03-02T00:00:00Z', EventSource: 'signin.amazonaws.com', Resources: [], CloudTrailEvent: 'not json' },
      ],
      NextToken: 'tok',
    });
    expect(out.nextToken).toBe('tok');
    expect(out.rows.map((r) => [r.eventId, r.userName, r.eventName, r.resourceNames.join(',')])).toEqual([
      ['b', 'junho', 'TerminateInstances', 'i-1'], ['a', '', 'ConsoleLogin', ''],
    ]);
    expect(out.rows[0]!.recordJson).toBe('{\n  "eventName": "TerminateInstances"\n}');
    expect(out.rows[1]!.recordJson).toBe('not json');
  });

  test('no output, no rows', () => {
    expect(rowsFromOutput(undefined)).toEqual({ rows: [], nextToken: null });
    expect(prettyRecord(42)).toBe('');
  });
});

test('the panel\'s request, run as the learner in the tutorial, finds junho', () => {
  const text = readFileSync(new URL('../../scenarios/tutorial-who-terminated.yaml', import.meta.url), 'utf8');
  const parsed = parseScenario(text, 'scenarios/tutorial-who-terminated.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const run = startScenario(parsed.scenario);
  run.start();
  run.advance(15 * 60_000);
  const built = buildLookupParams({ ...DEFAULT_FILTER, attribute: 'EventName', value: 'TerminateInstances', range: '1h' }, run.engine.nowMs());
  if (!('params' in built)) throw new Error('no params');
  const res = run.act('cloudtrail', 'LookupEvents', built.params);
  if (!res.ok) throw new Error(res.error.message);
  const { rows } = rowsFromOutput(res.output);
  expect(rows.map((r) => [r.userName, r.eventName])).toEqual([['junho', 'TerminateInstances']]);
  expect(JSON.parse(rows[0]!.recordJson).userIdentity.userName).toBe('junho');
});
