/** IAM state: users, roles and access keys (enough to make CloudTrail identities real). */

export interface Tag { Key: string; Value: string }
export interface IamUser { UserName: string; Path: string; UserId: string; CreateDate: number; Tags: Tag[] }
export interface IamRole {
  RoleName: string;
  Path: string;
  RoleId: string;
  CreateDate: number;
  /** The trust policy as the caller sent it (JSON text). */
  AssumeRolePolicyDocument: string;
  Description: string | null;
  MaxSessionDuration: number;
  Tags: Tag[];
}
export interface IamAccessKey { AccessKeyId: string; UserName: string; Status: 'Active' | 'Inactive'; CreateDate: number }

export interface IamState {
  users: Record<string, IamUser>;
  roles: Record<string, IamRole>;
  /** By access key id. */
  accessKeys: Record<string, IamAccessKey>;
}

export const MAX_KEYS_PER_USER = 2;
