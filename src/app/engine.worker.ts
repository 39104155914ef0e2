/**
 * The engine Web Worker (issue #4): the scenario run lives here so fast-forwarding never stalls a
 * frame. It receives commands from the main thread's RunProxy and answers each with its result
 * and the console model parts that changed (view updates, never the whole engine state).
 */
/// <reference lib="webworker" />
import { RunHost, type HostCommand } from './run-host.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const host = new RunHost(() => performance.now());

scope.onmessage = (ev: MessageEvent<{ id: number; cmd: HostCommand }>) => {
  const { id, cmd } = ev.data;
  scope.postMessage({ id, reply: host.handle(cmd) });
};
