package io.vpcanary.estate;

/** The kind of API Gateway API. Only {@link #REST} APIs can have the {@link EndpointType#PRIVATE} endpoint type. */
public enum ApiType {
    REST,
    HTTP,
    WEBSOCKET
}
