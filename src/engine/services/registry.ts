/** Every simulated service, in the order they receive engine events. */
import type { ServiceDef } from '../kernel/types.ts';
import { autoscalingService } from './autoscaling/index.ts';
import { cloudtrailService } from './cloudtrail/index.ts';
import { cloudwatchService } from './cloudwatch/index.ts';
import { ec2Service } from './ec2/index.ts';
import { iamService } from './iam/index.ts';
import { s3Service } from './s3/index.ts';
import { signinService } from './signin/index.ts';
import { snsService } from './sns/index.ts';
import { ssmService } from './ssm/index.ts';
import { stsService } from './sts/index.ts';

export const SERVICES: readonly ServiceDef<any>[] = [ec2Service, s3Service, iamService, cloudtrailService, ssmService, stsService, signinService, cloudwatchService, autoscalingService, snsService];
