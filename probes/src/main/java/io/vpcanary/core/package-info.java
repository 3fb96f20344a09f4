/**
 * The canary core every runner calls: the {@code vpcanary} command, the Gatling simulations, and the coming Lambda
 * canary, game days and injectors. A runner parses its own input, builds a {@link io.vpcanary.core.ClientEnvironment}
 * (from a lab's environment file, or from AWS settings), asks {@link io.vpcanary.core.CanaryPlan} for the targets its
 * vantages stand in, runs them (the probe engine, or Gatling), judges every answer with the one classifier
 * ({@link io.vpcanary.probe.ProbeEngine} or {@link io.vpcanary.probe.Evidence}), records each
 * {@link io.vpcanary.probe.Outcome} with {@link io.vpcanary.metrics.ProbeMetrics#record(io.vpcanary.metrics.Recorder,
 * io.vpcanary.probe.Outcome, java.time.Instant)} and publishes through {@link io.vpcanary.metrics.MetricsOutput}.
 * See docs/decisions/0004-one-canary-core.md.
 */
package io.vpcanary.core;
