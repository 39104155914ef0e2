/**
 * What CloudWatch learns about EBS volumes, from EC2's engine events only (it never reads EC2's
 * state): a volume's type and size (`ec2/volume-created`), from which tick it is attached to which
 * instance (`ec2/volume-attachment-changed`: only `attached` counts; attaching, detaching and
 * detached do no I/O), and its deletion. The AWS/EBS metric records are made on the first
 * attachment; their datapoints are computed on read (cloudwatch.ebs-metrics.ts).
 */
import type { EngineEvent, ServiceContext } from '../../kernel/types.ts';
import { MINUTE, type CloudWatchState } from './cloudwatch.model.ts';
import { EBS_METRICS, ebsMetricsFor, volumeKey, type EbsSeries } from './cloudwatch.ebs-metrics.ts';
import { getMetric } from './cloudwatch.store.ts';

type Ctx = ServiceContext<CloudWatchState>;

interface VolumeCreated { volumeId: string; volumeType: string; size: number; iops: number | null }
interface AttachmentChanged { volumeId: string; instanceId: string | null; state: 'attaching' | 'attached' | 'detaching' | 'detached' }

export function onVolumeCreated(ctx: Ctx, event: EngineEvent<VolumeCreated>): void {
  const e = event.payload;
  const all = (ctx.state.ebs ??= {});
  if (all[e.volumeId]) return;
  all[e.volumeId] = {
    key: volumeKey(ctx.seed, e.volumeId), type: e.volumeType, size: e.size, iops: e.iops,
    att: [], created: ctx.state.lastTick + MINUTE, deleted: null, made: false,
  };
}

export function onVolumeAttachmentChanged(ctx: Ctx, event: EngineEvent<AttachmentChanged>): void {
  const e = event.payload;
  const v = ctx.state.ebs?.[e.volumeId];
  if (!v) return;
  const instanceId = e.state === 'attached' ? e.instanceId : null;
  // the next tick is the first to see the change; changes within one minute merge
  const at = ctx.state.lastTick + MINUTE;
  const last = v.att[v.att.length - 1];
  if (last && last.at === at) {
    last.instanceId = instanceId;
    const prev = v.att[v.att.length - 2];
    if (prev && prev.instanceId === instanceId) v.att.pop();
    else if (!prev && instanceId === null) v.att.pop();
  } else if ((last?.instanceId ?? null) !== instanceId) {
    v.att.push({ at, instanceId });
  }
  if (instanceId !== null && !v.made) makeMetrics(ctx.state, e.volumeId, v);
}

export function onVolumeDeleted(ctx: Ctx, event: EngineEvent<{ volumeId: string }>): void {
  const v = ctx.state.ebs?.[event.payload.volumeId];
  if (v) v.deleted = ctx.now;
}

/** Creates the volume's metric records (listed once a datapoint exists: see `ebsActivity`). */
function makeMetrics(state: CloudWatchState, volumeId: string, v: EbsSeries): void {
  v.made = true;
  for (const mi of ebsMetricsFor(v)) {
    const def = EBS_METRICS[mi]!;
    const m = getMetric(state, 'AWS/EBS', def.name, [{ Name: 'VolumeId', Value: volumeId }], true)!;
    if (!Number.isFinite(m.lastData)) m.lastData = 0; // activity is computed (plain numbers keep snapshots exact)
    if (!Number.isFinite(m.lastPut)) m.lastPut = 0;
    if (!m.streams.some((x) => x.ebs)) m.streams.push({ unit: def.unit, tiers: {}, ebs: { volumeId, metric: mi } });
  }
}
