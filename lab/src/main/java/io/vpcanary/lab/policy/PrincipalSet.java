package io.vpcanary.lab.policy;

import java.util.List;

/**
 * The principals named by a statement's {@code Principal} or {@code NotPrincipal} element.
 *
 * <p>An entry matches a caller when it is {@code "*"} (everyone, including anonymous callers); a 12-digit
 * account id or an account root ARN {@code arn:aws:iam::ACCOUNT:root} (any principal of that account); the
 * caller's exact ARN; or a role ARN {@code arn:aws:iam::ACCOUNT:role/[path/]NAME} when the caller is a
 * session of that role, {@code arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION}. An anonymous caller matches
 * only {@code "*"}.
 */
final class PrincipalSet {

    private final List<String> entries;

    /** @param entries validated entries: "*", 12-digit account ids or ARNs without wildcards */
    PrincipalSet(List<String> entries) {
        this.entries = List.copyOf(entries);
    }

    boolean matches(RequestContext request) {
        for (String entry : entries) {
            if (matches(entry, request)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String entry, RequestContext request) {
        if (entry.equals("*")) {
            return true;
        }
        if (request.anonymous()) {
            return false;
        }
        String caller = request.principalArn();
        String[] callerArn = Arns.split(caller);
        if (isAccountId(entry)) {
            return entry.equals(callerArn[4]);
        }
        String[] arn = Arns.split(entry);
        if (arn[2].equals("iam") && arn[5].equals("root")) {
            return arn[1].equals(callerArn[1]) && arn[4].equals(callerArn[4]);
        }
        if (entry.equals(caller)) {
            return true;
        }
        return isSessionOfRole(arn, callerArn);
    }

    private static boolean isSessionOfRole(String[] role, String[] caller) {
        if (!role[2].equals("iam") || !role[5].startsWith("role/")
                || !caller[2].equals("sts") || !caller[5].startsWith("assumed-role/")) {
            return false;
        }
        if (!role[1].equals(caller[1]) || !role[4].equals(caller[4])) {
            return false;
        }
        String roleName = role[5].substring(role[5].lastIndexOf('/') + 1);
        String[] session = caller[5].split("/", 3);
        return session.length == 3 && session[1].equals(roleName);
    }

    static boolean isAccountId(String s) {
        if (s.length() != 12) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
