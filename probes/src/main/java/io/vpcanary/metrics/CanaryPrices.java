package io.vpcanary.metrics;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Properties;

/**
 * What {@code vpcanary cost --canary} prices beside the metrics: Lambda, CloudWatch Logs ingestion, CloudWatch
 * Synthetics and S3 PUTs, from the one prices file ({@value CloudWatchPrices#RESOURCE}), in its region and currency.
 *
 * @param taken                  when the Lambda, Logs, Synthetics and S3 prices were taken
 * @param lambdaSource           where the Lambda prices come from
 * @param lambdaRequestsPerMillion price of a million invocations
 * @param lambdaGbSecondArm64    price of a GB-second on arm64
 * @param lambdaGbSecondX86      price of a GB-second on x86_64
 * @param lambdaFreeRequests     free invocations per account and month (shown, not deducted)
 * @param lambdaFreeGbSeconds    free GB-seconds per account and month (shown, not deducted)
 * @param logsIngestionPerGb     price of a GB (2^30 bytes) of log ingestion
 * @param logsFreeGb             free ingestion per account and month, GB (shown, not deducted)
 * @param syntheticsPerRun       price of one Synthetics canary run
 * @param syntheticsFreeRuns     free runs per account and month (shown, not deducted)
 * @param syntheticsMemoryMb     the smallest memory a Synthetics canary's function can have
 * @param s3Source               where the S3 price comes from
 * @param s3PutPer1000           price of 1,000 S3 PUT requests
 */
public record CanaryPrices(LocalDate taken, String lambdaSource, BigDecimal lambdaRequestsPerMillion,
                           BigDecimal lambdaGbSecondArm64, BigDecimal lambdaGbSecondX86, long lambdaFreeRequests,
                           long lambdaFreeGbSeconds, BigDecimal logsIngestionPerGb, long logsFreeGb,
                           BigDecimal syntheticsPerRun, long syntheticsFreeRuns, int syntheticsMemoryMb,
                           String s3Source, BigDecimal s3PutPer1000) {

    /** The bundled prices. */
    public static CanaryPrices bundled() {
        return parse(CloudWatchPrices.bundledProperties());
    }

    static CanaryPrices parse(Properties p) {
        return new CanaryPrices(LocalDate.parse(CloudWatchPrices.required(p, "canary.taken")),
                CloudWatchPrices.required(p, "lambda.source"), decimal(p, "lambda.requests.perMillion"),
                decimal(p, "lambda.gbSecond.arm64"), decimal(p, "lambda.gbSecond.x86_64"),
                Long.parseLong(CloudWatchPrices.required(p, "lambda.requests.freeTier")),
                Long.parseLong(CloudWatchPrices.required(p, "lambda.gbSeconds.freeTier")),
                decimal(p, "logs.ingestion.perGB"),
                Long.parseLong(CloudWatchPrices.required(p, "logs.ingestion.freeTierGB")),
                decimal(p, "synthetics.perRun"),
                Long.parseLong(CloudWatchPrices.required(p, "synthetics.freeTierRuns")),
                Integer.parseInt(CloudWatchPrices.required(p, "synthetics.memoryMB")),
                CloudWatchPrices.required(p, "s3.source"), decimal(p, "s3.putPer1000"));
    }

    private static BigDecimal decimal(Properties p, String key) {
        return new BigDecimal(CloudWatchPrices.required(p, key));
    }
}
