package io.vpcanary.lab.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The slow-sender guard of one connection: a client has {@code timeout} to complete the TLS handshake and its first
 * request (head and body) after connecting, and again to complete each further request from its first byte.
 * When the time is up the connection is closed. Two handlers share the state: {@link #beforeCodec()} sits behind
 * TLS and sees raw request bytes, {@link #afterAggregator()} sees complete requests. Both run on the channel's event
 * loop, so the state needs no locking.
 */
final class RequestDeadline {

    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    private boolean inRequest;

    RequestDeadline(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** Arms the deadline at connect and when the first byte of a request arrives. */
    ChannelHandler beforeCodec() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                arm(ctx);
                super.channelActive(ctx);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (timer == null && !inRequest) {
                    arm(ctx);
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                cancel();
                super.channelInactive(ctx);
            }
        };
    }

    /** Disarms the deadline once a whole request has arrived. */
    ChannelHandler afterAggregator() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof FullHttpRequest) {
                    cancel();
                    inRequest = true;
                }
                super.channelRead(ctx, msg);
            }
        };
    }

    /** Called when the answer to a request has been written and the connection stays open. */
    void requestDone() {
        inRequest = false;
    }

    private void arm(ChannelHandlerContext ctx) {
        cancel();
        timer = ctx.executor().schedule(() -> {
            timer = null;
            ctx.channel().close();
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
