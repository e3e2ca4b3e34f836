package io.rebill.wallet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Path and query parsing on its own: the cases an HTTP client will not send as written. */
class RoutesTest {

    @Test
    void shouldKeepTheRouteWhenAnIdHoldsAnEncodedSlash() {
        assertThatThrownBy(() -> Routes.parse("/workspaces/acme%2Fsub-accounts%2Fx", null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).startsWith("workspace id is invalid");
                });
    }

    @Test
    void shouldReturn400WhenPercentEncodingIsMalformed() {
        assertThatThrownBy(() -> Routes.parse("/workspaces/%ZZ", null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("workspace id is not validly percent-encoded");
                });
    }

    @Test
    void shouldUseTheDefaultsWhenLedgerHasNoQuery() {
        Route route = Routes.parse("/workspaces/acme-agency/sub-accounts/acme-law/ledger", null);

        assertThat(route).isEqualTo(new Route.Ledger("acme-agency", "acme-law", 50, null));
        assertThat(((Route.Ledger) route).walletId()).isEqualTo("acme-agency/acme-law");
    }

    @Test
    void shouldIgnoreOtherParametersWhenParsingTheLedgerQuery() {
        Route route = Routes.parse("/workspaces/acme-agency/ledger", "utm=x&limit=7&&before=12");

        assertThat(route).isEqualTo(new Route.Ledger("acme-agency", null, 7, 12L));
        assertThat(((Route.Ledger) route).walletId()).isEqualTo("acme-agency");
    }
}
