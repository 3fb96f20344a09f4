package io.vpcanary.simulations;

import io.vpcanary.estate.Auth;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/**
 * One request name of a load run: a GET of one API through one access path in one region, sent exactly as a client on
 * that path sends it (URL, identifying headers, the resolver of its view), and what a good answer looks like.
 *
 * @param name       request name in Gatling's report: {@code "{api} {accessPath} {region}"}, unique in a run
 * @param api        API name; a good answer's JSON has it as {@code $.api}
 * @param accessPath access path name
 * @param region     region the path goes to; a good answer's JSON has it as {@code $.region}
 * @param view       resolver view the client sits in (VPC name or {@code on-premises})
 * @param resolver   DNS server of {@code view}
 * @param url        full URL, resource path included
 * @param headers    headers the path needs ({@code Host} or {@code x-apigw-api-id}), sent as they are
 * @param budget     accepted response times
 * @param auth       the API's authorizer: how a request must be signed or which token it carries ({@link RequestAuth})
 */
public record PathRequest(String name, String api, String accessPath, String region, String view,
                          InetSocketAddress resolver, String url, Map<String, String> headers, LatencyBudget budget,
                          Auth auth) {

    public PathRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(accessPath, "accessPath");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(auth, "auth");
        headers = Map.copyOf(headers);
    }

    /** The request name of an API × access path × region. */
    public static String nameOf(String api, String accessPath, String region) {
        return api + " " + accessPath + " " + region;
    }
}
