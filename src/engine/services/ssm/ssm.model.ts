/**
 * Systems Manager state: managed nodes (one per running EC2 instance, with the processes inside
 * it and the CloudWatch agent), Parameter Store entries, and Run Command commands (spec §7.5).
 */

export interface ProcessInfo {
  running: boolean;
  /** Number of PIDs while running (nginx: a master and its workers). */
  pids: number;
  /** Started again when the instance boots (systemctl enable). */
  enabled: boolean;
}

export interface AgentConfig {
  intervalSec: number;
  namespace: string;
  appendInstanceId: boolean;
  mem: string[];
  disk: { measurement: string[]; resources: string[] };
  procstat: { exe?: string; pattern?: string; measurement: string[] }[];
}

export interface ManagedNode {
  instanceId: string;
  online: boolean;
  processes: Record<string, ProcessInfo>;
  agent: { installed: boolean; running: boolean; config: AgentConfig | null };
}

export type InvocationStatus = 'Pending' | 'InProgress' | 'Success' | 'Failed' | 'Cancelled' | 'TimedOut';

export interface Invocation {
  instanceId: string;
  status: InvocationStatus;
  responseCode: number;
  stdout: string;
  stderr: string;
  started: number | null;
  ended: number | null;
}

export interface Command {
  CommandId: string;
  DocumentName: string;
  Comment: string;
  Parameters: Record<string, string[]>;
  requested: number;
  invocations: Record<string, Invocation>;
  instanceOrder: string[];
  TimeoutSeconds: number;
}

export interface Parameter {
  Name: string;
  Type: 'String' | 'StringList' | 'SecureString';
  Value: string;
  Version: number;
  LastModifiedDate: number;
}

export interface SsmState {
  nodes: Record<string, ManagedNode>;
  parameters: Record<string, Parameter>;
  commands: Record<string, Command>;
  commandOrder: string[];
  /** Whether the per-minute agent collection timer is scheduled. */
  collecting: boolean;
  /** Instance tags mirrored from EC2 events, for `Targets` of `tag:<key>`. */
  tags: Record<string, Record<string, string>>;
}

/** Processes every Amazon Linux node runs. */
export const BASE_PROCESSES: Record<string, ProcessInfo> = {
  sshd: { running: true, pids: 1, enabled: true },
  'amazon-ssm-agent': { running: true, pids: 1, enabled: true },
};

/** Documents the simulator can run. */
export const DOCUMENTS = ['AWS-RunShellScript', 'AWS-ConfigureAWSPackage', 'AmazonCloudWatch-ManageAgent'] as const;

/** StandardOutputContent keeps the first 24,000 characters (spec §7.5). */
export const OUTPUT_LIMIT = 24_000;
