package io.rebill.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 loads only trusted classes by name when it builds specific readers and writers;
 * Rebill's generated classes live under {@code io.rebill.schemas}, so that package is added to
 * whatever the process already trusts.
 */
final class TrustedAvroClasses {

    static final String GENERATED_PACKAGE = "io.rebill.schemas.";

    private static boolean installed;

    private TrustedAvroClasses() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        ClassSecurityValidator.ClassSecurityPredicate existing = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(existing,
                type -> type.getName().startsWith(GENERATED_PACKAGE)));
        installed = true;
    }
}
