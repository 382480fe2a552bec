package io.steadfast.tenant;

import io.steadfast.error.InvalidRequestException;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Argon2id password hashes (memory-hard: 16 MiB and 2 passes each), salted, with their parameters in the stored
 * string so that stronger ones can come later. Passwords themselves are never stored or logged.
 */
public final class Passwords {
    public static final int MIN_LENGTH = 12;
    /** Longer passwords only cost hashing time: refused rather than hashed. */
    public static final int MAX_LENGTH = 256;
    private static final int MIN_DISTINCT_CHARACTERS = 5;

    private final Argon2PasswordEncoder encoder = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    /** Checked against when the email is unknown, so that the answer takes as long as for a wrong password. */
    private final String decoy = encoder.encode("a password nobody has");

    public String hash(String password) {
        requireStrong(password);
        return encoder.encode(password);
    }

    public boolean matches(String password, String hash) {
        return password.length() <= MAX_LENGTH && encoder.matches(password, hash);
    }

    /** Does the work of {@link #matches} for an unknown user; always false. */
    public boolean matchesNothing(String password) {
        matches(password, decoy);
        return false;
    }

    static void requireStrong(String password) {
        if (password.length() < MIN_LENGTH) {
            throw InvalidRequestException.badRequest("password must be at least " + MIN_LENGTH + " characters, got "
                    + password.length());
        }
        if (password.length() > MAX_LENGTH) {
            throw InvalidRequestException.badRequest("password must be at most " + MAX_LENGTH + " characters");
        }
        if (password.codePoints().distinct().count() < MIN_DISTINCT_CHARACTERS) {
            throw InvalidRequestException.badRequest("password is too easy to guess: use at least "
                    + MIN_DISTINCT_CHARACTERS + " different characters");
        }
    }
}
