package io.vpcanary.metrics;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.Extension;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * moto_server with a WireMock server on 127.0.0.1 in front of it (to capture requests on the wire and inject faults)
 * and a CloudWatch client that reads moto directly. The publisher tests share it; {@link #close()} stops all three.
 *
 * @param moto   the moto_server process
 * @param proxy  the WireMock server (stubs are the test's to set)
 * @param reader a client of moto itself, past the proxy
 */
record ProxiedMoto(MotoServer moto, WireMockServer proxy, CloudWatchClient reader) implements AutoCloseable {

    static ProxiedMoto start(Extension... extensions) throws Exception {
        MotoServer moto = MotoServer.start();
        WireMockServer proxy = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(extensions));
        proxy.start();
        return new ProxiedMoto(moto, proxy, moto.client());
    }

    @Override
    public void close() throws Exception {
        try {
            reader.close();
        } finally {
            try {
                proxy.stop();
            } finally {
                moto.close();
            }
        }
    }
}
