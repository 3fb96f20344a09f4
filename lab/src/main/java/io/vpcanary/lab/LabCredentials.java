package io.vpcanary.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.files.SecretFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;

/**
 * The access key of the lab's principal, created at first start in the state folder ({@code credentials.json},
 * readable by its owner only) and reused after. {@link #toString()} never shows the secret.
 */
public record LabCredentials(String accessKeyId, String secretAccessKey) {

    static final String FILE = "credentials.json";
    private static final char[] KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    public static LabCredentials loadOrCreate(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE);
        ObjectMapper json = new ObjectMapper();
        if (Files.exists(file)) {
            Map<?, ?> m = json.readValue(file.toFile(), Map.class);
            Object id = m.get("accessKeyId");
            Object secret = m.get("secretAccessKey");
            if (id instanceof String i && secret instanceof String s && !i.isBlank() && !s.isBlank()) {
                return new LabCredentials(i, s);
            }
            throw new IOException(file + " is not a lab credentials file (accessKeyId and secretAccessKey expected); delete it to create new credentials");
        }
        SecureRandom random = new SecureRandom();
        LabCredentials created = new LabCredentials("AKIALAB" + random(random, KEY_ALPHABET, 13), random(random, SECRET_ALPHABET, 40));
        SecretFiles.write(stateDir, FILE, Map.of("accessKeyId", created.accessKeyId, "secretAccessKey", created.secretAccessKey));
        return created;
    }

    private static String random(SecureRandom random, char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return new String(out);
    }

    @Override
    public String toString() {
        return "LabCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=****]";
    }
}
