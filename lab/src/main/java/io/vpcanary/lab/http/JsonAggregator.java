package io.vpcanary.lab.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Netty's aggregator with the front door's own answer to an oversized body: 413 with a JSON body and request ids
 * like every other answer, then the connection is closed (the rest of the body is not read).
 */
final class JsonAggregator extends HttpObjectAggregator {

    JsonAggregator(int maxBodyBytes) {
        super(maxBodyBytes);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        FullHttpResponse response = FrontDoorHandler.response(TransportError.TOO_LARGE.reply(),
                FrontDoorHandler.newUuid(), HttpVersion.HTTP_1_1);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
