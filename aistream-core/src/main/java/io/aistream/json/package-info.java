/**
 * aistream's JSON toolkit: the one place Jackson factories and mappers are built ({@link
 * io.aistream.json.Jackson}) and the strict field reader that request readers share.
 */
package io.aistream.json;
