package io.vpcanary.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.files.SecretFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lab's authorizer secrets, kept in the state folder ({@code auth-secrets.json}, readable by its owner only) so
 * that they survive restarts: the client secret of every OAuth client the lab's identity provider registers, and the
 * token each Lambda (TOKEN) authorizer accepts. Missing entries are generated (32 random URL-safe characters) and
 * written at once; existing ones are never changed. {@link #toString()} names the entries, never a value.
 *
 * @param clientSecrets client id to client secret
 * @param tokens        API name to token
 */
public record LabAuthSecrets(Map<String, String> clientSecrets, Map<String, String> tokens) {

    static final String FILE = "auth-secrets.json";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    public LabAuthSecrets {
        clientSecrets = Map.copyOf(clientSecrets);
        tokens = Map.copyOf(tokens);
    }

    /**
     * The secrets in {@code stateDir}, with a secret for each of {@code clientIds} and a token for each of
     * {@code tokenApis}, generating (and persisting) those that are missing.
     *
     * @throws IOException when the file cannot be read or written, or is not a secrets file
     */
    public static LabAuthSecrets loadOrCreate(Path stateDir, Collection<String> clientIds,
                                              Collection<String> tokenApis) throws IOException {
        Path file = stateDir.resolve(FILE);
        Map<String, String> secrets = new TreeMap<>();
        Map<String, String> tokens = new TreeMap<>();
        if (Files.exists(file)) {
            Stored stored;
            try {
                stored = JSON.readValue(file.toFile(), Stored.class);
            } catch (IOException e) {
                throw new IOException(file + " is not a lab auth secrets file; delete it to create new secrets", e);
            }
            if (stored.clientSecrets() != null) {
                secrets.putAll(stored.clientSecrets());
            }
            if (stored.tokens() != null) {
                tokens.putAll(stored.tokens());
            }
        }
        boolean changed = false;
        for (String id : clientIds) {
            changed |= secrets.putIfAbsent(id, random()) == null;
        }
        for (String api : tokenApis) {
            changed |= tokens.putIfAbsent(api, random()) == null;
        }
        if (changed || !Files.exists(file)) {
            SecretFiles.write(stateDir, FILE, new Stored(secrets, tokens));
        }
        return new LabAuthSecrets(secrets, tokens);
    }

    private record Stored(Map<String, String> clientSecrets, Map<String, String> tokens) {
    }

    private static String random() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public String toString() {
        return "LabAuthSecrets[clients=" + new TreeMap<>(clientSecrets).keySet() + ", tokens="
                + new TreeMap<>(tokens).keySet() + "]";
    }
}
