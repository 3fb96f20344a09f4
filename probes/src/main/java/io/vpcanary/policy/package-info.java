/**
 * API Gateway resource policies as vpcanary understands them: {@link io.vpcanary.policy.PolicyParser} turns a policy
 * document into {@link io.vpcanary.policy.Statement}s or refuses it with a {@link io.vpcanary.policy.PolicyException}
 * naming the JSON pointer of the problem. The estate validator and the lab use this one parser, so what
 * {@code vpcanary validate} accepts the lab serves. Evaluation lives in the lab ({@code io.vpcanary.lab.policy}). The
 * supported subset is described in {@code docs/resource-policies.md}.
 */
package io.vpcanary.policy;
