package io.rebill.cli;

import io.rebill.cli.demo.DemoRunner;
import io.rebill.cli.kafka.CatalogProducer;
import io.rebill.cli.stack.LocalStack;
import io.rebill.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The local stack as the integration tests use it, one per test class: a real broker and
 * registry on free ports, the demo's rate card, settings and opening balances (plus whatever
 * reference data the test adds) published before the services start, so their global tables
 * hold it before the first record is rated.
 */
public final class DemoStackExtension implements BeforeAllCallback, AfterAllCallback {

    private final BiConsumer<CatalogProducer, Topics> moreReferenceData;
    private Path dataDir;
    private LocalStack stack;

    public DemoStackExtension() {
        this((producer, topics) -> { });
    }

    public DemoStackExtension(BiConsumer<CatalogProducer, Topics> moreReferenceData) {
        this.moreReferenceData = moreReferenceData;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("rebill-it-");
        stack = new LocalStack(LocalStack.Settings.withFreePorts(dataDir)).startInfrastructure();
        new DemoRunner(stack).publishReferenceData();
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            moreReferenceData.accept(producer, stack.topics());
            producer.flush();
        }
        stack.startServices();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (stack != null) {
            stack.close();
        }
        if (dataDir != null) {
            LocalStack.wipe(dataDir);
        }
    }

    public LocalStack stack() {
        return stack;
    }
}
