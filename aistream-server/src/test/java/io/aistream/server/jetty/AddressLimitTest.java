package io.aistream.server.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressLimitTest {
    @Test
    void countsPerAddressAndForgetsAddressesWithNoConnection() throws Exception {
        InetAddress a = InetAddress.getByName("10.0.0.1");
        InetAddress b = InetAddress.getByName("10.0.0.2");
        AddressLimit limit = new AddressLimit(2);
        assertThat(limit.acquire(a)).isTrue();
        assertThat(limit.acquire(a)).isTrue();
        assertThat(limit.acquire(a)).isFalse();
        assertThat(limit.acquire(b)).isTrue();
        assertThat(limit.open(a)).isEqualTo(2);
        limit.release(a);
        assertThat(limit.acquire(a)).isTrue();
        limit.release(a);
        limit.release(a);
        limit.release(b);
        assertThat(limit.addresses()).isZero();
        limit.release(b); // an extra release does not go negative
        assertThat(limit.open(b)).isZero();
    }

    @Test
    void zeroIsOff() throws Exception {
        AddressLimit off = new AddressLimit(0);
        InetAddress a = InetAddress.getByName("10.0.0.1");
        for (int i = 0; i < 1000; i++) {
            assertThat(off.acquire(a)).isTrue();
        }
        assertThat(off.addresses()).isZero();
    }
}
