package io.dagscope.server.dashboard;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium, driven through Selenium by the system's chromedriver. Both are given explicitly (binary and
 * driver), so Selenium Manager never looks for, or downloads, anything.
 *
 * <p>The browser tests must not pass by skipping: without Chromium they fail and say how to install it. A developer
 * without a browser may opt out explicitly with {@code -Ddagscope.browserTests=skip}; CI never does.
 */
final class Browser implements AutoCloseable {

    /** System property: {@code skip} turns the browser tests into skipped tests when no browser is installed. */
    static final String OPT_OUT = "dagscope.browserTests";
    /** The Chromium binary ({@code -Ddagscope.chromium} overrides). */
    static final Path CHROMIUM = Path.of(System.getProperty("dagscope.chromium", "/usr/bin/chromium"));
    /** Its driver ({@code -Ddagscope.chromedriver} overrides). */
    static final Path CHROMEDRIVER = Path.of(System.getProperty("dagscope.chromedriver", "/usr/bin/chromedriver"));

    /** Selenium's loggers, held so that their levels stick (the JDK keeps loggers weakly). */
    private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");
    private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    /**
     * Starts a browser with a fresh profile.
     *
     * @param width the window's width in CSS pixels
     * @param height its height
     * @param darkMode whether the system prefers a dark colour scheme
     * @return the browser
     */
    static Browser start(int width, int height, boolean darkMode) {
        requireInstalled();
        SELENIUM_LOG.setLevel(Level.WARNING);
        // raw CDP commands need no version-specific devtools module: its absence is not worth a warning
        DEVTOOLS_LOG.setLevel(Level.SEVERE);
        Path profile;
        try {
            profile = Files.createTempDirectory("dagscope-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
                "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=en-US",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withSilent(true)
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        // exactly this viewport (a headless window's size includes a frame), at one device pixel per CSS pixel
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", false));
        // what the system prefers, as the page's prefers-color-scheme media query sees it
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of(Map.of(
                "name", "prefers-color-scheme", "value", darkMode ? "dark" : "light"))));
        return new Browser(driver, service, profile);
    }

    /** Fails (or, when opted out, skips) with a clear message when Chromium or its driver is missing. */
    static void requireInstalled() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String message = "The dashboard's browser tests need Chromium and its driver at " + CHROMIUM + " and "
                + CHROMEDRIVER + ". Install them (Debian/Ubuntu: apt-get install chromium chromium-driver), or point "
                + "-Ddagscope.chromium=... and -Ddagscope.chromedriver=... at yours. To skip these tests on a machine "
                + "without a browser, run with -D" + OPT_OUT + "=skip.";
        if ("skip".equals(System.getProperty(OPT_OUT))) {
            Assumptions.abort(message);
        }
        fail(message);
    }

    /** Opens a URL. */
    void open(String url) {
        driver.get(url);
    }

    /** Waits up to 30 seconds (this machine is shared and slow) for a condition. */
    <T> T await(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100))
                .withMessage(what)
                .until(condition);
    }

    /** @return the element's visible text, or "" when absent */
    String text(String css) {
        List<WebElement> found = driver.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText().strip();
    }

    /** Runs a script in the page. */
    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Runs an asynchronous script in the page (its last argument is the callback). */
    Object asyncScript(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
    }

    /** @return the browser console's messages so far (errors, CSP violations, ...), each read once */
    List<String> consoleMessages(Level atLeast) {
        List<String> out = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= atLeast.intValue()) {
                out.add(e.getLevel() + " " + e.getMessage());
            }
        }
        return out;
    }

    /** @return the page's path and query string */
    String location() {
        return String.valueOf(script("return location.pathname + location.search"));
    }

    /** @return a map of the page's scroll position */
    @SuppressWarnings("unchecked")
    Map<String, Object> scroll() {
        return (Map<String, Object>) script("return {x: window.scrollX, y: window.scrollY}");
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.close();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover profile in the temp folder is harmless
            }
        }
    }
}
