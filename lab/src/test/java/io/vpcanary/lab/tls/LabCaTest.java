package io.vpcanary.lab.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.internal.tls.OkHostnameVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabCaTest {

    private static final List<String> REGION_NAMES = List.of(
            "*.execute-api.us-east-1.amazonaws.com",
            "*.execute-api.us-east-1.vpce.amazonaws.com",
            "orders.east.internal.example.com");

    /** Every host form a client of us-east-1 sends, and whether the region's certificate must cover it. */
    private static final List<String> COVERED = List.of(
            "ordrseast1.execute-api.us-east-1.amazonaws.com",
            "ordrseast1-vpce-0e1a00000000000a1.execute-api.us-east-1.amazonaws.com",
            "vpce-0e1a00000000000a1-k3x9q2ab.execute-api.us-east-1.vpce.amazonaws.com",
            "vpce-0e1a00000000000a1-k3x9q2ab-us-east-1a.execute-api.us-east-1.vpce.amazonaws.com",
            "orders.east.internal.example.com");
    private static final List<String> NOT_COVERED = List.of(
            "ordrswest2.execute-api.us-west-2.amazonaws.com",
            "a.b.execute-api.us-east-1.amazonaws.com",
            "orders.west.internal.example.com");

    @TempDir
    Path state;

    @Test
    void isCreatedAtFirstStartAndReusedAfter() throws Exception {
        LabCa first = LabCa.loadOrCreate(state);
        assertThat(first.caPem()).isEqualTo(state.resolve("ca.pem").toAbsolutePath()).exists();
        assertThat(state.resolve("ca-key.pem")).exists();
        assertThat(first.trustStore()).isEqualTo(state.resolve("truststore.p12").toAbsolutePath()).exists();
        if (state.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("ca-key.pem"))))
                    .isEqualTo("rw-------");
        }
        byte[] pem = Files.readAllBytes(first.caPem());
        LabCa second = LabCa.loadOrCreate(state);
        assertThat(second.certificate().getEncoded()).isEqualTo(first.certificate().getEncoded());
        assertThat(Files.readAllBytes(second.caPem())).isEqualTo(pem);
        assertThat(first.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(new String(pem, StandardCharsets.US_ASCII)).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(first.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void trustStoreLoadsWithTheDocumentedPasswordAndIsRewrittenWhenMissing() throws Exception {
        LabCa ca = LabCa.loadOrCreate(state);
        assertThat(ca.trustStorePassword()).isEqualTo("vpcanary-lab");
        assertThat(trustStore(ca).getCertificate(LabCa.TRUST_ALIAS)).isEqualTo(ca.certificate());
        Files.delete(ca.trustStore());
        LabCa again = LabCa.loadOrCreate(state);
        assertThat(trustStore(again).getCertificate(LabCa.TRUST_ALIAS)).isEqualTo(ca.certificate());
    }

    @Test
    void aMissingKeyIsAClearError() throws Exception {
        LabCa.loadOrCreate(state);
        Files.delete(state.resolve("ca-key.pem"));
        assertThatThrownBy(() -> LabCa.loadOrCreate(state))
                .hasMessageContaining("ca-key.pem").hasMessageContaining("is missing");
    }

    @Test
    void leavesVerifyAgainstTheCaForEverySanForm() throws Exception {
        LabCa ca = LabCa.loadOrCreate(state);
        KeyPair keys = LabCa.newKeyPair();
        X509Certificate leaf = ca.issueLeaf(keys, REGION_NAMES);
        leaf.verify(ca.certificate().getPublicKey());
        trustManager(ca).checkServerTrusted(new X509Certificate[] {leaf, ca.certificate()}, "ECDHE_ECDSA");
        for (String host : COVERED) {
            assertThat(OkHostnameVerifier.INSTANCE.verify(host, leaf)).as(host).isTrue();
        }
        for (String host : NOT_COVERED) {
            assertThat(OkHostnameVerifier.INSTANCE.verify(host, leaf)).as(host).isFalse();
        }
        assertThatThrownBy(() -> ca.serverContext(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRealHandshakeWithSniPassesHostnameVerification() throws Exception {
        LabCa ca = LabCa.loadOrCreate(state);
        SslContext server = ca.serverContext(REGION_NAMES);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(server.newHandler(c.alloc()), new ChannelInboundHandlerAdapter() {
                                @Override
                                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                    if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
                                        ctx.writeAndFlush(Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII))
                                                .addListener(ChannelFutureListener.CLOSE);
                                    }
                                }
                            });
                        }
                    }).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            int port = ((InetSocketAddress) ch.localAddress()).getPort();
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, new javax.net.ssl.TrustManager[] {trustManager(ca)}, null);
            for (String host : COVERED) {
                try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                    s.setSoTimeout(10_000);
                    SSLParameters p = s.getSSLParameters();
                    p.setServerNames(List.of(new SNIHostName(host)));
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    s.setSSLParameters(p);
                    s.startHandshake();
                    assertThat(OkHostnameVerifier.INSTANCE.verify(host, s.getSession())).as(host).isTrue();
                    assertThat(s.getSession().getPeerCertificates()).hasSize(2);
                    assertThat(new String(s.getInputStream().readNBytes(2), StandardCharsets.US_ASCII)).isEqualTo("ok");
                }
            }
            ch.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static KeyStore trustStore(LabCa ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ca.trustStore())) {
            ks.load(in, ca.trustStorePassword().toCharArray());
        }
        return ks;
    }

    private static X509TrustManager trustManager(LabCa ca) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore(ca));
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }
}
