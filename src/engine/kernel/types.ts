/** Types shared by the engine kernel, its services and the public API. */
import type { RngState } from './rng.ts';
import type { ScheduledEntry } from './scheduler.ts';

export type Params = Record<string, unknown>;

/** Who makes a call: the shapes CloudTrail distinguishes in `userIdentity.type` (spec §4.3). */
export type Identity =
  | ({ type: 'Root'; accountAlias?: string; accessKeyId?: string } & SessionTraits)
  | ({ type: 'IAMUser'; userName: string; accessKeyId?: string } & SessionTraits)
  | {
      type: 'AssumedRole';
      roleName: string;
      sessionName: string;
      accessKeyId?: string;
      mfaAuthenticated?: boolean;
      /** Calls made from the AWS Management Console (records carry `sessionCredentialFromConsole`). */
      console?: boolean;
      /** Set when an AWS service calls through its service-linked role (e.g. `autoscaling.amazonaws.com`). */
      invokedBy?: string;
      /** When the session's credentials were issued (epoch ms); defaults to the call time. */
      sessionCreated?: number;
    }
  | { type: 'AWSService'; invokedBy: string };

/** How a person's credentials were obtained, for CloudTrail's `sessionContext` (spec §4.3). */
export interface SessionTraits {
  /** Signed in to the console: calls use console session credentials (ASIA…), with `sessionContext`. */
  console?: boolean;
  mfaAuthenticated?: boolean;
  /** When the console session began (epoch ms); defaults to the call time. */
  sessionCreated?: number;
}

export interface CallOptions {
  identity?: Identity;
  sourceIPAddress?: string;
  userAgent?: string;
  /** The Region the call is sent to; defaults to the engine's Region. */
  region?: string;
}

export interface ApiError {
  code: string;
  message: string;
}

export type CallResult<O = Record<string, unknown>> =
  | { ok: true; output: O }
  | { ok: false; error: ApiError };

/** What a handler returns: an output, or a rejection that is still recorded by CloudTrail. */
export type OpResult = { output: Record<string, unknown> } | { error: ApiError };

export interface ResourceRef {
  /** e.g. `AWS::EC2::Instance` */
  type: string;
  /** the name Event history shows (an instance id, a bucket name) */
  name: string;
  arn?: string;
}

/** A fact that happened inside the engine: past tense, namespaced (`ec2/instance-state-changed`). */
export interface EngineEvent<P = unknown> {
  type: string;
  time: number;
  payload: P;
}

/** Payload of the kernel's `api/call-completed` event, from which CloudTrail builds its record. */
export interface ApiCallEvent {
  service: string;
  action: string;
  eventSource: string;
  region: string;
  params: Params;
  output: Record<string, unknown> | null;
  error: ApiError | null;
  identity: Identity;
  sourceIPAddress: string | null;
  userAgent: string | null;
  requestId: string;
  readOnly: boolean;
  category: 'Management' | 'Data';
  eventType: 'AwsApiCall' | 'AwsConsoleSignIn' | 'AwsServiceEvent';
  resources: ResourceRef[];
  additionalEventData?: Record<string, unknown>;
  /** What CloudTrail writes as requestParameters / responseElements (null when absent). */
  requestParameters: unknown;
  responseElements: unknown;
}

/** What a service handler sees: its own state slice plus kernel facilities. */
export interface ServiceContext<S> {
  readonly state: S;
  readonly now: number;
  readonly accountId: string;
  readonly region: string;
  readonly seed: number;
  /** The service's own PRNG stream (or a named sub-stream). */
  rng(stream?: string): RngState;
  /** Schedules this service's `timer` at absolute time `at` (epoch ms). */
  schedule(at: number, timer: string, payload?: unknown): void;
  /** Removes this service's pending timers matching the predicate. */
  cancel(timer: string, match: (payload: unknown) => boolean): number;
  /** Emits an engine event; services and outside listeners receive it after the current step. */
  emit(type: string, payload: unknown): void;
  /** Makes an API call as another principal (e.g. Auto Scaling acting through its role). */
  call(service: string, action: string, params: Params, options: CallOptions): CallResult;
}

export interface OperationDef<S> {
  readOnly: boolean;
  /**
   * A simulator-only operation (scenario signals, incidents): not an AWS API, never recorded by
   * CloudTrail. Its name starts with `Sim`.
   */
  internal?: boolean;
  /** Management (default) or Data; data events never appear in Event history. */
  category?: 'Management' | 'Data';
  eventType?: ApiCallEvent['eventType'];
  /** Front-door parameter validation: a rejection here is not recorded and changes nothing. */
  validate?: (params: Params) => ApiError | null;
  /** The operation. Must not change state before it decides to fail. */
  run: (ctx: ServiceContext<S>, params: Params, call: { identity: Identity; region: string }) => OpResult & {
    resources?: ResourceRef[];
    additionalEventData?: Record<string, unknown>;
    responseElements?: Record<string, unknown> | null;
  };
  /**
   * CloudTrail record shapes when they differ from the default (lowerCamelCase of the API
   * members; responseElements null for read-only calls and failures).
   */
  trail?: { request?: (params: Params) => unknown; response?: (output: Record<string, unknown>) => unknown };
  /** Resources the call touched, for CloudTrail's `resources` and Event history. */
  resources?: (params: Params, output: Record<string, unknown> | null, ctx: ServiceContext<S>) => ResourceRef[];
}

export interface ServiceDef<S = unknown> {
  name: string;
  /** CloudTrail eventSource, e.g. `ec2.amazonaws.com` (CloudWatch: `monitoring.amazonaws.com`). */
  eventSource: string;
  /** Global services (IAM, STS, sign-in) record their events in us-east-1. */
  global?: boolean;
  init(env: { accountId: string; region: string; startTime: number; seed: number }): S;
  /** Called once on a new engine after every service's init, to schedule first timers. */
  start?(ctx: ServiceContext<S>): void;
  operations: Record<string, OperationDef<S>>;
  timers?: Record<string, (ctx: ServiceContext<S>, payload: any) => void>;
  on?: Record<string, (ctx: ServiceContext<S>, event: EngineEvent<any>) => void>;
}

export interface EngineConfig {
  seed: number;
  startTime: string | number | { getTime(): number };
  accountId?: string;
  region?: string;
}

export interface EngineState {
  engineVersion: number;
  config: { seed: number; startTime: number; accountId: string; region: string };
  clock: number;
  seq: number;
  queue: ScheduledEntry[];
  rng: Record<string, RngState>;
  services: Record<string, unknown>;
}

export interface EngineSnapshot {
  format: 'opsroom-engine';
  engineVersion: number;
  state: EngineState;
}
