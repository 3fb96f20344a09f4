/**
 * Deploying canaries, independent of any runner: the schedule a Lambda canary runs on ({@link
 * io.vpcanary.deploy.CanarySchedule}) and the AWS SAM template of one canary function per VPC of an estate
 * ({@link io.vpcanary.deploy.SamTemplate}). The {@code vpcanary lambda template} and {@code vpcanary cost --canary}
 * commands print what these compute.
 */
package io.vpcanary.deploy;
