/**
 * aistream's JSON toolkit: the one place Jackson factories and mappers are built ({@link
 * io.aistream.json.Jackson}) and the strict field reader that request readers share ({@link
 * io.aistream.json.JsonFieldReader} over objects, {@link io.aistream.json.JsonFieldValue} for one value,
 * {@link io.aistream.json.JsonFieldException} naming the path of whatever is wrong).
 *
 * <p>This package depends on Jackson only, so every other package of aistream can use it without a
 * cycle; a protocol's reader maps {@code JsonFieldException} to its own error at its boundary.
 */
package io.aistream.json;
