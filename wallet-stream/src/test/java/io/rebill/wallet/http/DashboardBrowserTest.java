package io.rebill.wallet.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.wallet.query.PeriodTotals;
import io.rebill.wallet.query.SubAccountView;
import io.rebill.wallet.query.UsageSummary;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The agency dashboard in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, which {@code scripts/ensure-chromium.sh} installs before the tests),
 * over a real {@link WalletHttpServer} answering from {@link DashboardFixture}. Every expected
 * figure is derived from the fixture, the way the API hands it to the page.
 */
class DashboardBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOT = Path.of("target", "dashboard.png");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String DASH = "—";

    private static final DashboardFixture fixture = new DashboardFixture();
    private static WalletHttpServer server;
    private static ChromeDriver browser;

    @BeforeAll
    static void startServerAndBrowser() throws IOException {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("%s and %s are installed: run scripts/ensure-chromium.sh (the build does, before the tests)",
                        CHROMIUM, CHROMEDRIVER)
                .isTrue();
        server = new WalletHttpServer(new InetSocketAddress("127.0.0.1", 0), fixture, FakeOwners.alwaysSelf(),
                () -> true);
        server.start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1366,1000", "--force-device-scale-factor=1", "--lang=en-US");
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(TIMEOUT);
    }

    @AfterAll
    static void stopBrowserAndServer() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldShowTheWorkspaceWalletBalanceCurrencyAndStatus() {
        open(DashboardFixture.WS, "ready");

        assertThat(text("workspace-title")).isEqualTo("acme-agency");
        assertThat(text("workspace-balance")).isEqualTo(fixture.workspaceWallet.balance()).isEqualTo("1263.271743");
        assertThat(text("workspace-currency")).isEqualTo("USD");
        assertThat(text("workspace-wallet-status")).isEqualTo("ACTIVE");
    }

    @Test
    void shouldRenderWithoutScriptErrorsOrContentSecurityPolicyViolations() {
        browser.manage().logs().get(LogType.BROWSER); // drops what earlier pages logged

        open(DashboardFixture.WS, "ready");

        List<String> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::getMessage).toList();
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldShowEverySubAccountsBalanceAccessWithItsReasonAndReBilling() {
        open(DashboardFixture.WS, "ready");

        Map<String, WebElement> rows = subAccountRows();
        assertThat(rows.keySet()).containsExactlyElementsOf(fixture.subAccounts.keySet());
        for (SubAccountView view : fixture.subAccounts.values()) {
            WebElement row = rows.get(view.subAccountId());
            String id = view.subAccountId();
            assertThat(cell(row, "sa-id")).isEqualTo(id);
            assertThat(cell(row, "sa-balance")).as(id).isEqualTo(view.wallet() == null ? DASH : view.wallet().balance());
            assertThat(cell(row, "sa-access")).as(id).isEqualTo(view.access().state());
            assertThat(cell(row, "sa-access-reason")).as(id).isEqualTo(view.access().reason());
            assertThat(cell(row, "sa-rebilling")).as(id).isEqualTo(view.rebilled() ? "On" : "Off");
        }
        // Spelled out once, so a fixture change cannot silently hollow the test out.
        assertThat(cell(rows.get("acme-law"), "sa-access")).isEqualTo("BLOCKED_SUBACCOUNT_FUNDS");
        assertThat(cell(rows.get("acme-law"), "sa-balance")).isEqualTo("-1.250000");
        assertThat(cell(rows.get("acme-spa"), "sa-access")).isEqualTo("ON_HOLD");
        assertThat(cell(rows.get("acme-spa"), "sa-access-reason")).startsWith("On hold: the last refill payment failed");
        assertThat(cell(rows.get("acme-gym"), "sa-rebilling")).isEqualTo("Off");
        assertThat(cell(rows.get("acme-gym"), "sa-balance")).isEqualTo(DASH);
    }

    @Test
    void shouldShowYouPaySubAccountPaysAndProfitPerSubAccountAndInTotal() {
        open(DashboardFixture.WS, "ready");

        Map<String, WebElement> rows = subAccountRows();
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal price = BigDecimal.ZERO;
        for (SubAccountView view : fixture.subAccounts.values()) {
            PeriodTotals period = view.period();
            WebElement row = rows.get(view.subAccountId());
            assertThat(cell(row, "sa-you-pay")).as(view.subAccountId()).isEqualTo(period.cost());
            // A sub-account that is not re-billed pays nothing, so it has no price and no profit of its own.
            assertThat(cell(row, "sa-pays")).as(view.subAccountId()).isEqualTo(view.rebilled() ? period.price() : DASH);
            assertThat(cell(row, "sa-profit")).as(view.subAccountId()).isEqualTo(view.rebilled() ? period.margin() : DASH);
            cost = cost.add(new BigDecimal(period.cost()));
            price = price.add(new BigDecimal(period.price()));
        }
        assertThat(text("total-you-pay")).isEqualTo("USD " + cost.toPlainString()).isEqualTo("USD 1248.728258");
        assertThat(text("total-sub-account-pays")).isEqualTo("USD " + price.toPlainString())
                .isEqualTo("USD 1576.366146");
        assertThat(text("total-profit")).isEqualTo("USD " + price.subtract(cost).toPlainString())
                .isEqualTo("USD 327.637888");
        assertThat(cell(rows.get("acme-dental"), "sa-profit")).isEqualTo("25.925380");
        assertThat(text("period-label")).isEqualTo("2026-11-01 – 2026-11-22");
        assertThat(browser.findElement(By.id("period-note")).isDisplayed()).isFalse();
    }

    @Test
    void shouldChartTheMinutesUsedWithThePercentageOfEverySubAccountWithMinutes() {
        open(DashboardFixture.WS, "ready");

        Map<String, WebElement> rows = subAccountRows();
        Map<String, WebElement> cards = byData(browser.findElements(By.cssSelector("[data-testid=minutes-card]")));
        List<String> withMinutes = fixture.subAccounts.values().stream().filter(view -> view.usage() != null)
                .map(SubAccountView::subAccountId).toList();
        assertThat(cards.keySet()).containsExactlyElementsOf(withMinutes)
                .containsExactly("acme-dental", "acme-law", "acme-spa");
        for (SubAccountView view : fixture.subAccounts.values()) {
            UsageSummary usage = view.usage();
            WebElement row = rows.get(view.subAccountId());
            boolean planMinutes = usage != null && new BigDecimal(usage.totalMinutes()).signum() > 0;
            assertThat(cell(row, "sa-minutes")).as(view.subAccountId())
                    .isEqualTo(usage == null ? DASH : planMinutes ? usage.percentUsed() + "%" : "No plan minutes");
            if (!planMinutes) {
                continue;
            }
            assertThat(row.findElement(By.cssSelector("svg.bar rect.fill")).getDomAttribute("width"))
                    .isEqualTo(new BigDecimal(usage.percentUsed()).stripTrailingZeros().toPlainString());
            WebElement card = cards.get(view.subAccountId());
            assertThat(cell(card, "minutes-percent")).isEqualTo(usage.percentUsed() + "% used");
            assertThat(cell(card, "minutes-used")).isEqualTo(usage.usedMinutes() + " of " + usage.totalMinutes() + " min");
            assertThat(cell(card, "minutes-remaining")).isEqualTo(usage.remainingMinutes() + " min remaining");
            WebElement chart = card.findElement(By.cssSelector("[data-testid=minutes-chart]"));
            assertThat(chart.getDomAttribute("data-percent")).isEqualTo(usage.percentUsed());
            BigDecimal used = new BigDecimal(usage.percentUsed());
            String arc = chart.findElement(By.cssSelector("circle.fill")).getDomAttribute("stroke-dasharray");
            assertThat(arc.split(" ")).extracting(BigDecimal::new).usingElementComparator(BigDecimal::compareTo)
                    .containsExactly(used, BigDecimal.valueOf(100).subtract(used));
        }
        assertThat(cell(cards.get("acme-dental"), "minutes-percent")).isEqualTo("26.06% used");
        assertThat(cell(cards.get("acme-dental"), "minutes-plan")).isEqualTo("Pro");
        assertThat(cell(cards.get("acme-dental"), "minutes-renewal")).isEqualTo("Renews 2026-12-01");
        assertThat(cell(cards.get("acme-law"), "minutes-plan")).isEqualTo("Trial");
        assertThat(cell(cards.get("acme-law"), "minutes-renewal")).isEqualTo("Trial ends 2026-11-29");
        // A trial of no minutes has no percentage to show: every minute it used was billed to its wallet.
        assertThat(cell(cards.get("acme-spa"), "minutes-percent")).isEqualTo("No plan minutes");
        assertThat(cell(cards.get("acme-spa"), "minutes-used")).isEqualTo("12.50 min used, all billed to the wallet");
        assertThat(cards.get("acme-spa").findElements(By.cssSelector("[data-testid=minutes-remaining]"))).isEmpty();
    }

    @Test
    void shouldListTheLatestLedgerEntriesNewestFirstWithFundsAddedUsageAndRefills() {
        open(DashboardFixture.WS, "ready");

        assertThat(ledgerRows()).containsExactly(
                List.of("4", "2026-11-22 07:59", "Usage", "VOICE_AI call to +14155550100", "-0.073743", "1263.271743"),
                List.of("3", "2026-11-15 08:12", "Auto-refill", "Top-up, payment pi_3Refill", "+500.000000",
                        "1263.345486"),
                List.of("2", "2026-11-10 16:37", "Usage", "VOICE call to +16046923378", "-236.654514", "763.345486"),
                List.of("1", "2026-11-01 09:00", "Funds added", "Top-up, payment pi_opening", "+1000.000000",
                        "1000.000000"));
        assertThat(browser.findElement(By.id("ledger-older")).isDisplayed()).isFalse();
    }

    @Test
    void shouldShowASubAccountsLedgerWhenItsWalletIsChosen() {
        open(DashboardFixture.WS, "ready");

        browser.findElement(By.cssSelector("#ledger-wallet option[value='acme-dental']")).click();
        waitUntil("the sub-account's ledger", () -> "acme-agency/acme-dental".equals(
                browser.findElement(By.id("ledger")).getDomAttribute("data-wallet")));

        assertThat(ledgerRows()).containsExactly(
                List.of("2", "2026-11-21 12:00", "Usage", "VOICE call to +12125550123", "-44.430164", "205.569836"),
                List.of("1", "2026-11-02 10:00", "Funds added", "Top-up, payment inv-7", "+250.000000", "250.000000"));
    }

    @Test
    void shouldPageThroughALongLedgerWithOlderEntries() {
        open(DashboardFixture.WS, "ready");
        browser.findElement(By.cssSelector("#ledger-wallet option[value='acme-law']")).click();
        waitUntil("the sub-account's ledger", () -> "acme-agency/acme-law".equals(
                browser.findElement(By.id("ledger")).getDomAttribute("data-wallet")));

        List<List<String>> first = ledgerRows();
        assertThat(first).hasSize(20);
        assertThat(first.get(0).get(0)).isEqualTo(String.valueOf(DashboardFixture.LAW_LEDGER_ENTRIES));
        assertThat(first.get(19).get(0)).isEqualTo(String.valueOf(DashboardFixture.LAW_LEDGER_ENTRIES - 19));
        WebElement older = browser.findElement(By.id("ledger-older"));
        assertThat(older.isDisplayed()).isTrue();

        older.click();
        waitUntil("the older page", () -> ledgerRows().size() == DashboardFixture.LAW_LEDGER_ENTRIES);

        List<List<String>> all = ledgerRows();
        assertThat(all).extracting(row -> Integer.parseInt(row.get(0)))
                .isSortedAccordingTo(java.util.Comparator.reverseOrder()).startsWith(23, 22).endsWith(2, 1);
        assertThat(all.get(all.size() - 1)).containsExactly("1", "2026-11-15 09:00", "Funds added",
                "Top-up, payment inv-1", "+10.000000", "10.000000");
        assertThat(all.get(0).get(5)).isEqualTo("-1.000000");
        assertThat(browser.findElement(By.id("ledger-older")).isDisplayed()).isFalse();
    }

    @Test
    void shouldSaveAScreenshotOfTheRenderedDashboardAsAPng() throws IOException {
        open(DashboardFixture.WS, "ready");
        // The whole page in one picture: a viewport as tall as the page, without browser chrome or scroll bars.
        viewport(1000);
        Number height = (Number) browser.executeScript("return document.documentElement.scrollHeight");
        viewport(height.intValue());

        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());

        byte[] png = Files.readAllBytes(SCREENSHOT);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        assertThat(png.length).as("bytes of a rendered page, not a blank one").isGreaterThan(30_000);
        BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
        assertThat(image.getWidth()).isEqualTo(1366);
        assertThat(image.getHeight()).as("the whole page's height").isEqualTo(height.intValue())
                .isGreaterThanOrEqualTo(1000);
        assertThat(distinctColours(image)).as("colours in the picture").isGreaterThan(50);
    }

    @Test
    void shouldShowNoSuchWorkspaceForAWorkspaceTheApiDoesNotKnow() {
        open("no-such-agency", "empty");

        WebElement empty = browser.findElement(By.id("empty-state"));
        assertThat(empty.isDisplayed()).isTrue();
        assertThat(empty.getText()).startsWith("No such workspace").contains("no-such-agency");
        assertThat(text("empty-workspace-id")).isEqualTo("no-such-agency");
        assertThat(browser.findElement(By.id("content")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("error-state")).isDisplayed()).isFalse();
    }

    @Test
    void shouldShowTheApisErrorWhenTheWorkspaceCannotBeRead() {
        open(DashboardFixture.BROKEN, "error");

        assertThat(browser.findElement(By.id("error-state")).isDisplayed()).isTrue();
        assertThat(text("error-message")).isEqualTo("internal error");
        assertThat(browser.findElement(By.id("content")).isDisplayed()).isFalse();
    }

    private static void viewport(int height) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 1366, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    private static void open(String workspaceId, String state) {
        browser.get("http://127.0.0.1:" + server.port() + "/dashboard/" + workspaceId);
        waitUntil("data-state " + state, () -> state.equals(
                browser.findElement(By.id("dashboard")).getDomAttribute("data-state")));
    }

    private static void waitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; page state "
                        + browser.findElement(By.id("dashboard")).getDomAttribute("data-state") + ", error: "
                        + browser.findElement(By.id("error-message")).getText());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static String cell(WebElement parent, String testId) {
        return parent.findElement(By.cssSelector("[data-testid='" + testId + "']")).getText();
    }

    private static Map<String, WebElement> subAccountRows() {
        return byData(browser.findElements(By.cssSelector("#sub-account-rows [data-testid=sub-account-row]")));
    }

    private static Map<String, WebElement> byData(List<WebElement> elements) {
        return elements.stream().collect(Collectors.toMap(e -> e.getDomAttribute("data-sub-account"),
                Function.identity(), (a, b) -> {
                    throw new AssertionError("two elements for one sub-account");
                }, java.util.LinkedHashMap::new));
    }

    private static List<List<String>> ledgerRows() {
        return browser.findElements(By.cssSelector("#ledger-rows [data-testid=ledger-row]")).stream()
                .map(row -> List.of(cell(row, "ledger-sequence"), cell(row, "ledger-when"), cell(row, "ledger-kind"),
                        cell(row, "ledger-details"), cell(row, "ledger-amount"), cell(row, "ledger-balance")))
                .toList();
    }

    private static long distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
