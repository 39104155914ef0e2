/**
 * The CloudWatch agent inside an instance: its JSON configuration (the documented schema's
 * `agent` and `metrics` sections, a subset) and the datapoints it publishes each interval.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Agent-Configuration-File-Details.html
 */
import { fnv1a, hashNoise } from '../../kernel/rng.ts';
import type { AgentConfig, ManagedNode } from './ssm.model.ts';

const MEM = new Set(['mem_used_percent', 'mem_available_percent', 'used_percent', 'available_percent']);
const DISK = new Set(['used_percent', 'disk_used_percent', 'free', 'used']);
const PROCSTAT = new Set(['pid_count', 'cpu_usage', 'memory_rss']);

/** Parses an agent configuration; returns the config or a message naming what is wrong. */
export function parseAgentConfig(json: string): { config: AgentConfig } | { error: string } {
  let doc: unknown;
  try { doc = JSON.parse(json); } catch { return { error: 'the configuration is not valid JSON' }; }
  const root = doc as { agent?: { metrics_collection_interval?: unknown }; metrics?: Record<string, unknown> };
  if (!root || typeof root !== 'object' || !root.metrics || typeof root.metrics !== 'object')
    return { error: 'the configuration has no "metrics" section' };
  const m = root.metrics as { namespace?: unknown; append_dimensions?: Record<string, unknown>; metrics_collected?: Record<string, unknown> };
  const collected = m.metrics_collected;
  if (!collected || typeof collected !== 'object') return { error: '"metrics.metrics_collected" is missing' };
  const interval = root.agent?.metrics_collection_interval ?? 60;
  if (typeof interval !== 'number' || ![1, 5, 10, 30, 60].includes(interval) && (interval < 60 || interval % 60 !== 0))
    return { error: '"agent.metrics_collection_interval" must be 1, 5, 10, 30 or a multiple of 60' };
  const measurements = (section: unknown, allowed: Set<string>, where: string): string[] | string => {
    const list = (section as { measurement?: unknown })?.measurement;
    if (!Array.isArray(list)) return `"${where}.measurement" must be a list`;
    const names = list.map((x) => (typeof x === 'string' ? x : (x as { name?: string })?.name ?? ''));
    const bad = names.find((n) => !allowed.has(n));
    return bad !== undefined ? `unknown measurement "${bad}" in ${where}` : names;
  };
  const config: AgentConfig = {
    intervalSec: interval, namespace: typeof m.namespace === 'string' ? m.namespace : 'CWAgent',
    appendInstanceId: typeof m.append_dimensions?.InstanceId === 'string',
    mem: [], disk: { measurement: [], resources: [] }, procstat: [],
  };
  if (collected.mem !== undefined) {
    const r = measurements(collected.mem, MEM, 'mem');
    if (typeof r === 'string') return { error: r };
    config.mem = r.map((n) => (n.startsWith('mem_') ? n : `mem_${n}`));
  }
  if (collected.disk !== undefined) {
    const r = measurements(collected.disk, DISK, 'disk');
    if (typeof r === 'string') return { error: r };
    const res = (collected.disk as { resources?: unknown }).resources ?? ['*'];
    if (!Array.isArray(res) || res.some((x) => typeof x !== 'string')) return { error: '"disk.resources" must be a list of paths' };
    config.disk = { measurement: r.map((n) => (n.startsWith('disk_') ? n : `disk_${n}`)), resources: res as string[] };
  }
  if (collected.procstat !== undefined) {
    if (!Array.isArray(collected.procstat)) return { error: '"procstat" must be a list' };
    for (const [i, p] of (collected.procstat as Record<string, unknown>[]).entries()) {
      if (typeof p?.exe !== 'string' && typeof p?.pattern !== 'string') return { error: `procstat[${i}] needs "exe" or "pattern"` };
      const r = measurements(p, PROCSTAT, `procstat[${i}]`);
      if (typeof r === 'string') return { error: r };
      config.procstat.push({ ...(typeof p.exe === 'string' ? { exe: p.exe } : {}), ...(typeof p.pattern === 'string' ? { pattern: p.pattern } : {}), measurement: r });
    }
  }
  return { config };
}

export interface Datum { MetricName: string; Dimensions: { Name: string; Value: string }[]; Value: number; Unit: string }

/** The datapoints one agent publishes at minute `minute` (a seeded, random-access signal). */
export function agentDatapoints(node: ManagedNode, seed: number, minute: number): Datum[] {
  const cfg = node.agent.config;
  if (!cfg) return [];
  const key = fnv1a(`${seed}:${node.instanceId}`);
  const base = (dims: { Name: string; Value: string }[]) => (cfg.appendInstanceId ? [...dims, { Name: 'InstanceId', Value: node.instanceId }] : dims);
  const out: Datum[] = [];
  const memUsed = Math.min(99, 35 + (key % 30) + 6 * (hashNoise(key, minute) - 0.5));
  for (const name of cfg.mem) {
    const used = name === 'mem_used_percent';
    out.push({ MetricName: name, Dimensions: base([]), Value: round(used ? memUsed : 100 - memUsed), Unit: 'Percent' });
  }
  const diskUsed = Math.min(99, 20 + ((key >>> 8) % 40) + minute / 43_200);
  for (const path of cfg.disk.resources.map((r) => (r === '*' ? '/' : r))) {
    for (const name of cfg.disk.measurement) {
      const dims = [{ Name: 'path', Value: path }, { Name: 'device', Value: 'nvme0n1p1' }, { Name: 'fstype', Value: 'xfs' }];
      out.push({ MetricName: name, Dimensions: base(dims), Value: round(name === 'disk_used_percent' ? diskUsed : 100 - diskUsed), Unit: 'Percent' });
    }
  }
  for (const p of cfg.procstat) {
    const name = p.exe ?? p.pattern!;
    const proc = Object.entries(node.processes).find(([n]) => (p.exe ? n === p.exe : n.includes(p.pattern!)))?.[1];
    const dims = [{ Name: p.exe ? 'exe' : 'pattern', Value: name }, { Name: 'pid_finder', Value: 'native' }];
    for (const m of p.measurement) {
      const running = proc?.running ?? false;
      const value = m === 'pid_count' ? (running ? proc!.pids : 0) : m === 'cpu_usage' ? (running ? round(2 + 3 * hashNoise(key ^ 0x5bd1, minute)) : 0) : running ? 48_000_000 : 0;
      out.push({ MetricName: m === 'pid_count' ? 'procstat_lookup_pid_count' : `procstat_${m}`, Dimensions: base(dims), Value: value, Unit: m === 'memory_rss' ? 'Bytes' : m === 'cpu_usage' ? 'Percent' : 'None' });
    }
  }
  return out;
}

const round = (x: number) => Math.round(x * 100) / 100;
