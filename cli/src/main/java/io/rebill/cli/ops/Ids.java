package io.rebill.cli.ops;

import io.rebill.cli.UserException;
import java.util.regex.Pattern;

/** The rule for workspace and sub-account ids given on the command line, the wallet HTTP API's own. */
final class Ids {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private Ids() {
    }

    static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Ids are path segments and parts of wallet ids; anything else is refused before it is sent. */
    static String require(String option, String id) {
        if (!valid(id)) {
            throw new UserException(option + " '" + id + "' must be 1-128 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
        return id;
    }
}
