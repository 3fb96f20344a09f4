package io.vpcanary.gameday.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/**
 * A distributed run's settings, as every injector task receives them: the container's command ({@code load run} and
 * its arguments, the contract of the image's {@code vpcanary} entrypoint) and, when the estate travels with the run,
 * the environment variable {@value #ESTATE_ENV} (the estate file gzipped, then base64). ECS accepts at most
 * {@value #ECS_OVERRIDES_LIMIT} characters of overrides per task, JSON included: {@link #overrides} refuses more, with
 * the way out (bake the estate into the image, pass {@code --estate PATH-IN-IMAGE}).
 *
 * @param runId         the run's id ({@code --run-id}: the dimension {@code Run} of every metric)
 * @param estateGzB64   the estate file gzipped and base64-encoded, or null
 * @param estateInImage the estate's path inside the image, or null (with neither, the image's default estate)
 * @param vantage       where the injectors stand, or null for each stack's {@code Vantage}
 * @param rate          the rate ({@code --rate}), or null for the injector's default
 * @param duration      {@code --duration} as the user wrote it, or null
 * @param warmUp        {@code --warm-up} as the user wrote it, or null
 * @param namespace     the CloudWatch namespace, or null for each stack's {@code Namespace} (the one its role allows)
 */
public record RunSettings(RunId runId, String estateGzB64, String estateInImage, String vantage, Double rate,
                          String duration, String warmUp, String namespace) {

    /** The environment variable that carries the estate, gzipped and base64-encoded. */
    public static final String ESTATE_ENV = "VPCANARY_ESTATE_GZ_B64";
    /** ECS's bound on a task's overrides, in characters of their JSON. */
    public static final int ECS_OVERRIDES_LIMIT = 8192;

    private static final ObjectMapper JSON = new ObjectMapper();

    public RunSettings {
        Objects.requireNonNull(runId, "runId");
        if (estateGzB64 != null && estateInImage != null) {
            throw new IllegalArgumentException("give the estate as a file to send or as a path in the image, not both");
        }
        if (rate != null && !(rate > 0 && Double.isFinite(rate))) {
            throw new IllegalArgumentException("the rate must be a positive number; got " + rate);
        }
    }

    /** {@code estate} gzipped, then base64 (standard alphabet, padded): the value of {@value #ESTATE_ENV}. */
    /**
     * The estate text of {@link #ESTATE_ENV}'s value: base64 of its gzip ({@link #encodeEstate}), what
     * {@code vpcanary load run} reads when it is given no {@code --estate}.
     *
     * @throws IllegalArgumentException naming the variable when the value is not gzip+base64
     */
    public static String decodeEstate(String gzB64) {
        byte[] gz;
        try {
            gz = Base64.getMimeDecoder().decode(gzB64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ESTATE_ENV + " is not base64 (gzip the estate, then base64 it): "
                    + e.getMessage());
        }
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(ESTATE_ENV + " is not gzip+base64 (gzip the estate, then base64 it): "
                    + e.getMessage());
        }
    }

    public static String encodeEstate(byte[] estate) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(estate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** The command an injector of {@code stack} runs: {@code load run --target aws --region R ...}. */
    public List<String> command(InjectorStack stack) {
        List<String> c = new ArrayList<>(List.of("load", "run", "--target", "aws", "--region", stack.region(),
                "--vantage", vantage != null ? vantage : stack.vantage(), "--publish", "cloudwatch",
                "--namespace", namespace != null ? namespace : stack.namespace(), "--run-id", runId.value()));
        if (estateInImage != null) {
            c.addAll(List.of("--estate", estateInImage));
        }
        if (rate != null) {
            c.addAll(List.of("--rate", rate == Math.rint(rate) ? Long.toString(rate.longValue()) : rate.toString()));
        }
        if (duration != null) {
            c.addAll(List.of("--duration", duration));
        }
        if (warmUp != null) {
            c.addAll(List.of("--warm-up", warmUp));
        }
        return c;
    }

    /**
     * The overrides of each task in {@code stack}.
     *
     * @throws IllegalArgumentException when they exceed {@value #ECS_OVERRIDES_LIMIT} characters
     */
    public TaskOverride overrides(InjectorStack stack) {
        ContainerOverride.Builder c = ContainerOverride.builder().name(stack.container()).command(command(stack));
        if (estateGzB64 != null) {
            c.environment(KeyValuePair.builder().name(ESTATE_ENV).value(estateGzB64).build());
        }
        TaskOverride o = TaskOverride.builder().containerOverrides(c.build()).build();
        int length = jsonLength(o);
        if (length > ECS_OVERRIDES_LIMIT) {
            throw new IllegalArgumentException("the run's container overrides are " + length + " characters, over ECS's "
                    + ECS_OVERRIDES_LIMIT + (estateGzB64 != null ? " (the estate, gzipped and base64, is "
                    + estateGzB64.length() + ")" : "") + ": bake the estate into the image and pass --estate-in-image "
                    + "PATH-IN-IMAGE instead (each injector then runs load run --estate PATH-IN-IMAGE)");
        }
        return o;
    }

    /** The length of {@code o} as ECS counts it: the JSON of the overrides structure. */
    static int jsonLength(TaskOverride o) {
        List<Object> containers = new ArrayList<>();
        for (ContainerOverride c : o.containerOverrides()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            if (c.hasCommand()) {
                m.put("command", c.command());
            }
            if (c.hasEnvironment()) {
                m.put("environment", c.environment().stream()
                        .map(kv -> Map.of("name", kv.name(), "value", kv.value())).toList());
            }
            containers.add(m);
        }
        try {
            return JSON.writeValueAsString(Map.of("containerOverrides", containers)).length();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
