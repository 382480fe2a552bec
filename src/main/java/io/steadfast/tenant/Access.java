package io.steadfast.tenant;

import io.steadfast.error.InvalidRequestException;
import java.util.Locale;

/** What a credential may do in its business: agents read and send; admins also manage users, keys and channels. */
public enum Access {
    ADMIN, AGENT;

    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Access fromSql(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** The role a request names; anything but {@code admin} or {@code agent} is refused. */
    public static Access parse(String value) {
        for (Access access : values()) {
            if (access.sql().equals(value)) {
                return access;
            }
        }
        throw InvalidRequestException.badRequest("role must be \"admin\" or \"agent\", got \"" + value + "\"");
    }
}
