/**
 * Evaluation of API Gateway resource policies ({@code execute-api:Invoke}) for the lab, following IAM's
 * policy evaluation logic: an explicit Deny wins, otherwise a matching Allow allows, otherwise the request
 * is implicitly denied. Entry point: {@link io.vpcanary.lab.policy.ResourcePolicy}. Parsing is not here: the lab
 * uses {@link io.vpcanary.policy.PolicyParser} of the probes module, the parser {@code vpcanary validate} uses.
 * The supported subset is described in {@code docs/resource-policies.md}.
 */
package io.vpcanary.lab.policy;
